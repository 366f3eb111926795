"""Every write in a campaign. Each service is one transaction, checks the person against
`campaigns.permissions` (the table in docs/campaigns.md), validates, and writes; a refusal changes nothing.

Opinions raised on a visit go through `intake.services.opinion_submit`, problems raised at a meeting through
`ledger.services.problem_create`: this app never writes another app's rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from taizhang.campaigns import permissions
from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    DocumentKind,
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    Phase,
    Reflection,
    ReviewComment,
    Revision,
    StudyKind,
    StudySession,
    Visit,
    VisitOpinion,
)
from taizhang.campaigns.selectors import (
    access_contact_point,
    access_document,
    access_meeting,
    access_meeting_item,
    access_revision,
    access_study_session,
    access_visit,
)
from taizhang.core import clock
from taizhang.core.errors import Conflict, DomainError, InvalidInput, Message, NotPermitted
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser | None

MAX_TEXT = 4000
MAX_DOCUMENT = 60000
MIN_REFLECTION = 10


def _actor(user: AnyUser) -> Person:
    person = permissions.person_of(user)
    if person is None:
        raise NotPermitted(_("Sign in first."))
    return person


def _raise_if(errors: dict[str, list[Message]]) -> None:
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors)


def _text(
    errors: dict[str, list[Message]], field: str, value: str, *, required: Message | None, limit: int
) -> str:
    value = value.strip()
    if required is not None and not value:
        errors.setdefault(field, []).append(required)
    if len(value) > limit:
        errors.setdefault(field, []).append(_("This is longer than %(max)d characters.") % {"max": limit})
    return value


def _check_day(
    errors: dict[str, list[Message]], field: str, day: dt.date | None, campaign: Campaign | None
) -> None:
    """A record's date: given, not in the future, and inside its campaign (when it belongs to one)."""
    if day is None:
        errors.setdefault(field, []).append(_("Give the date."))
        return
    if day > clock.today():
        errors.setdefault(field, []).append(_("The date is in the future."))
    if campaign is not None and day < campaign.starts_on:
        errors.setdefault(field, []).append(
            _("The campaign started on %(day)s; this date is before it.")
            % {"day": campaign.starts_on.isoformat()}
        )
    if campaign is not None and campaign.ends_on is not None and day > campaign.ends_on:
        errors.setdefault(field, []).append(
            _("The campaign ended on %(day)s; this date is after it.") % {"day": campaign.ends_on.isoformat()}
        )


def _campaign(campaign_id: int) -> Campaign:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise InvalidInput(_("No such campaign."), field="campaign")
    return campaign


def _active_people(errors: dict[str, list[Message]], field: str, people: Sequence[Person]) -> None:
    if any(not person.is_active for person in people):
        errors.setdefault(field, []).append(_("Someone in the list no longer has an active login."))


# --- campaigns and phases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseInput:
    name: str
    starts_on: dt.date
    ends_on: dt.date


def phase_errors(starts_on: dt.date, ends_on: dt.date | None, phases: Sequence[PhaseInput]) -> list[Message]:
    """What is wrong with a campaign's phases: each named, in order, inside the campaign's dates, not
    overlapping. The admin's phase forms use it too, so the rule is written once."""
    errors: list[Message] = []
    previous_end: dt.date | None = None
    for number, phase in enumerate(phases, start=1):
        label = {"number": number, "name": phase.name}
        if not phase.name.strip():
            errors.append(_("Phase %(number)d needs a name.") % label)
        if phase.ends_on < phase.starts_on:
            errors.append(_("Phase %(number)d (%(name)s) ends before it starts.") % label)
        if phase.starts_on < starts_on or (ends_on is not None and phase.ends_on > ends_on):
            errors.append(_("Phase %(number)d (%(name)s) lies outside the campaign's dates.") % label)
        if previous_end is not None and phase.starts_on <= previous_end:
            errors.append(_("Phase %(number)d (%(name)s) starts before the previous phase ends.") % label)
        previous_end = phase.ends_on
    return errors


