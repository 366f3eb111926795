"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), to the letter; see docs/open311.md.

Each view: check jurisdiction_id (and api_key on POST) → read through selectors or submit through
intake.services → render XML or JSON by the path's extension. Errors leave through `_errors` only.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from taizhang.api.models import ApiToken, ServiceAttribute
from taizhang.api.open311 import selectors
from taizhang.api.open311.render import error_response, respond
from taizhang.api.services import clean_attribute_answers, token_lookup
from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Place, format_receipt
from taizhang.ledger.models import Category

logger = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_DESCRIPTION = 4000
MAX_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[(?P<code>[^\[\]]+)\](?P<many>\[\])?$")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


class Open311Error(Exception):
    """One or more errors of one HTTP status (several 400s may be returned together)."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


type View = Callable[..., HttpResponse]


def _errors(view: View) -> View:
    """The one place errors become Open311 error bodies: 404 unknown resource, 403 api_key, 400 the rest."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Open311Error as error:
            return error_response(request, error.status, [(error.status, d) for d in error.descriptions])
        except InvalidInput as error:
            messages = [f"{name}: {m}" for name, ms in error.errors.items() for m in ms] or [str(error)]
            return error_response(request, 400, [(400, message) for message in messages])
        except DomainError as error:
            status = 404 if error.http_status == 404 else 400
            return error_response(request, status, [(status, str(error))])
        except Exception:
            # The spec's "general service error": 400, and the client should tell us; we log it.
            logger.exception("Open311 error on %s", request.path)
            return error_response(request, 400, [(400, _("General service error; please tell us."))])

    return wrapper


def _param(data: QueryDict, name: str) -> str:
    """An empty parameter behaves exactly as an absent one (the spec's "Optional Arguments")."""
    return (data.get(name) or "").strip()


def _check_jurisdiction(data: QueryDict) -> None:
    given = _param(data, "jurisdiction_id")
    if given and given.lower() != str(settings.TAIZHANG_OPEN311_JURISDICTION).lower():
        raise Open311Error(404, _("jurisdiction_id “%(id)s” was not found.") % {"id": given})


def _methods(request: HttpRequest, *allowed: str) -> None:
    if request.method not in allowed:
        raise Open311Error(400, _("Method %(method)s is not supported here.") % {"method": request.method})


# --- discovery and services -----------------------------------------------------------------------------


def _changeset() -> str:
    """When the service list or a definition last changed (sortable)."""
    latest = ServiceAttribute.objects.aggregate(latest=Max("updated_at"))["latest"]
    moment = latest or dt.datetime(2014, 1, 1, tzinfo=dt.UTC)
    return timezone.localtime(moment).isoformat(timespec="seconds")


@csrf_exempt
@_errors
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    _methods(request, "GET", "HEAD")
    url = request.build_absolute_uri(reverse("open311:discovery", args=["xml"])).removesuffix(
        "/discovery.xml"
    )
    changeset = _changeset()
    contact = settings.TAIZHANG_OPEN311_CONTACT or _("Contact the organisation's administrator.")
    key_service = settings.TAIZHANG_OPEN311_KEY_SERVICE or _(
        "Ask the organisation's administrator for an Open311 api_key."
    )
    body = {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": changeset,
                "type": "test" if settings.TAIZHANG_OPEN311_TEST else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(request, fmt, "discovery", body)


def _service(category: Category, has_questions: bool) -> dict[str, Any]:
    keywords = [category.name, category.achievement_noun, category.group]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.group} · {category.name}" if category.group else category.name,
        "metadata": has_questions,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(k for k in keywords if k)),
        "group": category.group or None,
    }


@csrf_exempt
@_errors
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _methods(request, "GET", "HEAD")
    _check_jurisdiction(request.GET)
    with_questions = set(ServiceAttribute.objects.values_list("category_id", flat=True).distinct())
    body = [_service(c, c.pk in with_questions) for c in selectors.services()]
    return respond(request, fmt, "services", body)


def _active_category(code: str) -> Category:
    category = selectors.services().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code})
    return category


