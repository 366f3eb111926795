"""Who may do what in a campaign (the table in docs/campaigns.md). Services enforce these; templates use them
to decide which forms to show. Each rule lives here once."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from taizhang.campaigns.models import ContactPoint, Document, Meeting, MeetingItem
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser | None

#: Roles that record the campaign's work in their units: visits, study sessions, meetings.
RECORDING_ROLES = (Role.HANDLER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
#: Roles that read members' reflections and leaders' check materials in their units (not handlers: these are
#: personal writings, read by those who lead or supervise).
READING_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


def person_of(user: AnyUser) -> Person | None:
    return user if isinstance(user, Person) and user.is_authenticated and user.is_active else None


def _covers(user: AnyUser, unit: Unit, roles: tuple[Role, ...]) -> bool:
    person = person_of(user)
    if person is None:
        return False
    scope = scope_of(person)
    return any(scope.covers(role, unit.path) for role in roles)


def can_manage_campaign(user: AnyUser, organiser: Unit) -> bool:
    return _covers(user, organiser, (Role.ADMIN,))


def can_assign_contact_point(user: AnyUser, unit: Unit) -> bool:
    return _covers(user, unit, (Role.SUPERVISOR, Role.ADMIN))


def can_record_visit(user: AnyUser, point: ContactPoint) -> bool:
    """The contact point's own leader, or the supervision group / administrators over its unit."""
    person = person_of(user)
    if person is None:
        return False
    return point.leader_id == person.pk or _covers(person, point.unit, (Role.SUPERVISOR, Role.ADMIN))


def can_record_study(user: AnyUser, unit: Unit) -> bool:
    return _covers(user, unit, RECORDING_ROLES)


def can_write_reflection(user: AnyUser) -> bool:
    person = person_of(user)
    return person is not None and person.unit_id is not None


def can_record_meeting(user: AnyUser, unit: Unit) -> bool:
    return _covers(user, unit, RECORDING_ROLES)


def can_add_meeting_item(user: AnyUser, meeting: Meeting) -> bool:
    return can_record_meeting(user, meeting.unit)


def can_turn_item_into_problem(user: AnyUser, item: MeetingItem) -> bool:
    """The supervision group over the meeting's unit lists what a meeting raised (立项), once."""
    return item.problem_id is None and _covers(user, item.meeting.unit, (Role.SUPERVISOR,))


def can_start_document(user: AnyUser, unit: Unit) -> bool:
    return _covers(user, unit, READING_ROLES)


def can_revise(user: AnyUser, document: Document) -> bool:
    """Only the author rewrites their material (几易其稿); approval closes it."""
    person = person_of(user)
    return person is not None and document.author_id == person.pk and not document.is_approved


def can_review(user: AnyUser, document: Document) -> bool:
    """Reviewers are the supervision group over the document's unit; nobody reviews their own material."""
    person = person_of(user)
    if person is None or document.author_id == person.pk:
        return False
    return _covers(person, document.unit, (Role.SUPERVISOR,))


def can_approve(user: AnyUser, document: Document) -> bool:
    return can_review(user, document) and not document.is_approved