@transaction.atomic
def campaign_create(
    *,
    user: AnyUser,
    code: str,
    name: str,
    organiser: Unit,
    starts_on: dt.date,
    ends_on: dt.date | None,
    phases: Sequence[PhaseInput],
    description: str = "",
) -> Campaign:
    """A campaign with its phases, in order, inside the campaign's dates and not overlapping."""
    if not permissions.can_manage_campaign(user, organiser):
        raise NotPermitted(
            _("Only administrators over %(unit)s may set up its campaigns.") % {"unit": organiser}
        )
    errors: dict[str, list[Message]] = {}
    name = _text(errors, "name", name, required=_("A campaign needs a name."), limit=200)
    code = code.strip()
    if not code or len(code) > 50 or not all(ch.isalnum() or ch in "-_" for ch in code) or not code.isascii():
        errors.setdefault("code", []).append(_("The code is 1 to 50 letters, digits, - or _."))
    elif Campaign.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(_("Another campaign has this code."))
    if ends_on is not None and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The campaign ends before it starts."))
    if wrong_phases := phase_errors(starts_on, ends_on, phases):
        errors["phases"] = wrong_phases
    _raise_if(errors)
    campaign = Campaign.objects.create(
        code=code,
        name=name,
        description=description.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        organiser=organiser,
    )
    Phase.objects.bulk_create(
        Phase(campaign=campaign, name=p.name.strip(), order=n, starts_on=p.starts_on, ends_on=p.ends_on)
        for n, p in enumerate(phases, start=1)
    )
    return campaign


# --- contact points and visits --------------------------------------------------------------------------


@transaction.atomic
def contact_point_assign(
    *,
    user: AnyUser,
    campaign_id: int,
    leader: Person,
    unit: Unit,
    since: dt.date | None = None,
    note: str = "",
) -> ContactPoint:
    """Give a leader a grassroots unit as contact point (the campaign office does this)."""
    actor = _actor(user)
    if not permissions.can_assign_contact_point(actor, unit):
        raise NotPermitted(
            _("Only the supervision group over %(unit)s may make it a contact point.") % {"unit": unit}
        )
    campaign = _campaign(campaign_id)
    errors: dict[str, list[Message]] = {}
    since = since or max(campaign.starts_on, min(clock.today(), campaign.ends_on or clock.today()))
    _check_day(errors, "since", since, campaign)
    note = _text(errors, "note", note, required=None, limit=200)
    if not leader.is_active or not scope_of(leader).has_role(Role.LEADER):
        errors.setdefault("leader", []).append(
            _("Contact points are for leaders; this person holds no leader role.")
        )
    if not unit.is_active:
        errors.setdefault("unit", []).append(_("That unit is no longer active."))
    if ContactPoint.objects.filter(campaign=campaign, leader=leader, unit=unit).exists():
        errors.setdefault("unit", []).append(_("This unit is already one of the leader's contact points."))
    _raise_if(errors)
    return ContactPoint.objects.create(
        campaign=campaign,
        leader=leader,
        unit=unit,
        since=since,
        note=note,
        created_at=clock.now(),
        created_by=actor,
    )


@dataclass(frozen=True)
class VisitInput:
    visited_on: dt.date | None
    people_met: str
    raised: str = ""


