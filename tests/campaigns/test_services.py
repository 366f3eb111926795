"""Campaign services: who may write what, what a refusal leaves behind (nothing), and the links to intake and
the ledger."""

from __future__ import annotations

import pytest
from django.apps import apps

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    DocumentKind,
    ItemKind,
    Meeting,
    MeetingKind,
    Phase,
    Reflection,
    StudyKind,
    Visit,
    VisitOpinion,
)
from taizhang.core.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Opinion
from taizhang.intake.selectors import triage_queue
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.permissions import is_raiser
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.campaigns.conftest import close_out, days, no_evidence_category
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


# --- campaigns and phases -------------------------------------------------------------------------------


def test_a_campaign_is_created_with_its_phases_in_order(campaign: Campaign) -> None:
    phases = list(campaign.phases.values_list("order", "name"))
    assert phases == [(1, "学习教育、听取意见"), (2, "查摆问题、开展批评"), (3, "整改落实、建章立制")]


def test_overlapping_or_outlying_phases_are_refused_and_nothing_is_written(
    units: Org, admin_user: Person
) -> None:
    before = row_counts()
    with pytest.raises(InvalidInput) as refused:
        campaigns.campaign_create(
            user=admin_user,
            code="bad",
            name="活动",
            organiser=units.root,
            starts_on=days(-10),
            ends_on=days(10),
            phases=[
                campaigns.PhaseInput("一", days(-10), days(0)),
                campaigns.PhaseInput("二", days(0), days(5)),
                campaigns.PhaseInput("三", days(6), days(20)),
            ],
        )
    phase_errors = refused.value.errors["phases"]
    # Phase 2 starts on the day phase 1 ends; phase 3 runs past the campaign's end.
    assert len(phase_errors) == 2
    assert row_counts() == before


def test_only_administrators_set_up_campaigns(units: Org, supervisor: Person) -> None:
    with pytest.raises(NotPermitted):
        campaigns.campaign_create(
            user=supervisor,
            code="x",
            name="活动",
            organiser=units.root,
            starts_on=days(0),
            ends_on=None,
            phases=[],
        )
    assert not Campaign.objects.exists() and not Phase.objects.exists()


# --- contact points and visits --------------------------------------------------------------------------


def test_the_supervision_group_gives_leaders_contact_points(
    campaign: Campaign, units: Org, supervisor: Person, leader: Person, employee: Person, outsider: Person
) -> None:
    point = campaigns.contact_point_assign(
        user=supervisor, campaign_id=campaign.pk, leader=leader, unit=units.workshop
    )
    assert (point.leader, point.unit, point.created_by) == (leader, units.workshop, supervisor)
    with pytest.raises(InvalidInput) as twice:
        campaigns.contact_point_assign(
            user=supervisor, campaign_id=campaign.pk, leader=leader, unit=units.workshop
        )
    assert "unit" in twice.value.errors
    with pytest.raises(InvalidInput) as not_a_leader:
        campaigns.contact_point_assign(
            user=supervisor, campaign_id=campaign.pk, leader=employee, unit=units.workshop
        )
    assert "leader" in not_a_leader.value.errors
    with pytest.raises(NotPermitted):  # a leader of the sibling unit is not the supervision group
        campaigns.contact_point_assign(
            user=outsider, campaign_id=campaign.pk, leader=leader, unit=units.plant
        )
    assert ContactPoint.objects.count() == 1


def test_a_leader_records_a_visit_to_their_contact_point(point: ContactPoint, leader: Person) -> None:
    visit = campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(
            visited_on=days(-5), people_met=" 侯同义、马俊 ", raised="卸车岗位卫生间太少"
        ),
    )
    assert (visit.contact_point, visit.recorded_by, visit.people_met) == (point, leader, "侯同义、马俊")


def test_who_may_record_a_visit(
    point: ContactPoint, handler: Person, leader2: Person, supervisor: Person, outsider: Person
) -> None:
    data = campaigns.VisitInput(visited_on=days(-5), people_met="职工三人")
    with pytest.raises(NotPermitted):  # sees the contact point (works there) but it is not theirs
        campaigns.visit_record(user=handler, contact_point_id=point.pk, data=data)
    with pytest.raises(NotPermitted):  # another leader of the plant: not their contact point
        campaigns.visit_record(user=leader2, contact_point_id=point.pk, data=data)
    with pytest.raises(NotFound):  # the sibling unit does not even see it
        campaigns.visit_record(user=outsider, contact_point_id=point.pk, data=data)
    with pytest.raises(NotPermitted):
        campaigns.visit_record(user=None, contact_point_id=point.pk, data=data)
    assert (
        campaigns.visit_record(user=supervisor, contact_point_id=point.pk, data=data).recorded_by
        == supervisor
    )
    assert Visit.objects.count() == 1


