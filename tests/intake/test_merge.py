"""Merging opinions keeps every raiser informed and lets every raiser rate the fix."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.core import clock
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Rating, Verdict
from taizhang.org.models import Person
from taizhang.search.models import SearchEntry
from tests.conftest import Org
from tests.factories import jpeg_upload, make_category, make_opinion

pytestmark = pytest.mark.django_db


def draft(units: Org) -> ledger.ProblemDraft:
    return ledger.ProblemDraft(
        title="修复生活区路灯",
        category=make_category(),
        lead_unit=units.plant,
        deadline=clock.today() + dt.timedelta(days=30),
    )


def test_duplicates_of_a_duplicate_follow_it_onto_the_problem(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    main = make_opinion(user=employee, unit=units.plant, text="生活区路灯不亮")
    problem = intake.opinion_triage(user=supervisor, opinion_id=main.pk, draft=draft(units))
    second = make_opinion(user=outsider, unit=units.plant, text="晚上路太黑，灯坏了")
    third = make_opinion(user=None, unit=units.plant, text="路灯坏了", anonymous=True)
    intake.opinion_merge(user=supervisor, opinion_id=third.pk, into_id=second.pk)  # second is not triaged
    intake.opinion_merge(user=supervisor, opinion_id=second.pk, into_id=main.pk)  # … now it is, with third
    third.refresh_from_db()
    assert (third.problem_id, third.merged_into_id, third.state) == (problem.pk, main.pk, "merged")
    assert ledger.raiser_count(problem) == 3


def test_every_raiser_of_merged_opinions_rates_the_fix(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person, outsider: Person
) -> None:
    main = make_opinion(user=employee, unit=units.plant, text="生活区路灯不亮")
    named = make_opinion(user=outsider, unit=units.plant, text="晚上路太黑，灯坏了")
    anonymous = make_opinion(user=None, unit=units.plant, text="路灯坏了", anonymous=True)
    intake.opinion_merge(user=supervisor, opinion_id=named.pk, into_id=main.pk)
    intake.opinion_merge(user=supervisor, opinion_id=anonymous.pk, into_id=main.pk)
    problem = intake.opinion_triage(user=supervisor, opinion_id=main.pk, draft=draft(units))
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note="全部修好", evidence=[jpeg_upload("after.jpg")]
    )
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=outsider, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    ledger.problem_rate(
        user=None,
        problem_id=problem.pk,
        verdict=Verdict.BASICALLY_SATISFIED,
        receipt_code=anonymous.receipt_code,
    )
    assert set(Rating.objects.filter(problem=problem).values_list("opinion", flat=True)) == {
        named.pk,
        anonymous.pk,
    }


def test_an_answer_reaches_the_raisers_of_the_duplicates(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    main = make_opinion(user=employee, unit=units.plant, text="希望食堂延长开放时间")
    duplicate = make_opinion(user=outsider, unit=units.plant, text="食堂能不能晚点关门")
    intake.opinion_merge(user=supervisor, opinion_id=duplicate.pk, into_id=main.pk)
    intake.opinion_answer(user=supervisor, opinion_id=main.pk, response="自下月起食堂延长至晚九点")
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.response) == (Opinion.State.ANSWERED, "自下月起食堂延长至晚九点")
    assert duplicate.responded_by == supervisor


def test_duplicates_of_a_withdrawn_opinion_go_back_to_the_desk(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    main = make_opinion(user=employee, unit=units.plant, text="澡堂热水不够")
    duplicate = make_opinion(user=outsider, unit=units.plant, text="洗澡没有热水")
    intake.opinion_merge(user=supervisor, opinion_id=duplicate.pk, into_id=main.pk)
    assert not SearchEntry.objects.get(opinion=duplicate).is_open
    intake.opinion_withdraw(user=employee, opinion_id=main.pk)
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into_id) == (Opinion.State.NEW, None)
    assert SearchEntry.objects.get(opinion=duplicate).is_open  # suggested again on the desk