@transaction.atomic
def visit_record(*, user: AnyUser, contact_point_id: int, data: VisitInput) -> Visit:
    """A leader records a visit to one of their contact points (others over the unit may record it too)."""
    actor = _actor(user)
    point = access_contact_point(actor, contact_point_id)
    if not permissions.can_record_visit(actor, point):
        raise NotPermitted(_("Only the leader of this contact point or its supervisors may record visits."))
    errors: dict[str, list[Message]] = {}
    _check_day(errors, "visited_on", data.visited_on, point.campaign)
    if data.visited_on is not None and data.visited_on < point.since:
        errors.setdefault("visited_on", []).append(
            _("The unit became a contact point on %(day)s.") % {"day": point.since.isoformat()}
        )
    people_met = _text(
        errors, "people_met", data.people_met, required=_("Write whom you met."), limit=MAX_TEXT
    )
    raised = _text(errors, "raised", data.raised, required=None, limit=MAX_TEXT)
    _raise_if(errors)
    assert data.visited_on is not None  # noqa: S101  # checked above; narrows the type
    return Visit.objects.create(
        contact_point=point,
        visited_on=data.visited_on,
        people_met=people_met,
        raised=raised,
        recorded_by=actor,
        created_at=clock.now(),
    )


@dataclass(frozen=True)
class VisitOpinionInput:
    """What one person said on the visit. `contact_name` is the person met (not the leader), or nothing."""

    text: str
    unit: Unit | None = None
    category: Category | None = None
    place_text: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    anonymous: bool = False


@transaction.atomic
def visit_opinion_add(
    *, user: AnyUser, visit_id: int, data: VisitOpinionInput, idempotency_key: str | None = None
) -> Opinion:
    """Enter an opinion raised during a visit: it reaches the triage desk like any other, through intake.

    The leader who types it is not its submitter (they would become the problem's raiser and rate their own
    fix): the opinion is offline, carrying the contact name of the person met, or nothing when that person
    asked not to be named. Named opinions are linked to the visit; anonymous ones are only counted on it.
    """
    actor = _actor(user)
    visit = access_visit(actor, visit_id)
    visit = (
        Visit.objects.select_for_update()
        .select_related("contact_point__unit", "contact_point__campaign")
        .get(pk=visit.pk)
    )
    point = visit.contact_point
    if not permissions.can_record_visit(actor, point):
        raise NotPermitted(
            _("Only the leader of this contact point or its supervisors may add to its visits.")
        )
    repeated = (
        idempotency_key is not None
        and Opinion.objects.filter(idempotency_key=idempotency_key.strip()).exists()
    )
    opinion = intake.opinion_submit(
        user=None,
        data=intake.OpinionInput(
            text=data.text,
            channel=Channel.VISIT,
            anonymous=data.anonymous,
            place_text=data.place_text or point.unit.name,
            unit=data.unit or point.unit,
            category=data.category,
            contact_name=data.contact_name,
            contact_phone=data.contact_phone,
            campaign_id=point.campaign_id,
        ),
        idempotency_key=idempotency_key,
    )
    if opinion.is_anonymous:
        if repeated:
            return opinion  # the first submission counted it (or it is not this visit's: nothing to count)
        visit.anonymous_opinions += 1
        visit.save(update_fields=["anonymous_opinions"])
        return opinion
    link = VisitOpinion.objects.filter(opinion=opinion).first()
    if link is not None:
        if link.visit_id != visit.pk:
            raise Conflict(_("That submission was already entered from another visit."))
        return opinion  # a repeated submission: the first one linked it
    if opinion.channel != Channel.VISIT:
        raise Conflict(_("That submission key belongs to an opinion from another channel."))
    VisitOpinion.objects.create(visit=visit, opinion=opinion, linked_at=clock.now())
    return opinion


# --- study ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudyInput:
    unit: Unit
    kind: str
    topic: str
    held_on: dt.date | None
    speaker: str = ""
    notes: str = ""
    attendees: tuple[Person, ...] = ()


