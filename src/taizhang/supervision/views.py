"""Supervision pages: the urge desk, urge notices and replies, the extension queue and request form, the
look-back queue, notifications. Parse → selector or service → render; domain errors become messages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taizhang.core import clock
from taizhang.core.errors import DomainError, NotFound
from taizhang.ledger import services as ledger
from taizhang.ledger.permissions import access_problem, offered_actions
from taizhang.ledger.workflow import Action
from taizhang.org.models import Role
from taizhang.supervision import selectors, services
from taizhang.supervision.models import Colour
from taizhang.web.auth import STAFF_ROLES, role_required, user_of

PAGE_SIZE = 50


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


@login_required
@role_required(Role.SUPERVISOR)
@require_GET
def urge_desk(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rows = selectors.urge_desk(user)
    return render(
        request,
        "supervision/urge_desk.html",
        {"rows": rows, "colours": Colour.choices, "today": clock.today()},
    )


@login_required
@role_required(Role.SUPERVISOR)
@require_POST
def urge_issue(request: HttpRequest, problem_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        problem = access_problem(user, problem_id)
    except NotFound:
        raise Http404 from None
    try:
        notice = services.urge_issue(
            user=user,
            problem_id=problem.pk,
            colour=request.POST.get("colour", ""),
            message=request.POST.get("message", ""),
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _back(request, reverse("supervision:urge_desk"))
    messages.success(request, notice.get_colour_display())
    return redirect("supervision:notice", notice_id=notice.pk)


@login_required
@role_required(*STAFF_ROLES)
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    waiting = request.GET.get("waiting") == "1"
    notices = selectors.notice_list(user_of(request), waiting_only=waiting)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/notice_list.html", {"page": page, "waiting": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = user_of(request)
    notice = selectors.notices_visible_to(user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    if request.method == "POST":
        try:
            services.urge_reply(user=user, notice_id=notice.pk, reply=request.POST.get("reply", ""))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("supervision:notice", notice_id=notice.pk)
    may_reply = notice.is_open and Action.REPLY_URGE in offered_actions(user, notice.problem)
    return render(
        request,
        "supervision/notice.html",
        {
            "notice": notice,
            "problem": notice.problem,
            "may_reply": may_reply,
            "events": notice.problem.events.filter(payload__notice=notice.pk).select_related("actor"),
        },
    )


@login_required
@role_required(Role.SUPERVISOR)
@require_GET
def extension_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/extension_queue.html",
        {"extensions": selectors.extension_queue(user_of(request))},
    )


@login_required
@role_required(Role.SUPERVISOR)
@require_POST
def extension_decide(request: HttpRequest, problem_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        problem = access_problem(user, problem_id)
    except NotFound:
        raise Http404 from None
    try:
        ledger.problem_decide_extension(
            user=user,
            problem_id=problem.pk,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("supervision:extensions")


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request: HttpRequest, problem_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        problem = access_problem(user, problem_id)
    except NotFound:
        raise Http404 from None
    if Action.REQUEST_EXTENSION not in offered_actions(user, problem):
        raise Http404
    if request.method == "POST":
        try:
            services.extension_request(
                user=user,
                problem_id=problem.pk,
                reason=request.POST.get("reason", ""),
                days=_int(request.POST.get("days")),
                new_deadline=_date(request.POST.get("new_deadline")),
                version=_int(request.POST.get("version")),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("ledger:problem", problem_id=problem.pk)
    return render(
        request,
        "supervision/extension_request.html",
        {"problem": problem, "pending": problem.extensions.filter(status="pending").first()},
    )


@login_required
@role_required(Role.SUPERVISOR)
@require_GET
def look_back_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/look_back_queue.html",
        {"look_backs": selectors.look_back_queue(user_of(request)), "today": clock.today()},
    )


@login_required
@role_required(Role.SUPERVISOR)
@require_POST
def look_back_record(request: HttpRequest, look_back_id: int) -> HttpResponse:
    user = user_of(request)
    if not selectors.look_back_queue(user).filter(pk=look_back_id).exists():
        raise Http404
    try:
        services.look_back_record(
            user=user,
            look_back_id=look_back_id,
            holds=request.POST.get("result") == "held",
            note=request.POST.get("note", ""),
            photos=request.FILES.getlist("photos"),
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("supervision:look_backs")


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    notifications = selectors.notifications_of(user)
    if request.GET.get("unread") == "1":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/notifications.html",
        {
            "page": page,
            "unread": selectors.unread_count(user),
            "unread_only": request.GET.get("unread") == "1",
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    notification_id = _int(request.POST.get("notification"))
    try:
        services.notification_mark_read(user=user, notification_id=notification_id)
    except NotFound:
        raise Http404 from None
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("supervision:notifications")
