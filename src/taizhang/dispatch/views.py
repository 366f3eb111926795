"""The dispatch status page for administrators: history, versions, which is active, their accuracy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from taizhang.core.admin import is_administrator
from taizhang.dispatch import selectors, services


@login_required
def status(request: HttpRequest) -> HttpResponse:
    if not is_administrator(request):
        raise Http404
    return render(
        request,
        "dispatch/status.html",
        {"history": services.history_status(), "versions": selectors.model_versions()},
    )