@transaction.atomic
def study_session_record(*, user: AnyUser, campaign_id: int, data: StudyInput) -> StudySession:
    actor = _actor(user)
    if not permissions.can_record_study(actor, data.unit):
        raise NotPermitted(_("You may record study sessions only for units in your charge."))
    campaign = _campaign(campaign_id)
    errors: dict[str, list[Message]] = {}
    if data.kind not in StudyKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of study."))
    topic = _text(errors, "topic", data.topic, required=_("Give the topic."), limit=200)
    speaker = _text(errors, "speaker", data.speaker, required=None, limit=100)
    notes = _text(errors, "notes", data.notes, required=None, limit=MAX_TEXT)
    _check_day(errors, "held_on", data.held_on, campaign)
    _active_people(errors, "attendees", data.attendees)
    _raise_if(errors)
    assert data.held_on is not None  # noqa: S101  # checked above
    session = StudySession.objects.create(
        campaign=campaign,
        unit=data.unit,
        kind=data.kind,
        topic=topic,
        held_on=data.held_on,
        speaker=speaker,
        notes=notes,
        recorded_by=actor,
        created_at=clock.now(),
    )
    session.attendees.set(data.attendees)
    return session


@transaction.atomic
def reflection_write(
    *,
    user: AnyUser,
    campaign_id: int,
    title: str,
    text: str,
    session_id: int | None = None,
    written_on: dt.date | None = None,
) -> Reflection:
    """A member writes their own reflection (学习体会); it counts for the unit they belong to."""
    actor = _actor(user)
    if not permissions.can_write_reflection(actor):
        raise NotPermitted(_("Your login belongs to no unit; ask an administrator to place you in one."))
    campaign = _campaign(campaign_id)
    errors: dict[str, list[Message]] = {}
    title = _text(errors, "title", title, required=_("Give your reflection a title."), limit=200)
    text = _text(errors, "text", text, required=_("Write your reflection."), limit=MAX_DOCUMENT)
    if text and len(text) < MIN_REFLECTION:
        errors.setdefault("text", []).append(
            _("A reflection is at least %(min)d characters.") % {"min": MIN_REFLECTION}
        )
    written_on = written_on or clock.today()
    _check_day(errors, "written_on", written_on, campaign)
    session = None
    if session_id is not None:
        session = access_study_session(actor, session_id)
        if session.campaign_id != campaign.pk:
            errors.setdefault("session", []).append(_("That study session belongs to another campaign."))
    _raise_if(errors)
    assert actor.unit is not None  # noqa: S101  # can_write_reflection checked it
    return Reflection.objects.create(
        campaign=campaign,
        author=actor,
        unit=actor.unit,
        session=session,
        title=title,
        text=text,
        written_on=written_on,
        created_at=clock.now(),
    )


# --- meetings -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    unit: Unit
    kind: str
    title: str
    held_on: dt.date | None
    place: str = ""
    attendees: tuple[Person, ...] = ()
    guests: str = ""
    minutes: str = ""


@transaction.atomic
def meeting_record(*, user: AnyUser, data: MeetingInput, campaign_id: int | None = None) -> Meeting:
    """A meeting held by a unit; campaign meetings (生活会) belong to the campaign, ordinary ones need not."""
    actor = _actor(user)
    if not permissions.can_record_meeting(actor, data.unit):
        raise NotPermitted(_("You may record meetings only for units in your charge."))
    campaign = _campaign(campaign_id) if campaign_id is not None else None
    errors: dict[str, list[Message]] = {}
    if data.kind not in MeetingKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of meeting."))
    title = _text(errors, "title", data.title, required=_("Give the meeting a title."), limit=200)
    place = _text(errors, "place", data.place, required=None, limit=100)
    guests = _text(errors, "guests", data.guests, required=None, limit=MAX_TEXT)
    minutes = _text(errors, "minutes", data.minutes, required=None, limit=MAX_DOCUMENT)
    _check_day(errors, "held_on", data.held_on, campaign)
    _active_people(errors, "attendees", data.attendees)
    _raise_if(errors)
    assert data.held_on is not None  # noqa: S101  # checked above
    meeting = Meeting.objects.create(
        campaign=campaign,
        unit=data.unit,
        kind=data.kind,
        title=title,
        held_on=data.held_on,
        place=place,
        guests=guests,
        minutes=minutes,
        recorded_by=actor,
        created_at=clock.now(),
    )
    if data.attendees:
        meeting.attendees.set(data.attendees)
    return meeting