@csrf_exempt
@_errors
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    _methods(request, "GET", "HEAD")
    _check_jurisdiction(request.GET)
    category = _active_category(service_code)
    attributes = [
        {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description or None,
            "order": a.order,
            "description": a.description,
            "values": [
                {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                for v in a.values
                if isinstance(v, dict)
            ],
        }
        for a in category.service_attributes.order_by("order")
    ]
    return respond(
        request, fmt, "service_definition", {"service_code": category.code, "attributes": attributes}
    )


# --- requests -------------------------------------------------------------------------------------------


def _moment(value: str, name: str) -> dt.datetime:
    """A W3C date-time with its zone, or a complete date (its start, in the server's time zone)."""
    try:
        if len(value) == 10:
            return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(value), dt.time()))
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(
            400, _("%(name)s must be a W3C date-time such as 2010-01-01T00:00:00Z.") % {"name": name}
        ) from None
    if timezone.is_naive(moment):
        raise Open311Error(400, _("%(name)s must include a time zone (Z or ±hh:mm).") % {"name": name})
    return moment


def _window(data: QueryDict) -> tuple[dt.datetime, dt.datetime]:
    start_text, end_text = _param(data, "start_date"), _param(data, "end_date")
    start = _moment(start_text, "start_date") if start_text else None
    end = _moment(end_text, "end_date") if end_text else None
    if start is None and end is None:
        end = clock.now()
    if start is None:
        assert end is not None  # noqa: S101  # one of the two is set by now
        start = end - MAX_WINDOW
    if end is None:
        end = start + MAX_WINDOW
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if end - start > MAX_WINDOW:
        raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
    return start, end


def _comma_list(data: QueryDict, name: str) -> list[str]:
    return [item.strip() for item in _param(data, name).split(",") if item.strip()]


def _request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.GET
    requests = selectors.visible_requests()
    ids = _comma_list(data, "service_request_id")
    if ids:  # overrides every other filter
        requests = requests.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    else:
        codes = _comma_list(data, "service_code")
        if codes:
            requests = requests.filter(category__code__in=codes)
        start, end = _window(data)
        requests = requests.filter(created_at__gte=start, created_at__lte=end)
        statuses = {status.lower() for status in _comma_list(data, "status")}
        unknown = statuses - {selectors.OPEN, selectors.CLOSED}
        if unknown:
            raise Open311Error(400, _("status must be open, closed, or both (comma-separated)."))
        if statuses:
            requests = selectors.with_status(requests, statuses)
    rows = requests.order_by("-created_at", "-pk")[:MAX_RESULTS]
    return respond(request, fmt, "service_requests", [selectors.as_request(o) for o in rows])


def _attributes(data: QueryDict) -> dict[str, str | list[str]]:
    """attribute[code]=v, and attribute[code][]=v1&attribute[code][]=v2 for a multivaluelist."""
    answers: dict[str, str | list[str]] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match is None:
            continue
        values = [v for v in data.getlist(key) if v.strip()]
        if not values:
            continue  # empty behaves as absent
        code = match["code"]
        if match["many"] or len(values) > 1:
            previous = answers.get(code, [])
            answers[code] = [*([previous] if isinstance(previous, str) else previous), *values]
        else:
            answers[code] = values[0]
    return answers


def _coordinate(value: str, name: str, limit: int, problems: list[str]) -> Decimal | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        problems.append(_("%(name)s must be a number (WGS84 degrees).") % {"name": name})
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        problems.append(
            _("%(name)s must be between -%(limit)d and %(limit)d.") % {"name": name, "limit": limit}
        )
        return None
    return round(number, 6)


