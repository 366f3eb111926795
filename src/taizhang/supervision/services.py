"""Every write of supervision: urge notices (issue, reply, escalate), extensions counted in working days,
look-backs, default deadlines, notifications read. Each is one transaction; every change to a problem goes
through `ledger.services`, so it is checked against the workflow table and recorded on the event chain.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput, NotFound, NotPermitted
from taizhang.core.options import Options, current_options
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, DeadlineExtension, Event, Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from taizhang.supervision import people
from taizhang.supervision.models import (
    COLOUR_ORDER,
    Colour,
    LookBack,
    Notification,
    NotificationKind,
    UrgeNotice,
)
from taizhang.supervision.notify import notify
from taizhang.supervision.workdays import deadline_for

type AnyUser = Person | AnonymousUser | None

CLOSING_KINDS = frozenset({"problem.verified", "problem.closed"})


def _person(user: AnyUser) -> Person | None:
    return user if isinstance(user, Person) and user.is_authenticated else None


def _options() -> Options:
    options = current_options()
    return options


# --- deadlines --------------------------------------------------------------------------------------------


def default_deadline(category: Category, start: dt.date, *, working: bool | None = None) -> dt.date:
    """The category's time allowed from `start`, in its kind of days (CalendarNotCovered outside the
    working-day calendar)."""
    return deadline_for(start, category.deadline_days, category.working_days if working is None else working)


def fill_default_deadline(draft: ledger.ProblemDraft, *, today: dt.date | None = None) -> ledger.ProblemDraft:
    """The triage desk's draft with the category's deadline when the supervisor left it empty (long-term
    items keep none). An explicit deadline is never changed."""
    if draft.deadline is not None or draft.is_long_term:
        return draft
    return dataclasses.replace(
        draft,
        deadline=default_deadline(draft.category, today or clock.today(), working=draft.working_days),
    )


@transaction.atomic
def extension_request(
    *,
    user: AnyUser,
    problem_id: int,
    reason: str,
    days: int | None = None,
    new_deadline: dt.date | None = None,
    version: int | None = None,
) -> DeadlineExtension:
    """The unit asks for more time before the deadline: a new date, or a number of days added to the
    current deadline — working days when the problem counts them."""
    if (days is None) == (new_deadline is None):
        raise InvalidInput(_("Give either the new deadline or the number of days to add."), field="days")
    if days is not None:
        if days < 1:
            raise InvalidInput(_("Add at least one day."), field="days")
        problem = Problem.objects.filter(pk=problem_id).only("deadline", "working_days").first()
        if problem is None:
            raise NotFound(_("No such problem."))
        if problem.deadline is None:
            raise DomainError(_("A long-term item has no deadline to extend."), code="before_deadline")
        new_deadline = deadline_for(problem.deadline, days, problem.working_days)
    if new_deadline is None:  # unreachable: one of the two was given, checked above
        raise InvalidInput(_("Give the new deadline."), field="new_deadline")
    return ledger.problem_request_extension(
        user=user, problem_id=problem_id, new_deadline=new_deadline, reason=reason, version=version
    )


# --- urge notices -----------------------------------------------------------------------------------------


def _end_of_day(day: dt.date) -> dt.datetime:
    """Midnight after `day`, local time: a reply is due by the end of that day."""
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def reply_due_from(problem: Problem, moment: dt.datetime) -> dt.datetime:
    days = _options().urge_reply_days
    return _end_of_day(deadline_for(timezone.localdate(moment), days, problem.working_days))


def _notice_text(notice: UrgeNotice, problem: Problem) -> str:
    return _("Urge notice (%(colour)s) on %(code)s “%(title)s”: %(message)s — reply by %(due)s.") % {
        "colour": notice.get_colour_display(),
        "code": problem.code,
        "title": problem.title,
        "message": notice.message,
        "due": notice.reply_by.isoformat(),
    }


def _notice_url(notice: UrgeNotice) -> str:
    return reverse("supervision:notice", args=[notice.pk])


@transaction.atomic
def urge_issue(
    *,
    user: AnyUser,
    problem_id: int,
    colour: str,
    message: str,
    cause: str = UrgeNotice.Cause.MANUAL,
    rule_key: str | None = None,
    system: bool = False,
) -> UrgeNotice:
    """督办: a three-colour urge notice to the lead unit, with a reply deadline. Supervisors over the unit
    issue them; the scheduler issues them by rule (`system`)."""
    if colour not in Colour.values:
        raise InvalidInput(_("Choose blue, yellow or red."), field="colour")
    if not message.strip():
        raise InvalidInput(_("Write what the unit must do."), field="message")
    if cause not in UrgeNotice.Cause.values:
        raise InvalidInput(_("Unknown cause."), field="cause")
    problem = Problem.objects.select_related("lead_unit", "owner", "leader").filter(pk=problem_id).first()
    if problem is None:
        raise NotFound(_("No such problem."))
    person = None if system else _person(user)
    now = clock.now()
    try:
        with transaction.atomic():
            notice = UrgeNotice.objects.create(
                problem=problem,
                colour=colour,
                cause=cause,
                rule_key=rule_key,
                issued_by=person,
                issuing_unit=people.issuing_unit(person, problem),
                issued_at=now,
                message=message.strip(),
                reply_due=reply_due_from(problem, now),
            )
    except IntegrityError:
        raise DomainError(_("This notice was already issued."), code="already_issued") from None
    ledger.problem_urge(
        user=None if system else user,
        problem_id=problem.pk,
        note=message.strip(),
        system=system,
        payload={
            "notice": notice.pk,
            "colour": colour,
            "cause": cause,
            "reply_due": notice.reply_due.isoformat(),
        },
    )
    notify(
        kind=NotificationKind.URGED,
        cause=f"urge:{notice.pk}:0",
        recipients=people.unit_workers(problem),
        subject=_("[%(code)s] %(kind)s") % {"code": problem.code, "kind": notice.get_colour_display()},
        message=_notice_text(notice, problem),
        problem=problem,
        notice=notice,
        url=_notice_url(notice),
    )
    return notice


def _lock_notice(notice_id: int) -> UrgeNotice:
    notice = UrgeNotice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("No such urge notice."))
    return notice


@transaction.atomic
def urge_reply(*, user: AnyUser, notice_id: int, reply: str) -> UrgeNotice:
    """The unit answers the notice on the notice itself; recorded on the problem's chain."""
    notice = _lock_notice(notice_id)
    ledger.problem_reply_urge(
        user=user,
        problem_id=notice.problem_id,
        reply=reply,
        urge_waiting=notice.replied_at is None,
        payload={"notice": notice.pk, "colour": notice.colour, "level": notice.level},
    )
    person = _person(user)
    if person is None:  # the workflow admits only the unit's signed-in people; kept for the type checker
        raise NotPermitted(_("Sign in to answer an urge notice."))
    notice.replied_at = clock.now()
    notice.replied_by = person
    notice.reply = reply.strip()
    notice.save(update_fields=["replied_at", "replied_by", "reply"])
    problem = Problem.objects.select_related("lead_unit").get(pk=notice.problem_id)
    told = [notice.issued_by] if notice.issued_by else people.supervisors_for(problem)
    notify(
        kind=NotificationKind.URGE_REPLIED,
        cause=f"urge_replied:{notice.pk}",
        recipients=[p for p in told if p is not None],
        subject=_("[%(code)s] The unit answered the urge notice") % {"code": problem.code},
        message=_("%(unit)s answered the urge notice on %(code)s: %(reply)s")
        % {"unit": problem.lead_unit.name, "code": problem.code, "reply": notice.reply},
        problem=problem,
        notice=notice,
        url=_notice_url(notice),
        robots=False,
    )
    return notice