@pytest.mark.parametrize(
    ("offset", "field"),
    [(1, "visited_on"), (-85, "visited_on"), (-200, "visited_on")],
    ids=["future", "before-the-contact-point", "before-the-campaign"],
)
def test_a_visit_date_must_be_possible(point: ContactPoint, leader: Person, offset: int, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        campaigns.visit_record(
            user=leader,
            contact_point_id=point.pk,
            data=campaigns.VisitInput(visited_on=days(offset), people_met="职工"),
        )
    assert field in refused.value.errors
    assert not Visit.objects.exists()


def test_whom_was_met_is_required(point: ContactPoint, leader: Person) -> None:
    with pytest.raises(InvalidInput) as refused:
        campaigns.visit_record(
            user=leader,
            contact_point_id=point.pk,
            data=campaigns.VisitInput(visited_on=days(-1), people_met=" "),
        )
    assert "people_met" in refused.value.errors


def test_an_opinion_entered_from_a_visit_goes_to_the_triage_desk_linked_to_the_visit(
    visit: Visit, leader: Person, supervisor: Person, units: Org
) -> None:
    opinion = campaigns.visit_opinion_add(
        user=leader,
        visit_id=visit.pk,
        data=campaigns.VisitOpinionInput(text="仓顶没有水，请安装供水管道", contact_name="李建民"),
    )
    assert opinion.channel == Channel.VISIT
    assert (opinion.submitter, opinion.contact_name, opinion.unit) == (None, "李建民", units.workshop)
    assert opinion.campaign_id == visit.contact_point.campaign_id
    assert opinion.visit_link.visit == visit
    assert opinion in triage_queue(supervisor)


def test_the_leader_who_enters_an_opinion_does_not_become_its_raiser(
    visit: Visit, leader: Person, supervisor: Person, units: Org
) -> None:
    opinion = campaigns.visit_opinion_add(
        user=leader,
        visit_id=visit.pk,
        data=campaigns.VisitOpinionInput(text="澡堂热水不够", contact_name="马俊"),
    )
    problem = intake.opinion_triage(
        user=supervisor,
        opinion_id=opinion.pk,
        draft=ledger.ProblemDraft(
            title="澡堂热水", category=no_evidence_category(), lead_unit=units.workshop, deadline=days(30)
        ),
    )
    assert not is_raiser(leader, problem)
    assert ledger.raiser_count(problem) == 1


def test_an_anonymous_opinion_from_a_visit_is_counted_not_linked(visit: Visit, leader: Person) -> None:
    opinion = campaigns.visit_opinion_add(
        user=leader,
        visit_id=visit.pk,
        data=campaigns.VisitOpinionInput(text="领导别只看材料", anonymous=True),
    )
    assert opinion.is_anonymous and opinion.submitter is None and opinion.contact_name == ""
    assert not VisitOpinion.objects.filter(opinion=opinion).exists()
    assert Visit.objects.get(pk=visit.pk).anonymous_opinions == 1
    with pytest.raises(InvalidInput):  # anonymous and named at once
        campaigns.visit_opinion_add(
            user=leader,
            visit_id=visit.pk,
            data=campaigns.VisitOpinionInput(text="领导别只看材料", anonymous=True, contact_name="某人"),
        )
    assert Visit.objects.get(pk=visit.pk).anonymous_opinions == 1


def test_a_repeated_submission_from_a_visit_creates_one_opinion_and_one_link(
    visit: Visit, leader: Person
) -> None:
    data = campaigns.VisitOpinionInput(text="路灯不亮", contact_name="白志刚")
    first = campaigns.visit_opinion_add(user=leader, visit_id=visit.pk, data=data, idempotency_key="k-1")
    again = campaigns.visit_opinion_add(user=leader, visit_id=visit.pk, data=data, idempotency_key="k-1")
    assert first.pk == again.pk
    assert Opinion.objects.count() == 1 and VisitOpinion.objects.count() == 1
    anonymous = campaigns.VisitOpinionInput(text="匿名意见", anonymous=True)
    campaigns.visit_opinion_add(user=leader, visit_id=visit.pk, data=anonymous, idempotency_key="k-2")
    campaigns.visit_opinion_add(user=leader, visit_id=visit.pk, data=anonymous, idempotency_key="k-2")
    assert Visit.objects.get(pk=visit.pk).anonymous_opinions == 1


def test_a_submission_key_of_another_channel_is_a_conflict(
    visit: Visit, leader: Person, employee: Person, units: Org
) -> None:
    intake.opinion_submit(
        user=employee, data=intake.OpinionInput(text="网上提的意见", unit=units.workshop), idempotency_key="k"
    )
    with pytest.raises(Conflict):
        campaigns.visit_opinion_add(
            user=leader,
            visit_id=visit.pk,
            data=campaigns.VisitOpinionInput(text="走访意见", contact_name="某人"),
            idempotency_key="k",
        )
    assert not VisitOpinion.objects.exists()


def test_only_who_may_record_the_visit_adds_opinions_to_it(
    visit: Visit, handler: Person, outsider: Person
) -> None:
    data = campaigns.VisitOpinionInput(text="意见", contact_name="某人")
    with pytest.raises(NotPermitted):
        campaigns.visit_opinion_add(user=handler, visit_id=visit.pk, data=data)
    with pytest.raises(NotFound):
        campaigns.visit_opinion_add(user=outsider, visit_id=visit.pk, data=data)
    assert not Opinion.objects.exists()


# --- study ----------------------------------------------------------------------------------------------


def test_a_study_session_is_recorded_with_who_attended(
    campaign: Campaign, units: Org, handler: Person, leader: Person, employee: Person
) -> None:
    session = campaigns.study_session_record(
        user=handler,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant,
            kind=StudyKind.FILM,
            topic="观看电影《焦裕禄》",
            held_on=days(-70),
            attendees=(leader, employee),
        ),
    )
    assert set(session.attendees.all()) == {leader, employee}
    with pytest.raises(NotPermitted):
        campaigns.study_session_record(
            user=employee,
            campaign_id=campaign.pk,
            data=campaigns.StudyInput(unit=units.plant, kind=StudyKind.SELF, topic="自学", held_on=days(-1)),
        )
    with pytest.raises(InvalidInput) as unknown:
        campaigns.study_session_record(
            user=handler,
            campaign_id=campaign.pk,
            data=campaigns.StudyInput(unit=units.plant, kind="party", topic="", held_on=days(-1)),
        )
    assert {"kind", "topic"} <= set(unknown.value.errors)


