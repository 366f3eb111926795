"""The JSON API under /api/v1/ (django-ninja; see docs/adr/0040-json-api-with-django-ninja.md).

Every handler: parse → fetch-and-authorize (access_problem) → the same service or selector the web pages
use → serialize. No rule lives here; errors leave through errors.install().
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Query, Schema, Status
from ninja.files import UploadedFile
from ninja.openapi.docs import Swagger
from ninja.params import functions as param_functions
from ninja.renderers import JSONRenderer
from pydantic import Field

from taizhang.api import errors, measures
from taizhang.api import services as api_services
from taizhang.api.auth import OPTIONAL, REQUIRED, SessionAuth, caller
from taizhang.api.errors import ERRORS
from taizhang.api.models import ApiToken, ServiceAttribute
from taizhang.api.schemas import (
    MAX_ID,
    CategoryOut,
    CloseoutIn,
    EditIn,
    EventOut,
    EventPage,
    ExtensionIn,
    Id,
    LookBackIn,
    MeasuresOut,
    MeOut,
    NoteIn,
    ObjectIn,
    OpinionIn,
    OpinionOut,
    ProblemDetailOut,
    ProblemPage,
    ProgressIn,
    RateIn,
    RatingOut,
    ReasonIn,
    ReassignIn,
    ReopenIn,
    RoleOut,
    SupportIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UnitOut,
    UrgeIn,
    category_out,
    event_out,
    opinion_out,
    problem_detail_out,
    problem_out,
    rating_out,
    token_out,
    unit_out,
    unit_ref,
)
from taizhang.core import clock
from taizhang.core.errors import InvalidInput, NotFound, NotPermitted
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Opinion, Place, normalise_receipt
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Event, Problem
from taizhang.ledger.permissions import access_problem, offered_actions
from taizhang.ledger.selectors import (
    LedgerFilter,
    can_see_internals,
    problem_list,
    problem_timeline,
    problems_in_scope,
)
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Unit
from taizhang.org.scope import scope_of


class Utf8JSONRenderer(JSONRenderer):
    """Chinese as characters, not \\u escapes: smaller, and readable in logs and curl."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012  # ninja's own attribute


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="taizhang API",
    version="1",
    description=(
        "The rectification ledger as JSON. Authenticate with a personal API token "
        "(`Authorization: Bearer tz_…`) or the app's session. Errors: "
        '`{"error": {"code", "message", "fields"}}`, messages in the language of Accept-Language (zh-Hans, '
        "en). Limits: see the X-RateLimit-* headers; 429 comes with Retry-After."
    ),
    urls_namespace="api",
    auth=REQUIRED,
    docs=Swagger(settings={"persistAuthorization": True}),
)
errors.install(api)

MAX_PAGE = 100


# --- helpers --------------------------------------------------------------------------------------------


def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = text.partition(":")
        number = int(value)
        if kind != "id" or not 0 <= number <= MAX_ID:
            raise ValueError(kind)
        return number
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(_("That cursor is not valid; start again without it."), field="cursor") from None


def _version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the caller read: the body's `version`, or the If-Match header (an ETag we sent)."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(_("If-Match must be the problem's version, as in its ETag."), field="If-Match")
    return int(value)


def _detail(
    request: HttpRequest, problem_id: Id, response: HttpResponse, *, raiser: bool = False
) -> ProblemDetailOut:
    """The problem as the caller now sees it; `raiser`: the caller proved a receipt code of it."""
    user = caller(request)
    if raiser:
        problem = Problem.objects.select_related("lead_unit", "category").get(pk=problem_id)
    else:
        problem = access_problem(user, problem_id)
    response["ETag"] = f'"{problem.version}"'
    return problem_detail_out(problem, sorted(str(action) for action in offered_actions(user, problem)))


def _access(request: HttpRequest, problem_id: Id) -> Person:
    """Authorize before any service: a problem the caller may not see is simply not found."""
    user = caller(request)
    access_problem(user, problem_id)
    if not isinstance(user, Person):
        raise NotPermitted(_("Sign in to do this."))
    return user