def next_colour(colour: str) -> Colour:
    index = COLOUR_ORDER.index(Colour(colour))
    return COLOUR_ORDER[min(index + 1, len(COLOUR_ORDER) - 1)]


@transaction.atomic
def urge_escalate(*, notice_id: int) -> UrgeNotice | None:
    """An unanswered notice past its reply deadline goes up one level and one colour: level 1 to the unit's
    leaders, level 2 to the issuing supervision group's superior. None when there is nothing to do."""
    notice = _lock_notice(notice_id)
    now = clock.now()
    if notice.replied_at is not None or notice.level >= UrgeNotice.MAX_LEVEL or now < notice.reply_due:
        return None
    problem = Problem.objects.select_related("lead_unit", "owner", "leader").get(pk=notice.problem_id)
    if problem.state not in (State.OPEN, State.IN_PROGRESS, State.REVIEW):
        return None
    level = notice.level + 1
    colour = next_colour(notice.colour)
    ledger.problem_escalate_urge(
        problem_id=problem.pk,
        note=_("Unanswered by %(due)s: escalated to level %(level)d.")
        % {"due": notice.reply_by.isoformat(), "level": level},
        urge_waiting=True,
        payload={"notice": notice.pk, "level": level, "from_colour": notice.colour, "to_colour": colour},
    )
    notice.level = level
    notice.colour = colour
    notice.escalated_at = now
    notice.reply_due = reply_due_from(problem, now)
    notice.save(update_fields=["level", "colour", "escalated_at", "reply_due"])
    recipients = people.unit_workers(problem) + people.unit_leaders(problem)
    if level >= 2:
        recipients += people.superiors(notice.issuing_unit)
    notify(
        kind=NotificationKind.URGE_ESCALATED,
        cause=f"urge:{notice.pk}:{level}",
        recipients=recipients,
        subject=_("[%(code)s] Urge notice escalated: %(colour)s")
        % {"code": problem.code, "colour": notice.get_colour_display()},
        message=_notice_text(notice, problem),
        problem=problem,
        notice=notice,
        url=_notice_url(notice),
    )
    return notice