def test_members_write_their_own_reflections_counted_for_their_unit(
    campaign: Campaign, employee: Person, units: Org
) -> None:
    reflection = campaigns.reflection_write(
        user=employee,
        campaign_id=campaign.pk,
        title="学习体会",
        text="通过学习，进一步明白了“我是谁、为了谁、依靠谁”。",
    )
    assert (reflection.author, reflection.unit, reflection.written_on) == (employee, units.workshop, days(0))
    with pytest.raises(InvalidInput) as short:
        campaigns.reflection_write(user=employee, campaign_id=campaign.pk, title="体会", text="很好")
    assert "text" in short.value.errors
    with pytest.raises(NotPermitted):
        campaigns.reflection_write(
            user=None, campaign_id=campaign.pk, title="体会", text="通过学习深受教育。" * 3
        )
    assert Reflection.objects.count() == 1


def test_a_reflection_names_only_a_session_the_author_may_see(
    campaign: Campaign, units: Org, handler: Person, employee: Person, outsider: Person
) -> None:
    session = campaigns.study_session_record(
        user=handler,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant,
            kind=StudyKind.LECTURE,
            topic="八项规定",
            held_on=days(-3),
            attendees=(employee,),
        ),
    )
    mine = campaigns.reflection_write(
        user=employee,
        campaign_id=campaign.pk,
        title="八项规定",
        text="认识和执行的自觉性明显提升。",
        session_id=session.pk,
    )
    assert mine.session == session
    with pytest.raises(NotFound):
        campaigns.reflection_write(
            user=outsider,
            campaign_id=campaign.pk,
            title="体会",
            text="认识和执行的自觉性明显提升。",
            session_id=session.pk,
        )


# --- meetings -------------------------------------------------------------------------------------------


