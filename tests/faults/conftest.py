"""Fixtures of the fault tests: a freshly migrated SQLite database to copy for each throwaway site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.site import migrated_template


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("template"))
