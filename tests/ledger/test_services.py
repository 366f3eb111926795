"""The ledger services against a real database, with the personas of tests/conftest.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from PIL import Image

from taizhang.core import clock
from taizhang.core.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted
from taizhang.intake import services as intake
from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import DeadlineExtension, Event, Problem, Rating, Verdict
from taizhang.ledger.workflow import State
from taizhang.org import services as org
from taizhang.org.models import Person, Role
from tests.conftest import Org
from tests.factories import jpeg_upload, make_category, make_problem, raised_problem

pytestmark = pytest.mark.django_db


def later(days: float) -> Any:
    return clock.frozen_at(clock.now() + dt.timedelta(days=days))


def kinds(problem: Problem) -> list[str]:
    return list(problem.events.order_by("seq").values_list("kind", flat=True))


@pytest.fixture
def lamp(units: Org, supervisor: Person, employee: Person) -> tuple[Problem, Any]:
    return raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant, target_quantity=10)


def work_to_review(problem: Problem, handler: Person, **closeout: Any) -> Problem:
    ledger.problem_start(user=handler, problem_id=problem.pk)
    return ledger.problem_request_closeout(
        user=handler,
        problem_id=problem.pk,
        completion_note="全部修好",
        done_quantity=10,
        evidence=closeout.pop("evidence", [jpeg_upload("after.jpg")]),
        **closeout,
    )


def test_the_whole_loop_closes_an_item_and_records_every_step(
    lamp: tuple[Problem, Any], handler: Person, leader: Person, supervisor: Person, employee: Person
) -> None:
    problem, _opinion = lamp
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    rating = ledger.problem_rate(
        user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED, comment="灯亮了"
    )
    closed = ledger.problem_verify(user=supervisor, problem_id=problem.pk)

    assert closed.state == State.CLOSED and closed.closed_at is not None
    assert closed.done_quantity == 10
    assert rating.round == 1
    assert kinds(closed) == [
        "problem.created",
        "problem.opinion_attached",
        "problem.started",
        "problem.closeout_requested",
        "problem.signed",
        "problem.rated",
        "problem.verified",
    ]
    verified = closed.events.get(kind="problem.verified")
    assert (verified.from_state, verified.to_state, verified.actor, verified.actor_role) == (
        "review",
        "closed",
        supervisor,
        "supervisor",
    )
    assert verified.payload["ratings"]["satisfied"] == 1
    assert list(verify_chains()) == []


def test_every_write_raises_the_version(lamp: tuple[Problem, Any], handler: Person) -> None:
    problem, _ = lamp
    before = Problem.objects.get(pk=problem.pk).version
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_record_progress(user=handler, problem_id=problem.pk, note="修了3盏", done_quantity=3)
    assert Problem.objects.get(pk=problem.pk).version == before + 2


@pytest.mark.parametrize("persona", ["employee", "outsider", "supervisor", "admin_user"])
def test_only_the_units_people_may_start_work(
    lamp: tuple[Problem, Any], persona: str, request: pytest.FixtureRequest
) -> None:
    problem, _ = lamp
    person: Person = request.getfixturevalue(persona)
    with pytest.raises(NotPermitted):
        ledger.problem_start(user=person, problem_id=problem.pk)
    assert Problem.objects.get(pk=problem.pk).state == State.OPEN
    assert kinds(problem)[-1] == "problem.opinion_attached"


def test_anonymous_visitors_cannot_act(lamp: tuple[Problem, Any]) -> None:
    with pytest.raises(NotPermitted):
        ledger.problem_start(user=None, problem_id=lamp[0].pk)


def test_close_out_needs_a_note_and_evidence(lamp: tuple[Problem, Any], handler: Person) -> None:
    problem, _ = lamp
    ledger.problem_start(user=handler, problem_id=problem.pk)
    with pytest.raises(DomainError) as no_note:
        ledger.problem_request_closeout(
            user=handler, problem_id=problem.pk, completion_note=" ", evidence=[jpeg_upload()]
        )
    assert no_note.value.code == "completion_note_given"
    with pytest.raises(DomainError) as no_evidence:
        ledger.problem_request_closeout(user=handler, problem_id=problem.pk, completion_note="修好了")
    assert no_evidence.value.code == "evidence_attached"
    assert "evidence" in str(no_evidence.value).lower() or "证" in str(no_evidence.value)
    problem.refresh_from_db()
    assert problem.state == State.IN_PROGRESS and problem.evidence.count() == 0


def test_a_category_may_waive_evidence(units: Org, supervisor: Person, handler: Person) -> None:
    problem = make_problem(
        supervisor=supervisor, lead_unit=units.plant, category=make_category(evidence_required=False)
    )
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(user=handler, problem_id=problem.pk, completion_note="会议已精简")
    assert Problem.objects.get(pk=problem.pk).state == State.REVIEW


def test_the_requester_cannot_sign_their_own_request(
    lamp: tuple[Problem, Any], leader: Person, leader2: Person
) -> None:
    problem, _ = lamp
    work_to_review(problem, leader)
    with pytest.raises(DomainError) as refused:
        ledger.problem_sign(user=leader, problem_id=problem.pk)
    assert refused.value.code == "signer_is_not_requester"
    ledger.problem_sign(user=leader2, problem_id=problem.pk)
    with pytest.raises(DomainError) as twice:
        ledger.problem_sign(user=leader2, problem_id=problem.pk)
    assert twice.value.code == "not_signed"


def test_verification_needs_the_signature(
    lamp: tuple[Problem, Any], handler: Person, supervisor: Person
) -> None:
    problem, _ = lamp
    work_to_review(problem, handler)
    with pytest.raises(DomainError) as refused:
        ledger.problem_verify(user=supervisor, problem_id=problem.pk)
    assert refused.value.code == "signed"


def test_a_supervisor_inside_the_unit_cannot_verify(
    units: Org, lamp: tuple[Problem, Any], handler: Person, leader: Person
) -> None:
    problem, _ = lamp
    insider = org.person_create(username="insider", name="内部督导", unit=units.workshop, password="x" * 12)
    org.role_grant(person=insider, role=Role.SUPERVISOR, unit=units.root)
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    with pytest.raises(DomainError) as refused:
        ledger.problem_verify(user=insider, problem_id=problem.pk)
    assert refused.value.code == "verifier_outside_unit"


def test_verification_waits_for_the_raisers_then_the_window(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person, outsider: Person
) -> None:
    problem, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    for _index in range(2):  # two more raisers, anonymous: three raisers in all
        other = intake.opinion_submit(
            user=None, data=intake.OpinionInput(text="路灯不亮", unit=units.plant, anonymous=True)
        )
        intake.opinion_attach(user=supervisor, opinion_id=other.pk, problem_id=problem.pk)
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    with pytest.raises(DomainError) as waiting:
        ledger.problem_verify(user=supervisor, problem_id=problem.pk)
    assert waiting.value.code == "ratings_allow"
    assert "1" in str(waiting.value) and "3" in str(waiting.value)
    with later(3.1):
        assert ledger.problem_verify(user=supervisor, problem_id=problem.pk).state == State.CLOSED


def test_unsatisfied_raisers_stop_verification(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person
) -> None:
    problem, opinion = raised_problem(supervisor=supervisor, raiser=None, unit=units.plant, anonymous=True)
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(
        user=None,
        problem_id=problem.pk,
        verdict=Verdict.UNSATISFIED,
        comment="还是黑的",
        receipt_code=opinion.receipt_display.lower(),
    )
    with later(5), pytest.raises(DomainError) as refused:
        ledger.problem_verify(user=supervisor, problem_id=problem.pk)
    assert refused.value.code == "raisers_not_unsatisfied"
    ledger.problem_reject(user=supervisor, problem_id=problem.pk, reason="群众不满意，继续整改")
    assert Problem.objects.get(pk=problem.pk).state == State.IN_PROGRESS


def test_an_anonymous_rating_records_no_one(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person
) -> None:
    problem, opinion = raised_problem(supervisor=supervisor, raiser=None, unit=units.plant, anonymous=True)
    work_to_review(problem, handler)
    # even when a signed-in person uses the code, the rating must not point at them
    ledger.problem_rate(
        user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED, receipt_code=opinion.receipt_code
    )
    event = problem.events.get(kind="problem.rated")
    assert event.actor is None and event.actor_role == "raiser"
    assert Rating.objects.get(problem=problem).opinion == opinion


def test_raisers_rate_once_per_round_and_others_not_at_all(
    lamp: tuple[Problem, Any], handler: Person, employee: Person, outsider: Person
) -> None:
    problem, _ = lamp
    work_to_review(problem, handler)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.BASICALLY_SATISFIED)
    with pytest.raises(DomainError) as twice:
        ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    assert twice.value.code == "not_rated_yet"
    with pytest.raises(NotPermitted):
        ledger.problem_rate(user=outsider, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    with pytest.raises(NotPermitted):
        ledger.problem_rate(
            user=None, problem_id=problem.pk, verdict=Verdict.SATISFIED, receipt_code="ABCDE-FGHJK"
        )
    with pytest.raises(InvalidInput):
        ledger.problem_rate(user=employee, problem_id=problem.pk, verdict="great")


def test_public_notice_objections_and_conclusion(
    settings: Any,
    lamp: tuple[Problem, Any],
    handler: Person,
    leader: Person,
    supervisor: Person,
    employee: Person,
) -> None:
    settings.TAIZHANG = dataclasses.replace(settings.TAIZHANG, notice_days=7)
    problem, opinion = lamp
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    assert ledger.problem_verify(user=supervisor, problem_id=problem.pk).state == State.NOTICE
    with pytest.raises(DomainError) as early:
        ledger.problem_conclude_notice(user=None, problem_id=problem.pk)
    assert early.value.code == "notice_period_over"
    ledger.problem_object(
        user=None, problem_id=problem.pk, reason="东区还有两盏不亮", receipt_code=opinion.receipt_code
    )
    with later(8), pytest.raises(DomainError) as pending:
        ledger.problem_conclude_notice(user=None, problem_id=problem.pk)
    assert pending.value.code == "no_pending_objection"
    ledger.problem_decide_objection(
        user=supervisor, problem_id=problem.pk, uphold=False, reason="已核实，均已修复"
    )
    with later(8):
        closed = ledger.problem_conclude_notice(user=None, problem_id=problem.pk)
    assert closed.state == State.CLOSED
    assert closed.events.get(kind="problem.closed").actor_role == "system"


def test_an_upheld_objection_sends_the_item_back_to_work(
    settings: Any,
    lamp: tuple[Problem, Any],
    handler: Person,
    leader: Person,
    supervisor: Person,
    employee: Person,
) -> None:
    settings.TAIZHANG = dataclasses.replace(settings.TAIZHANG, notice_days=7)
    problem, _ = lamp
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    with later(4):
        ledger.problem_verify(user=supervisor, problem_id=problem.pk)
        ledger.problem_object(user=employee, problem_id=problem.pk, reason="没修好")
        upheld = ledger.problem_decide_objection(
            user=supervisor, problem_id=problem.pk, uphold=True, reason="现场核实确未修复"
        )
    assert upheld.state == State.IN_PROGRESS and upheld.signed_at is None


def test_look_back_holds_or_reopens_and_counts(
    lamp: tuple[Problem, Any], handler: Person, leader: Person, supervisor: Person, employee: Person
) -> None:
    problem, _ = lamp
    work_to_review(problem, handler)
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    ledger.problem_verify(user=supervisor, problem_id=problem.pk)
    with pytest.raises(NotPermitted):
        ledger.problem_look_back(user=handler, problem_id=problem.pk, holds=True, note="好")
    held = ledger.problem_look_back(
        user=supervisor, problem_id=problem.pk, holds=True, note="回头看：保持良好"
    )
    assert held.state == State.CLOSED and held.reopen_count == 0
    with pytest.raises(DomainError):
        ledger.problem_look_back(user=supervisor, problem_id=problem.pk, holds=False, note=" ")
    reopened = ledger.problem_look_back(
        user=supervisor, problem_id=problem.pk, holds=False, note="回头看：又坏了三盏", photos=[jpeg_upload()]
    )
    assert reopened.state == State.IN_PROGRESS
    assert reopened.reopen_count == 1 and reopened.closed_at is None
    assert reopened.events.get(kind="problem.reopened").payload["cause"] == "regressed"
    # the second round: close out again, rated again
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note="更换了灯具", evidence=[jpeg_upload()]
    )
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    assert Rating.objects.filter(problem=problem).count() == 2


def test_returned_items_are_reassigned_by_supervisors(
    lamp: tuple[Problem, Any], handler: Person, supervisor: Person, units: Org, outsider: Person
) -> None:
    problem, _ = lamp
    with pytest.raises(DomainError) as no_reason:
        ledger.problem_return(user=handler, problem_id=problem.pk, reason="")
    assert no_reason.value.code == "reason_given"
    ledger.problem_return(user=handler, problem_id=problem.pk, reason="该路段归第二氧化铝厂管理")
    with pytest.raises(NotPermitted):
        ledger.problem_reassign(user=handler, problem_id=problem.pk, lead_unit=units.sibling)
    with pytest.raises(InvalidInput):
        ledger.problem_reassign(user=supervisor, problem_id=problem.pk, lead_unit=units.plant)
    moved = ledger.problem_reassign(user=supervisor, problem_id=problem.pk, lead_unit=units.sibling)
    assert (moved.state, moved.lead_unit) == (State.OPEN, units.sibling)
    ledger.problem_start(user=outsider, problem_id=problem.pk)  # now it is theirs
    with pytest.raises(NotPermitted):
        ledger.problem_record_progress(user=handler, problem_id=problem.pk, note="x")


def test_extensions_before_the_deadline_need_a_supervisor(
    lamp: tuple[Problem, Any], handler: Person, supervisor: Person
) -> None:
    problem, _ = lamp
    original = problem.deadline
    assert original is not None
    ledger.problem_start(user=handler, problem_id=problem.pk)
    with pytest.raises(DomainError) as not_later:
        ledger.problem_request_extension(
            user=handler, problem_id=problem.pk, new_deadline=original, reason="材料未到"
        )
    assert not_later.value.code == "new_deadline_later"
    extension = ledger.problem_request_extension(
        user=handler, problem_id=problem.pk, new_deadline=original + dt.timedelta(days=20), reason="材料未到"
    )
    with pytest.raises(DomainError) as second:
        ledger.problem_request_extension(
            user=handler, problem_id=problem.pk, new_deadline=original + dt.timedelta(days=9), reason="again"
        )
    assert second.value.code == "no_pending_extension"
    with pytest.raises(NotPermitted):
        ledger.problem_decide_extension(user=handler, problem_id=problem.pk, approve=True)
    approved = ledger.problem_decide_extension(
        user=supervisor, problem_id=problem.pk, approve=True, note="同意"
    )
    assert approved.deadline == original + dt.timedelta(days=20)
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.APPROVED and extension.decided_by == supervisor
    assert "problem.extension_approved" in kinds(approved)


def test_no_extension_after_the_deadline(
    lamp: tuple[Problem, Any], handler: Person, supervisor: Person
) -> None:
    problem, _ = lamp
    assert problem.deadline is not None
    with later(31), pytest.raises(DomainError) as late:
        ledger.problem_request_extension(
            user=handler,
            problem_id=problem.pk,
            new_deadline=problem.deadline + dt.timedelta(days=40),
            reason="晚了",
        )
    assert late.value.code == "before_deadline"
    ledger.problem_request_extension(
        user=handler,
        problem_id=problem.pk,
        new_deadline=problem.deadline + dt.timedelta(days=10),
        reason="材料未到",
    )
    rejected = ledger.problem_decide_extension(
        user=supervisor, problem_id=problem.pk, approve=False, note="按期完成"
    )
    assert rejected.deadline == problem.deadline


def test_long_term_items_close_in_stages(units: Org, supervisor: Person, handler: Person) -> None:
    parent = make_problem(
        supervisor=supervisor,
        lead_unit=units.plant,
        is_long_term=True,
        title="精简会议",
        category=make_category(evidence_required=False),
    )
    child = make_problem(
        supervisor=supervisor,
        lead_unit=units.plant,
        parent=parent,
        weight=2,
        category=parent.category,
        title="合并例会",
    )
    ledger.problem_start(user=handler, problem_id=parent.pk)
    with pytest.raises(DomainError) as refused:
        ledger.problem_request_closeout(user=handler, problem_id=parent.pk, completion_note="阶段完成")
    assert refused.value.code == "milestones_closed"
    with pytest.raises(DomainError) as no_deadline:
        ledger.problem_request_extension(
            user=handler, problem_id=parent.pk, new_deadline=clock.today() + dt.timedelta(days=9), reason="x"
        )
    assert no_deadline.value.code == "before_deadline"
    ledger.problem_cancel(user=supervisor, problem_id=child.pk, reason="并入其他事项")
    ledger.problem_request_closeout(user=handler, problem_id=parent.pk, completion_note="阶段完成")


def test_cancel_needs_a_reason_and_a_supervisor(
    lamp: tuple[Problem, Any], handler: Person, supervisor: Person
) -> None:
    problem, _ = lamp
    with pytest.raises(NotPermitted):
        ledger.problem_cancel(user=handler, problem_id=problem.pk, reason="不做了")
    with pytest.raises(DomainError):
        ledger.problem_cancel(user=supervisor, problem_id=problem.pk, reason="")
    cancelled = ledger.problem_cancel(user=supervisor, problem_id=problem.pk, reason="重复立项")
    assert cancelled.state == State.CANCELLED and cancelled.cancelled_at is not None
    with pytest.raises(DomainError) as after:
        ledger.problem_start(user=handler, problem_id=problem.pk)
    assert after.value.code == "wrong_state"


def test_edits_follow_the_actors_fields(
    lamp: tuple[Problem, Any], leader: Person, supervisor: Person, handler: Person
) -> None:
    problem, _ = lamp
    edited = ledger.problem_edit(
        user=leader,
        problem_id=problem.pk,
        version=problem.version,
        changes={"measures": "更换LED灯具", "target_quantity": 12},
    )
    assert (edited.measures, edited.target_quantity) == ("更换LED灯具", 12)
    assert edited.events.get(kind="problem.edited").payload["changes"]["target_quantity"] == [10, 12]
    with pytest.raises(NotPermitted):
        ledger.problem_edit(
            user=leader,
            problem_id=problem.pk,
            version=None,
            changes={"deadline": clock.today() + dt.timedelta(days=90)},
        )
    with pytest.raises(NotPermitted):
        ledger.problem_edit(user=handler, problem_id=problem.pk, version=None, changes={"measures": "x"})
    with pytest.raises(InvalidInput):
        ledger.problem_edit(user=supervisor, problem_id=problem.pk, version=None, changes={"state": "closed"})
    with pytest.raises(InvalidInput):
        ledger.problem_edit(user=supervisor, problem_id=problem.pk, version=None, changes={"deadline": None})
    problem.refresh_from_db()
    assert problem.deadline is not None and problem.state == State.OPEN


def test_the_second_writer_from_the_same_version_gets_a_conflict_and_writes_nothing(
    lamp: tuple[Problem, Any], leader: Person, supervisor: Person
) -> None:
    problem, _ = lamp
    seen = Problem.objects.get(pk=problem.pk).version
    ledger.problem_edit(user=leader, problem_id=problem.pk, version=seen, changes={"measures": "方案甲"})
    events_before = Event.objects.filter(problem=problem).count()
    with pytest.raises(Conflict) as conflict:
        ledger.problem_edit(
            user=supervisor,
            problem_id=problem.pk,
            version=seen,
            changes={"measures": "方案乙", "title": "改了标题"},
        )
    assert str(seen) in str(conflict.value)
    problem.refresh_from_db()
    assert (problem.measures, problem.title) == ("方案甲", "修复路灯")
    assert Event.objects.filter(problem=problem).count() == events_before
    assert problem.version == seen + 1


def test_a_failed_write_leaves_nothing_half_written(lamp: tuple[Problem, Any], handler: Person) -> None:
    problem, _ = lamp
    ledger.problem_start(user=handler, problem_id=problem.pk)
    before = Problem.objects.get(pk=problem.pk)
    lying = jpeg_upload("report.pdf")  # a JPEG that claims to be a PDF
    with pytest.raises(InvalidInput):
        ledger.problem_request_closeout(
            user=handler, problem_id=problem.pk, completion_note="好了", evidence=[lying]
        )
    after = Problem.objects.get(pk=problem.pk)
    assert (after.state, after.version, after.event_count) == (
        before.state,
        before.version,
        before.event_count,
    )


def test_evidence_photos_lose_their_gps_and_keep_their_hash_in_the_chain(
    lamp: tuple[Problem, Any], handler: Person
) -> None:
    problem, _ = lamp
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_record_progress(
        user=handler, problem_id=problem.pk, note="拍照", photos=[jpeg_upload(exif_gps=True)]
    )
    evidence = problem.evidence.get()
    with evidence.file.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    event = problem.events.get(kind="problem.progress")
    assert event.payload["evidence"][0]["sha256"] == evidence.sha256


def test_the_database_refuses_to_update_an_event(lamp: tuple[Problem, Any]) -> None:
    event = lamp[0].events.first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(note="改写历史")


def test_supports_are_one_per_person_and_undoable(
    lamp: tuple[Problem, Any], employee: Person, outsider: Person
) -> None:
    problem, _ = lamp
    ledger.problem_support(user=employee, problem_id=problem.pk, support=True)
    ledger.problem_support(user=employee, problem_id=problem.pk, support=True)
    ledger.problem_support(user=outsider, problem_id=problem.pk, support=True)
    assert Problem.objects.get(pk=problem.pk).support_count == 2
    ledger.problem_support(user=employee, problem_id=problem.pk, support=False)
    ledger.problem_support(user=employee, problem_id=problem.pk, support=False)
    assert Problem.objects.get(pk=problem.pk).support_count == 1
    with pytest.raises(NotPermitted):
        ledger.problem_support(user=None, problem_id=problem.pk, support=True)


def test_problem_codes_count_up_per_year(units: Org, supervisor: Person) -> None:
    with clock.frozen_at(dt.datetime(2014, 3, 1, tzinfo=dt.UTC)):
        first = make_problem(supervisor=supervisor, lead_unit=units.plant)
        second = make_problem(supervisor=supervisor, lead_unit=units.plant)
    assert (first.code, second.code) == ("ZG-2014-0001", "ZG-2014-0002")


def test_only_supervisors_over_the_unit_put_problems_on_the_list(units: Org, handler: Person) -> None:
    with pytest.raises(NotPermitted):
        make_problem(supervisor=handler, lead_unit=units.plant)
    with pytest.raises(NotFound):
        ledger.problem_start(user=handler, problem_id=987654)
