"""Intake pages: submit an opinion, follow it by receipt code, the triage desk, place posters."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from taizhang.core import clock
from taizhang.core.errors import NotFound
from taizhang.intake import posters, services
from taizhang.intake.forms import (
    AdditionForm,
    AttachForm,
    MergeForm,
    OpinionForm,
    ReceiptForm,
    ResponseForm,
    TriageFilterForm,
    channel_for,
)
from taizhang.intake.models import Opinion, OpinionPhoto, Place, format_receipt, normalise_receipt
from taizhang.intake.selectors import (
    TriageFilter,
    my_opinions,
    opinions_visible_to,
    triage_list,
    triage_queue,
    triage_units,
)
from taizhang.intake.suggest import suggest_category
from taizhang.ledger import services as ledger
from taizhang.ledger.forms import ProblemDraftForm, RatingForm, ReasonForm, ReassignForm
from taizhang.ledger.models import Problem, Rating
from taizhang.ledger.permissions import access_problem
from taizhang.ledger.selectors import problems_in_scope
from taizhang.ledger.workflow import State
from taizhang.org.models import Role
from taizhang.org.scope import scope_of
from taizhang.supervision.selectors import lights_for
from taizhang.web.auth import role_required, user_of
from taizhang.web.errors import attempt


def submit(request: HttpRequest) -> HttpResponse:
    """The opinion form (also what a place's QR code opens, with ?place=<code>)."""
    user = user_of(request)
    place = Place.objects.filter(code=request.GET.get("place", ""), is_active=True).first()
    if request.method == "POST":
        form = OpinionForm(request.POST, request.FILES, signed_in=user.is_authenticated)
        if form.is_valid():
            opinion = attempt(
                request,
                lambda: services.opinion_submit(
                    user=user,
                    data=form.to_input(channel_for(form.place_object())),
                    idempotency_key=form.cleaned_data.get("idempotency_key") or None,
                    photos=form.cleaned_data.get("photos") or [],
                ),
                form=form,
            )
            if opinion is not None:
                return redirect("intake:receipt", code=format_receipt(opinion.receipt_code))
    else:
        form = OpinionForm(
            initial={
                "place": place.code if place else "",
                "place_text": place.name if place else "",
                "unit": place.unit_id if place else None,
                "idempotency_key": secrets.token_urlsafe(16),
            },
            signed_in=user.is_authenticated,
        )
    return render(request, "intake/submit.html", {"form": form, "place": place})


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """HTMX: the category the text suggests, as the form's category field."""
    text = request.GET.get("text", "")[:2000]
    found = suggest_category(text) if len(text.strip()) >= 2 else None
    form = OpinionForm(initial={"category": found.category.pk if found else None})
    return render(request, "intake/_category_field.html", {"form": form, "suggestion": found})


def lookup(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.GET or None)
    if form.is_valid():
        code = normalise_receipt(form.cleaned_data["code"])
        if Opinion.objects.filter(receipt_code=code).exists():
            return redirect("intake:receipt", code=format_receipt(code))
        form.add_error("code", _("No opinion has that receipt code. Check the code on your receipt."))
    return render(request, "intake/lookup.html", {"form": form})


def _by_receipt(code: str) -> Opinion:
    opinion = (
        Opinion.objects.select_related(
            "problem", "problem__lead_unit", "problem__category", "unit", "place", "merged_into"
        )
        .filter(receipt_code=normalise_receipt(code))
        .first()
    )
    if opinion is None:
        raise Http404
    return opinion


def _outcome(opinion: Opinion) -> Opinion:
    """The opinion whose outcome this one shares (a merged duplicate follows its target)."""
    target = opinion
    while target.merged_into_id is not None and target.merged_into is not None:
        target = target.merged_into
    return target


def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone with the code follows the opinion: its outcome, its problem's progress, rating when asked."""
    opinion = _by_receipt(code)
    problem = opinion.problem
    can_rate = False
    if problem is not None and problem.state in (State.REVIEW, State.NOTICE, State.CLOSED):
        can_rate = not Rating.objects.filter(
            problem=problem, opinion=opinion, round=problem.closeout_round
        ).exists()
    return render(
        request,
        "intake/receipt.html",
        {
            "opinion": opinion,
            "code": format_receipt(opinion.receipt_code),
            "outcome": _outcome(opinion),
            "problem": problem,
            # what a raiser needs to follow: the changes of state, not the unit's internal notes
            "milestones": problem.events.exclude(to_state=F("from_state")).order_by("seq") if problem else [],
            "photos": opinion.photos.all(),
            "additions": opinion.additions.all(),
            "can_withdraw": opinion.state == Opinion.State.NEW,
            "can_rate": can_rate,
            "can_object": problem is not None
            and problem.state == State.NOTICE
            and not problem.objection_pending,
            "lights": lights_for([problem]) if problem else {},
            "addition_form": AdditionForm(),
            "rating_form": RatingForm(),
            "objection_form": ReasonForm(),
        },
    )


@require_POST
def receipt_add(request: HttpRequest, code: str) -> HttpResponse:
    form = AdditionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.opinion_add(user=None, text=form.cleaned_data["text"], receipt_code=code),
            success=_("Added to your opinion."),
        )
    return redirect("intake:receipt", code=code)