def _access_as_raiser(request: HttpRequest, problem_id: Id, receipt_code: str | None) -> None:
    """A receipt code is the anonymous raiser's key to their problem, public or not; without one, the
    caller must be able to see the problem. Either way an unknown pair is simply not found."""
    if receipt_code:
        code = normalise_receipt(receipt_code)
        if not Opinion.objects.filter(problem_id=problem_id, receipt_code=code).exists():
            raise NotFound(_("No such problem."))
        return
    access_problem(caller(request), problem_id)


def _unit(unit_id: int | None, field: str) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise InvalidInput(_("No such unit."), field=field)
    return unit


def _person(person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise InvalidInput(_("No such person."), field=field)
    return person


def _category(category_id: int | None, field: str) -> Category | None:
    if category_id is None:
        return None
    category = Category.objects.filter(pk=category_id, is_active=True).first()
    if category is None:
        raise InvalidInput(_("No such category."), field=field)
    return category


# --- who am I, tokens -----------------------------------------------------------------------------------


@api.get("/me", response={200: MeOut, **ERRORS}, tags=["account"])
def me_api(request: HttpRequest) -> MeOut:
    user = caller(request)
    if not isinstance(user, Person):
        raise NotPermitted(_("Sign in to do this."))
    roles = user.roles.select_related("unit").order_by("role", "unit__path")
    return MeOut(
        id=user.pk,
        username=user.username,
        name=user.display_name,
        unit=unit_ref(user.unit) if user.unit else None,
        roles=[RoleOut(role=r.role, unit=unit_ref(r.unit)) for r in roles],
    )


@api.get("/tokens", response={200: list[TokenOut], **ERRORS}, tags=["account"])
def token_list_api(request: HttpRequest) -> list[TokenOut]:
    tokens = ApiToken.objects.filter(person_id=caller(request).pk or 0, kind=ApiToken.Kind.PERSONAL)
    return [token_out(t) for t in tokens]


@api.post("/tokens", response={201: TokenCreatedOut, **ERRORS}, auth=[SessionAuth()], tags=["account"])
def token_create_api(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Make a personal token (signed-in session only: a token cannot mint more tokens)."""
    issued = api_services.token_create(user=caller(request), name=payload.name)
    return Status(201, TokenCreatedOut(**token_out(issued.token).model_dump(), token=issued.raw))


@api.delete("/tokens/{token_id}", response={204: None, **ERRORS}, tags=["account"])
def token_revoke_api(request: HttpRequest, token_id: Id) -> Status[None]:
    api_services.token_revoke(user=caller(request), token_id=token_id)
    return Status(204, None)


# --- reference data -------------------------------------------------------------------------------------


@api.get("/units", response={200: list[UnitOut], **ERRORS}, auth=OPTIONAL, tags=["reference"])
def unit_list_api(request: HttpRequest) -> list[UnitOut]:
    return [unit_out(u) for u in Unit.objects.filter(is_active=True).order_by("path")]


@api.get("/categories", response={200: list[CategoryOut], **ERRORS}, auth=OPTIONAL, tags=["reference"])
def category_list_api(request: HttpRequest) -> list[CategoryOut]:
    categories = Category.objects.filter(is_active=True).prefetch_related(
        Prefetch("service_attributes", queryset=ServiceAttribute.objects.order_by("order"))
    )
    return [category_out(c) for c in categories]


# --- opinions -------------------------------------------------------------------------------------------


def _idempotency_key(request: HttpRequest, key: str | None) -> str | None:
    """Keys are the caller's own: namespaced by who calls and hashed, so nobody can fetch another caller's
    opinion (and receipt code) by guessing their key, and no client-chosen string is stored."""
    if key is None or not key.strip():
        return None
    if len(key) > 200:
        raise InvalidInput(_("The Idempotency-Key is longer than 200 characters."), field="Idempotency-Key")
    user = caller(request)
    principal = f"person:{user.pk}" if isinstance(user, Person) else "anonymous"
    # An HMAC, not a plain hash: the stored key of an anonymous opinion sent by a signed-in caller must not
    # let whoever reads the database test "was it this person?" by hashing candidate ids and keys.
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"idempotency:{principal}\n{key.strip()}".encode(), "sha256"
    )
    return "api:" + digest.hexdigest()


@api.post(
    "/opinions", response={200: OpinionOut, 201: OpinionOut, **ERRORS}, auth=OPTIONAL, tags=["opinions"]
)
def opinion_create_api(
    request: HttpRequest,
    payload: OpinionIn,
    idempotency_key: Annotated[str | None, param_functions.Header(alias="Idempotency-Key")] = None,
) -> Status[OpinionOut]:
    """Submit an opinion. Send an `Idempotency-Key` header: a retry with the same key creates nothing new
    and answers 200 with the opinion the first request created."""
    user = caller(request)
    key = _idempotency_key(request, idempotency_key)
    previous = Opinion.objects.filter(idempotency_key=key).first() if key else None
    if previous is not None:
        if previous.text != payload.text.strip():
            raise InvalidInput(
                _("This Idempotency-Key was used for a different opinion; use a new key."),
                code="idempotency_key_reused",
                field="Idempotency-Key",
            )
        return Status(200, opinion_out(previous))
    category = _category(payload.category_id, "category_id")
    place = None
    if payload.place_code:
        place = Place.objects.filter(code=payload.place_code, is_active=True).first()
        if place is None:
            raise InvalidInput(_("No such place."), field="place_code")
    data = intake.OpinionInput(
        text=payload.text,
        channel=Channel.API,
        anonymous=payload.anonymous,
        place=place,
        place_text=payload.place_text,
        unit=_unit(payload.unit_id, "unit_id"),
        category=category,
        latitude=Decimal(str(round(payload.latitude, 6))) if payload.latitude is not None else None,
        longitude=Decimal(str(round(payload.longitude, 6))) if payload.longitude is not None else None,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        attributes=api_services.clean_attribute_answers(category, payload.attributes),
        media_url=payload.media_url,
    )
    opinion = intake.opinion_submit(user=user, data=data, idempotency_key=key, key_checked=True)
    return Status(201, opinion_out(opinion))


@api.get("/opinions/{receipt_code}", response={200: OpinionOut, **ERRORS}, auth=OPTIONAL, tags=["opinions"])
def opinion_by_receipt_api(request: HttpRequest, receipt_code: str) -> OpinionOut:
    """Follow an opinion by its receipt code (whoever holds the code is its submitter; no sign-in)."""
    return opinion_out(intake.opinion_by_receipt(receipt_code))


# --- problems -------------------------------------------------------------------------------------------


class ProblemFilters(Schema):
    unit: Id | None = Field(default=None, description="A unit's subtree, as lead or assisting unit.")
    category: Id | None = None
    state: State | None = None
    overdue: bool = False
    campaign: Id | None = None
    q: str = Field(default="", max_length=100)
    cursor: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


@api.get("/problems", response={200: ProblemPage, **ERRORS}, tags=["problems"])
def problem_list_api(request: HttpRequest, filters: Query[ProblemFilters]) -> ProblemPage:
    """The ledger the caller works with (the web ledger's filters), newest first, by cursor."""
    ledger_filter = LedgerFilter(
        unit=_unit(filters.unit, "unit"),
        category_id=filters.category,
        state=filters.state.value if filters.state else None,
        overdue=filters.overdue,
        campaign_id=filters.campaign,
        text=filters.q,
    )
    problems = problem_list(caller(request), ledger_filter).order_by("-id")
    after = _decode_cursor(filters.cursor)
    if after is not None:
        problems = problems.filter(id__lt=after)
    rows = list(problems[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return ProblemPage(
        items=[problem_out(p) for p in rows], next_cursor=_encode_cursor(rows[-1].pk) if more else None
    )


@api.get(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **ERRORS}, auth=OPTIONAL, tags=["problems"]
)
def problem_detail_api(request: HttpRequest, problem_id: Id, response: HttpResponse) -> ProblemDetailOut:
    """One problem (public ones to everyone). The ETag is its version, for If-Match on actions."""
    return _detail(request, problem_id, response)


PROBLEM_ACTION = {200: ProblemDetailOut, **ERRORS}


@api.post("/problems/{problem_id}/start", response=PROBLEM_ACTION, tags=["workflow"])
def problem_start_api(
    request: HttpRequest, problem_id: Id, payload: NoteIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_start(
        user=user, problem_id=problem_id, version=_version(request, payload.version), note=payload.note
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/return", response=PROBLEM_ACTION, tags=["workflow"])
def problem_return_api(
    request: HttpRequest, problem_id: Id, payload: ReasonIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_return(
        user=user, problem_id=problem_id, reason=payload.reason, version=_version(request, payload.version)
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/reassign", response=PROBLEM_ACTION, tags=["workflow"])
def problem_reassign_api(
    request: HttpRequest, problem_id: Id, payload: ReassignIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    unit = _unit(payload.lead_unit_id, "lead_unit_id")
    assert unit is not None  # noqa: S101  # lead_unit_id is required by the schema
    ledger.problem_reassign(
        user=user,
        problem_id=problem_id,
        lead_unit=unit,
        leader=_person(payload.leader_id, "leader_id"),
        owner=_person(payload.owner_id, "owner_id"),
        deadline=payload.deadline,
        note=payload.note,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


_EDIT_REFERENCES = {"category_id": "category", "leader_id": "leader", "owner_id": "owner"}
#: Fields that may be sent as null to clear them; the others need a value when sent.
_EDIT_NULLABLE = frozenset({"deadline", "leader_id", "owner_id", "target_quantity"})


@api.patch("/problems/{problem_id}", response=PROBLEM_ACTION, tags=["workflow"])
def problem_edit_api(
    request: HttpRequest, problem_id: Id, payload: EditIn, response: HttpResponse
) -> ProblemDetailOut:
    """Edit ledger fields; only those sent change. Who may change what is the workflow's EDITABLE_FIELDS."""
    user = _access(request, problem_id)
    sent = payload.model_dump(exclude_unset=True, exclude={"version", "note"})
    changes: dict[str, Any] = {}
    cleared = sorted(name for name, value in sent.items() if value is None and name not in _EDIT_NULLABLE)
    if cleared:
        raise InvalidInput(
            _("These fields cannot be emptied: %(fields)s.") % {"fields": ", ".join(cleared)},
            errors={name: [_("Give a value.")] for name in cleared},
        )
    for name, value in sent.items():
        if name == "category_id":
            changes["category"] = _category(value, name)
        elif name in ("leader_id", "owner_id"):
            changes[_EDIT_REFERENCES[name]] = _person(value, name)
        else:
            changes[name] = value
    if not changes:
        raise InvalidInput(_("Nothing was changed."), code="no_change")
    ledger.problem_edit(
        user=user,
        problem_id=problem_id,
        version=_version(request, payload.version),
        changes=changes,
        note=payload.note,
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/progress", response=PROBLEM_ACTION, tags=["workflow"])
def problem_progress_api(
    request: HttpRequest,
    problem_id: Id,
    payload: Form[ProgressIn],
    response: HttpResponse,
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja's idiom for optional files
) -> ProblemDetailOut:
    """Record progress (multipart/form-data: note, done_quantity, photos)."""
    user = _access(request, problem_id)
    ledger.problem_record_progress(
        user=user,
        problem_id=problem_id,
        note=payload.note,
        done_quantity=payload.done_quantity,
        photos=photos or [],
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/extension", response=PROBLEM_ACTION, tags=["workflow"])
def problem_request_extension_api(
    request: HttpRequest, problem_id: Id, payload: ExtensionIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_request_extension(
        user=user,
        problem_id=problem_id,
        new_deadline=payload.new_deadline,
        reason=payload.reason,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/extension/approve", response=PROBLEM_ACTION, tags=["workflow"])
def problem_approve_extension_api(
    request: HttpRequest, problem_id: Id, payload: NoteIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_decide_extension(
        user=user,
        problem_id=problem_id,
        approve=True,
        note=payload.note,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/extension/reject", response=PROBLEM_ACTION, tags=["workflow"])
def problem_reject_extension_api(
    request: HttpRequest, problem_id: Id, payload: ReasonIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_decide_extension(
        user=user,
        problem_id=problem_id,
        approve=False,
        note=payload.reason,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/closeout", response=PROBLEM_ACTION, tags=["workflow"])
def problem_request_closeout_api(
    request: HttpRequest,
    problem_id: Id,
    payload: Form[CloseoutIn],
    response: HttpResponse,
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> ProblemDetailOut:
    """Request close-out (multipart/form-data: completion_note, done_quantity, evidence files)."""
    user = _access(request, problem_id)
    ledger.problem_request_closeout(
        user=user,
        problem_id=problem_id,
        completion_note=payload.completion_note,
        done_quantity=payload.done_quantity,
        evidence=evidence or [],
        evidence_kind=payload.evidence_kind,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/sign", response=PROBLEM_ACTION, tags=["workflow"])
def problem_sign_api(
    request: HttpRequest, problem_id: Id, payload: NoteIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_sign(
        user=user, problem_id=problem_id, note=payload.note, version=_version(request, payload.version)
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/reject", response=PROBLEM_ACTION, tags=["workflow"])
def problem_reject_api(
    request: HttpRequest, problem_id: Id, payload: ReasonIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_reject(
        user=user, problem_id=problem_id, reason=payload.reason, version=_version(request, payload.version)
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/verify", response=PROBLEM_ACTION, tags=["workflow"])
def problem_verify_api(
    request: HttpRequest, problem_id: Id, payload: NoteIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_verify(
        user=user, problem_id=problem_id, note=payload.note, version=_version(request, payload.version)
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/object", response=PROBLEM_ACTION, auth=OPTIONAL, tags=["workflow"])
def problem_object_api(
    request: HttpRequest, problem_id: Id, payload: ObjectIn, response: HttpResponse
) -> ProblemDetailOut:
    """Object during the public notice: signed in, or as an anonymous raiser with the receipt code."""
    user = caller(request)
    _access_as_raiser(request, problem_id, payload.receipt_code)
    ledger.problem_object(
        user=user, problem_id=problem_id, reason=payload.reason, receipt_code=payload.receipt_code
    )
    return _detail(request, problem_id, response, raiser=bool(payload.receipt_code))


@api.post("/problems/{problem_id}/objection/uphold", response=PROBLEM_ACTION, tags=["workflow"])
def problem_uphold_objection_api(
    request: HttpRequest, problem_id: Id, payload: ReasonIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_decide_objection(
        user=user,
        problem_id=problem_id,
        uphold=True,
        reason=payload.reason,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/objection/dismiss", response=PROBLEM_ACTION, tags=["workflow"])
def problem_dismiss_objection_api(
    request: HttpRequest, problem_id: Id, payload: ReasonIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_decide_objection(
        user=user,
        problem_id=problem_id,
        uphold=False,
        reason=payload.reason,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/conclude-notice", response=PROBLEM_ACTION, tags=["workflow"])
def problem_conclude_notice_api(
    request: HttpRequest, problem_id: Id, payload: NoteIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_conclude_notice(user=user, problem_id=problem_id, note=payload.note)
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/look-back", response=PROBLEM_ACTION, tags=["workflow"])
def problem_look_back_api(
    request: HttpRequest,
    problem_id: Id,
    payload: Form[LookBackIn],
    response: HttpResponse,
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> ProblemDetailOut:
    """回头看 (multipart/form-data): `holds` true records that the fix holds; false reopens the item."""
    user = _access(request, problem_id)
    ledger.problem_look_back(
        user=user,
        problem_id=problem_id,
        holds=payload.holds,
        note=payload.note,
        photos=photos or [],
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/reopen", response=PROBLEM_ACTION, tags=["workflow"])
def problem_reopen_api(
    request: HttpRequest, problem_id: Id, payload: ReopenIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_reopen(
        user=user,
        problem_id=problem_id,
        reason=payload.reason,
        cause=payload.cause,
        version=_version(request, payload.version),
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/cancel", response=PROBLEM_ACTION, tags=["workflow"])
def problem_cancel_api(
    request: HttpRequest, problem_id: Id, payload: ReasonIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_cancel(
        user=user, problem_id=problem_id, reason=payload.reason, version=_version(request, payload.version)
    )
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/urge", response=PROBLEM_ACTION, tags=["workflow"])
def problem_urge_api(
    request: HttpRequest, problem_id: Id, payload: UrgeIn, response: HttpResponse
) -> ProblemDetailOut:
    user = _access(request, problem_id)
    ledger.problem_urge(user=user, problem_id=problem_id, note=payload.note)
    return _detail(request, problem_id, response)


@api.post("/problems/{problem_id}/support", response=PROBLEM_ACTION, tags=["workflow"])
def problem_support_api(
    request: HttpRequest, problem_id: Id, payload: SupportIn, response: HttpResponse
) -> ProblemDetailOut:
    """点赞 (support: true) or take it back (support: false)."""
    user = _access(request, problem_id)
    ledger.problem_support(user=user, problem_id=problem_id, support=payload.support)
    return _detail(request, problem_id, response)


# --- ratings --------------------------------------------------------------------------------------------


@api.post(
    "/problems/{problem_id}/ratings", response={201: RatingOut, **ERRORS}, auth=OPTIONAL, tags=["ratings"]
)
def problem_rate_api(request: HttpRequest, problem_id: Id, payload: RateIn) -> Status[RatingOut]:
    """A raiser rates the fix: signed in, or anonymously with the opinion's receipt code."""
    user = caller(request)
    _access_as_raiser(request, problem_id, payload.receipt_code)
    rating = ledger.problem_rate(
        user=user,
        problem_id=problem_id,
        verdict=payload.verdict,
        comment=payload.comment,
        receipt_code=payload.receipt_code,
    )
    return Status(201, rating_out(rating))


@api.get("/problems/{problem_id}/ratings", response={200: list[RatingOut], **ERRORS}, tags=["ratings"])
def problem_ratings_api(request: HttpRequest, problem_id: Id) -> list[RatingOut]:
    """The ratings, for those who work on the problem (or raised it)."""
    user = caller(request)
    problem = access_problem(user, problem_id)
    if not can_see_internals(user, problem):
        raise NotPermitted(_("Only those who work on this problem see its ratings."))
    return [rating_out(r) for r in problem.ratings.order_by("round", "created_at", "pk")]


# --- events ---------------------------------------------------------------------------------------------


@api.get(
    "/problems/{problem_id}/events", response={200: list[EventOut], **ERRORS}, auth=OPTIONAL, tags=["events"]
)
def problem_events_api(request: HttpRequest, problem_id: Id) -> list[EventOut]:
    """A problem's history: all of it for those who work on it, the notes for everyone else (as on the
    web)."""
    user = caller(request)
    problem = access_problem(user, problem_id)
    internals = can_see_internals(user, problem)
    timeline = problem_timeline(problem) if internals else problem_timeline(problem).exclude(note="")
    return [event_out(e, internals=internals) for e in timeline]


class EventFilters(Schema):
    kind: str | None = Field(default=None, max_length=50, description="e.g. problem.closed")
    cursor: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=100, ge=1, le=MAX_PAGE)


@api.get("/events", response={200: EventPage, **ERRORS}, tags=["events"])
def event_feed_api(request: HttpRequest, filters: Query[EventFilters]) -> EventPage:
    """Every event of the problems the caller works with, oldest first: poll with the last `next_cursor`."""
    events = (
        Event.objects.filter(problem__in=problems_in_scope(caller(request)))
        .select_related("actor")
        .order_by("id")
    )
    if filters.kind:
        events = events.filter(kind=filters.kind)
    after = _decode_cursor(filters.cursor)
    if after is not None:
        events = events.filter(id__gt=after)
    rows = list(events[: filters.limit])
    last = rows[-1].pk if rows else after
    return EventPage(
        items=[event_out(e, internals=True) for e in rows],
        next_cursor=_encode_cursor(last) if last is not None else filters.cursor,
    )


# --- measures -------------------------------------------------------------------------------------------


class MeasureFilters(Schema):
    unit: Id | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@api.get("/measures", response={200: MeasuresOut, **ERRORS}, tags=["measures"])
def measures_api(request: HttpRequest, filters: Query[MeasureFilters]) -> MeasuresOut:
    """Response, resolution, satisfaction and on-time rates … over the caller's ledger (docs/measures.md)."""
    user = caller(request)
    if not isinstance(user, Person) or not scope_of(user).is_staff_anywhere():
        raise NotPermitted(_("Measures are for those who work on the ledger."))
    unit = _unit(filters.unit, "unit")
    end = filters.end or clock.today()
    start = filters.start or end.replace(day=1)
    if start > end:
        raise InvalidInput(_("The start comes after the end."), field="start")
    values = measures.compute(user=user, unit=unit, start=start, end=end)
    return MeasuresOut(unit=unit_ref(unit) if unit else None, start=start, end=end, measures=values)
