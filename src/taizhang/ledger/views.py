"""Ledger pages: the table, a problem's page with the actions the workflow offers this person, supports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from taizhang.core.errors import DomainError, NotFound
from taizhang.ledger import services, workflow
from taizhang.ledger.forms import (
    CloseoutForm,
    EditForm,
    LedgerFilterForm,
    LookBackForm,
    NoteForm,
    ProgressForm,
    RatingForm,
    ReasonForm,
    ReassignForm,
    ReopenForm,
    VerifyForm,
)
from taizhang.ledger.models import Evidence, Problem
from taizhang.ledger.permissions import access_problem, actors_on, offered_actions
from taizhang.ledger.selectors import LedgerFilter, can_see_internals, problem_list, problem_timeline
from taizhang.ledger.workflow import Action, Actor
from taizhang.org.models import Person
from taizhang.supervision.selectors import lights_for
from taizhang.web.auth import STAFF_ROLES, role_required, user_of
from taizhang.web.errors import attempt

PAGE_SIZE = 50

type Call = Callable[[Person, Problem, dict[str, Any]], object]


@dataclass(frozen=True)
class ActionSpec:
    """How the web page asks for one workflow action: its form, the service it calls, what it says after."""

    form: type[forms.Form]
    call: Call
    done: str | Promise


def _v(data: dict[str, Any]) -> int | None:
    version: int | None = data.get("version")
    return version


#: The workflow actions the problem page offers as forms. Urging (three-colour notices) and extension requests
#: (in working days) have their own pages in supervision, linked from the panel on the problem page.
ACTIONS: dict[Action, ActionSpec] = {
    Action.START: ActionSpec(
        NoteForm,
        lambda u, p, d: services.problem_start(user=u, problem_id=p.pk, version=_v(d), note=d["note"]),
        gettext_lazy("Work started."),
    ),
    Action.RETURN: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_return(user=u, problem_id=p.pk, version=_v(d), reason=d["reason"]),
        gettext_lazy("Returned to the supervisors."),
    ),
    Action.REASSIGN: ActionSpec(
        ReassignForm,
        lambda u, p, d: services.problem_reassign(
            user=u,
            problem_id=p.pk,
            lead_unit=d["lead_unit"],
            deadline=d.get("deadline"),
            note=d.get("note") or "",
        ),
        gettext_lazy("Reassigned."),
    ),
    Action.PROGRESS: ActionSpec(
        ProgressForm,
        lambda u, p, d: services.problem_record_progress(
            user=u,
            problem_id=p.pk,
            version=_v(d),
            note=d.get("note") or "",
            done_quantity=d.get("done_quantity"),
            photos=d.get("photos") or [],
        ),
        gettext_lazy("Progress recorded."),
    ),
    Action.APPROVE_EXTENSION: ActionSpec(
        NoteForm,
        lambda u, p, d: services.problem_decide_extension(
            user=u, problem_id=p.pk, version=_v(d), approve=True, note=d["note"]
        ),
        gettext_lazy("Extension approved."),
    ),
    Action.REJECT_EXTENSION: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_decide_extension(
            user=u, problem_id=p.pk, version=_v(d), approve=False, note=d["reason"]
        ),
        gettext_lazy("Extension rejected."),
    ),
    Action.REQUEST_CLOSEOUT: ActionSpec(
        CloseoutForm,
        lambda u, p, d: services.problem_request_closeout(
            user=u,
            problem_id=p.pk,
            version=_v(d),
            completion_note=d["completion_note"],
            done_quantity=d.get("done_quantity"),
            evidence=d.get("evidence") or [],
        ),
        gettext_lazy("Close-out requested; the raisers are asked to rate the fix."),
    ),
    Action.SIGN: ActionSpec(
        NoteForm,
        lambda u, p, d: services.problem_sign(user=u, problem_id=p.pk, version=_v(d), note=d["note"]),
        gettext_lazy("Signed."),
    ),
    Action.REJECT: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_reject(user=u, problem_id=p.pk, version=_v(d), reason=d["reason"]),
        gettext_lazy("Sent back to work."),
    ),
    Action.VERIFY: ActionSpec(
        VerifyForm,
        lambda u, p, d: services.problem_verify(
            user=u, problem_id=p.pk, version=_v(d), note=d.get("note") or "", notice_days=d.get("notice_days")
        ),
        gettext_lazy("Verified."),
    ),
    Action.OBJECT: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_object(user=u, problem_id=p.pk, reason=d["reason"]),
        gettext_lazy("Objection recorded."),
    ),
    Action.UPHOLD_OBJECTION: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_decide_objection(
            user=u, problem_id=p.pk, version=_v(d), uphold=True, reason=d["reason"]
        ),
        gettext_lazy("Objection upheld; the item is back in work."),
    ),
    Action.DISMISS_OBJECTION: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_decide_objection(
            user=u, problem_id=p.pk, version=_v(d), uphold=False, reason=d["reason"]
        ),
        gettext_lazy("Objection dismissed."),
    ),
    Action.CONCLUDE_NOTICE: ActionSpec(
        NoteForm,
        lambda u, p, d: services.problem_conclude_notice(user=u, problem_id=p.pk, note=d["note"]),
        gettext_lazy("Closed out."),
    ),
    Action.LOOK_BACK_HOLD: ActionSpec(
        LookBackForm,
        lambda u, p, d: services.problem_look_back(
            user=u,
            problem_id=p.pk,
            version=_v(d),
            holds=d["holds"],
            note=d["note"],
            photos=d.get("photos") or [],
        ),
        gettext_lazy("Look-back recorded."),
    ),
    Action.REOPEN: ActionSpec(
        ReopenForm,
        lambda u, p, d: services.problem_reopen(
            user=u, problem_id=p.pk, version=_v(d), reason=d["reason"], cause=d["cause"]
        ),
        gettext_lazy("Reopened."),
    ),
    Action.CANCEL: ActionSpec(
        ReasonForm,
        lambda u, p, d: services.problem_cancel(user=u, problem_id=p.pk, version=_v(d), reason=d["reason"]),
        gettext_lazy("Cancelled."),
    ),
    Action.RATE: ActionSpec(
        RatingForm,
        lambda u, p, d: services.problem_rate(
            user=u, problem_id=p.pk, verdict=d["verdict"], comment=d["comment"]
        ),
        gettext_lazy("Thank you: your rating was recorded."),
    ),
    Action.EDIT: ActionSpec(
        EditForm,
        lambda u, p, d: services.problem_edit(user=u, problem_id=p.pk, version=_v(d), changes=d["changes"]),
        gettext_lazy("Saved."),
    ),
}


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts up to COUNT_CAP rows only: counting a million rows costs more than the page itself
    (docs/scale.md). Past the cap the page says "≥ 10000 items" and offers the first 200 pages."""

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        rows: Any = self.object_list
        # Without the list's order: the database may then pick the filter's index rather than walk the
        # order's index past every row the filter rejects (overdue items among a million, mostly closed).
        found: int = rows.order_by()[: self.COUNT_CAP + 1].count()
        self.capped = found > self.COUNT_CAP
        return min(found, self.COUNT_CAP)

    @cached_property
    def is_capped(self) -> bool:
        return self.count >= self.COUNT_CAP and self.capped


