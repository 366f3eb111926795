"""The campaign in a real browser, under a strict Content-Security-Policy (added to every response here, so
an inline style or script on these pages would be refused and reported):

- a leader records a visit to their contact point and enters an opinion raised on it;
- a reviewer of the supervision group comments on a revision, and the diff shows what the rewrite changed;
- the campaign's home page shows the current phase and what each phase produced.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import Campaign, ContactPoint, Document, DocumentKind, Visit, VisitOpinion
from taizhang.intake.models import Channel, Opinion
from taizhang.org.models import Person
from tests.campaigns.conftest import days
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def strict_page(browser: Browser) -> tuple[Page, list[str]]:
    """A page whose every response carries a strict CSP; the list collects what the browser refused."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )

    def with_csp(route: Route) -> None:
        response = route.fetch(max_redirects=0)
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route("**/*", with_csp)
    return page, refused


@pytest.fixture
def running(units: Org, admin_user: Person, supervisor: Person, leader: Person) -> dict[str, Any]:
    campaign = campaigns.campaign_create(
        user=admin_user,
        code="qzlx",
        name="党的群众路线教育实践活动",
        organiser=units.root,
        starts_on=days(-90),
        ends_on=days(90),
        phases=[
            campaigns.PhaseInput("学习教育、听取意见", days(-90), days(-31)),
            campaigns.PhaseInput("查摆问题、开展批评", days(-30), days(30)),
            campaigns.PhaseInput("整改落实、建章立制", days(31), days(90)),
        ],
    )
    point = campaigns.contact_point_assign(
        user=supervisor, campaign_id=campaign.pk, leader=leader, unit=units.workshop, since=days(-80)
    )
    return {"campaign": campaign, "point": point}


def test_a_leader_records_a_visit_and_enters_an_opinion_from_it(
    live_server: Any, browser: Browser, running: dict[str, Any], leader: Person, supervisor: Person
) -> None:
    campaign: Campaign = running["campaign"]
    point: ContactPoint = running["point"]
    page, refused = strict_page(browser)
    log_in(page, live_server.url, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.code}/contact-points/")
    page.get_by_test_id("record-visit").click()
    page.select_option("select[name=contact_point]", str(point.pk))
    page.fill("input[name=visited_on]", days(-2).isoformat())
    page.fill("textarea[name=people_met]", "侯同义（作业长）、李建民（13号大圆仓岗位）")
    page.fill("textarea[name=raised]", "仓顶作业没有水源")
    page.get_by_test_id("save-visit").click()
    visit = Visit.objects.get()
    expect(page).to_have_url(f"{live_server.url}/visits/{visit.pk}/")

    page.fill("textarea[name=text]", "仓顶作业没有水，夏季高温中暑风险大，请求安装供水管道。")
    page.fill("input[name=contact_name]", "李建民")
    page.get_by_test_id("save-opinion").click()
    opinion = Opinion.objects.get()
    expect(page.locator(".messages")).to_contain_text(opinion.receipt_display)
    expect(page.get_by_test_id("visit-opinions")).to_contain_text("请求安装供水管道")
    assert (opinion.channel, opinion.contact_name, opinion.submitter) == (Channel.VISIT, "李建民", None)
    assert VisitOpinion.objects.get().visit == visit

    # The opinion waits on the triage desk like any other.
    desk, desk_refused = strict_page(browser)
    log_in(desk, live_server.url, supervisor.username, PASSWORD)
    desk.goto(f"{live_server.url}/triage/")
    expect(desk.get_by_test_id("triage-queue")).to_contain_text("请求安装供水管道")
    assert refused == [] and desk_refused == []


