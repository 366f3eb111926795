from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from taizhang.excel.services import (
    ImportOptions,
    ImportOutcome,
    ListSink,
    inspect_file,
    ledger_import,
)
from taizhang.ledger.models import Category
from taizhang.org.models import Person
from tests.factories import make_category


@dataclass
class Run:
    outcome: ImportOutcome
    sink: ListSink

    def row(self, number: int) -> Any:
        return self.sink.by_row()[number]


def run_import(
    user: Person, data: bytes, name: str = "台账.xlsx", *, dry_run: bool = False, **options: Any
) -> Run:
    found = inspect_file(io.BytesIO(data), name)
    settings = {"mapping": found.mapping, "year": found.year, **options}
    sink = ListSink()
    outcome = ledger_import(
        user=user,
        file=io.BytesIO(data),
        name=name,
        options=ImportOptions(**settings),
        dry_run=dry_run,
        sink=sink,
    )
    return Run(outcome, sink)


@dataclass
class Categories:
    formalism: Category
    bureaucratism: Category
    lamps: Category


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services' messages are read in English here; the pages' tests read them in Chinese (the default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def categories(db: None) -> Categories:
    return Categories(
        formalism=make_category(name="形式主义", evidence_required=True),
        bureaucratism=make_category(name="官僚主义"),
        lamps=make_category(name="路灯照明", measure_word="盏"),
    )