def _problem(request: HttpRequest, problem_id: int) -> Problem:
    try:
        return access_problem(user_of(request), problem_id)
    except NotFound:
        raise Http404 from None


@login_required
@role_required(*STAFF_ROLES)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """The ledger table: the person's scope, filtered, sorted, paginated."""
    form = LedgerFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = LedgerFilter(
        unit=data.get("unit"),
        category_id=data["category"].pk if data.get("category") else None,
        state=data.get("state") or None,
        overdue=bool(data.get("overdue")),
        campaign_id=data["campaign"].pk if data.get("campaign") else None,
        text=data.get("q") or "",
    )
    chosen_sort = data.get("sort") or ""
    sort = chosen_sort or "deadline"
    problems = problem_list(user_of(request), filters)
    # A search without a chosen order lists the best matches first.
    if chosen_sort or not filters.text.strip():
        problems = problems.order_by(sort, "pk")
    if form.errors:  # a filter that is not valid lists nothing, with the form's error, rather than everything
        problems = problems.none()
    page = CappedPaginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ledger/ledger.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "chosen_sort": chosen_sort,
            "query": query.urlencode(),
            "filters": filters,
            "lights": lights_for(list(page.object_list)),
        },
    )


def _action_forms(problem: Problem, actions: set[Action]) -> dict[str, forms.Form]:
    initial = {"version": problem.version}
    built: dict[str, forms.Form] = {}
    for action in sorted(actions):
        spec = ACTIONS.get(action)
        if spec is None:
            continue
        if spec.form is EditForm:
            built[action.value] = EditForm(
                prefix=action.value,
                initial={
                    **initial,
                    "title": problem.title,
                    "measures": problem.measures,
                    "owner": problem.owner_id,
                    "target_quantity": problem.target_quantity,
                    "deadline": problem.deadline,
                },
            )
        else:
            built[action.value] = spec.form(prefix=action.value, initial=initial)
    return built


