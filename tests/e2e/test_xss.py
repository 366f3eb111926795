"""Stored XSS in a real browser: script-like text in every field people write is shown as text, never run.

Each text field gets one of three payloads (a script tag, an image with onerror, an attribute break-out
followed by an svg with onload), all of which would set `window.__xss` if the page rendered them as markup.
Then every page that shows those fields is loaded in turn, as the person who may see it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import DocumentKind, ItemKind, MeetingKind, StudyKind
from taizhang.core import clock
from taizhang.intake import services as intake
from taizhang.intake.models import Place
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.org.models import Person, Unit
from taizhang.supervision import services as supervision
from taizhang.supervision.models import Colour, UrgeNotice
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.factories import jpeg_upload, make_category

PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
)


class Payloads:
    """Hands out the payloads in turn, each with a number so a field's text can be told from another's."""

    def __init__(self) -> None:
        self._count = itertools.count(1)
        self.given: list[str] = []

    def __call__(self) -> str:
        number = next(self._count)
        text = f"{number}号{PAYLOADS[number % len(PAYLOADS)]}"
        self.given.append(text)
        return text


def _dashboard_ready(page: Page) -> None:
    """The measures and every chart are fetched after the page; the ranking's numbers are shown as a table."""
    page.wait_for_selector("ul.achievements")
    expect(page.locator(".chart-card:not([data-loaded])")).to_have_count(0)
    expect(page.locator(".chart-card[data-loaded=error]")).to_have_count(0)
    page.click("[data-chart=ranking] .table-toggle")


def _check(
    page: Page,
    url: str,
    expected: list[str] | dict[str, list[str]],
    ready: Callable[[Page], None] | None = None,
) -> None:
    """Load the page (and, with `ready`, wait for what its scripts fill in); no payload ran, and each expected
    text is on the page as text — so a page that dropped the field would fail as well as one that ran it.
    `expected` is for the whole page, or per part of it (a CSS selector) where the text shows up elsewhere
    too (a unit's name in the filter's choices besides the table that must show it)."""
    page.goto(url)
    page.wait_for_load_state("load")
    if ready is not None:
        ready(page)
    assert page.evaluate("window.__xss") is None, f"a payload ran on {url}"
    for part, texts in (expected if isinstance(expected, dict) else {"body": expected}).items():
        shown = page.inner_text(part)
        missing = [text for text in texts if text not in shown]
        assert not missing, f"{url} ({part}): not shown as text: {missing}"


