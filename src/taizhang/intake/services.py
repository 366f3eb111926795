"""Every write to opinions: submission from any channel, and the triage desk's decisions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import router, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils.translation import gettext as _

from taizhang.core import clock, hooks
from taizhang.core.errors import DomainError, InvalidInput, Message, NotFound, NotPermitted
from taizhang.core.uploads import FileType, strip_metadata, thumbnail, validate_upload
from taizhang.intake.models import (
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    Channel,
    Opinion,
    OpinionAddition,
    OpinionPhoto,
    Place,
    normalise_receipt,
)
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.ledger.selectors import can_see_internals
from taizhang.ledger.workflow import ACTIVE_STATES
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of
from taizhang.supervision.services import fill_default_deadline

type AnyUser = Person | AnonymousUser | None

MIN_TEXT = 2
MAX_TEXT = 4000
CONTACT_NAME_MAX = Opinion._meta.get_field("contact_name").max_length or 0
CONTACT_PHONE_MAX = Opinion._meta.get_field("contact_phone").max_length or 0


def _person(user: AnyUser) -> Person | None:
    return user if isinstance(user, Person) and user.is_authenticated else None


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def root_unit() -> Unit:
    unit = Unit.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order", "pk").first()
    if unit is None:
        raise DomainError(
            _("The organisation has no units yet; an administrator must create them first."), code="no_units"
        )
    return unit


@dataclass(frozen=True)
class OpinionInput:
    text: str
    channel: str = Channel.WEB
    anonymous: bool = False
    place: Place | None = None
    place_text: str = ""
    unit: Unit | None = None
    category: Category | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    contact_name: str = ""
    contact_phone: str = ""
    campaign_id: int | None = None
    # Answers to the category's extra questions, already checked by
    # `taizhang.api.services.clean_attribute_answers` (which knows the questions).
    attributes: dict[str, Any] = field(default_factory=dict)
    media_url: str = ""
    # When a record kept elsewhere (a hotline's, a suggestion box's register) is imported: when it was
    # received there. None: now.
    received_at: dt.datetime | None = None


def _media_url_problem(url: str) -> Message | None:
    if len(url) > 500:
        return _("The media URL is longer than 500 characters.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("The media URL must be an http:// or https:// address.")
    return None


#: Received up to this far ahead of the server's clock is still "now" (another machine's clock).
RECEIVED_SLACK = dt.timedelta(minutes=5)


def validate_opinion(data: OpinionInput) -> None:  # noqa: PLR0912  # one check per field
    """Raise InvalidInput, with every field's messages, unless `data` may be submitted."""
    errors: dict[str, list[Message]] = {}
    text = data.text.strip()
    if len(text) < MIN_TEXT:
        errors.setdefault("text", []).append(_("Write what the problem or suggestion is."))
    if len(text) > MAX_TEXT:
        errors.setdefault("text", []).append(
            _("The text is longer than %(max)d characters.") % {"max": MAX_TEXT}
        )
    if data.channel not in Channel.values:
        errors.setdefault("channel", []).append(_("Unknown channel."))
    if data.anonymous and (data.contact_name.strip() or data.contact_phone.strip()):
        errors.setdefault("contact_name", []).append(
            _(
                "An anonymous opinion cannot carry a name or phone number. "
                "Leave them empty, or do not submit anonymously."
            )
        )
    if len(data.contact_name.strip()) > CONTACT_NAME_MAX:
        errors.setdefault("contact_name", []).append(
            _("The name is longer than %(max)d characters.") % {"max": CONTACT_NAME_MAX}
        )
    if len(data.contact_phone.strip()) > CONTACT_PHONE_MAX:
        errors.setdefault("contact_phone", []).append(
            _("The phone number is longer than %(max)d characters.") % {"max": CONTACT_PHONE_MAX}
        )
    if data.received_at is not None and data.received_at > clock.now() + RECEIVED_SLACK:
        errors.setdefault("received_at", []).append(_("The time received is in the future."))
    if (data.latitude is None) != (data.longitude is None):
        errors.setdefault("latitude", []).append(_("Give both latitude and longitude, or neither."))
    if data.latitude is not None and not Decimal(-90) <= data.latitude <= Decimal(90):
        errors.setdefault("latitude", []).append(_("Latitude must be between -90 and 90."))
    if data.longitude is not None and not Decimal(-180) <= data.longitude <= Decimal(180):
        errors.setdefault("longitude", []).append(_("Longitude must be between -180 and 180."))
    if len(data.place_text) > 200:
        errors.setdefault("place_text", []).append(_("The place is longer than 200 characters."))
    if data.unit is not None and not data.unit.is_active:
        errors.setdefault("unit", []).append(_("That unit is no longer active."))
    if data.media_url and (problem := _media_url_problem(data.media_url)):
        errors.setdefault("media_url", []).append(problem)
    if data.channel == Channel.ME_TOO:
        errors.setdefault("channel", []).append(_("“Me too” is given on a listed problem, not submitted."))
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)