def test_a_reviewer_comments_on_a_revision_and_the_diff_shows_the_change(
    live_server: Any,
    browser: Browser,
    running: dict[str, Any],
    units: Org,
    leader: Person,
    supervisor: Person,
) -> None:
    campaign: Campaign = running["campaign"]
    document = campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title="原卫平同志个人对照检查材料",
        unit=units.plant,
        text="一、存在的问题\n深入基层不够，对一线职工的困难了解不多。\n二、整改措施\n多到联系点走访。",
    )
    campaigns.revision_add(
        user=leader,
        document_id=document.pk,
        text="一、存在的问题\n深入基层不够，13号大圆仓吃水难的问题反映了二十多年没有解决。\n二、整改措施\n多到联系点走访。",
        note="问题写到具体的事",
    )
    page, refused = strict_page(browser)
    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/documents/{document.pk}/")
    # The rewrite, as the diff of revisions 1 and 2 (the default: the last two).
    expect(page.get_by_test_id("diff").locator("ins").first).to_contain_text("13号大圆仓吃水难")
    expect(page.get_by_test_id("diff").locator("del").first).to_contain_text("对一线职工的困难了解不多")

    revision = page.locator("[data-revision='2']")
    revision.locator("summary").click()
    revision.locator("textarea[name=comment-text]").fill("整改措施也要具体：每月几次、走访后多久反馈？")
    page.get_by_test_id("comment-2").click()
    expect(page.get_by_test_id("comments-2")).to_contain_text("每月几次")
    assert Document.objects.get(pk=document.pk).revisions.get(number=2).comments.get().reviewer == supervisor

    # The author rewrites; the reviewer compares the first draft with the new one through HTMX.
    campaigns.revision_add(
        user=leader,
        document_id=document.pk,
        text="一、存在的问题\n深入基层不够，13号大圆仓吃水难的问题反映了二十多年没有解决。\n二、整改措施\n每月到联系点一次，走访意见一周内反馈。",
        note="按督导组意见，整改措施具体化",
    )
    page.reload()
    expect(page.get_by_test_id("draft-count")).to_contain_text("3")
    form = page.get_by_test_id("diff-form")
    form.locator("input[name=a]").fill("1")
    form.locator("input[name=b]").fill("3")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("diff-summary")).to_contain_text("1")
    expect(page.get_by_test_id("diff")).to_contain_text("一周内反馈")
    expect(page.get_by_test_id("diff").locator("ins", has_text="一周内反馈")).to_have_count(1)
    expect(page.get_by_test_id("diff").locator("del").first).to_contain_text("对一线职工的困难了解不多")
    assert page.url.endswith(f"/documents/{document.pk}/")  # swapped in place, not a new page

    page.locator("details[data-action=approve] > summary").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("document-status")).to_contain_text("3")
    assert Document.objects.get(pk=document.pk).is_approved
    assert refused == []


def test_the_campaign_home_page_shows_the_current_phase_and_per_phase_figures(
    live_server: Any,
    browser: Browser,
    running: dict[str, Any],
    units: Org,
    leader: Person,
    employee: Person,
    handler: Person,
) -> None:
    campaign: Campaign = running["campaign"]
    point: ContactPoint = running["point"]
    for offset in (-60, -45, -10):
        campaigns.visit_record(
            user=leader,
            contact_point_id=point.pk,
            data=campaigns.VisitInput(visited_on=days(offset), people_met="职工"),
        )
    campaigns.reflection_write(
        user=employee,
        campaign_id=campaign.pk,
        title="学习体会",
        text="进一步明白了我是谁、为了谁、依靠谁。",
        written_on=days(-40),
    )
    campaigns.meeting_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.MeetingInput(
            unit=units.plant,
            kind="democratic_life",
            title="领导班子专题民主生活会",
            held_on=days(-5),
            attendees=(leader,),
        ),
    )
    page, refused = strict_page(browser)
    log_in(page, live_server.url, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/campaigns/")
    page.get_by_test_id("campaigns").get_by_role("link", name=campaign.name).click()
    expect(page.get_by_test_id("current-phase")).to_contain_text("查摆问题、开展批评")
    first, second = page.get_by_test_id("phase-1"), page.get_by_test_id("phase-2")
    expect(first.get_by_test_id("visits")).to_have_text("2")
    expect(first.get_by_test_id("reflections")).to_have_text("1")
    expect(second.get_by_test_id("visits")).to_have_text("1")
    expect(second.get_by_test_id("meetings")).to_have_text("1")
    expect(second).to_have_class("phase phase-current")
    expect(page.get_by_test_id("campaign-timeline")).to_contain_text("领导班子专题民主生活会")
    # A handler of the same plant does not see the employee's reflection counted.
    other, other_refused = strict_page(browser)
    log_in(other, live_server.url, handler.username, PASSWORD)
    other.goto(f"{live_server.url}/campaigns/{campaign.code}/")
    expect(other.get_by_test_id("phase-1").get_by_test_id("reflections")).to_have_text("0")
    assert refused == [] and other_refused == []
