"""Opinions from every channel, and the triage desk's decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput, NotFound, NotPermitted
from taizhang.dispatch.models import Suggestion
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Opinion, Place, format_receipt
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Event
from taizhang.org.models import Person
from taizhang.search.models import SearchEntry
from tests.conftest import Org
from tests.factories import make_category, make_opinion, make_problem

pytestmark = pytest.mark.django_db


def draft(units: Org) -> ledger.ProblemDraft:
    return ledger.ProblemDraft(
        title="热水不够用",
        category=make_category(),
        lead_unit=units.plant,
        deadline=clock.today() + dt.timedelta(days=20),
    )


def test_a_named_opinion_gets_a_receipt_code_and_keeps_its_submitter(units: Org, employee: Person) -> None:
    opinion = make_opinion(user=employee, unit=units.workshop, text="  13号大圆仓吃水不方便  ")
    assert opinion.text == "13号大圆仓吃水不方便"
    assert opinion.submitter == employee and opinion.state == Opinion.State.NEW
    assert len(opinion.receipt_code) == 10 and opinion.receipt_display.count("-") == 1
    assert intake.opinion_by_receipt(opinion.receipt_display.lower().replace("-", " ")) == opinion


def test_an_anonymous_opinion_stores_nothing_of_its_submitter(units: Org, employee: Person) -> None:
    opinion = make_opinion(user=employee, unit=units.workshop, anonymous=True)
    assert opinion.submitter is None and opinion.contact_name == "" and opinion.is_anonymous
    with pytest.raises(InvalidInput) as refused:
        make_opinion(user=None, unit=units.workshop, anonymous=True, contact_phone="13800000000")
    assert "contact_name" in refused.value.errors


def test_the_database_refuses_an_anonymous_opinion_with_a_name(units: Org, employee: Person) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(
            receipt_code="ABCDEFGHJK",
            text="x",
            unit=units.plant,
            is_anonymous=True,
            submitter=employee,
            created_at=clock.now(),
        )


def test_bad_input_is_refused_field_by_field(units: Org) -> None:
    with pytest.raises(InvalidInput) as refused:
        intake.opinion_submit(
            user=None, data=intake.OpinionInput(text=" ", latitude=Decimal(95), unit=units.plant)
        )
    assert set(refused.value.errors) == {"text", "latitude"}
    with pytest.raises(InvalidInput):
        intake.opinion_submit(user=None, data=intake.OpinionInput(text="x" * 4001, unit=units.plant))
    assert Opinion.objects.count() == 0


def test_the_same_idempotency_key_creates_one_opinion(units: Org) -> None:
    data = intake.OpinionInput(text="停车位太少", unit=units.plant, channel=Channel.API)
    first = intake.opinion_submit(user=None, data=data, idempotency_key="retry-1")
    second = intake.opinion_submit(user=None, data=data, idempotency_key="retry-1")
    assert first.pk == second.pk and Opinion.objects.count() == 1


def test_a_receipt_code_already_issued_is_replaced_without_the_person_noticing(
    units: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = make_opinion(user=None, unit=units.plant, anonymous=True)
    codes = iter([taken.receipt_code, taken.receipt_code, "HJKMNPQRST"])
    monkeypatch.setattr(intake, "new_receipt_code", lambda: next(codes))
    opinion = make_opinion(user=None, unit=units.plant, text="食堂的饭菜太咸", anonymous=True)
    assert opinion.receipt_code == "HJKMNPQRST"
    assert Opinion.objects.get(receipt_code="HJKMNPQRST").text == "食堂的饭菜太咸"
    # the clashes wrote nothing and the transaction went on: one search entry, one suggestion, for the new one
    assert SearchEntry.objects.filter(opinion=opinion).count() == 1
    assert Suggestion.objects.filter(opinion=opinion).count() == 1
    assert Opinion.objects.count() == 2


def test_when_no_fresh_receipt_code_comes_the_submission_is_refused(
    units: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = make_opinion(user=None, unit=units.plant, anonymous=True)
    monkeypatch.setattr(intake, "new_receipt_code", lambda: taken.receipt_code)
    with pytest.raises(DomainError) as refused:
        make_opinion(user=None, unit=units.plant, text="食堂的饭菜太咸")
    assert refused.value.code == "receipt_code_exhausted"
    assert Opinion.objects.count() == 1


def test_a_retry_the_caller_did_not_catch_is_caught_by_the_keys_index(units: Org) -> None:
    """The API checks the key itself (key_checked): a concurrent retry gets past that check and must still
    get the first opinion back, not a second one."""
    data = intake.OpinionInput(text="停车位太少", unit=units.plant, channel=Channel.API)
    first = intake.opinion_submit(user=None, data=data, idempotency_key="retry-2")
    again = intake.opinion_submit(user=None, data=data, idempotency_key="retry-2", key_checked=True)
    assert again.pk == first.pk and Opinion.objects.count() == 1
    assert SearchEntry.objects.count() == 1 and Suggestion.objects.count() == 1


def test_a_submission_reads_nothing_a_new_row_cannot_have_and_needs_no_savepoint(
    units: Org, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20) as run:
        opinion = make_opinion(user=None, unit=units.plant, anonymous=True)
    statements = [q["sql"] for q in run.captured_queries]
    # the service's own transaction (a savepoint inside the test's) and none more
    assert len([s for s in statements if s.startswith("SAVEPOINT")]) == 1
    assert not [s for s in statements if s.startswith("SELECT") and "intake_opinionaddition" in s]
    assert not [s for s in statements if s.startswith("SELECT") and "dispatch_suggestion" in s]
    # and what those reads were for is still written
    assert SearchEntry.objects.filter(opinion=opinion).exists()
    assert Suggestion.objects.filter(opinion=opinion).exists()


def test_an_opinion_without_a_unit_goes_to_the_place_or_the_organisation(
    units: Org, employee: Person
) -> None:
    place = Place.objects.create(name="3号澡堂", code="bath-3", unit=units.workshop)
    at_place = intake.opinion_submit(user=employee, data=intake.OpinionInput(text="淋浴坏了", place=place))
    assert (at_place.unit, at_place.place_text) == (units.workshop, "3号澡堂")
    nowhere = intake.opinion_submit(user=employee, data=intake.OpinionInput(text="食堂太贵"))
    assert nowhere.unit == units.root


def test_triage_turns_an_opinion_into_a_problem_whose_raiser_is_the_submitter(
    units: Org, supervisor: Person, employee: Person
) -> None:
    opinion = make_opinion(user=employee, unit=units.plant)
    problem = intake.opinion_triage(user=supervisor, opinion_id=opinion.pk, draft=draft(units))
    opinion.refresh_from_db()
    assert (opinion.state, opinion.problem) == (Opinion.State.TRIAGED, problem)
    assert opinion.responded_at is not None
    attached = problem.events.get(kind="problem.opinion_attached")
    assert attached.payload == {"opinion": opinion.pk, "channel": "web"}
    with pytest.raises(DomainError) as twice:
        intake.opinion_triage(user=supervisor, opinion_id=opinion.pk, draft=draft(units))
    assert twice.value.code == "already_handled"


def test_only_supervisors_over_the_unit_triage(
    units: Org, handler: Person, outsider: Person, employee: Person
) -> None:
    opinion = make_opinion(user=employee, unit=units.plant)
    for person in (handler, outsider, employee):
        with pytest.raises(NotFound):
            intake.opinion_answer(user=person, opinion_id=opinion.pk, response="已答复")


def test_answer_and_decline_need_a_text_the_submitter_reads(
    units: Org, supervisor: Person, employee: Person
) -> None:
    first = make_opinion(user=employee, unit=units.plant)
    with pytest.raises(InvalidInput):
        intake.opinion_decline(user=supervisor, opinion_id=first.pk, reason=" ")
    declined = intake.opinion_decline(user=supervisor, opinion_id=first.pk, reason="不属于本次活动范围")
    assert (declined.state, declined.response) == (Opinion.State.DECLINED, "不属于本次活动范围")
    second = make_opinion(user=employee, unit=units.plant)
    answered = intake.opinion_answer(user=supervisor, opinion_id=second.pk, response="已有规定，按规定执行")
    assert answered.state == Opinion.State.ANSWERED


def test_merged_duplicates_follow_their_opinion_onto_the_problem(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    main = make_opinion(user=employee, unit=units.plant, text="生活区路灯不亮")
    duplicate = make_opinion(user=outsider, unit=units.plant, text="晚上路太黑，灯坏了")
    anonymous = make_opinion(user=None, unit=units.plant, text="路灯坏了", anonymous=True)
    intake.opinion_merge(user=supervisor, opinion_id=duplicate.pk, into_id=main.pk)
    problem = intake.opinion_triage(user=supervisor, opinion_id=main.pk, draft=draft(units))
    intake.opinion_merge(user=supervisor, opinion_id=anonymous.pk, into_id=duplicate.pk)  # follows to main
    states = dict(problem.opinions.values_list("pk", "state"))
    assert states == {main.pk: "triaged", duplicate.pk: "merged", anonymous.pk: "merged"}
    assert ledger.raiser_count(problem) == 3
    assert problem.events.filter(kind="problem.opinion_attached").count() == 3
    with pytest.raises(InvalidInput):
        intake.opinion_merge(user=supervisor, opinion_id=main.pk, into_id=main.pk)


def test_attach_to_an_open_problem_only(units: Org, supervisor: Person, employee: Person) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    ledger.problem_cancel(user=supervisor, problem_id=problem.pk, reason="重复")
    opinion = make_opinion(user=employee, unit=units.plant)
    with pytest.raises(DomainError) as refused:
        intake.opinion_attach(user=supervisor, opinion_id=opinion.pk, problem_id=problem.pk)
    assert refused.value.code == "problem_not_active"


def test_withdraw_before_triage_only(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    mine = make_opinion(user=employee, unit=units.plant)
    with pytest.raises(NotFound):
        intake.opinion_withdraw(user=outsider, opinion_id=mine.pk)
    assert intake.opinion_withdraw(user=employee, opinion_id=mine.pk).state == Opinion.State.WITHDRAWN
    anonymous = make_opinion(user=None, unit=units.plant, anonymous=True)
    intake.opinion_triage(user=supervisor, opinion_id=anonymous.pk, draft=draft(units))
    with pytest.raises(DomainError) as late:
        intake.opinion_withdraw(user=None, receipt_code=format_receipt(anonymous.receipt_code))
    assert late.value.code == "already_handled"
    with pytest.raises(NotFound):
        intake.opinion_withdraw(user=None, receipt_code="NOPE")


def test_me_too_makes_a_raiser_once(units: Org, supervisor: Person, employee: Person) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    intake.opinion_me_too(user=employee, problem_id=problem.pk)
    with pytest.raises(DomainError):
        intake.opinion_me_too(user=employee, problem_id=problem.pk)
    anonymous = intake.opinion_me_too(user=None, problem_id=problem.pk, anonymous=True)
    assert anonymous.submitter is None and anonymous.receipt_code
    with pytest.raises(NotPermitted):
        intake.opinion_me_too(user=None, problem_id=problem.pk)
    assert ledger.raiser_count(problem) == 2
    joined = Event.objects.filter(problem=problem, kind="problem.raiser_joined")
    assert joined.count() == 2 and set(joined.values_list("actor", flat=True)) == {None}
    ledger.problem_cancel(user=supervisor, problem_id=problem.pk, reason="x")
    with pytest.raises(DomainError):
        intake.opinion_me_too(user=supervisor, problem_id=problem.pk)