@transaction.atomic
def meeting_item_add(
    *,
    user: AnyUser,
    meeting_id: int,
    kind: str,
    text: str,
    speaker: Person | None = None,
    speaker_name: str = "",
    subject: Person | None = None,
) -> MeetingItem:
    """Record a criticism, self-criticism or suggestion made at the meeting, with who said it."""
    actor = _actor(user)
    meeting = access_meeting(actor, meeting_id)
    if not permissions.can_add_meeting_item(actor, meeting):
        raise NotPermitted(_("You may add to the minutes only of meetings of units in your charge."))
    errors: dict[str, list[Message]] = {}
    if kind not in ItemKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of item."))
    text = _text(errors, "text", text, required=_("Write what was said."), limit=MAX_TEXT)
    speaker_name = _text(errors, "speaker_name", speaker_name, required=None, limit=100)
    if speaker is None and not speaker_name:
        errors.setdefault("speaker", []).append(_("Say who said it."))
    if speaker is not None and speaker_name:
        errors.setdefault("speaker_name", []).append(_("Choose the speaker or type a name, not both."))
    if kind == ItemKind.SELF_CRITICISM and subject is not None and subject != speaker:
        errors.setdefault("subject", []).append(_("A self-criticism is addressed to the speaker."))
    _raise_if(errors)
    return MeetingItem.objects.create(
        meeting=meeting,
        kind=kind,
        speaker=speaker,
        speaker_name=speaker_name,
        subject=speaker if kind == ItemKind.SELF_CRITICISM else subject,
        text=text,
        recorded_by=actor,
        created_at=clock.now(),
    )


@transaction.atomic
def meeting_item_to_problem(
    *, user: AnyUser, item_id: int, draft: ledger.ProblemDraft, note: str = ""
) -> Problem:
    """The supervision group puts what a meeting raised on the problem list (through the ledger's service)."""
    actor = _actor(user)
    found = access_meeting_item(actor, item_id)
    item = MeetingItem.objects.select_for_update().select_related("meeting__unit").get(pk=found.pk)
    if item.problem_id is not None:
        raise DomainError(_("This item is already on the problem list."), code="already_listed")
    if not permissions.can_turn_item_into_problem(actor, item):
        raise NotPermitted(_("Only the supervision group over the meeting's unit may list what it raised."))
    meeting = item.meeting
    draft = dataclasses.replace(
        draft,
        description=draft.description or item.text,
        source=draft.source or meeting.get_kind_display()[:100],
        campaign_id=draft.campaign_id or meeting.campaign_id,
    )
    problem = ledger.problem_create(
        user=actor,
        draft=draft,
        note=note or _("From %(meeting)s (%(day)s)") % {"meeting": meeting.title, "day": meeting.held_on},
    )
    item.problem = problem
    item.save(update_fields=["problem"])
    return problem


# --- documents: check materials and their revisions -----------------------------------------------------


def _check_document_text(errors: dict[str, list[Message]], text: str) -> str:
    return _text(errors, "text", text, required=_("The document has no text."), limit=MAX_DOCUMENT)


@transaction.atomic
def document_start(
    *,
    user: AnyUser,
    campaign_id: int,
    kind: str,
    title: str,
    unit: Unit,
    text: str,
    note: str = "",
) -> Document:
    """Start a document with its first revision; the person starting it is its author."""
    actor = _actor(user)
    if not permissions.can_start_document(actor, unit):
        raise NotPermitted(_("You may start documents only for units you lead or supervise."))
    campaign = _campaign(campaign_id)
    errors: dict[str, list[Message]] = {}
    if kind not in DocumentKind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of document."))
    title = _text(errors, "title", title, required=_("Give the document a title."), limit=200)
    text = _check_document_text(errors, text)
    note = _text(errors, "note", note, required=None, limit=MAX_TEXT)
    _raise_if(errors)
    now = clock.now()
    document = Document.objects.create(
        campaign=campaign, kind=kind, title=title, unit=unit, author=actor, created_at=now
    )
    Revision.objects.create(document=document, number=1, text=text, note=note, author=actor, created_at=now)
    return document


