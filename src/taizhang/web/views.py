"""The public board (home) and the person's inbox; everything else lives with its app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from taizhang.ledger.models import Support
from taizhang.ledger.selectors import inbox, inbox_counts, public_problems
from taizhang.ledger.workflow import ACTIVE_STATES, State
from taizhang.reports.selectors import achievement_lines
from taizhang.supervision.selectors import lights_for
from taizhang.web.auth import user_of

BOARD_FILTERS = {
    "working": [s.value for s in ACTIVE_STATES],
    "closed": [State.CLOSED.value],
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public board: what people raised, its progress, and what was fixed (成绩单)."""
    shown = request.GET.get("show", "")
    problems = public_problems().select_related("category", "lead_unit").order_by("-updated_at", "-pk")
    if shown in BOARD_FILTERS:
        problems = problems.filter(state__in=BOARD_FILTERS[shown])
    page = Paginator(problems, 20).get_page(request.GET.get("page"))
    user = user_of(request)
    supported: set[int] = set()
    if user.is_authenticated:
        supported = set(
            Support.objects.filter(person_id=user.pk, problem__in=list(page.object_list)).values_list(
                "problem_id", flat=True
            )
        )
    lights = lights_for(list(page.object_list))
    return render(
        request,
        "web/home.html",
        {
            "page": page,
            "shown": shown,
            "achievements": achievement_lines(),
            "supported": supported,
            "lights": lights,
        },
    )


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    counts = inbox_counts(user)
    sections = [(section, list(section.problems[:50]), counts.get(section.key, 0)) for section in inbox(user)]
    lights = lights_for([problem for _section, problems, _count in sections for problem in problems])
    return render(request, "web/my_work.html", {"sections": sections, "lights": lights})