def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _problem(request, problem_id)
    user = user_of(request)
    offered = offered_actions(user, problem)
    action_forms = _action_forms(problem, offered)
    if request.method == "POST":
        done = _act(request, problem, action_forms)
        if done is not None:
            return done
    internals = can_see_internals(user, problem)
    timeline = problem_timeline(problem)
    return render(
        request,
        "ledger/problem.html",
        {
            "problem": problem,
            "internals": internals,
            "timeline": timeline if internals else timeline.exclude(note=""),
            "evidence": problem.evidence.all() if internals else Evidence.objects.none(),
            "action_forms": action_forms,
            "labels": {row.action.value: row.label for row in workflow.TRANSITIONS},
            "supported": user.is_authenticated and problem.supports.filter(person_id=user.pk).exists(),
            "opinions": problem.opinions.select_related("unit").prefetch_related("photos")
            if internals
            else [],
            "milestones": problem.milestones.select_related("category") if problem.is_long_term else [],
            "lights": lights_for([problem]),
            "can_join": _can_join(user, problem),
        },
    )


def _can_join(user: Person | AnonymousUser, problem: Problem) -> bool:
    """ "Me too" is for people affected, not for those working on or supervising the item."""
    if not problem.is_public or problem.state not in workflow.ACTIVE_STATES:
        return False
    if not user.is_authenticated:
        return True
    busy = workflow.WORKING | {Actor.SUPERVISOR, Actor.ASSISTANT, Actor.RAISER}
    return actors_on(user, problem).isdisjoint(busy)


def _act(request: HttpRequest, problem: Problem, action_forms: dict[str, forms.Form]) -> HttpResponse | None:
    """Run the posted action. The buttons shown follow the workflow, and the service checks it again."""
    user = user_of(request)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        raise Http404 from None
    spec = ACTIONS.get(action)
    if spec is None or not isinstance(user, Person):
        raise Http404
    form = spec.form(request.POST, request.FILES, prefix=action.value)
    # An action this person was not offered is still sent to the service, which refuses it; the refusal is
    # shown as a message, not on a form they were never given.
    offered = action.value in action_forms
    if offered:
        action_forms[action.value] = form
    if not form.is_valid():
        if not offered:
            messages.error(request, _("You may not do that on this item."))
        return None
    data = dict(form.cleaned_data)
    if isinstance(form, EditForm):
        allowed: frozenset[str] = frozenset().union(
            *(workflow.EDITABLE_FIELDS.get(actor, frozenset()) for actor in actors_on(user, problem))
        )
        data["changes"] = form.changes(
            allowed,
            {
                "title": problem.title,
                "measures": problem.measures,
                "owner": problem.owner,
                "target_quantity": problem.target_quantity,
                "deadline": problem.deadline,
            },
        )
    result = attempt(
        request,
        lambda: spec.call(user, problem, data),
        form=form if offered else None,
        success=str(spec.done),
    )
    if result is None:
        return None
    return redirect("ledger:problem", problem_id=problem.pk)


@login_required
@require_POST
def support(request: HttpRequest, problem_id: int) -> HttpResponse:
    """点赞 / 取消: HTMX swaps the button; without JavaScript, back to the page."""
    problem = _problem(request, problem_id)
    wanted = request.POST.get("support") == "1"
    user = user_of(request)
    try:
        problem = services.problem_support(user=user, problem_id=problem.pk, support=wanted)
    except DomainError as error:
        return HttpResponse(str(error.message), status=error.http_status)
    context = {"problem": problem, "supported": wanted}
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
        return render(request, "ledger/_support.html", context)
    return redirect(request.POST.get("next") or "web:home")


@require_GET
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404
    problem = _problem(request, evidence.problem_id)
    if not can_see_internals(user_of(request), problem):
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=evidence.original_name or f"evidence-{evidence.pk}",
    )
