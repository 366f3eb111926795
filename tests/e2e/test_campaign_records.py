"""Study, reflections and meetings in a real browser, each walked by the role that does it, under the strict
Content-Security-Policy of tests/e2e/test_campaigns.py:

- a handler records a study session with its attendance;
- a member writes a reflection (学习体会) after it, and the leaders see it counted for the member's unit;
- a democratic-life meeting is recorded, a criticism is added to its minutes, and the supervision group puts
  it on the problem list; the meeting is counted in the unit's meeting figures.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import Campaign, Meeting, MeetingItem, Reflection, StudySession
from taizhang.ledger.models import Category
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.campaigns.conftest import days
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.e2e.test_campaigns import strict_page
from tests.factories import make_category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(units: Org, admin_user: Person) -> Campaign:
    return campaigns.campaign_create(
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


def test_a_handler_records_a_study_session_with_its_attendance(
    live_server: Any,
    browser: Browser,
    campaign: Campaign,
    units: Org,
    handler: Person,
    leader: Person,
    employee: Person,
) -> None:
    page, refused = strict_page(browser)
    log_in(page, live_server.url, handler.username, PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.code}/study/")
    expect(page.get_by_test_id("study-sessions")).to_contain_text("暂无")
    page.get_by_text("登记学习活动").click()
    page.select_option("select[name=session-unit]", str(units.plant.pk))
    page.select_option("select[name=session-kind]", "film")
    page.fill("input[name=session-topic]", "观看影片《焦裕禄》")
    page.fill("input[name=session-held_on]", days(-5).isoformat())
    page.fill("input[name=session-speaker]", "原卫平")
    page.select_option("select[name=session-attendees]", [str(leader.pk), str(employee.pk)])
    page.locator("details.action button[type=submit]").click()

    session = StudySession.objects.get()
    expect(page).to_have_url(f"{live_server.url}/study/{session.pk}/")
    expect(page.locator(".messages")).to_contain_text("学习活动已登记。")
    expect(page.locator("h1")).to_have_text("观看影片《焦裕禄》")
    expect(page.locator(".facts")).to_contain_text("第一氧化铝厂")
    attendees = page.get_by_test_id("attendees")
    expect(attendees.locator("li")).to_have_count(2)
    expect(attendees).to_contain_text("原卫平")
    expect(attendees).to_contain_text("郑喜康")
    expect(page.locator("h2", has_text="参加人数")).to_contain_text("2")
    assert set(session.attendees.all()) == {leader, employee} and session.recorded_by == handler

    page.goto(f"{live_server.url}/campaigns/{campaign.code}/study/")
    row = page.get_by_test_id("study-sessions").locator("tr", has_text="观看影片《焦裕禄》")
    expect(row).to_contain_text("观看影片")
    expect(row.locator("td.num")).to_have_text("2")
    assert refused == []


def test_a_member_writes_a_reflection_and_the_leaders_see_it_counted_for_the_unit(
    live_server: Any,
    browser: Browser,
    campaign: Campaign,
    units: Org,
    handler: Person,
    leader: Person,
    employee: Person,
    outsider: Person,
) -> None:
    session = campaigns.study_session_record(
        user=handler,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant,
            kind="film",
            topic="观看影片《焦裕禄》",
            held_on=days(-5),
            attendees=(employee,),
        ),
    )
    page, refused = strict_page(browser)
    log_in(page, live_server.url, employee.username, PASSWORD)
    page.goto(f"{live_server.url}/study/{session.pk}/")
    page.get_by_role("link", name="撰写本次学习的心得体会").click()
    expect(page.locator("select[name=session] option:checked")).to_contain_text("观看影片《焦裕禄》")
    page.fill("input[name=title]", "学习焦裕禄精神的体会")
    page.fill("textarea[name=text]", "焦裕禄同志心里装着全体人民，唯独没有他自己。我们要多到一线，多办实事。")
    page.get_by_test_id("save-reflection").click()

    reflection = Reflection.objects.get()
    expect(page).to_have_url(f"{live_server.url}/reflections/{reflection.pk}/")
    expect(page.locator(".messages")).to_contain_text("您的心得体会已保存。")
    expect(page.locator("article")).to_contain_text("唯独没有他自己")
    expect(page.locator("article")).to_contain_text("原料车间")
    page.goto(f"{live_server.url}/campaigns/{campaign.code}/study/")
    expect(page.locator("h2", has_text="我的心得体会")).to_be_visible()
    expect(page.get_by_role("link", name="学习焦裕禄精神的体会")).to_be_visible()

    # The plant's leader sees it counted for the workshop and in the plant's total.
    chief, chief_refused = strict_page(browser)
    log_in(chief, live_server.url, leader.username, PASSWORD)
    chief.goto(f"{live_server.url}/campaigns/{campaign.code}/study/")
    expect(chief.locator("h2", has_text="各单位心得体会")).to_be_visible()
    counts = chief.get_by_test_id("reflection-counts")
    expect(counts.locator("tr", has_text="原料车间").locator("td.num")).to_have_text("1")
    expect(counts.locator("tr.total", has_text="第一氧化铝厂").locator("td.num")).to_have_text("1")
    chief.goto(f"{live_server.url}/study/{session.pk}/")
    expect(chief.get_by_role("link", name="学习焦裕禄精神的体会")).to_be_visible()

    # The sibling plant's leader counts nothing of it and cannot open it.
    other, other_refused = strict_page(browser)
    log_in(other, live_server.url, outsider.username, PASSWORD)
    other.goto(f"{live_server.url}/campaigns/{campaign.code}/study/")
    expect(other.get_by_test_id("reflection-counts")).not_to_contain_text("原料车间")
    expect(other.get_by_test_id("reflection-counts").locator("td.num")).to_have_text(["0"])
    response = other.goto(f"{live_server.url}/reflections/{reflection.pk}/")
    assert response is not None and response.status == 404
    assert refused == [] and chief_refused == [] and other_refused == []


def test_a_criticism_at_a_democratic_life_meeting_becomes_a_problem(
    live_server: Any,
    browser: Browser,
    campaign: Campaign,
    units: Org,
    handler: Person,
    leader: Person,
    leader2: Person,
    supervisor: Person,
) -> None:
    category: Category = make_category(name="会风文风", evidence_required=False)
    page, refused = strict_page(browser)
    log_in(page, live_server.url, handler.username, PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.code}/meetings/")
    page.get_by_text("登记会议").click()
    page.select_option("select[name=meeting-unit]", str(units.plant.pk))
    page.select_option("select[name=meeting-kind]", "democratic_life")
    page.fill("input[name=meeting-title]", "第一氧化铝厂领导班子专题民主生活会")
    page.fill("input[name=meeting-held_on]", days(-3).isoformat())
    page.select_option("select[name=meeting-attendees]", [str(leader.pk), str(leader2.pk)])
    page.fill("textarea[name=meeting-guests]", "企业督导组")
    page.locator("details.action button[type=submit]").click()

    meeting = Meeting.objects.get()
    expect(page).to_have_url(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.locator(".messages")).to_contain_text("会议已登记。")
    expect(page.get_by_test_id("attendees")).to_contain_text("原卫平")
    expect(page.get_by_test_id("guests")).to_contain_text("企业督导组")
    expect(page.locator("h2", has_text="批评与自我批评")).to_be_visible()

    page.get_by_text("补充会议记录").click()
    page.select_option("select[name=kind]", "criticism")
    page.select_option("select[name=speaker]", str(leader2.pk))
    page.select_option("select[name=subject]", str(leader.pk))
    page.fill("textarea[name=text]", "到联系点走访次数偏少，职工反映的问题答复不及时。")
    page.get_by_test_id("add-item").click()
    expect(page.locator(".messages")).to_contain_text("已添加到会议记录。")
    item_row = page.get_by_test_id("meeting-items").locator("li", has_text="答复不及时")
    expect(item_row).to_contain_text("批评")
    expect(item_row).to_contain_text("李庆红")
    expect(item_row).to_contain_text("→ 原卫平")
    # Listing it is the supervision group's: the handler has no button.
    expect(item_row.get_by_test_id("list-item")).to_have_count(0)

    desk, desk_refused = strict_page(browser)
    log_in(desk, live_server.url, supervisor.username, PASSWORD)
    desk.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    desk.get_by_test_id("meeting-items").get_by_test_id("list-item").click()
    expect(desk.locator("h1.quote")).to_contain_text("答复不及时")
    desk.fill("input[name=item-title]", "联系点走访偏少、职工意见答复不及时")
    desk.select_option("select[name=item-category]", str(category.pk))
    desk.fill("textarea[name=item-measures]", "每月到联系点走访一次，意见一周内答复。")
    desk.get_by_test_id("create-problem").click()

    item = MeetingItem.objects.get()
    assert item.problem is not None
    problem = item.problem
    expect(desk).to_have_url(f"{live_server.url}/problems/{problem.pk}/")
    expect(desk.locator(".messages")).to_contain_text("已列入问题清单。")
    expect(desk.locator("h1")).to_have_text("联系点走访偏少、职工意见答复不及时")
    assert (problem.lead_unit, problem.campaign, problem.state) == (units.plant, campaign, State.OPEN)
    assert problem.description == "到联系点走访次数偏少，职工反映的问题答复不及时。"

    desk.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    listed = desk.get_by_test_id("meeting-items").get_by_test_id("item-problem")
    expect(listed).to_contain_text(problem.code)
    expect(desk.get_by_test_id("meeting-items").locator(".badge.state-open")).to_have_text("已立项")
    expect(desk.get_by_test_id("list-item")).to_have_count(0)  # once per item

    # The meetings page lists it with its item and problem, and counts it for the plant.
    desk.goto(f"{live_server.url}/campaigns/{campaign.code}/meetings/")
    row = desk.get_by_test_id("meetings").locator("tr", has_text="专题民主生活会")
    expect(row.locator("td.num")).to_have_text(["1", "1"])
    counts = desk.get_by_test_id("meeting-counts")
    expect(counts.locator("tr[data-unit=yhl1] td.num").first).to_have_text("1")
    expect(counts.locator("tr[data-unit=yhl2] td.num").first).to_have_text("0")
    assert refused == [] and desk_refused == []