@require_POST
def receipt_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    attempt(
        request,
        lambda: services.opinion_withdraw(user=None, receipt_code=code),
        success=_("Your opinion was withdrawn."),
    )
    return redirect("intake:receipt", code=code)


@require_POST
def receipt_rate(request: HttpRequest, code: str) -> HttpResponse:
    opinion = _by_receipt(code)
    form = RatingForm(request.POST)
    if opinion.problem_id is not None and form.is_valid():
        problem_id = opinion.problem_id
        attempt(
            request,
            lambda: ledger.problem_rate(
                user=None,
                problem_id=problem_id,
                receipt_code=code,
                verdict=form.cleaned_data["verdict"],
                comment=form.cleaned_data["comment"],
            ),
            success=_("Thank you: your rating was recorded."),
        )
    return redirect("intake:receipt", code=code)


@require_POST
def receipt_object(request: HttpRequest, code: str) -> HttpResponse:
    opinion = _by_receipt(code)
    form = ReasonForm(request.POST)
    if opinion.problem_id is not None and form.is_valid():
        problem_id = opinion.problem_id
        attempt(
            request,
            lambda: ledger.problem_object(
                user=None, problem_id=problem_id, receipt_code=code, reason=form.cleaned_data["reason"]
            ),
            success=_("Your objection was recorded; the supervision group will decide on it."),
        )
    return redirect("intake:receipt", code=code)


def photo(request: HttpRequest, photo_id: int, code: str | None = None, thumb: bool = False) -> FileResponse:
    """A photo: to whoever holds the opinion's receipt code, or may see the opinion."""
    record = get_object_or_404(OpinionPhoto.objects.select_related("opinion"), pk=photo_id)
    user = user_of(request)
    opinion = record.opinion
    if code is not None:
        allowed = opinion.receipt_code == normalise_receipt(code)
    else:
        allowed = opinions_visible_to(user).filter(pk=opinion.pk).exists() or (
            opinion.problem_id is not None and problems_in_scope(user).filter(pk=opinion.problem_id).exists()
        )
    if not allowed:
        raise Http404
    field = record.thumbnail if thumb else record.image
    return FileResponse(field.open("rb"), content_type=record.content_type)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(my_opinions(user_of(request)), 30).get_page(request.GET.get("page"))
    return render(request, "intake/mine.html", {"page": page})


# --- the triage desk ------------------------------------------------------------------------------------


def _require_supervisor(request: HttpRequest) -> None:
    user = user_of(request)
    if not user.is_authenticated or not (
        scope_of(user).has_role(Role.SUPERVISOR) or scope_of(user).is_superuser
    ):
        raise Http404


