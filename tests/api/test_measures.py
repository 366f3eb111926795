"""The measures endpoint: the one measures module's figures, for the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_problem

pytestmark = pytest.mark.django_db


def test_the_endpoint_gives_the_measures_of_the_callers_scope(
    units: Org, as_client: Any, supervisor: Person, outsider: Person
) -> None:
    with clock.frozen_at(dt.datetime(2014, 3, 3, 9, tzinfo=dt.UTC)):
        make_problem(supervisor=supervisor, lead_unit=units.plant, deadline=dt.date(2014, 3, 20))
        sibling = make_problem(supervisor=supervisor, lead_unit=units.sibling, deadline=dt.date(2014, 3, 20))
        ledger.problem_cancel(user=supervisor, problem_id=sibling.pk, reason="重复")
    mine = as_client(supervisor).get(f"measures?unit={units.plant.pk}&start=2014-03-01&end=2014-03-31").json()
    assert mine["measures"]["count_problems_listed"] == 1
    assert mine["measures"]["count_problems_overdue"] == 1
    assert mine["measures"]["resolution_rate"] == 0.0
    everything = as_client(supervisor).get("measures?start=2014-03-01&end=2014-03-31").json()
    assert everything["measures"]["count_problems_listed"] == 2
    theirs = as_client(outsider).get("measures?start=2014-03-01&end=2014-03-31").json()
    assert theirs["measures"]["count_problems_listed"] == 1  # their own unit only
    assert as_client(outsider).get(f"measures?unit={units.plant.pk}").status_code == 403
    assert as_client(outsider).get("measures?start=2014-12-31&end=2014-01-01").status_code == 400


def test_measures_are_for_staff(units: Org, as_client: Any, employee: Person) -> None:
    assert as_client(employee).get("measures").status_code == 403