def _api_key(data: QueryDict) -> ApiToken:
    raw = _param(data, "api_key")
    if not raw:
        raise Open311Error(403, _("api_key is missing; ask the administrator for one."))
    key = token_lookup(raw, ApiToken.Kind.OPEN311)
    if key is None:
        raise Open311Error(403, _("Invalid api_key received; the request was not created."))
    return key


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type = request.content_type or ""
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise Open311Error(400, _("Send the request form-encoded (application/x-www-form-urlencoded)."))
    data = request.POST
    _check_jurisdiction(data)
    _api_key(data)
    code = _param(data, "service_code")
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = _active_category(code)
    problems: list[str] = []

    lat_text, long_text = _param(data, "lat"), _param(data, "long")
    address, address_id = _param(data, "address_string"), _param(data, "address_id")
    latitude = longitude = None
    if bool(lat_text) != bool(long_text):
        problems.append(_("lat and long must be sent together."))
    elif lat_text:
        latitude = _coordinate(lat_text, "lat", 90, problems)
        longitude = _coordinate(long_text, "long", 180, problems)
    if not (lat_text and long_text) and not address and not address_id:
        problems.append(_("A location is required: lat and long, address_string, or address_id."))
    place = None
    if address_id:
        place = Place.objects.filter(code=address_id, is_active=True).first()
        if place is None:
            problems.append(_("address_id “%(id)s” is not a known place.") % {"id": address_id})
    if len(address) > 200:
        problems.append(_("address_string is longer than 200 characters."))

    description = (data.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        problems.append(_("description is longer than 4000 characters."))
    if _MARKUP.search(description):
        problems.append(_("description may contain line breaks but no HTML or code."))
    media_url = _param(data, "media_url")

    answers: dict[str, str | list[str]] = {}
    try:
        answers = clean_attribute_answers(category, _attributes(data))
    except InvalidInput as error:
        problems += [f"attribute[{name}]: {m}" for name, ms in error.errors.items() for m in ms]
    if problems:
        raise Open311Error(400, *problems)

    first, last = _param(data, "first_name"), _param(data, "last_name")
    phone, email = _param(data, "phone"), _param(data, "email")
    # Nobody named: anonymous, and device_id/account_id/email are dropped (never stored, never logged).
    anonymous = not (first or last or phone or email)
    opinion = intake.opinion_submit(
        user=None,
        data=intake.OpinionInput(
            text=description or category.name,
            channel=Channel.OPEN311,
            anonymous=anonymous,
            place=place,
            place_text=address,
            category=category,
            latitude=latitude,
            longitude=longitude,
            contact_name="" if anonymous else " ".join(part for part in (first, last) if part)[:50],
            contact_phone="" if anonymous else phone[:30],
            attributes=answers,
            media_url=media_url,
        ),
    )
    notice = _(
        "Received. Receipt code %(receipt)s: give it to the person who reported, who follows and rates the "
        "fix with it."
    ) % {"receipt": format_receipt(opinion.receipt_code)}
    account_id = _param(data, "account_id") or None
    body = [{"service_request_id": str(opinion.pk), "service_notice": notice, "account_id": account_id}]
    return respond(request, fmt, "service_requests", body)


@csrf_exempt
@_errors
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    _methods(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        return _create_request(request, fmt)
    _check_jurisdiction(request.GET)
    return _request_list(request, fmt)


@csrf_exempt
@_errors
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    _methods(request, "GET", "HEAD")
    _check_jurisdiction(request.GET)
    opinion = (
        selectors.visible_requests().filter(pk=int(request_id)).first() if request_id.isdigit() else None
    )
    if opinion is None:
        raise Open311Error(404, _("service_request_id “%(id)s” was not found.") % {"id": request_id})
    return respond(request, fmt, "service_requests", [selectors.as_request(opinion)])


@csrf_exempt
@_errors
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Every service here is realtime: a POST returns its service_request_id at once and no token is ever
    issued, so every token is unknown."""
    _methods(request, "GET", "HEAD")
    _check_jurisdiction(request.GET)
    raise Open311Error(
        404, _("token “%(token)s” was not found; this server issues no tokens.") % {"token": token}
    )


@csrf_exempt
@_errors
def unknown(request: HttpRequest) -> HttpResponse:
    raise Open311Error(404, _("No such resource. Resources end in .xml or .json, e.g. services.xml."))
