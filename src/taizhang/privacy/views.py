"""My data: see it, download it, remove yourself from your opinions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.org.models import Person
from taizhang.privacy import services
from taizhang.web.auth import user_of


def _person(request: HttpRequest) -> Person:
    user = user_of(request)
    if not isinstance(user, Person):
        raise PermissionError  # login_required runs first
    return user


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"data": services.personal_data(_person(request))})


@login_required
def download(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    response = HttpResponse(services.personal_data_archive(person), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{person.username}.zip"'
    return response


@login_required
@require_POST
def erase(request: HttpRequest) -> HttpResponse:
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm."))
        return redirect("privacy:my_data")
    erased = services.erase_from_opinions(_person(request))
    messages.success(
        request,
        _(
            "Your name and contact details were removed from %(count)d opinion(s); the "
            "opinions themselves stay, anonymously."
        )
        % {"count": erased.opinions},
    )
    return redirect("privacy:my_data")