@login_required
def triage(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request)
    user = user_of(request)
    form = TriageFilterForm(request.GET or None, units=triage_units(user))
    data = form.cleaned_data if form.is_valid() else {}
    filters = TriageFilter(
        category_id=data["category"].pk if data.get("category") else None,
        place_id=data["place"].pk if data.get("place") else None,
        unit=data.get("unit"),
        channel=data.get("channel") or "",
        text=(data.get("q") or "").strip(),
    )
    # A filter that is not valid (e.g. a unit outside the person's scope) lists nothing, with the form's
    # error, rather than everything without that filter.
    opinions = triage_list(user, filters) if not form.errors else Opinion.objects.none()
    page = Paginator(opinions, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    returned = problems_in_scope(user).filter(state=State.RETURNED).select_related("lead_unit", "category")
    return render(
        request,
        "intake/triage.html",
        {
            "page": page,
            "form": form,
            "returned": returned,
            "q": filters.text,
            "query": query.urlencode(),
            "reassign_form": ReassignForm(),
        },
    )


@login_required
def triage_opinion(request: HttpRequest, opinion_id: int) -> HttpResponse:
    _require_supervisor(request)
    user = user_of(request)
    opinion = get_object_or_404(triage_queue(user, state=Opinion.State.NEW), pk=opinion_id)
    suggestion = suggest_category(opinion.text)
    category = opinion.category or (suggestion.category if suggestion else None)
    draft_form = ProblemDraftForm(
        prefix="new",
        initial={
            "title": opinion.text.splitlines()[0][:60],
            "description": opinion.text,
            "category": category,
            "lead_unit": opinion.unit_id,
            "deadline": clock.today() + dt.timedelta(days=category.deadline_days if category else 30),
            "campaign": opinion.campaign_id,
            "source": opinion.get_channel_display(),
        },
    )
    found: Forms = {
        "draft": draft_form,
        "attach": AttachForm(prefix="attach"),
        "merge": MergeForm(prefix="merge"),
        "answer": ResponseForm(prefix="answer"),
        "decline": ResponseForm(prefix="decline"),
    }
    if request.method == "POST":
        done = _triage_post(request, opinion, found)
        if done is not None:
            return done
    return render(
        request,
        "intake/triage_opinion.html",
        {
            "opinion": opinion,
            "forms": found,
            "suggestion": suggestion,
            "photos": opinion.photos.all(),
            "additions": opinion.additions.all(),
        },
    )


type Forms = dict[str, forms.Form]


def _decide_create(request: HttpRequest, opinion: Opinion, found: Forms) -> object | None:
    form = found["draft"] = ProblemDraftForm(request.POST, prefix="new")
    if not form.is_valid():
        return None
    return attempt(
        request,
        lambda: services.opinion_triage(user=user_of(request), opinion_id=opinion.pk, draft=form.to_draft()),
        form=form,
        success=_("The problem was put on the list."),
    )


def _decide_attach(request: HttpRequest, opinion: Opinion, found: Forms) -> object | None:
    form = found["attach"] = AttachForm(request.POST, prefix="attach")
    if not form.is_valid():
        return None
    target = Problem.objects.filter(code__iexact=form.cleaned_data["problem"].strip()).first()
    if target is None:
        form.add_error("problem", _("No problem has that code."))
        return None
    return attempt(
        request,
        lambda: services.opinion_attach(user=user_of(request), opinion_id=opinion.pk, problem_id=target.pk),
        form=form,
        success=_("Attached: its raiser now follows that problem."),
    )


def _decide_merge(request: HttpRequest, opinion: Opinion, found: Forms) -> object | None:
    form = found["merge"] = MergeForm(request.POST, prefix="merge")
    if not form.is_valid():
        return None
    into = Opinion.objects.filter(receipt_code=normalise_receipt(form.cleaned_data["into"])).first()
    if into is None:
        form.add_error("into", _("No opinion has that receipt code."))
        return None
    return attempt(
        request,
        lambda: services.opinion_merge(user=user_of(request), opinion_id=opinion.pk, into_id=into.pk),
        form=form,
        success=_("Merged with the earlier opinion."),
    )


def _decide_answer(request: HttpRequest, opinion: Opinion, found: Forms) -> object | None:
    form = found["answer"] = ResponseForm(request.POST, prefix="answer")
    if not form.is_valid():
        return None
    return attempt(
        request,
        lambda: services.opinion_answer(
            user=user_of(request), opinion_id=opinion.pk, response=form.cleaned_data["response"]
        ),
        form=form,
        success=_("The submitter will see the answer."),
    )


def _decide_decline(request: HttpRequest, opinion: Opinion, found: Forms) -> object | None:
    form = found["decline"] = ResponseForm(request.POST, prefix="decline")
    if not form.is_valid():
        return None
    return attempt(
        request,
        lambda: services.opinion_decline(
            user=user_of(request), opinion_id=opinion.pk, reason=form.cleaned_data["response"]
        ),
        form=form,
        success=_("The submitter will see the reason."),
    )


DECISIONS = {
    "create": _decide_create,
    "attach": _decide_attach,
    "merge": _decide_merge,
    "answer": _decide_answer,
    "decline": _decide_decline,
}


def _triage_post(request: HttpRequest, opinion: Opinion, found: Forms) -> HttpResponse | None:
    """One of the desk's decisions; on success, back to the desk for the next opinion."""
    decide = DECISIONS.get(request.POST.get("decision", ""))
    if decide is None:
        messages.error(request, _("Unknown decision."))
        return None
    if decide(request, opinion, found) is None:
        return None
    return HttpResponseRedirect(reverse("intake:triage"))


@login_required
@role_required(Role.SUPERVISOR)
@require_POST
def reassign(request: HttpRequest, problem_id: int) -> HttpResponse:
    """A supervisor gives a returned (退回) item to another unit."""
    user = user_of(request)
    try:
        problem = access_problem(user, problem_id)
    except NotFound:
        raise Http404 from None  # was a 500 for anyone who may not see the problem
    form = ReassignForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: ledger.problem_reassign(
                user=user,
                problem_id=problem.pk,
                lead_unit=form.cleaned_data["lead_unit"],
                deadline=form.cleaned_data.get("deadline"),
                note=form.cleaned_data.get("note") or "",
            ),
            success=_("Reassigned."),
        )
    else:
        messages.error(request, _("Choose the unit to reassign to."))
    return redirect("intake:triage")


