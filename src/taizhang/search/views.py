"""The search page and the similar-items fragment (HTMX). Parse, call a selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from taizhang.intake.models import Place
from taizhang.org.models import Unit
from taizhang.search.selectors import search, similar_items
from taizhang.web.auth import user_of

MAX_QUERY = 100
MAX_TEXT = 2000


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: problems and opinions the person may see, best first, matches highlighted.

    Asked by HTMX (the search box's live results), it returns only the list.
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    hits = search(user_of(request), query) if query else []
    context = {"query": query, "hits": hits}
    if request.headers.get("HX-Request") == "true":
        return render(request, "search/_hits.html", context)
    return render(request, "search/results.html", context)


def _place(value: str) -> Place | None:
    """A place by id (the triage desk) or by code (the submit form's hidden field, from the QR code)."""
    if not value:
        return None
    place_id = _int_or_none(value)
    found = Place.objects.filter(pk=place_id) if place_id is not None else Place.objects.filter(code=value)
    return found.first()


@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """`/search/similar/?text=&unit=&place=&exclude=&for=`: an HTML fragment of possible duplicates
    (`place` is a place's id or code).

    `for=submit` (the submit form, while the person types) offers "me too" on each problem; `for=triage` (the
    triage desk, `exclude` = the opinion on the desk) offers to attach the opinion to a problem or merge it
    into an opinion. The actions post to the intake's views, which check the person's rights.
    """
    unit_id = _int_or_none(request.GET.get("unit"))
    text = request.GET.get("text", "")[:MAX_TEXT]
    exclude = _int_or_none(request.GET.get("exclude"))
    suggestions = similar_items(
        text,
        unit=Unit.objects.filter(pk=unit_id).first() if unit_id else None,
        place=_place(request.GET.get("place", "")[:50]),
        user=user_of(request),
        exclude_opinion=exclude,
    )
    purpose = request.GET.get("for", "")
    context = {
        "suggestions": suggestions,
        "purpose": purpose if purpose in {"submit", "triage"} else "",
        "text": text,
        "opinion_id": exclude,
    }
    return render(request, "search/_similar.html", context)