@pytest.mark.django_db(transaction=True)
def test_script_like_text_in_every_field_is_shown_as_text_and_never_runs(
    live_server: Any,
    browser: Browser,
    units: Org,
    employee: Person,
    handler: Person,
    leader: Person,
    supervisor: Person,
    admin_user: Person,
) -> None:
    say = Payloads()
    today = clock.today()
    # names of a unit, a place and a category
    unit_name = say()
    Unit.objects.filter(pk=units.workshop.pk).update(name=unit_name)
    units.workshop.refresh_from_db()
    sibling_name = say()  # ranked on the dashboard among the enterprise's units
    Unit.objects.filter(pk=units.sibling.pk).update(name=sibling_name)
    place = Place.objects.create(name=say(), code="xss1", unit=units.workshop)
    category: Category = make_category(code="xss", name=say())

    # an opinion at a listed place with an addition; one from a walk-in with a place and a name typed in
    opinion_text = say()
    opinion = intake.opinion_submit(
        user=employee, data=intake.OpinionInput(text=opinion_text, unit=units.workshop, place=place)
    )
    walk_in_text, place_text, contact = say(), say(), say()
    walk_in = intake.opinion_submit(
        user=AnonymousUser(),
        data=intake.OpinionInput(
            text=walk_in_text, unit=units.workshop, place_text=place_text, contact_name=contact
        ),
    )
    addition = say()
    intake.opinion_add(user=employee, text=addition, opinion_id=opinion.pk)

    # a second opinion made into a problem with every text of the draft written
    title, description, measures, source = say(), say(), say(), say()
    raised = intake.opinion_submit(
        user=employee, data=intake.OpinionInput(text=say(), unit=units.plant, contact_name=say())
    )
    problem = intake.opinion_triage(
        user=supervisor,
        opinion_id=raised.pk,
        draft=ledger.ProblemDraft(
            title=title,
            category=category,
            lead_unit=units.plant,
            description=description,
            measures=measures,
            source=source,
            deadline=today + dt.timedelta(days=30),
            target_quantity=1,
            is_public=True,
        ),
    )
    ledger.problem_start(user=handler, problem_id=problem.pk)
    progress = say()
    ledger.problem_record_progress(user=handler, problem_id=problem.pk, note=progress)
    extension_reason = say()
    ledger.problem_request_extension(
        user=handler,
        problem_id=problem.pk,
        new_deadline=today + dt.timedelta(days=60),
        reason=extension_reason,
    )
    urge_message = say()
    supervision.urge_issue(user=supervisor, problem_id=problem.pk, colour=Colour.YELLOW, message=urge_message)
    notice = UrgeNotice.objects.get(problem=problem)
    urge_reply = say()
    supervision.urge_reply(user=handler, notice_id=notice.pk, reply=urge_reply)
    ledger.problem_decide_extension(user=supervisor, problem_id=problem.pk, approve=True)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=problem.pk,
        completion_note=say(),
        done_quantity=1,
        evidence=[jpeg_upload("after.jpg")],
    )
    rejection = say()
    ledger.problem_reject(user=leader, problem_id=problem.pk, reason=rejection)
    completion = say()
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note=completion, done_quantity=1
    )
    rating = say()
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict="satisfied", comment=rating)
    problem = Problem.objects.get(pk=problem.pk)

    # a second problem, of the payload-named workshop, in progress with its deadline near (the urge desk
    # lists it) and an extension waiting for a decision (the extension queue shows its reason)
    near_title = say()
    near = intake.opinion_triage(
        user=supervisor,
        opinion_id=intake.opinion_submit(
            user=employee, data=intake.OpinionInput(text=say(), unit=units.workshop)
        ).pk,
        draft=ledger.ProblemDraft(
            title=near_title,
            category=category,
            lead_unit=units.workshop,
            deadline=today + dt.timedelta(days=2),
        ),
    )
    ledger.problem_start(user=handler, problem_id=near.pk)
    pending_reason = say()
    ledger.problem_request_extension(
        user=handler, problem_id=near.pk, new_deadline=today + dt.timedelta(days=40), reason=pending_reason
    )

    # a campaign: its name, a phase, a meeting with minutes, a reflection, a document
    campaign_name, phase_name = say(), say()
    campaign = campaigns.campaign_create(
        user=admin_user,
        code="xss",
        name=campaign_name,
        organiser=units.root,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=60),
        phases=[
            campaigns.PhaseInput(phase_name, today - dt.timedelta(days=10), today + dt.timedelta(days=60))
        ],
    )
    meeting_title, minutes = say(), say()
    meeting = campaigns.meeting_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.MeetingInput(
            unit=units.plant,
            kind=MeetingKind.DEMOCRATIC_LIFE,
            title=meeting_title,
            held_on=today,
            attendees=(leader,),
        ),
    )
    campaigns.meeting_item_add(
        user=leader, meeting_id=meeting.pk, kind=ItemKind.SELF_CRITICISM, text=minutes, speaker=leader
    )
    study_topic = say()
    campaigns.study_session_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant, kind=StudyKind.LECTURE, topic=study_topic, held_on=today, attendees=(leader,)
        ),
    )
    reflection_title, reflection_text = say(), say()
    reflection = campaigns.reflection_write(
        user=employee, campaign_id=campaign.pk, title=reflection_title, text=reflection_text
    )
    document_title, document_text = say(), say()
    document = campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title=document_title,
        unit=units.plant,
        text=document_text,
    )

    # a leader's contact point (the payload-named workshop) and a visit to it
    point = campaigns.contact_point_assign(
        user=supervisor, campaign_id=campaign.pk, leader=leader, unit=units.workshop, since=today, note=say()
    )
    people_met, raised_on_visit = say(), say()
    visit = campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(visited_on=today, people_met=people_met, raised=raised_on_visit),
    )

    base = live_server.url
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    # anonymous: the public board, the problem as the public sees it, the receipt page
    _check(page, f"{base}{reverse('web:home')}", [title])
    _check(page, f"{base}{reverse('intake:receipt', args=[opinion.receipt_code])}", [opinion_text, addition])

    # the raiser: my opinions, my work, the problem, search
    log_in(page, base, employee.username, PASSWORD)
    _check(page, f"{base}{reverse('ledger:problem', args=[problem.pk])}", [title, description, rating])
    _check(page, f"{base}{reverse('search:results')}?q=号", [title])

    # the supervisor: ledger, triage desk and the opinion on it, urge desk, notices, dashboard, campaign pages
    page.context.clear_cookies()
    log_in(page, base, supervisor.username, PASSWORD)
    _check(
        page,
        f"{base}{reverse('ledger:problem', args=[problem.pk])}",
        [title, description, measures, source, progress, extension_reason, rejection, completion],
    )
    _check(page, f"{base}{reverse('ledger:ledger')}", [title, unit_name])
    _check(page, f"{base}{reverse('intake:triage')}", [opinion_text])
    _check(
        page,
        f"{base}{reverse('intake:triage_opinion', args=[opinion.pk])}",
        [opinion_text, place.name, addition],
    )
    _check(
        page,
        f"{base}{reverse('intake:triage_opinion', args=[walk_in.pk])}",
        [walk_in_text, place_text, contact],
    )
    _check(page, f"{base}{reverse('supervision:urge_desk')}", [near_title, unit_name])
    _check(page, f"{base}{reverse('supervision:extensions')}", [near_title, unit_name, pending_reason])
    _check(page, f"{base}{reverse('supervision:notices')}", [title])
    _check(page, f"{base}{reverse('supervision:notice', args=[notice.pk])}", [urge_message, urge_reply])
    # the unit's answer to the supervisor's urge notice comes back to the supervisor
    _check(page, f"{base}{reverse('supervision:notifications')}", [urge_reply])
    # the payload-named unit in the ranking's table, the payload-named category in the achievements
    _check(
        page,
        f"{base}{reverse('reports:dashboard')}",
        {"[data-chart=ranking] .chart-table": [sibling_name], "ul.achievements": [category.name]},
        _dashboard_ready,
    )
    _check(page, f"{base}{reverse('search:results')}?q=号", [title, opinion_text])
    _check(page, f"{base}{reverse('campaigns:home', args=[campaign.code])}", [campaign_name, phase_name])
    _check(page, f"{base}{reverse('campaigns:meetings', args=[campaign.code])}", [meeting_title])
    _check(page, f"{base}{reverse('campaigns:contact_points', args=[campaign.code])}", [unit_name])
    _check(page, f"{base}{reverse('campaigns:visit', args=[visit.pk])}", [people_met, raised_on_visit])
    _check(page, f"{base}{reverse('campaigns:meeting', args=[meeting.pk])}", [meeting_title, minutes])
    _check(page, f"{base}{reverse('campaigns:study', args=[campaign.code])}", [study_topic])
    _check(
        page,
        f"{base}{reverse('campaigns:reflection', args=[reflection.pk])}",
        [reflection_title, reflection_text],
    )
    _check(page, f"{base}{reverse('campaigns:documents', args=[campaign.code])}", [document_title])
    _check(
        page, f"{base}{reverse('campaigns:document', args=[document.pk])}", [document_title, document_text]
    )

    # the leader, whose signature the close-out waits for: my work; the handler: notifications
    page.context.clear_cookies()
    log_in(page, base, leader.username, PASSWORD)
    _check(page, f"{base}{reverse('web:my_work')}", [title])
    page.context.clear_cookies()
    log_in(page, base, handler.username, PASSWORD)
    # the urge notice sent to the unit's handler names the problem and carries the supervisor's words
    _check(page, f"{base}{reverse('supervision:notifications')}", [title, urge_message])
    assert len(say.given) > 30
