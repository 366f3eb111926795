"""The ledger list's scale measures (docs/scale.md): the capped count and the scope by unit ids."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import LedgerFilter, problem_list
from taizhang.ledger.views import CappedPaginator
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_problem

pytestmark = pytest.mark.django_db


def test_the_count_stops_at_the_cap_and_says_so(
    units: Org, supervisor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        make_problem(supervisor=supervisor, lead_unit=units.plant)
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 3)
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("ledger:ledger"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "≥ 3 items" in page
    monkeypatch.setattr(CappedPaginator, "COUNT_CAP", 10)
    page = client.get(reverse("ledger:ledger"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "≥" not in page and "4 items" in page


def test_the_scope_is_the_same_whether_or_not_it_covers_every_unit(
    units: Org, supervisor: Person, handler: Person, outsider: Person
) -> None:
    plant = make_problem(supervisor=supervisor, lead_unit=units.plant)
    workshop = make_problem(supervisor=supervisor, lead_unit=units.workshop)
    sibling = make_problem(supervisor=supervisor, lead_unit=units.sibling)
    # The supervisor's subtree is the whole enterprise: no filter, every problem.
    assert set(problem_list(supervisor, LedgerFilter())) == set(Problem.objects.all())
    # The plant's handler: the plant and its workshop, not the sibling plant.
    assert set(problem_list(handler, LedgerFilter())) == {plant, workshop}
    assert set(problem_list(outsider, LedgerFilter())) == {sibling}
