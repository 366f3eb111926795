from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from taizhang.core import hooks
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_opinion, make_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen() -> Iterator[dict[str, list[Any]]]:
    record: dict[str, list[Any]] = {"event_recorded": [], "problem_saved": [], "opinion_saved": []}
    subscribers = {name: record[name].append for name in record}
    for name, subscriber in subscribers.items():
        hooks.subscribe(name, subscriber)
    yield record
    for name, subscriber in subscribers.items():
        hooks.unsubscribe(name, subscriber)


def test_subscribers_hear_of_every_write(
    seen: dict[str, list[Any]], units: Org, supervisor: Person, handler: Person, employee: Person
) -> None:
    opinion = make_opinion(user=employee, unit=units.plant)
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    assert seen["opinion_saved"] == [opinion]
    assert [e.kind for e in seen["event_recorded"]] == ["problem.created", "problem.started"]
    assert [p.pk for p in seen["problem_saved"]] == [problem.pk, problem.pk]


def test_unknown_hooks_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown hook"):
        hooks.subscribe("problem_deleted", print)