@pytest.fixture
def life_meeting(
    campaign: Campaign, units: Org, leader: Person, leader2: Person, supervisor: Person
) -> Meeting:
    return campaigns.meeting_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.MeetingInput(
            unit=units.plant,
            kind=MeetingKind.DEMOCRATIC_LIFE,
            title="第一氧化铝厂领导班子专题民主生活会",
            held_on=days(-20),
            attendees=(leader, leader2, supervisor),
            guests="中铝公司第三督导组",
            minutes="聚焦四风，开展批评与自我批评。",
        ),
    )


def test_a_meeting_is_recorded_with_attendees_and_minutes(life_meeting: Meeting, supervisor: Person) -> None:
    assert life_meeting.is_life_meeting
    assert supervisor in life_meeting.attendees.all()
    assert life_meeting.guests == "中铝公司第三督导组"


def test_ordinary_meetings_need_no_campaign_but_a_unit_in_charge(
    units: Org, handler: Person, outsider: Person
) -> None:
    data = campaigns.MeetingInput(
        unit=units.plant, kind=MeetingKind.DISPATCH, title="生产调度会", held_on=days(-400)
    )
    meeting = campaigns.meeting_record(user=handler, data=data)
    assert meeting.campaign is None
    with pytest.raises(NotPermitted):
        campaigns.meeting_record(user=outsider, data=data)
    assert Meeting.objects.count() == 1


def test_criticisms_and_self_criticisms_are_recorded_as_items(
    life_meeting: Meeting, leader: Person, leader2: Person, employee: Person
) -> None:
    own = campaigns.meeting_item_add(
        user=leader,
        meeting_id=life_meeting.pk,
        kind=ItemKind.SELF_CRITICISM,
        text="深入基层调研不够，听汇报多、到现场少",
        speaker=leader,
    )
    assert own.subject == leader
    other = campaigns.meeting_item_add(
        user=leader,
        meeting_id=life_meeting.pk,
        kind=ItemKind.CRITICISM,
        text="会议偏多偏长",
        speaker=leader2,
        subject=leader,
    )
    assert (other.speaker, other.subject) == (leader2, leader)
    with pytest.raises(InvalidInput) as nobody:
        campaigns.meeting_item_add(
            user=leader, meeting_id=life_meeting.pk, kind=ItemKind.CRITICISM, text="某事"
        )
    assert "speaker" in nobody.value.errors
    with pytest.raises(NotFound):  # the employee did not attend and holds no role: cannot see it
        campaigns.meeting_item_add(
            user=employee, meeting_id=life_meeting.pk, kind=ItemKind.SUGGESTION, text="建议", speaker=employee
        )
    assert life_meeting.items.count() == 2


def test_the_supervision_group_turns_an_item_into_a_problem_through_the_ledger(
    life_meeting: Meeting, leader: Person, supervisor: Person, units: Org
) -> None:
    item = campaigns.meeting_item_add(
        user=leader,
        meeting_id=life_meeting.pk,
        kind=ItemKind.SELF_CRITICISM,
        text="联系点走访后反馈不及时",
        speaker=leader,
    )
    draft = ledger.ProblemDraft(
        title="联系点走访后及时反馈",
        category=no_evidence_category(),
        lead_unit=units.plant,
        deadline=days(30),
    )
    with pytest.raises(NotPermitted):
        campaigns.meeting_item_to_problem(user=leader, item_id=item.pk, draft=draft)
    assert not Problem.objects.exists()
    problem = campaigns.meeting_item_to_problem(user=supervisor, item_id=item.pk, draft=draft)
    item.refresh_from_db()
    assert item.problem == problem
    assert problem.state == State.OPEN and problem.campaign_id == life_meeting.campaign_id
    assert problem.description == "联系点走访后反馈不及时"
    assert problem.source == str(MeetingKind.DEMOCRATIC_LIFE.label)
    assert list(problem.events.values_list("kind", flat=True)) == ["problem.created"]
    with pytest.raises(DomainError) as again:
        campaigns.meeting_item_to_problem(user=supervisor, item_id=item.pk, draft=draft)
    assert again.value.code == "already_listed"
    assert Problem.objects.count() == 1


# --- documents ------------------------------------------------------------------------------------------


@pytest.fixture
def material(campaign: Campaign, units: Org, leader: Person) -> Document:
    return campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title="原卫平同志对照检查材料",
        unit=units.plant,
        text="一、存在的问题\n深入基层不够。\n二、整改措施\n每月到联系点一次。",
    )