# --- places -------------------------------------------------------------------------------------------


def _place_url(request: HttpRequest, place: Place) -> str:
    base = getattr(settings, "TAIZHANG_BASE_URL", "") or request.build_absolute_uri("/")[:-1]
    return f"{base}{reverse('intake:submit')}?place={place.code}"


def _organisation() -> str:
    return str(services.root_unit().name)


def place_qr(request: HttpRequest, code: str) -> HttpResponse:
    place = get_object_or_404(Place, code=code, is_active=True)
    return HttpResponse(posters.qr_png(_place_url(request, place)), content_type="image/png")


def place_poster(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    place = get_object_or_404(Place, code=code, is_active=True)
    url = _place_url(request, place)
    if kind == "pdf":
        response = HttpResponse(
            posters.poster_pdf(place, url, organisation=_organisation()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="poster-{place.code}.pdf"'
        return response
    return HttpResponse(
        posters.poster_png(place, url, organisation=_organisation()), content_type="image/png"
    )


@require_POST
def me_too(request: HttpRequest, problem_id: int) -> HttpResponse:
    """我也遇到了: join a listed problem as one of its raisers, signed in or anonymously (with a receipt)."""
    user = user_of(request)
    anonymous = request.POST.get("anonymous") == "1" or not user.is_authenticated
    opinion = attempt(
        request,
        lambda: services.opinion_me_too(
            user=user, problem_id=problem_id, anonymous=anonymous, text=request.POST.get("text", "")[:4000]
        ),
        success=_("You are now one of its raisers: you will be asked to rate the fix."),
    )
    if opinion is None:
        return redirect("ledger:problem", problem_id=problem_id)
    if anonymous:
        return redirect("intake:receipt", code=format_receipt(opinion.receipt_code))
    return redirect("ledger:problem", problem_id=problem_id)
