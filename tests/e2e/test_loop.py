"""The whole loop in a real browser, as the people who live it.

An employee reports a problem with a photo → a supervisor triages it onto the problem list → a handler
records progress and requests close-out with evidence → the unit's leader signs → the employee rates the fix
→ the supervisor verifies → the public board shows it closed out. Ratings come before verification because
the raisers' verdict is one of verification's guards (DESIGN.md: 销号 needs the people satisfied).

Set TAIZHANG_GUIDE_SCREENSHOTS=1 to refresh the screenshots of docs/guide.zh-CN.md (`shot(page, name)` writes
docs/guide/<name>.png; tests/web/test_guide.py checks the guide shows exactly these).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect

from taizhang.intake.models import Opinion, Place
from taizhang.ledger.models import Category, Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESK: ViewportSize = {"width": 1280, "height": 900}


def shot(page: Page, name: str) -> None:
    """A screenshot for the user guide, when asked for."""
    if os.environ.get("TAIZHANG_GUIDE_SCREENSHOTS"):
        GUIDE.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(GUIDE / f"{name}.png"))


def photo_file(tmp_path: Path) -> Path:
    image = Image.new("RGB", (640, 480), (90, 90, 90))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (37.0, 51.0, 0.0), 3: "E", 4: (112.0, 33.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    path = tmp_path / "lamp.jpg"
    path.write_bytes(buffer.getvalue())
    return path


def new_page(browser: Browser, *, mobile: bool = False) -> Page:
    if mobile:
        context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(locale="zh-CN", viewport=DESK)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def open_action(page: Page, action: str) -> None:
    page.locator(f"details[data-action={action}] > summary").click()


@pytest.fixture
def setup(
    units: Org, employee: Person, supervisor: Person, handler: Person, leader: Person
) -> dict[str, Any]:
    category = Category.objects.create(
        name="路灯照明",
        code="lamp",
        achievement_noun="路灯",
        achievement_verb="修复",
        measure_word="盏",
        keywords="路灯 灯不亮",
    )
    place = Place.objects.create(name="生活三区5号楼", code="area3-5", unit=units.workshop)
    return {"category": category, "place": place}


def test_the_whole_loop_as_the_people_who_live_it(
    live_server: Any,
    browser: Browser,
    tmp_path: Path,
    setup: dict[str, Any],
    units: Org,
    employee: Person,
    supervisor: Person,
    handler: Person,
    leader: Person,
) -> None:
    base = live_server.url

    # 1. The employee reports from a phone, through the place's QR code, with a photo.
    phone = new_page(browser, mobile=True)
    log_in(phone, base, employee.username, PASSWORD)
    phone.goto(f"{base}/submit/?place=area3-5")
    expect(phone.get_by_test_id("place")).to_contain_text("生活三区5号楼")
    phone.locator("textarea[name=text]").fill("5号楼东侧的路灯坏了三盏，晚上路很黑")
    expect(phone.get_by_test_id("category-suggestion")).to_contain_text("路灯照明")
    phone.set_input_files("input[name=photos]", str(photo_file(tmp_path)))
    shot(phone, "01-submit")
    phone.get_by_test_id("submit-opinion").click()
    receipt = phone.get_by_test_id("receipt-code").inner_text()
    assert len(receipt) == 11
    shot(phone, "02-receipt")
    opinion = Opinion.objects.get()
    assert (opinion.submitter, opinion.category, opinion.photos.count()) == (employee, setup["category"], 1)

    # 2. The supervisor triages it onto the problem list.
    desk = new_page(browser)
    log_in(desk, base, supervisor.username, PASSWORD)
    desk.goto(f"{base}/triage/")
    expect(desk.get_by_test_id("triage")).to_contain_text("1")
    desk.get_by_test_id("triage-queue").get_by_role("link").first.click()
    desk.fill("input[name=new-title]", "生活三区5号楼东侧路灯不亮")
    desk.fill("input[name=new-target_quantity]", "3")
    desk.fill("input[name=new-deadline]", "2031-06-30")
    shot(desk, "03-triage")
    desk.get_by_test_id("decide-create").click()
    problem = Problem.objects.get()
    assert (problem.state, problem.lead_unit, problem.target_quantity) == (State.OPEN, units.workshop, 3)

    # 3. The handler starts, records progress, and requests close-out with evidence.
    unit = new_page(browser)
    log_in(unit, base, handler.username, PASSWORD)
    unit.goto(f"{base}/my/")
    unit.get_by_test_id("inbox-to_start").get_by_role("link", name=problem.code, exact=False).click()
    open_action(unit, "start")
    unit.get_by_test_id("do-start").click()
    expect(unit.get_by_test_id("state")).to_have_attribute("class", "badge state-in_progress")
    open_action(unit, "progress")
    unit.fill("textarea[name=progress-note]", "已更换2盏灯头")
    unit.fill("input[name=progress-done_quantity]", "2")
    unit.get_by_test_id("do-progress").click()
    expect(unit.get_by_test_id("quantity")).to_contain_text("2 / 3")
    open_action(unit, "request_closeout")
    unit.fill("textarea[name=request_closeout-completion_note]", "3盏路灯全部修复，更换了线路")
    unit.fill("input[name=request_closeout-done_quantity]", "3")
    unit.set_input_files("input[name=request_closeout-evidence]", str(photo_file(tmp_path)))
    shot(unit, "04-closeout")
    unit.get_by_test_id("do-request_closeout").click()
    expect(unit.get_by_test_id("state")).to_have_attribute("class", "badge state-review")

    # 4. The unit's leader signs.
    boss = new_page(browser)
    log_in(boss, base, leader.username, PASSWORD)
    boss.goto(f"{base}/problems/{problem.pk}/")
    open_action(boss, "sign")
    boss.get_by_test_id("do-sign").click()
    expect(boss.locator(".messages")).to_be_visible()

    # 5. The employee rates the fix, from their receipt.
    phone.goto(f"{base}/r/{receipt}/")
    phone.locator("input[name=verdict][value=satisfied]").check()
    shot(phone, "05-rate")
    phone.get_by_test_id("rate-form").locator("button[type=submit]").click()
    expect(phone.get_by_test_id("rate-form")).to_have_count(0)

    # 6. The supervisor verifies, and the item is struck off.
    desk.goto(f"{base}/problems/{problem.pk}/")
    open_action(desk, "verify")
    shot(desk, "06-verify")
    desk.get_by_test_id("do-verify").click()
    expect(desk.get_by_test_id("state")).to_have_attribute("class", "badge state-closed")

    # 7. The public board shows it closed out, with the achievement line.
    visitor = new_page(browser)
    visitor.goto(f"{base}/")
    item = visitor.get_by_test_id("board-item").filter(has_text="生活三区5号楼东侧路灯不亮")
    expect(item.get_by_test_id("board-state")).to_have_text(Problem.objects.get().state_label)
    expect(visitor.get_by_test_id("achievements")).to_contain_text("修复路灯 3 盏")
    shot(visitor, "07-board")
    assert Problem.objects.get().state == State.CLOSED


def test_an_anonymous_opinion_is_followed_by_its_receipt_code(
    live_server: Any, browser: Browser, units: Org, supervisor: Person
) -> None:
    page = new_page(browser)
    page.goto(f"{live_server.url}/submit/")
    page.locator("textarea[name=text]").fill("食堂饭菜价格上涨太快")
    page.locator("input[name=anonymous]").check()
    expect(page.locator("input[name=contact_name]")).to_be_hidden()
    page.get_by_test_id("submit-opinion").click()
    code = page.get_by_test_id("receipt-code").inner_text()
    opinion = Opinion.objects.get()
    assert opinion.submitter is None and opinion.is_anonymous
    from taizhang.intake import services

    services.opinion_answer(user=supervisor, opinion_id=opinion.pk, response="食堂已公示价格调整依据")
    other = new_page(browser)  # another browser, no login, no cookies: only the code
    other.goto(f"{live_server.url}/r/")
    other.fill("input[name=code]", code.lower().replace("-", " "))
    other.locator("main form button[type=submit]").click()
    expect(other.get_by_test_id("response")).to_contain_text("食堂已公示价格调整依据")


def test_a_refused_action_says_why_and_changes_nothing(
    live_server: Any, browser: Browser, units: Org, supervisor: Person, handler: Person, employee: Person
) -> None:
    from taizhang.ledger import services as ledger
    from tests.factories import raised_problem

    problem, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    page = new_page(browser)
    log_in(page, live_server.url, handler.username, PASSWORD)
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    open_action(page, "request_closeout")
    page.fill("textarea[name=request_closeout-completion_note]", "修好了")
    page.get_by_test_id("do-request_closeout").click()  # no evidence attached
    expect(page.locator("details[data-action=request_closeout] .errorlist")).to_be_visible()
    assert Problem.objects.get().state == State.IN_PROGRESS
    viewer = new_page(browser)
    log_in(viewer, live_server.url, employee.username, PASSWORD)
    viewer.goto(f"{live_server.url}/problems/{problem.pk}/")
    expect(viewer.get_by_test_id("actions")).to_have_count(0)


def test_the_english_switch(live_server: Any, browser: Browser, units: Org) -> None:
    page = new_page(browser)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    chinese = page.locator("nav.menu a.cta").inner_text()
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.menu a.cta")).to_have_text("Report a problem")
    assert chinese != "Report a problem"
    page.goto(f"{live_server.url}/submit/")
    expect(page.locator("h1")).to_have_text("Report a problem or make a suggestion")