def test_the_author_rewrites_and_each_rewrite_is_a_numbered_revision(
    material: Document, leader: Person
) -> None:
    second = campaigns.revision_add(
        user=leader,
        document_id=material.pk,
        text="一、存在的问题\n深入基层调研不够，听汇报多。\n二、整改措施\n每月到联系点一次。",
        note="按督导组意见补充",
        based_on=1,
    )
    assert second.number == 2
    assert list(material.revisions.values_list("number", flat=True)) == [1, 2]


def test_a_rewrite_from_a_stale_revision_is_a_conflict(material: Document, leader: Person) -> None:
    campaigns.revision_add(user=leader, document_id=material.pk, text="第二稿", based_on=1)
    with pytest.raises(Conflict):
        campaigns.revision_add(user=leader, document_id=material.pk, text="另一个第二稿", based_on=1)
    with pytest.raises(InvalidInput):
        campaigns.revision_add(user=leader, document_id=material.pk, text="第二稿", based_on=2)
    assert material.revisions.count() == 2


def test_only_the_author_rewrites(material: Document, leader2: Person, supervisor: Person) -> None:
    for person in (leader2, supervisor):
        with pytest.raises(NotPermitted):
            campaigns.revision_add(user=person, document_id=material.pk, text="别人改的稿")
    assert material.revisions.count() == 1


def test_reviewers_comment_on_a_revision_and_the_author_cannot_review(
    material: Document, leader: Person, supervisor: Person, outsider: Person
) -> None:
    first = material.revisions.get(number=1)
    comment = campaigns.review_comment_add(
        user=supervisor, revision_id=first.pk, text="问题查摆不具体，要有辣味"
    )
    assert (comment.revision, comment.reviewer) == (first, supervisor)
    with pytest.raises(NotPermitted):
        campaigns.review_comment_add(user=leader, revision_id=first.pk, text="我自己的意见")
    with pytest.raises(NotFound):
        campaigns.review_comment_add(user=outsider, revision_id=first.pk, text="看不到")
    with pytest.raises(InvalidInput):
        campaigns.review_comment_add(user=supervisor, revision_id=first.pk, text="  ")
    assert first.comments.count() == 1


def test_approval_is_of_the_latest_revision_and_final(
    material: Document, leader: Person, supervisor: Person
) -> None:
    campaigns.revision_add(user=leader, document_id=material.pk, text="第二稿，更像自己")
    with pytest.raises(NotPermitted):
        campaigns.document_approve(user=leader, document_id=material.pk, revision_number=2)
    with pytest.raises(Conflict):
        campaigns.document_approve(user=supervisor, document_id=material.pk, revision_number=1)
    approved = campaigns.document_approve(
        user=supervisor, document_id=material.pk, revision_number=2, note="同意"
    )
    assert approved.is_approved and approved.approved_revision is not None
    assert (approved.approved_revision.number, approved.approved_by) == (2, supervisor)
    with pytest.raises(DomainError) as final:
        campaigns.revision_add(user=leader, document_id=material.pk, text="第三稿")
    assert final.value.code == "approved"
    with pytest.raises(DomainError):
        campaigns.document_approve(user=supervisor, document_id=material.pk, revision_number=2)


def test_documents_are_started_by_leaders_or_supervisors_of_the_unit(
    campaign: Campaign, units: Org, handler: Person, outsider: Person
) -> None:
    for person in (handler, outsider):
        with pytest.raises(NotPermitted):
            campaigns.document_start(
                user=person,
                campaign_id=campaign.pk,
                kind=DocumentKind.CHECK_MATERIAL,
                title="材料",
                unit=units.plant,
                text="正文",
            )
    assert not Document.objects.exists()


def test_a_problem_from_a_visit_counts_as_fixed_once_closed_out(
    visit: Visit, leader: Person, supervisor: Person, handler: Person, units: Org
) -> None:
    opinion = campaigns.visit_opinion_add(
        user=leader,
        visit_id=visit.pk,
        data=campaigns.VisitOpinionInput(text="仓顶没水", contact_name="李建民"),
    )
    problem = intake.opinion_triage(
        user=supervisor,
        opinion_id=opinion.pk,
        draft=ledger.ProblemDraft(
            title="13号大圆仓吃水难",
            category=no_evidence_category(),
            lead_unit=units.workshop,
            deadline=days(30),
        ),
    )
    closed = close_out(problem, supervisor=supervisor, handler=handler, leader=leader)
    assert closed.state == State.CLOSED
    assert Problem.objects.filter(state=State.CLOSED, opinions__visit_link__visit=visit).count() == 1
