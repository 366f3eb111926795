"""Default deadlines from the category at the triage desk (calendar or working days), and the problem's
working-day setting taken from its category."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.core.errors import DomainError
from taizhang.intake import services as intake
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from taizhang.supervision.services import default_deadline, extension_request, fill_default_deadline
from tests.conftest import Org
from tests.factories import make_category, make_opinion, make_problem
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db


def test_triage_fills_the_deadline_from_the_category_in_working_days(
    units: Org, supervisor: Person, employee: Person
) -> None:
    category = make_category(deadline_days=5, working_days=True)
    with on(dt.date(2025, 9, 26)):  # the Friday before National Day
        problem = intake.opinion_triage(
            user=supervisor,
            opinion_id=make_opinion(user=employee, unit=units.plant).pk,
            draft=ledger.ProblemDraft(title="浴室热水不足", category=category, lead_unit=units.plant),
        )
    # 28, 29, 30 September, 9 and 10 October
    assert problem.deadline == dt.date(2025, 10, 10)
    assert problem.working_days is True
    assert problem.events.get(kind="problem.created").payload["deadline"] == "2025-10-10"


def test_triage_keeps_an_explicit_deadline_and_long_term_items(
    units: Org, supervisor: Person, employee: Person
) -> None:
    category = make_category(deadline_days=5)
    with on(dt.date(2025, 9, 26)):
        explicit = intake.opinion_triage(
            user=supervisor,
            opinion_id=make_opinion(user=employee, unit=units.plant).pk,
            draft=ledger.ProblemDraft(
                title="a", category=category, lead_unit=units.plant, deadline=dt.date(2025, 12, 1)
            ),
        )
        long_term = intake.opinion_triage(
            user=supervisor,
            opinion_id=make_opinion(user=employee, unit=units.plant).pk,
            draft=ledger.ProblemDraft(title="b", category=category, lead_unit=units.plant, is_long_term=True),
        )
        calendar = intake.opinion_triage(
            user=supervisor,
            opinion_id=make_opinion(user=employee, unit=units.plant).pk,
            draft=ledger.ProblemDraft(title="c", category=category, lead_unit=units.plant),
        )
    assert explicit.deadline == dt.date(2025, 12, 1)
    assert long_term.deadline is None
    assert calendar.deadline == dt.date(2025, 10, 1)  # calendar days count the holiday
    draft = ledger.ProblemDraft(title="d", category=category, lead_unit=units.plant, working_days=True)
    assert fill_default_deadline(draft, today=dt.date(2025, 9, 26)).deadline == dt.date(2025, 10, 10)
    assert default_deadline(category, dt.date(2025, 9, 26)) == dt.date(2025, 10, 1)


def test_a_default_deadline_beyond_the_calendar_is_refused_clearly_and_nothing_is_created(
    units: Org, supervisor: Person, employee: Person
) -> None:
    from taizhang.intake.models import Opinion
    from taizhang.supervision.workdays import coverage

    last = coverage()[1]
    opinion = make_opinion(user=employee, unit=units.plant)
    with on(dt.date(last.year, 12, 20)), pytest.raises(DomainError) as refused:
        intake.opinion_triage(
            user=supervisor,
            opinion_id=opinion.pk,
            draft=ledger.ProblemDraft(
                title="x", category=make_category(deadline_days=30, working_days=True), lead_unit=units.plant
            ),
        )
    assert refused.value.code == "calendar_not_covered"
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.NEW and opinion.problem is None


def test_an_extension_by_days_needs_a_reason_and_one_way_of_saying_when(
    units: Org, supervisor: Person, handler: Person
) -> None:
    with on(dt.date(2025, 3, 3)):
        problem = make_problem(supervisor=supervisor, lead_unit=units.plant, deadline=dt.date(2025, 3, 10))
        with pytest.raises(DomainError):
            extension_request(user=handler, problem_id=problem.pk, reason="r")
        with pytest.raises(DomainError):
            extension_request(
                user=handler, problem_id=problem.pk, reason="r", days=2, new_deadline=dt.date(2025, 4, 1)
            )
        with pytest.raises(DomainError):
            extension_request(user=handler, problem_id=problem.pk, reason="r", days=0)
        with pytest.raises(DomainError) as no_reason:
            extension_request(user=handler, problem_id=problem.pk, reason=" ", days=3)
        assert no_reason.value.code == "reason_given"
        extension = extension_request(user=handler, problem_id=problem.pk, reason="雨季", days=3)
    assert extension.new_deadline == dt.date(2025, 3, 13)  # calendar days for this item
