"""Campaign pages: the home page (phases, figures, timeline), contact points and visits, study, meetings, and
check materials with their revisions. Views parse, fetch through the selectors' access functions (NotFound
→ 404), call a service through `attempt`, and render."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from taizhang.campaigns import permissions, selectors, services
from taizhang.campaigns.diff import diff_texts
from taizhang.campaigns.forms import (
    ApproveForm,
    CommentForm,
    ContactPointForm,
    DiffForm,
    DocumentForm,
    MeetingForm,
    MeetingItemForm,
    ReflectionForm,
    RevisionForm,
    StudySessionForm,
    VisitForm,
    VisitOpinionForm,
)
from taizhang.campaigns.models import Campaign, Document, Revision
from taizhang.core import clock
from taizhang.core.errors import NotFound
from taizhang.intake.models import format_receipt
from taizhang.ledger.forms import ProblemDraftForm
from taizhang.org.models import Person, Role
from taizhang.web.auth import user_of
from taizhang.web.errors import attempt

PAGE_SIZE = 50


def _found[T](fetch: Callable[[], T]) -> T:
    try:
        return fetch()
    except NotFound:
        raise Http404 from None


def _person(request: HttpRequest) -> Person:
    user = user_of(request)
    if not isinstance(user, Person):  # login_required runs first; this narrows the type
        raise Http404
    return user


def _campaign(request: HttpRequest, code: str) -> Campaign:
    return _found(lambda: selectors.access_campaign(user_of(request), code))


def _render(
    request: HttpRequest, template: str, campaign: Campaign, tab: str, context: dict[str, Any]
) -> HttpResponse:
    return render(request, template, {"campaign": campaign, "tab": tab, **context})


# --- campaigns ------------------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    found = list(selectors.campaigns_visible_to(user_of(request)))
    rows = [(campaign, selectors.current_phase(campaign)) for campaign in found]
    return render(request, "campaigns/list.html", {"rows": rows, "today": clock.today()})


@login_required
@require_GET
def campaign_home(request: HttpRequest, code: str) -> HttpResponse:
    """The current phase, what each phase produced, and the timeline."""
    campaign = _campaign(request, code)
    user = user_of(request)
    today = clock.today()
    figures = selectors.phase_figures(user, campaign, today)
    return _render(
        request,
        "campaigns/home.html",
        campaign,
        "home",
        {
            "current": next((f.phase for f in figures if f.is_current), None),
            "figures": figures,
            "timeline": selectors.campaign_timeline(user, campaign),
            "today": today,
            "ended": campaign.ends_on is not None and campaign.ends_on < today,
            "not_started": campaign.starts_on > today,
        },
    )


# --- contact points and visits --------------------------------------------------------------------------


@login_required
def contact_points(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    user = _person(request)
    assignable = selectors.units_in_charge(user, (Role.SUPERVISOR, Role.ADMIN))
    form = ContactPointForm(request.POST or None, units=assignable, prefix="assign")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: services.contact_point_assign(
                user=user,
                campaign_id=campaign.pk,
                leader=data["leader"],
                unit=data["unit"],
                since=data.get("since"),
                note=data.get("note") or "",
            ),
            form=form,
            success=_("The contact point was assigned."),
        )
        if done is not None:
            return redirect("campaigns:contact_points", code=campaign.code)
    months = selectors.campaign_months(campaign)
    visits = (
        selectors.visits_visible_to(user)
        .filter(contact_point__campaign=campaign)
        .select_related("contact_point__leader", "contact_point__unit")
    )
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "campaigns/contact_points.html",
        campaign,
        "contact_points",
        {
            "months": months,
            "leaders": selectors.leader_figures(user, campaign, months),
            "page": page,
            "assign_form": form if assignable.exists() else None,
            "can_record": selectors.recordable_contact_points(user, campaign).exists(),
        },
    )


@login_required
def visit_new(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    user = _person(request)
    points = selectors.recordable_contact_points(user, campaign)
    if not points.exists():
        raise Http404
    form = VisitForm(request.POST or None, points=points, initial={"visited_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        visit = attempt(
            request,
            lambda: services.visit_record(
                user=user, contact_point_id=form.cleaned_data["contact_point"].pk, data=form.to_input()
            ),
            form=form,
            success=_("The visit was recorded. Enter what people raised, one opinion at a time."),
        )
        if visit is not None:
            return redirect("campaigns:visit", visit_id=visit.pk)
    return _render(request, "campaigns/visit_new.html", campaign, "contact_points", {"form": form})


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = _person(request)
    visit = _found(lambda: selectors.access_visit(user, visit_id))
    may_record = permissions.can_record_visit(user, visit.contact_point)
    form = None
    if may_record:
        form = VisitOpinionForm(request.POST or None, initial={"idempotency_key": secrets.token_urlsafe(16)})
        if request.method == "POST" and form.is_valid():
            entered = form
            opinion = attempt(
                request,
                lambda: services.visit_opinion_add(
                    user=user,
                    visit_id=visit.pk,
                    data=entered.to_input(),
                    idempotency_key=entered.cleaned_data.get("idempotency_key") or None,
                ),
                form=form,
            )
            if opinion is not None:
                messages.success(
                    request,
                    _(
                        "The opinion went to the triage desk. Its receipt code is %(code)s: "
                        "give it to the person, who follows it with the code."
                    )
                    % {"code": format_receipt(opinion.receipt_code)},
                )
                return redirect("campaigns:visit", visit_id=visit.pk)
    elif request.method == "POST":
        raise Http404
    links = visit.opinion_links.select_related("opinion", "opinion__problem", "opinion__unit").order_by(
        "linked_at"
    )
    return render(
        request,
        "campaigns/visit.html",
        {
            "visit": visit,
            "campaign": visit.contact_point.campaign,
            "tab": "contact_points",
            "links": links,
            "form": form,
        },
    )


# --- study ----------------------------------------------------------------------------------------------


@login_required
def study(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    user = _person(request)
    units = selectors.units_in_charge(user, permissions.RECORDING_ROLES)
    form = StudySessionForm(request.POST or None, units=units, prefix="session")
    if request.method == "POST" and form.is_valid():
        session = attempt(
            request,
            lambda: services.study_session_record(user=user, campaign_id=campaign.pk, data=form.to_input()),
            form=form,
            success=_("The study session was recorded."),
        )
        if session is not None:
            return redirect("campaigns:study_session", session_id=session.pk)
    sessions = (
        selectors.study_sessions_visible_to(user)
        .filter(campaign=campaign)
        .select_related("unit")
        .prefetch_related("attendees")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = selectors.reflections_visible_to(user).filter(campaign=campaign, author=user)
    return _render(
        request,
        "campaigns/study.html",
        campaign,
        "study",
        {
            "page": page,
            "counts": selectors.reflection_counts(user, campaign),
            "mine": mine,
            "form": form if units.exists() else None,
            "can_write": permissions.can_write_reflection(user),
        },
    )


@login_required
@require_GET
def study_session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = _person(request)
    session = _found(lambda: selectors.access_study_session(user, session_id))
    reflections = (
        selectors.reflections_visible_to(user).filter(session=session).select_related("author", "unit")
    )
    return render(
        request,
        "campaigns/study_session.html",
        {
            "session": session,
            "campaign": session.campaign,
            "tab": "study",
            "attendees": session.attendees.select_related("unit").order_by("unit__path", "name"),
            "reflections": reflections,
        },
    )


@login_required
def reflection_new(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    user = _person(request)
    sessions = selectors.study_sessions_visible_to(user).filter(campaign=campaign)
    form = ReflectionForm(
        request.POST or None, sessions=sessions, initial={"session": request.GET.get("session")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reflection = attempt(
            request,
            lambda: services.reflection_write(
                user=user,
                campaign_id=campaign.pk,
                title=data["title"],
                text=data["text"],
                session_id=data["session"].pk if data.get("session") else None,
            ),
            form=form,
            success=_("Your reflection was saved."),
        )
        if reflection is not None:
            return redirect("campaigns:reflection", reflection_id=reflection.pk)
    return _render(request, "campaigns/reflection_new.html", campaign, "study", {"form": form})


@login_required
@require_GET
def reflection_detail(request: HttpRequest, reflection_id: int) -> HttpResponse:
    user = _person(request)
    reflection = _found(lambda: selectors.access_reflection(user, reflection_id))
    return render(
        request,
        "campaigns/reflection.html",
        {"reflection": reflection, "campaign": reflection.campaign, "tab": "study"},
    )


# --- meetings -------------------------------------------------------------------------------------------


def _period(request: HttpRequest, campaign: Campaign) -> tuple[dt.date, dt.date]:
    """The period the meeting figures compare with a year earlier: from 1 January of the campaign's year to
    its end (or today), unless the page asks for another."""
    default_end = min(campaign.ends_on or clock.today(), clock.today())
    start = dt.date(campaign.starts_on.year, 1, 1)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", "")) if request.GET.get("start") else start
        end = dt.date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else default_end
    except ValueError:
        return start, default_end
    return (start, end) if start <= end else (end, start)


@login_required
def meetings(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    user = _person(request)
    units = selectors.units_in_charge(user, permissions.RECORDING_ROLES)
    form = MeetingForm(request.POST or None, units=units, prefix="meeting")
    if request.method == "POST" and form.is_valid():
        ordinary = bool(form.cleaned_data.get("ordinary"))
        meeting = attempt(
            request,
            lambda: services.meeting_record(
                user=user, data=form.to_input(), campaign_id=None if ordinary else campaign.pk
            ),
            form=form,
            success=_("The meeting was recorded."),
        )
        if meeting is not None:
            return redirect("campaigns:meeting", meeting_id=meeting.pk)
    page = Paginator(selectors.meeting_list(user, campaign), PAGE_SIZE).get_page(request.GET.get("page"))
    start, end = _period(request, campaign)
    before = selectors.same_period_last_year(start, end)
    return _render(
        request,
        "campaigns/meetings.html",
        campaign,
        "meetings",
        {
            "page": page,
            "by_unit": selectors.meeting_counts_by_unit(user, start, end),
            "start": start,
            "end": end,
            "before": before,
            "form": form if units.exists() else None,
        },
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _person(request)
    meeting = _found(lambda: selectors.access_meeting(user, meeting_id))
    attendees = meeting.attendees.select_related("unit").order_by("unit__path", "name")
    may_add = permissions.can_add_meeting_item(user, meeting)
    form = MeetingItemForm(request.POST or None, attendees=attendees) if may_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            item = attempt(
                request,
                lambda: services.meeting_item_add(
                    user=user,
                    meeting_id=meeting.pk,
                    kind=data["kind"],
                    text=data["text"],
                    speaker=data.get("speaker"),
                    speaker_name=data.get("speaker_name") or "",
                    subject=data.get("subject"),
                ),
                form=form,
                success=_("Added to the minutes."),
            )
            if item is not None:
                return redirect("campaigns:meeting", meeting_id=meeting.pk)
    items = list(meeting.items.select_related("speaker", "subject", "problem", "meeting__unit"))
    return render(
        request,
        "campaigns/meeting.html",
        {
            "meeting": meeting,
            "campaign": meeting.campaign,
            "tab": "meetings",
            "attendees": attendees,
            "items": items,
            "form": form,
            "listable": {item.pk for item in items if permissions.can_turn_item_into_problem(user, item)},
        },
    )


@login_required
def meeting_item_problem(request: HttpRequest, item_id: int) -> HttpResponse:
    """The supervision group fills in the ledger row for what a meeting raised (立项)."""
    user = _person(request)
    item = _found(lambda: selectors.access_meeting_item(user, item_id))
    meeting = item.meeting
    if not permissions.can_turn_item_into_problem(user, item):
        raise Http404
    form = ProblemDraftForm(
        request.POST or None,
        prefix="item",
        initial={
            "title": item.text.splitlines()[0][:60],
            "description": item.text,
            "lead_unit": meeting.unit_id,
            "deadline": clock.today() + dt.timedelta(days=30),
            "campaign": meeting.campaign_id,
            "source": meeting.get_kind_display()[:100],
        },
    )
    if request.method == "POST" and form.is_valid():
        problem = attempt(
            request,
            lambda: services.meeting_item_to_problem(user=user, item_id=item.pk, draft=form.to_draft()),
            form=form,
            success=_("It is on the problem list."),
        )
        if problem is not None:
            return redirect("ledger:problem", problem_id=problem.pk)
    return render(
        request,
        "campaigns/item_problem.html",
        {"item": item, "meeting": meeting, "campaign": meeting.campaign, "tab": "meetings", "form": form},
    )


# --- documents ------------------------------------------------------------------------------------------


@login_required
def documents(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign(request, code)
    user = _person(request)
    units = selectors.units_in_charge(user, permissions.READING_ROLES)
    form = DocumentForm(request.POST or None, units=units, prefix="document")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = attempt(
            request,
            lambda: services.document_start(
                user=user,
                campaign_id=campaign.pk,
                kind=data["kind"],
                title=data["title"],
                unit=data["unit"],
                text=data["text"],
                note=data.get("note") or "",
            ),
            form=form,
            success=_("The first draft was saved."),
        )
        if document is not None:
            return redirect("campaigns:document", document_id=document.pk)
    found = selectors.document_list(user, campaign)
    return _render(
        request,
        "campaigns/documents.html",
        campaign,
        "documents",
        {"documents": found, "form": form if units.exists() else None},
    )


def _diff_context(
    document: Document, revisions: list[Revision], a: int | None, b: int | None
) -> dict[str, Any]:
    numbers = {revision.number: revision for revision in revisions}
    if len(revisions) < 2:
        return {"diff": None}
    if a not in numbers or b not in numbers:
        a, b = revisions[-2].number, revisions[-1].number
    assert a is not None and b is not None  # noqa: S101  # chosen above
    old, new = numbers[a], numbers[b]
    return {"diff": diff_texts(old.text, new.text), "diff_old": old, "diff_new": new, "document": document}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    user = _person(request)
    document = _found(lambda: selectors.access_document(user, document_id))
    revisions = list(selectors.document_revisions(document))
    latest = revisions[-1]
    forms_shown: dict[str, Any] = {}
    if permissions.can_revise(user, document):
        forms_shown["revise"] = RevisionForm(
            prefix="revise", initial={"text": latest.text, "based_on": latest.number}
        )
    if permissions.can_review(user, document):
        forms_shown["comment"] = CommentForm(prefix="comment")
    if permissions.can_approve(user, document):
        forms_shown["approve"] = ApproveForm(prefix="approve", initial={"revision": latest.number})
    if request.method == "POST":
        done = _document_post(request, user, document, forms_shown)
        if done is not None:
            return done
    return render(
        request,
        "campaigns/document.html",
        {
            "document": document,
            "campaign": document.campaign,
            "tab": "documents",
            "revisions": revisions,
            "latest": latest,
            "forms": forms_shown,
            "blank_comment": CommentForm(prefix="comment"),
            "comment_failed_on": _int(request.POST.get("revision_id")) if request.method == "POST" else None,
            "diff_form": DiffForm(
                initial={"a": revisions[-2].number if len(revisions) > 1 else 1, "b": latest.number}
            ),
            **_diff_context(document, revisions, _int(request.GET.get("a")), _int(request.GET.get("b"))),
        },
    )


def _document_post(
    request: HttpRequest, user: Person, document: Document, forms_shown: dict[str, Any]
) -> HttpResponse | None:
    action = request.POST.get("action", "")
    if action not in forms_shown:
        raise Http404
    result: object | None = None
    if action == "revise":
        revise = forms_shown["revise"] = RevisionForm(request.POST, prefix="revise")
        if revise.is_valid():
            data = revise.cleaned_data
            result = attempt(
                request,
                lambda: services.revision_add(
                    user=user,
                    document_id=document.pk,
                    text=data["text"],
                    note=data.get("note") or "",
                    based_on=data["based_on"],
                ),
                form=revise,
                success=_("The new revision was saved."),
            )
    elif action == "comment":
        comment = forms_shown["comment"] = CommentForm(request.POST, prefix="comment")
        revision_id = _int(request.POST.get("revision_id"))
        if comment.is_valid() and revision_id is not None:
            result = attempt(
                request,
                lambda: services.review_comment_add(
                    user=user, revision_id=revision_id, text=comment.cleaned_data["text"]
                ),
                form=comment,
                success=_("Your comment was added to the revision."),
            )
    else:
        approve = forms_shown["approve"] = ApproveForm(request.POST, prefix="approve")
        if approve.is_valid():
            data = approve.cleaned_data
            result = attempt(
                request,
                lambda: services.document_approve(
                    user=user,
                    document_id=document.pk,
                    revision_number=data["revision"],
                    note=data.get("note") or "",
                ),
                form=approve,
                success=_("Approved."),
            )
    if result is None:
        return None
    return redirect("campaigns:document", document_id=document.pk)


@login_required
@require_GET
def document_diff(request: HttpRequest, document_id: int) -> HttpResponse:
    """The difference between two revisions; HTMX swaps it into the document page, without it a full page."""
    user = _person(request)
    document = _found(lambda: selectors.access_document(user, document_id))
    revisions = list(selectors.document_revisions(document))
    form = DiffForm(request.GET or None)
    a = b = None
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    context = {
        "document": document,
        "campaign": document.campaign,
        "tab": "documents",
        "revisions": revisions,
        "diff_form": form,
        **_diff_context(document, revisions, a, b),
    }
    template = "campaigns/_diff.html" if request.htmx else "campaigns/diff.html"  # type: ignore[attr-defined]  # django-htmx middleware
    return render(request, template, context)