# --- look-back --------------------------------------------------------------------------------------------


def look_back_schedule(event: Event) -> LookBack | None:
    """Schedule the re-check of a close-out (called for the event that closed the problem)."""
    if event.kind not in CLOSING_KINDS or event.to_state != State.CLOSED:
        return None
    problem: Problem = event.problem
    closed_on = timezone.localdate(event.at)
    try:
        with transaction.atomic():
            return LookBack.objects.create(
                problem=problem,
                closed_event=event,
                closed_on=closed_on,
                due_on=closed_on + dt.timedelta(days=problem.category.look_back_days),
            )
    except IntegrityError:
        return None  # already scheduled for this close-out


def on_event_recorded(event: Event) -> None:
    """core.hooks subscriber: a closure schedules a look-back; a reopening makes pending ones moot; a
    rejected close-out is told to whoever asked for it."""
    if event.kind in CLOSING_KINDS:
        look_back_schedule(event)
    elif event.kind == REJECTED_KIND:
        closeout_rejected_notify(event)
    elif event.kind in {"problem.reopened", "problem.cancelled"}:
        LookBack.objects.filter(problem_id=event.problem_id, status=LookBack.Status.PENDING).update(
            status=LookBack.Status.CANCELLED
        )


REJECTED_KIND = "problem.rejected"


def closeout_rejected_notify(event: Event) -> None:
    """The handler who requested the close-out, and the problem's owner, learn that it was sent back and
    why (the rejecting person is not told of their own decision)."""
    problem = event.problem
    request = (
        Event.objects.filter(problem=problem, kind="problem.closeout_requested", seq__lt=event.seq)
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )
    wanted = {pk for pk in (request, problem.owner_id) if pk is not None and pk != event.actor_id}
    notify(
        kind=NotificationKind.CLOSEOUT_REJECTED,
        cause=f"rejected:{problem.pk}:{event.seq}",
        recipients=Person.objects.filter(pk__in=wanted, is_active=True),
        subject=_("[%(code)s] Close-out sent back") % {"code": problem.code},
        message=_("The close-out request of %(code)s “%(title)s” was sent back: %(reason)s")
        % {"code": problem.code, "title": problem.title, "reason": event.note},
        problem=problem,
        robots=False,
    )


@transaction.atomic
def look_back_record(
    *,
    user: AnyUser,
    look_back_id: int,
    holds: bool,
    note: str,
    photos: Sequence[UploadedFile[Any]] = (),
) -> LookBack:
    """回头看: the checker records that the fix held, or that it regressed (which reopens the problem and
    counts in its reopen count), with photos."""
    look_back = LookBack.objects.select_for_update().filter(pk=look_back_id).first()
    if look_back is None:
        raise NotFound(_("No such look-back."))
    if look_back.status != LookBack.Status.PENDING:
        raise DomainError(
            _("This look-back was already recorded (%(status)s).")
            % {"status": look_back.get_status_display()},
            code="already_recorded",
        )
    problem = ledger.problem_look_back(
        user=user, problem_id=look_back.problem_id, holds=holds, note=note, photos=photos
    )
    look_back.status = LookBack.Status.HELD if holds else LookBack.Status.REGRESSED
    look_back.checked_by = _person(user)
    look_back.checked_at = clock.now()
    look_back.note = note.strip()
    look_back.result_event = problem.events.order_by("-seq").first()
    look_back.save()
    return look_back


# --- notifications ----------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user: AnyUser, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications read, or all of them (None). Returns how many changed."""
    person = _person(user)
    if person is None:
        raise NotFound(_("No such notification."))
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(recipient=person, pk=notification_id).exists():
            raise NotFound(_("No such notification."))
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=clock.now())
