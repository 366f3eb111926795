"""The campaign pages through Django's test client: what each person sees and may do, and what the server
refuses whatever the page showed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    DocumentKind,
    ItemKind,
    Meeting,
    MeetingKind,
    Reflection,
    StudyKind,
    Visit,
)
from taizhang.intake.models import Channel, Opinion
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.campaigns.conftest import days
from tests.conftest import PASSWORD, Org
from tests.factories import make_category

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def page(client: Client, name: str, *args: Any, **query: Any) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def material(campaign: Campaign, units: Org, leader: Person, supervisor: Person) -> Document:
    document = campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title="原卫平同志对照检查材料",
        unit=units.plant,
        text="一、存在的问题\n深入基层不够，听汇报多、到现场少。\n二、整改措施\n每月到联系点一次。",
    )
    first = document.revisions.get(number=1)
    campaigns.review_comment_add(user=supervisor, revision_id=first.pk, text="问题要具体，要有辣味")
    campaigns.revision_add(
        user=leader,
        document_id=document.pk,
        text="一、存在的问题\n深入基层调研不够，听汇报多、到一线少。\n二、整改措施\n每月到联系点一次。",
        note="按督导组意见修改",
    )
    return document


def test_every_campaign_page_needs_a_login(campaign: Campaign, client: Client) -> None:
    for name in ("campaigns:home", "campaigns:contact_points", "campaigns:study", "campaigns:meetings"):
        response = client.get(reverse(name, args=[campaign.code]))
        assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_home_page_shows_the_current_phase_and_each_phases_figures(
    campaign: Campaign, visit: Visit, employee: Person, leader: Person
) -> None:
    campaigns.reflection_write(
        user=employee, campaign_id=campaign.pk, title="学习体会", text="进一步明白了我是谁、为了谁、依靠谁。"
    )
    html = page(logged_in(leader), "campaigns:home", campaign.code)
    assert (
        'data-testid="current-phase"' in html
        and "查摆问题、开展批评" in html.split('data-testid="current-phase"')[1][:400]
    )
    phase1 = html.split('data-testid="phase-1"')[1].split("</li>")[0]
    assert 'data-testid="visits">1<' in phase1
    phase2 = html.split('data-testid="phase-2"')[1].split("</li>")[0]
    assert 'data-testid="reflections">1<' in phase2 and "phase-current" in html
    timeline = html.split('data-testid="campaign-timeline"')[1]
    assert "原卫平" in timeline and "原料车间" in timeline


def test_the_home_page_query_count_does_not_grow_with_records(
    campaign: Campaign, point: ContactPoint, leader: Person, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(leader)
    client.get(reverse("campaigns:home", args=[campaign.code]))  # warm the session and caches
    for offset in range(-60, -50):
        campaigns.visit_record(
            user=leader,
            contact_point_id=point.pk,
            data=campaigns.VisitInput(visited_on=days(offset), people_met="职工"),
        )
    with django_assert_max_num_queries(30):
        assert client.get(reverse("campaigns:home", args=[campaign.code])).status_code == 200


def test_a_leader_records_a_visit_and_enters_an_opinion_from_it(
    campaign: Campaign, point: ContactPoint, leader: Person, supervisor: Person
) -> None:
    client = logged_in(leader)
    assert 'data-testid="record-visit"' in page(client, "campaigns:contact_points", campaign.code)
    response = client.post(
        reverse("campaigns:visit_new", args=[campaign.code]),
        {
            "contact_point": point.pk,
            "visited_on": days(-3).isoformat(),
            "people_met": "侯同义、马俊",
            "raised": "卫生间少",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:visit", args=[visit.pk])
    response = client.post(
        reverse("campaigns:visit", args=[visit.pk]),
        {"text": "卸车岗位附近没有卫生间", "contact_name": "马俊", "idempotency_key": "abc"},
        follow=True,
    )
    opinion = Opinion.objects.get()
    assert (opinion.channel, opinion.contact_name, opinion.submitter) == (Channel.VISIT, "马俊", None)
    html = response.content.decode()
    assert opinion.receipt_display in html  # the receipt code, to hand to the person
    assert "卸车岗位附近没有卫生间" in html.split('data-testid="visit-opinions"')[1]
    triage = logged_in(supervisor).get(reverse("intake:triage")).content.decode()
    assert "卸车岗位附近没有卫生间" in triage


def test_a_visit_form_with_errors_changes_nothing(
    campaign: Campaign, point: ContactPoint, leader: Person
) -> None:
    response = logged_in(leader).post(
        reverse("campaigns:visit_new", args=[campaign.code]),
        {"contact_point": point.pk, "visited_on": days(5).isoformat(), "people_met": "职工"},
    )
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not Visit.objects.exists()


def test_people_who_may_not_record_get_no_form_and_the_server_refuses(
    visit: Visit, handler: Person, outsider: Person, campaign: Campaign
) -> None:
    client = logged_in(handler)
    html = page(client, "campaigns:visit", visit.pk)
    assert 'data-testid="visit-opinion-form"' not in html
    assert client.post(reverse("campaigns:visit", args=[visit.pk]), {"text": "意见"}).status_code == 404
    assert client.get(reverse("campaigns:visit_new", args=[campaign.code])).status_code == 404
    assert logged_in(outsider).get(reverse("campaigns:visit", args=[visit.pk])).status_code == 404
    assert not Opinion.objects.exists()


def test_the_contact_points_page_shows_per_leader_figures_only_in_scope(
    campaign: Campaign, visit: Visit, leader: Person, supervisor: Person, outsider: Person
) -> None:
    campaigns.visit_opinion_add(
        user=leader,
        visit_id=visit.pk,
        data=campaigns.VisitOpinionInput(text="仓顶没水", contact_name="李建民"),
    )
    html = page(logged_in(supervisor), "campaigns:contact_points", campaign.code)
    row = html.split(f'data-leader="{leader.username}"')[1].split("</tr>")[0]
    assert 'data-testid="visits">1<' in row and 'data-testid="opinions">1<' in row
    assert f'data-leader="{leader.username}"' not in page(
        logged_in(outsider), "campaigns:contact_points", campaign.code
    )


def test_study_sessions_and_reflections_through_the_pages(
    campaign: Campaign, units: Org, handler: Person, employee: Person, leader: Person
) -> None:
    response = logged_in(handler).post(
        reverse("campaigns:study", args=[campaign.code]),
        {
            "session-unit": units.plant.pk,
            "session-kind": StudyKind.FILM,
            "session-topic": "观看电影《焦裕禄》",
            "session-held_on": days(-70).isoformat(),
            "session-attendees": [employee.pk, leader.pk],
        },
    )
    assert response.status_code == 302
    session = campaign.study_sessions.get()
    assert session.attendees.count() == 2
    writer = logged_in(employee)
    assert 'name="session-unit"' not in page(writer, "campaigns:study", campaign.code)  # no recording form
    response = writer.post(
        reverse("campaigns:reflection_new", args=[campaign.code]),
        {
            "title": "观《焦裕禄》有感",
            "text": "焦裕禄同志心里装着全体人民，唯独没有他自己。",
            "session": session.pk,
        },
    )
    reflection = Reflection.objects.get()
    assert response["Location"] == reverse("campaigns:reflection", args=[reflection.pk])
    assert reflection.unit == units.workshop
    counts = page(logged_in(leader), "campaigns:study", campaign.code).split(
        'data-testid="reflection-counts"'
    )[1]
    assert '原料车间</td><td class="num">1<' in counts  # the leader's units: those under 第一氧化铝厂
    assert logged_in(handler).get(reverse("campaigns:reflection", args=[reflection.pk])).status_code == 404


def test_a_meeting_its_items_and_an_item_listed_as_a_problem(
    campaign: Campaign, units: Org, leader: Person, supervisor: Person, outsider: Person
) -> None:
    client = logged_in(leader)
    response = client.post(
        reverse("campaigns:meetings", args=[campaign.code]),
        {
            "meeting-unit": units.plant.pk,
            "meeting-kind": MeetingKind.DEMOCRATIC_LIFE,
            "meeting-title": "领导班子专题民主生活会",
            "meeting-held_on": days(-20).isoformat(),
            "meeting-attendees": [leader.pk, supervisor.pk],
            "meeting-guests": "中铝公司第三督导组",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("campaigns:meeting", args=[meeting.pk])
    response = client.post(
        reverse("campaigns:meeting", args=[meeting.pk]),
        {"kind": ItemKind.SELF_CRITICISM, "speaker": leader.pk, "text": "会议多、文件多，陷于会海文山"},
    )
    item = meeting.items.get()
    html = page(client, "campaigns:meeting", meeting.pk)
    assert "会海文山" in html and 'data-testid="list-item"' not in html  # the leader does not list problems
    desk = logged_in(supervisor)
    assert 'data-testid="list-item"' in page(desk, "campaigns:meeting", meeting.pk)
    form = page(desk, "campaigns:item_problem", item.pk)
    assert "会海文山" in form and 'name="item-title"' in form
    assert logged_in(leader).get(reverse("campaigns:item_problem", args=[item.pk])).status_code == 404
    category = make_category(evidence_required=False)
    incomplete = desk.post(
        reverse("campaigns:item_problem", args=[item.pk]), {"item-title": "精简合并各类会议"}
    )
    assert incomplete.status_code == 200 and not Problem.objects.exists()
    response = desk.post(
        reverse("campaigns:item_problem", args=[item.pk]),
        {
            "item-title": "精简合并各类会议",
            "item-category": category.pk,
            "item-lead_unit": units.plant.pk,
            "item-deadline": days(30).isoformat(),
            "item-priority": 2,
            "item-is_public": "on",
        },
    )
    problem = Problem.objects.get()
    assert response["Location"] == reverse("ledger:problem", args=[problem.pk])
    item.refresh_from_db()
    assert item.problem == problem
    assert 'data-testid="item-problem"' in page(desk, "campaigns:meeting", meeting.pk)
    assert logged_in(outsider).get(reverse("campaigns:meeting", args=[meeting.pk])).status_code == 404
    again = desk.get(reverse("campaigns:item_problem", args=[item.pk]))
    assert again.status_code == 404 and Problem.objects.count() == 1  # listed once


def test_the_meetings_page_compares_with_the_same_period_a_year_earlier(
    campaign: Campaign, units: Org, handler: Person, supervisor: Person
) -> None:
    for offset in (-400, -390, -380):
        campaigns.meeting_record(
            user=handler,
            data=campaigns.MeetingInput(
                unit=units.plant, kind=MeetingKind.OFFICE, title="办公会", held_on=days(offset)
            ),
        )
    campaigns.meeting_record(
        user=handler,
        data=campaigns.MeetingInput(
            unit=units.plant, kind=MeetingKind.OFFICE, title="办公会", held_on=days(-20)
        ),
    )
    html = page(
        logged_in(supervisor),
        "campaigns:meetings",
        campaign.code,
        start=days(-400 + 365).isoformat(),
        end=days(-1).isoformat(),
    )
    row = html.split(f'data-unit="{units.plant.code}"')[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">3</td>' in row and "-67%" in row


def test_a_reviewer_comments_and_the_diff_shows_the_change(
    material: Document, leader: Person, supervisor: Person
) -> None:
    desk = logged_in(supervisor)
    html = page(desk, "campaigns:document", material.pk)
    assert 'data-testid="draft-count"' in html
    assert "<del>现场</del>" in html and "<ins>调研</ins>" in html and "<ins>一线</ins>" in html
    second = material.revisions.get(number=2)
    response = desk.post(
        reverse("campaigns:document", args=[material.pk]),
        {"action": "comment", "revision_id": second.pk, "comment-text": "整改措施还要更具体"},
    )
    assert response.status_code == 302
    assert second.comments.get().text == "整改措施还要更具体"
    assert (
        "整改措施还要更具体"
        in page(desk, "campaigns:document", material.pk).split('data-testid="comments-2"')[1]
    )
    # The author gets no comment or approval form, and the server refuses both.
    mine = logged_in(leader)
    own = page(mine, "campaigns:document", material.pk)
    assert 'data-testid="comment-1"' not in own and 'data-testid="approve"' not in own
    assert 'data-testid="revise"' in own
    posted = mine.post(
        reverse("campaigns:document", args=[material.pk]),
        {"action": "approve", "approve-revision": 2},
    )
    assert posted.status_code == 404 and not Document.objects.get(pk=material.pk).is_approved


def test_the_diff_between_any_two_revisions_as_a_fragment_or_a_page(
    material: Document, leader: Person
) -> None:
    client = logged_in(leader)
    url = reverse("campaigns:document_diff", args=[material.pk])
    fragment = client.get(url, {"a": 2, "b": 1}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="diff"') and "<html" not in fragment
    assert "<del>调研</del>" in fragment  # from 2 back to 1: what 2 added is removed
    whole = page(client, "campaigns:document_diff", material.pk, a=1, b=2)
    assert "<html" in whole and "<ins>调研</ins>" in whole


def test_document_text_is_escaped_everywhere(
    campaign: Campaign, units: Org, leader: Person, supervisor: Person
) -> None:
    document = campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title="<b>标题</b>",
        unit=units.plant,
        text="正文<script>alert(1)</script>",
    )
    campaigns.revision_add(user=leader, document_id=document.pk, text="正文<img src=x onerror=alert(2)>")
    html = page(logged_in(supervisor), "campaigns:document", document.pk)
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>标题</b>" not in html
    latest = html.split('data-testid="latest-text"')[1].split("</article>")[0]
    assert "&lt;img src=x onerror=alert(2)&gt;" in latest
    diff = html.split('data-testid="diff"')[1].split('data-testid="latest-text"')[0]
    assert "&lt;" in diff and "script&gt;" in diff and "<script" not in diff


def test_a_reviewer_approves_the_latest_revision_through_the_page(
    material: Document, supervisor: Person
) -> None:
    desk = logged_in(supervisor)
    stale = desk.post(
        reverse("campaigns:document", args=[material.pk]), {"action": "approve", "approve-revision": 1}
    )
    assert stale.status_code == 200 and not Document.objects.get(pk=material.pk).is_approved
    done = desk.post(
        reverse("campaigns:document", args=[material.pk]),
        {"action": "approve", "approve-revision": 2, "approve-note": "同意"},
    )
    assert done.status_code == 302
    approved = Document.objects.get(pk=material.pk)
    assert (
        approved.is_approved
        and approved.approved_revision is not None
        and approved.approved_revision.number == 2
    )
    assert 'data-testid="approve"' not in page(desk, "campaigns:document", material.pk)


def test_the_documents_list_counts_drafts_and_hides_others_material(
    material: Document, campaign: Campaign, handler: Person, leader: Person
) -> None:
    row = (
        page(logged_in(leader), "campaigns:documents", campaign.code)
        .split(material.title)[1]
        .split("</tr>")[0]
    )
    assert '<td class="num">2</td>' in row
    assert material.title not in page(logged_in(handler), "campaigns:documents", campaign.code)


def test_an_unknown_campaign_is_not_found(leader: Person) -> None:
    assert logged_in(leader).get(reverse("campaigns:home", args=["nope"])).status_code == 404


def test_the_campaign_list_links_each_campaign(campaign: Campaign, employee: Person) -> None:
    html = page(logged_in(employee), "campaigns:list")
    assert reverse("campaigns:home", args=[campaign.code]) in html and "查摆问题、开展批评" in html


def test_the_admin_shows_the_records_read_only_and_keeps_the_phase_rule(
    campaign: Campaign, visit: Visit, admin_user: Person, units: Org
) -> None:
    client = logged_in(admin_user)
    for model in ("visit", "contactpoint", "meeting", "studysession", "reflection", "document"):
        assert client.get(f"/admin/campaigns/{model}/").status_code == 200
        assert client.get(f"/admin/campaigns/{model}/add/").status_code == 403
    form = {
        "name": "另一次活动",
        "code": "other",
        "starts_on": "2014-02-01",
        "ends_on": "2014-10-31",
        "organiser": units.root.pk,
        "phases-TOTAL_FORMS": 2,
        "phases-INITIAL_FORMS": 0,
        "phases-0-name": "一",
        "phases-0-order": 1,
        "phases-0-starts_on": "2014-02-01",
        "phases-0-ends_on": "2014-05-31",
        "phases-1-name": "二",
        "phases-1-order": 2,
        "phases-1-starts_on": "2014-05-01",
        "phases-1-ends_on": "2014-10-31",
    }
    refused = client.post("/admin/campaigns/campaign/add/", form)
    assert refused.status_code == 200 and 'class="errorlist' in refused.content.decode()
    assert not Campaign.objects.filter(code="other").exists()
    form["phases-1-starts_on"] = "2014-06-01"
    assert client.post("/admin/campaigns/campaign/add/", form).status_code == 302
    assert Campaign.objects.get(code="other").phases.count() == 2


def _more_records(
    campaign: Campaign, point: ContactPoint, units: Org, leader: Person, supervisor: Person
) -> None:
    """One more of each record that a list page shows, with its attendees, items, opinions and comments."""
    visit = campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(visited_on=days(-3), people_met="职工"),
    )
    campaigns.visit_opinion_add(
        user=leader, visit_id=visit.pk, data=campaigns.VisitOpinionInput(text="意见", contact_name="某人")
    )
    campaigns.study_session_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant,
            kind=StudyKind.LECTURE,
            topic="辅导",
            held_on=days(-3),
            attendees=(leader, supervisor),
        ),
    )
    meeting = campaigns.meeting_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.MeetingInput(
            unit=units.plant,
            kind=MeetingKind.DEMOCRATIC_LIFE,
            title="生活会",
            held_on=days(-3),
            attendees=(leader,),
        ),
    )
    campaigns.meeting_item_add(
        user=leader, meeting_id=meeting.pk, kind=ItemKind.SELF_CRITICISM, text="自我批评", speaker=leader
    )
    document = campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title="材料",
        unit=units.plant,
        text="一稿",
    )
    campaigns.review_comment_add(user=supervisor, revision_id=document.revisions.get().pk, text="意见")
    campaigns.reflection_write(
        user=leader, campaign_id=campaign.pk, title="体会", text="通过学习深受教育，明白了宗旨。"
    )


@pytest.mark.parametrize("name", ["home", "contact_points", "study", "meetings", "documents"])
def test_list_pages_query_count_does_not_grow_with_records(
    name: str, campaign: Campaign, point: ContactPoint, units: Org, leader: Person, supervisor: Person
) -> None:
    client = logged_in(supervisor)
    url = reverse(f"campaigns:{name}", args=[campaign.code])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _more_records(campaign, point, units, leader, supervisor)
    once = queries()
    for _round in range(3):
        _more_records(campaign, point, units, leader, supervisor)
    assert queries() == once