def _lock_document(actor: Person, document_id: int) -> Document:
    access_document(actor, document_id)
    return Document.objects.select_for_update().select_related("unit").get(pk=document_id)


def _latest_number(document: Document) -> int:
    latest: int | None = document.revisions.aggregate(latest=Max("number"))["latest"]
    return latest or 0


@transaction.atomic
def revision_add(
    *, user: AnyUser, document_id: int, text: str, note: str = "", based_on: int | None = None
) -> Revision:
    """The author rewrites the document (几易其稿). `based_on` is the revision the author was looking at: if
    another revision was saved since, the rewrite is refused rather than silently overtaking it."""
    actor = _actor(user)
    document = _lock_document(actor, document_id)
    if document.is_approved:
        raise DomainError(_("This document was approved; it is final."), code="approved")
    if not permissions.can_revise(actor, document):
        raise NotPermitted(_("Only the author rewrites this document."))
    latest = _latest_number(document)
    if based_on is not None and based_on != latest:
        raise Conflict(
            _(
                "Revision %(latest)d was saved after the revision %(seen)d you started from. "
                "Open it and rewrite from there."
            )
            % {"latest": latest, "seen": based_on}
        )
    errors: dict[str, list[Message]] = {}
    text = _check_document_text(errors, text)
    note = _text(errors, "note", note, required=None, limit=MAX_TEXT)
    if text and document.revisions.filter(number=latest, text=text).exists():
        errors.setdefault("text", []).append(_("The text is the same as the latest revision."))
    _raise_if(errors)
    return Revision.objects.create(
        document=document, number=latest + 1, text=text, note=note, author=actor, created_at=clock.now()
    )


@transaction.atomic
def review_comment_add(*, user: AnyUser, revision_id: int, text: str) -> ReviewComment:
    """A reviewer of the supervision group comments on one revision."""
    actor = _actor(user)
    revision = access_revision(actor, revision_id)
    if not permissions.can_review(actor, revision.document):
        raise NotPermitted(
            _("Only the supervision group over the unit reviews this document, never its author.")
        )
    errors: dict[str, list[Message]] = {}
    text = _text(errors, "text", text, required=_("Write the comment."), limit=MAX_TEXT)
    _raise_if(errors)
    return ReviewComment.objects.create(revision=revision, reviewer=actor, text=text, created_at=clock.now())


@transaction.atomic
def document_approve(*, user: AnyUser, document_id: int, revision_number: int, note: str = "") -> Document:
    """A reviewer approves the latest revision (the one they read); approval is final."""
    actor = _actor(user)
    document = _lock_document(actor, document_id)
    if document.is_approved:
        raise DomainError(_("This document is already approved."), code="approved")
    if not permissions.can_approve(actor, document):
        raise NotPermitted(
            _("Only the supervision group over the unit approves this document, never its author.")
        )
    latest = _latest_number(document)
    if revision_number != latest:
        raise Conflict(_("Revision %(latest)d is the latest; read it before approving.") % {"latest": latest})
    errors: dict[str, list[Message]] = {}
    note = _text(errors, "note", note, required=None, limit=MAX_TEXT)
    _raise_if(errors)
    document.approved_revision = document.revisions.get(number=latest)
    document.approved_by = actor
    document.approved_at = clock.now()
    document.approval_note = note
    document.save(update_fields=["approved_revision", "approved_by", "approved_at", "approval_note"])
    return document