def _insert_unless_taken(opinion: Opinion) -> bool:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING id`: False, and nothing written, when the receipt code or
    the idempotency key is taken already. Unlike catching an IntegrityError this needs no savepoint (two
    round trips on every submission) to keep the surrounding transaction usable. Opinion has no save()
    override and no save signals, so nothing of `Model.save()` is skipped."""
    meta = Opinion._meta
    using = router.db_for_write(Opinion)
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    returning = list(meta.db_returning_fields)
    # What Model.save() runs for an insert (QuerySet._insert), with ON CONFLICT added.
    query = InsertQuery(Opinion, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [opinion])
    rows = query.get_compiler(using=using).execute_sql(returning)
    if not rows:
        return False
    for value, returned in zip(rows[0], returning, strict=True):
        setattr(opinion, returned.attname, value)
    opinion._state.adding = False
    opinion._state.db = using
    return True


def _insert_with_receipt(opinion: Opinion) -> Opinion:
    """Insert under a fresh receipt code; a clash with an existing code (or a concurrent retry of the same
    idempotency key) is resolved without surfacing to the person."""
    for _attempt in range(5):
        opinion.receipt_code = new_receipt_code()
        if _insert_unless_taken(opinion):
            hooks.opinion_saved(opinion, inserted=True)
            return opinion
        if opinion.idempotency_key is not None:
            concurrent = Opinion.objects.filter(idempotency_key=opinion.idempotency_key).first()
            if concurrent is not None:
                return concurrent
    raise DomainError(_("Could not issue a receipt code; please try again."), code="receipt_code_exhausted")


MAX_PHOTOS = 6


def _check_photos(photos: Sequence[UploadedFile[Any]]) -> list[FileType]:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("At most %(max)d photos.") % {"max": MAX_PHOTOS}, field="photos")
    try:
        return [validate_upload(photo, images_only=True) for photo in photos]
    except InvalidInput as refused:
        # the upload checker speaks of "file"; here the field is the photos input, where the message belongs
        raise InvalidInput(refused.message, field="photos") from None


def _store_photos(opinion: Opinion, photos: Sequence[UploadedFile[Any]], types: list[FileType]) -> None:
    """Photos lose their EXIF (GPS, device) before they are stored: they must not unmask anyone."""
    for photo, file_type in zip(photos, types, strict=True):
        clean = strip_metadata(photo, file_type)
        data = clean.read()
        name = f"{uuid.uuid4().hex}{file_type.extensions[0]}"
        record = OpinionPhoto(
            opinion=opinion,
            content_type=file_type.content_type,
            sha256=hashlib.sha256(data).hexdigest(),
            created_at=clock.now(),
        )
        record.image.save(name, ContentFile(data), save=False)
        record.thumbnail.save(name, thumbnail(data, file_type), save=False)
        record.save()


@transaction.atomic
def opinion_submit(
    *,
    user: AnyUser,
    data: OpinionInput,
    idempotency_key: str | None = None,
    key_checked: bool = False,
    photos: Sequence[UploadedFile[Any]] = (),
) -> Opinion:
    """Receive an opinion from any channel. Anonymous ones keep nothing of the submitter.

    A repeated call with the same idempotency key returns the opinion the first call created.
    """
    person = _person(user)
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()
        if not idempotency_key or len(idempotency_key) > 100:
            raise InvalidInput(_("The idempotency key must be 1 to 100 characters."), field="idempotency_key")
        # Callers that check the key themselves (the API compares the text) skip this read; for them a repeat
        # is still caught by the key's unique index in _insert_with_receipt.
        if not key_checked:
            existing = Opinion.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
    validate_opinion(data)
    photo_types = _check_photos(photos)
    unit = data.unit or (data.place.unit if data.place else None) or root_unit()
    opinion = Opinion(
        channel=data.channel,
        text=data.text.strip(),
        place=data.place,
        place_text=data.place_text.strip() or (data.place.name if data.place else ""),
        latitude=data.latitude,
        longitude=data.longitude,
        unit=unit,
        category=data.category,
        campaign_id=data.campaign_id,
        is_anonymous=data.anonymous,
        submitter=None if data.anonymous else person,
        contact_name="" if data.anonymous else data.contact_name.strip(),
        contact_phone="" if data.anonymous else data.contact_phone.strip(),
        attributes=dict(data.attributes),
        media_url=data.media_url,
        idempotency_key=idempotency_key,
        created_at=data.received_at or clock.now(),
    )
    saved = _insert_with_receipt(opinion)
    if saved.pk == opinion.pk and photos:  # not when a concurrent retry of the same key won
        _store_photos(saved, photos, photo_types)
    return saved


# --- the triage desk ------------------------------------------------------------------------------------


def may_triage(user: AnyUser, opinion: Opinion) -> bool:
    person = _person(user)
    return person is not None and scope_of(person).covers(Role.SUPERVISOR, opinion.unit.path)


def _lock_opinion(user: AnyUser, opinion_id: int) -> Opinion:
    opinion = Opinion.objects.select_for_update().select_related("unit").filter(pk=opinion_id).first()
    if opinion is None or not may_triage(user, opinion):
        raise NotFound(_("No such opinion on your triage desk."))
    return opinion


def _require_new(opinion: Opinion) -> None:
    if opinion.state != Opinion.State.NEW:
        raise DomainError(
            _("This opinion has already been handled (%(state)s).") % {"state": opinion.get_state_display()},
            code="already_handled",
        )


def _link(*, opinion: Opinion, problem: Problem, user: AnyUser, state: str, duplicates: bool = True) -> None:
    """Make the opinion (and what was merged into it) raise `problem`, recorded on the problem's chain."""
    now = clock.now()
    linked = [opinion]
    if duplicates:
        linked += list(Opinion.objects.select_for_update().filter(merged_into=opinion, problem__isnull=True))
    for item in linked:
        item.problem = problem
        item.state = state if item is opinion else Opinion.State.MERGED
        item.responded_at = item.responded_at or now
        item.responded_by = item.responded_by or _person(user)
        item.save()
        hooks.opinion_saved(item)
        ledger.record_event(
            problem=problem,
            kind="problem.opinion_attached",
            actor=_person(user),
            actor_role="supervisor" if _person(user) else "system",
            from_state=problem.state,
            payload={"opinion": item.pk, "channel": item.channel},
        )
    problem.updated_at = now
    problem.save(update_fields=["event_count", "head_hash", "updated_at"])


@transaction.atomic
def opinion_triage(*, user: AnyUser, opinion_id: int, draft: ledger.ProblemDraft, note: str = "") -> Problem:
    """Turn an opinion into a new problem on the list (立项). Left empty, the deadline is the category's time
    allowed from today, in calendar or working days."""
    opinion = _lock_opinion(user, opinion_id)
    _require_new(opinion)
    draft = fill_default_deadline(draft, today=clock.today())
    problem = ledger.problem_create(user=user, draft=draft, note=note)
    problem = ledger.lock_problem(problem.pk)
    _link(opinion=opinion, problem=problem, user=user, state=Opinion.State.TRIAGED)
    return problem


@transaction.atomic
def opinion_attach(*, user: AnyUser, opinion_id: int, problem_id: int) -> Opinion:
    """Attach an opinion to a problem already on the list: its raiser becomes one of the problem's raisers."""
    opinion = _lock_opinion(user, opinion_id)
    _require_new(opinion)
    problem = ledger.lock_problem(problem_id)
    if problem.state not in ACTIVE_STATES:
        raise DomainError(
            _("That problem is %(state)s; open a new problem instead.") % {"state": problem.state_label},
            code="problem_not_active",
        )
    _link(opinion=opinion, problem=problem, user=user, state=Opinion.State.TRIAGED)
    return opinion


def _respond(*, user: AnyUser, opinion_id: int, state: str, response: str) -> Opinion:
    opinion = _lock_opinion(user, opinion_id)
    _require_new(opinion)
    if not response.strip():
        raise InvalidInput(_("Write the answer or the reason; the submitter will read it."), field="response")
    # Whoever raised a duplicate of it reads the same answer.
    duplicates = list(Opinion.objects.select_for_update().filter(merged_into=opinion, problem__isnull=True))
    for item in [opinion, *duplicates]:
        item.state = state
        item.response = response.strip()
        item.responded_at = clock.now()
        item.responded_by = _person(user)
        item.save()
        hooks.opinion_saved(item)
    return opinion


@transaction.atomic
def opinion_answer(*, user: AnyUser, opinion_id: int, response: str) -> Opinion:
    """Explained, no fix needed (答复)."""
    return _respond(user=user, opinion_id=opinion_id, state=Opinion.State.ANSWERED, response=response)


@transaction.atomic
def opinion_decline(*, user: AnyUser, opinion_id: int, reason: str) -> Opinion:
    """Not taken up, with the reason the submitter sees."""
    return _respond(user=user, opinion_id=opinion_id, state=Opinion.State.DECLINED, response=reason)


@transaction.atomic
def opinion_merge(*, user: AnyUser, opinion_id: int, into_id: int) -> Opinion:
    """A duplicate of another opinion: it follows that one, and its raiser rates the same fix."""
    if opinion_id == into_id:
        raise InvalidInput(_("An opinion cannot be merged into itself."), field="into")
    opinion = _lock_opinion(user, opinion_id)
    _require_new(opinion)
    target = _lock_opinion(user, into_id)
    while target.merged_into_id is not None:
        target = _lock_opinion(user, target.merged_into_id)
    if target.pk == opinion.pk:
        raise InvalidInput(_("That would merge the opinion into itself."), field="into")
    if target.state in (Opinion.State.ANSWERED, Opinion.State.DECLINED, Opinion.State.WITHDRAWN):
        raise DomainError(
            _("The opinion to merge into was %(state)s; handle this one on its own.")
            % {"state": target.get_state_display()},
            code="target_closed",
        )
    # The opinion's own duplicates follow it to the target, and onto the target's problem if it has one:
    # every raiser is then a raiser of that problem, sees its progress and rates its fix.
    followers = [opinion, *Opinion.objects.select_for_update().filter(merged_into=opinion).order_by("pk")]
    for item in followers:
        item.merged_into = target
        item.state = Opinion.State.MERGED
    if target.problem_id is not None:
        problem = ledger.lock_problem(target.problem_id)
        for item in followers:
            _link(opinion=item, problem=problem, user=user, state=Opinion.State.MERGED, duplicates=False)
    else:
        for item in followers:
            item.responded_at = item.responded_at or clock.now()
            item.responded_by = item.responded_by or _person(user)
            item.save()
            hooks.opinion_saved(item)
    return opinion


def opinion_by_receipt(receipt_code: str) -> Opinion:
    opinion = Opinion.objects.filter(receipt_code=normalise_receipt(receipt_code)).first()
    if opinion is None:
        raise NotFound(_("No opinion has that receipt code. Check the code on your receipt."))
    return opinion


@transaction.atomic
def opinion_withdraw(
    *, user: AnyUser, receipt_code: str | None = None, opinion_id: int | None = None
) -> Opinion:
    """The submitter takes the opinion back before it is triaged (by receipt code, or signed in)."""
    if receipt_code:
        opinion = opinion_by_receipt(receipt_code)
    else:
        person = _person(user)
        mine = None
        if person is not None and opinion_id is not None:
            mine = Opinion.objects.filter(pk=opinion_id, submitter=person).first()
        if mine is None:
            raise NotFound(_("No such opinion of yours."))
        opinion = mine
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.state != Opinion.State.NEW:
        raise DomainError(
            _("It has already been handled (%(state)s) and can no longer be withdrawn.")
            % {"state": opinion.get_state_display()},
            code="already_handled",
        )
    opinion.state = Opinion.State.WITHDRAWN
    opinion.responded_at = clock.now()
    opinion.save()
    hooks.opinion_saved(opinion)
    # Its duplicates still stand: they go back to the triage desk, each on its own.
    for duplicate in Opinion.objects.select_for_update().filter(merged_into=opinion, problem__isnull=True):
        duplicate.merged_into = None
        duplicate.state = Opinion.State.NEW
        duplicate.responded_at = None
        duplicate.responded_by = None
        duplicate.save()
        hooks.opinion_saved(duplicate)
    return opinion


@transaction.atomic
def opinion_me_too(*, user: AnyUser, problem_id: int, text: str = "", anonymous: bool = False) -> Opinion:
    """ "Me too" on a listed problem instead of a new opinion: the person becomes one of its raisers.

    Anonymous visitors get a receipt code, through which they rate the fix like any raiser.
    """
    person = _person(user)
    problem = ledger.lock_problem(problem_id)
    if not problem.is_public and not (person and can_see_internals(person, problem)):
        raise NotFound(_("No such problem."))
    if problem.state not in ACTIVE_STATES:
        raise DomainError(
            _("This item is %(state)s; “me too” is for items still being worked on.")
            % {"state": problem.state_label},
            code="problem_not_active",
        )
    if person is not None and not anonymous and problem.opinions.filter(submitter=person).exists():
        raise DomainError(_("You are already one of the raisers of this problem."), code="already_raiser")
    if person is None and not anonymous:
        raise NotPermitted(_("Log in, or add your voice anonymously."))
    opinion = Opinion(
        channel=Channel.ME_TOO,
        text=text.strip() or problem.title,
        unit=problem.lead_unit,
        category=problem.category,
        campaign_id=problem.campaign_id,
        is_anonymous=anonymous,
        submitter=None if anonymous else person,
        state=Opinion.State.TRIAGED,
        problem=problem,
        responded_at=clock.now(),
        created_at=clock.now(),
    )
    if len(opinion.text) > MAX_TEXT:
        raise InvalidInput(_("The text is longer than %(max)d characters.") % {"max": MAX_TEXT}, field="text")
    opinion = _insert_with_receipt(opinion)
    ledger.record_event(
        problem=problem,
        kind="problem.raiser_joined",
        actor=None,
        from_state=problem.state,
        payload={"opinion": opinion.pk},
    )
    problem.save(update_fields=["event_count", "head_hash"])
    return opinion


@transaction.atomic
def opinion_add(
    *, user: AnyUser, text: str, receipt_code: str | None = None, opinion_id: int | None = None
) -> OpinionAddition:
    """补充说明: whoever holds the receipt code (or the signed-in submitter) adds to the opinion.

    When the opinion is already on the problem list, the addition also goes into the problem's history,
    without saying who wrote it.
    """
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write what you want to add."), field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("The text is longer than %(max)d characters.") % {"max": MAX_TEXT}, field="text")
    if receipt_code:
        opinion = opinion_by_receipt(receipt_code)
    else:
        person = _person(user)
        mine = (
            Opinion.objects.filter(pk=opinion_id, submitter=person).first() if person and opinion_id else None
        )
        if mine is None:
            raise NotFound(_("No such opinion of yours."))
        opinion = mine
    if opinion.state == Opinion.State.WITHDRAWN:
        raise DomainError(_("This opinion was withdrawn."), code="withdrawn")
    addition = OpinionAddition.objects.create(opinion=opinion, text=text, created_at=clock.now())
    if opinion.problem_id is not None:
        problem = ledger.lock_problem(opinion.problem_id)
        ledger.record_event(
            problem=problem,
            kind="problem.opinion_added",
            actor=None,
            actor_role="raiser",
            from_state=problem.state,
            note=text,
            payload={"opinion": opinion.pk},
        )
        problem.save(update_fields=["event_count", "head_hash"])
    hooks.opinion_saved(opinion)
    return addition
