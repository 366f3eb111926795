"""Dispatch fixtures: four service units and categories of 山西铝厂, and a triaged history taken from the
labelled set (tests/dispatch/data/labelled.jsonl), put on the list through the triage service."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from taizhang.core import clock
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category
from taizhang.org import services as org
from taizhang.org.models import Person, Unit
from tests.conftest import Org
from tests.factories import make_category

DATA = Path(__file__).parent / "data"
CATEGORIES = {"澡堂浴室": "bath", "路灯照明": "lamp", "食堂饮食": "canteen", "交通班车": "bus"}
UNITS = {"后勤服务中心": "hq", "物业公司": "wy", "餐饮中心": "cy", "车队": "cd"}
PAIRS = {
    ("澡堂浴室", "后勤服务中心"),
    ("路灯照明", "物业公司"),
    ("食堂饮食", "餐饮中心"),
    ("交通班车", "车队"),
}


@dataclass
class Dispatch:
    org: Org
    categories: dict[str, Category]
    units: dict[str, Unit]


def labelled_rows() -> list[dict[str, Any]]:
    lines = (DATA / "labelled.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture
def dispatch_org(units: Org) -> Dispatch:
    return make_dispatch_org(units)


def make_dispatch_org(units: Org) -> Dispatch:
    made = {
        name: org.unit_create(name=name, code=f"svc-{code}", parent=units.root)
        for name, code in UNITS.items()
    }
    categories = {name: make_category(name=name, code=code) for name, code in CATEGORIES.items()}
    return Dispatch(units, categories, made)


def triage(opinion: Opinion, *, supervisor: Person, category: Category, unit: Unit) -> None:
    draft = ledger.ProblemDraft(
        title=opinion.text[:30],
        category=category,
        lead_unit=unit,
        deadline=clock.today() + dt.timedelta(days=30),
    )
    intake.opinion_triage(user=supervisor, opinion_id=opinion.pk, draft=draft)


def build_history(world: Dispatch, supervisor: Person, *, per_class: int) -> list[dict[str, Any]]:
    """Triage `per_class` labelled opinions of each of the four (category, unit) pairs; returns the rows of
    the labelled set left over (for asking the model about opinions it has not seen)."""
    taken: dict[tuple[str, str], int] = {}
    unused = []
    for row in labelled_rows():
        pair = (row["category"], row["unit"])
        if pair not in PAIRS or row["category"] not in world.categories:
            continue
        if taken.get(pair, 0) >= per_class:
            unused.append(row)
            continue
        taken[pair] = taken.get(pair, 0) + 1
        opinion = intake.opinion_submit(
            user=None,
            data=intake.OpinionInput(
                text=row["text"], place_text=row["place"], channel=row["channel"], anonymous=True
            ),
        )
        triage(
            opinion,
            supervisor=supervisor,
            category=world.categories[row["category"]],
            unit=world.units[row["unit"]],
        )
    return unused


@pytest.fixture
def history(dispatch_org: Dispatch, supervisor: Person) -> list[dict[str, Any]]:
    """Forty triaged opinions, ten for each pair: enough (the default minimum is 30)."""
    return build_history(dispatch_org, supervisor, per_class=10)
