from __future__ import annotations

from collections.abc import Iterator

import pytest

from taizhang.search import services, text


@pytest.fixture(autouse=True)
def _fresh_dictionary(db: None) -> Iterator[None]:
    """Each test segments with its own organisation's words, not with the previous test's."""
    text.dictionary().use([], [])
    yield
    text.dictionary().use([], [])


@pytest.fixture
def org_words() -> None:
    services.refresh_dictionary(force=True)
