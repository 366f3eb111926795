"""What `taizhang tick` does, step by step. Every step is idempotent — each notice has a cause that is
recorded once — so the command is safe to run every few minutes, and twice at once.

Each problem is handled in its own transaction: one that fails (a calendar gap, a refused transition) is
reported and the rest go on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from taizhang.core import clock
from taizhang.core.errors import DomainError
from taizhang.core.options import Options, current_options
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import DeadlineExtension, Event, Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from taizhang.supervision import people, sending, services
from taizhang.supervision.lights import Light
from taizhang.supervision.models import (
    Colour,
    Delivery,
    LookBack,
    Notification,
    NotificationKind,
    UrgeNotice,
    colour_rank,
)
from taizhang.supervision.notify import enqueue_delivery, notify
from taizhang.supervision.selectors import lights_for
from taizhang.supervision.workdays import coverage

logger = logging.getLogger(__name__)

WORKING_STATES = (State.OPEN, State.IN_PROGRESS)
LEFT_BEHIND = dt.timedelta(minutes=5)


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, step: str, number: int = 1) -> None:
        self.counts[step] = self.counts.get(step, 0) + number


def _options() -> Options:
    return current_options()


def _notified(causes: Iterable[str]) -> set[str]:
    """Causes already told (so the recipients need not be worked out again)."""
    wanted = list(causes)
    return set(Notification.objects.filter(cause__in=wanted).values_list("cause", flat=True)) | set(
        Delivery.objects.filter(cause__in=wanted).values_list("cause", flat=True)
    )


def _each(report: Report, step: str, items: Iterable[Problem], work: Callable[[Problem], bool]) -> None:
    for problem in items:
        try:
            with transaction.atomic():
                if work(problem):
                    report.add(step)
        except DomainError as error:
            report.errors.append(f"{step} {problem.code}: {error}")
            logger.warning("tick %s %s: %s", step, problem.code, error)


def _active(states: Iterable[State]) -> QuerySet[Problem]:
    return Problem.objects.filter(state__in=list(states)).select_related("lead_unit", "owner", "leader")


# --- reminders --------------------------------------------------------------------------------------------


def remind_deadlines(report: Report, today: dt.date) -> None:
    """Before a deadline (within remind_before_days) and once overdue: the unit's people; overdue also the
    supervision group."""
    near_end = today + dt.timedelta(days=_options().remind_before_days)
    candidates = list(_active(WORKING_STATES).filter(deadline__isnull=False, deadline__lte=near_end))
    causes = {
        problem.pk: (
            f"overdue:{problem.pk}:{problem.deadline}"
            if problem.deadline and problem.deadline < today
            else f"deadline_near:{problem.pk}:{problem.deadline}"
        )
        for problem in candidates
    }
    done = _notified(causes.values())

    def work(problem: Problem) -> bool:
        cause = causes[problem.pk]
        deadline = problem.deadline.isoformat() if problem.deadline else ""
        if cause.startswith("overdue:"):
            sent = notify(
                kind=NotificationKind.OVERDUE,
                cause=cause,
                recipients=people.unit_workers(problem)
                + people.unit_leaders(problem)
                + people.supervisors_for(problem),
                subject=_("[%(code)s] Overdue") % {"code": problem.code},
                message=_("%(code)s “%(title)s” (%(unit)s) passed its deadline %(deadline)s.")
                % {
                    "code": problem.code,
                    "title": problem.title,
                    "unit": problem.lead_unit.name,
                    "deadline": deadline,
                },
                problem=problem,
            )
        else:
            sent = notify(
                kind=NotificationKind.DEADLINE_NEAR,
                cause=cause,
                recipients=people.unit_workers(problem) + people.unit_leaders(problem),
                subject=_("[%(code)s] Deadline %(deadline)s") % {"code": problem.code, "deadline": deadline},
                message=_("%(code)s “%(title)s” is due on %(deadline)s (%(days)d day(s) left).")
                % {
                    "code": problem.code,
                    "title": problem.title,
                    "deadline": deadline,
                    "days": (problem.deadline - today).days if problem.deadline else 0,
                },
                problem=problem,
            )
        return bool(sent.notifications or sent.deliveries)

    _each(report, "deadline reminders", [p for p in candidates if causes[p.pk] not in done], work)


def remind_close_outs(report: Report) -> None:
    """A close-out request waiting: unsigned → the unit's leaders; signed → the supervision group to verify;
    and the named raisers asked to rate (anonymous raisers have no account: their receipt page shows it)."""
    candidates = list(_active([State.REVIEW]))
    causes: dict[int, list[str]] = {}
    for problem in candidates:
        step = "verify" if problem.signed_at else "sign"
        causes[problem.pk] = [
            f"{step}:{problem.pk}:{problem.closeout_round}",
            f"rate:{problem.pk}:{problem.closeout_round}",
        ]
    done = _notified(cause for pair in causes.values() for cause in pair)

    def work(problem: Problem) -> bool:
        wait_cause, rate_cause = causes[problem.pk]
        told = False
        if wait_cause not in done:
            if problem.signed_at:
                sent = notify(
                    kind=NotificationKind.VERIFY_WAITING,
                    cause=wait_cause,
                    recipients=people.supervisors_for(problem),
                    subject=_("[%(code)s] Close-out waiting for verification") % {"code": problem.code},
                    message=_("%(unit)s asks to close out %(code)s “%(title)s”; the leader has signed.")
                    % {"unit": problem.lead_unit.name, "code": problem.code, "title": problem.title},
                    problem=problem,
                )
            else:
                sent = notify(
                    kind=NotificationKind.SIGN_WAITING,
                    cause=wait_cause,
                    recipients=people.unit_leaders(problem),
                    subject=_("[%(code)s] Close-out waiting for your signature") % {"code": problem.code},
                    message=_("The close-out request of %(code)s “%(title)s” waits for a leader to sign it.")
                    % {"code": problem.code, "title": problem.title},
                    problem=problem,
                    robots=False,
                )
            told = bool(sent.notifications or sent.deliveries)
        if rate_cause not in done:
            raisers = Person.objects.filter(
                pk__in=Opinion.objects.filter(problem=problem, submitter__isnull=False).values("submitter")
            )
            sent = notify(
                kind=NotificationKind.RATING_REQUEST,
                cause=rate_cause,
                recipients=raisers,
                subject=_("[%(code)s] Please rate the fix") % {"code": problem.code},
                message=_(
                    "The problem you raised, %(code)s “%(title)s”, is reported fixed. Please rate the fix."
                )
                % {"code": problem.code, "title": problem.title},
                problem=problem,
                robots=False,
            )
            told = told or bool(sent.notifications)
        return told

    _each(report, "close-out reminders", [p for p in candidates if not set(causes[p.pk]) <= done], work)


def remind_extensions(report: Report) -> None:
    pending = DeadlineExtension.objects.filter(status=DeadlineExtension.Status.PENDING).select_related(
        "problem", "problem__lead_unit"
    )
    done = _notified(f"extension:{extension.pk}" for extension in pending)
    for extension in pending:
        cause = f"extension:{extension.pk}"
        if cause in done:
            continue
        problem = extension.problem
        with transaction.atomic():
            sent = notify(
                kind=NotificationKind.EXTENSION_WAITING,
                cause=cause,
                recipients=people.supervisors_for(problem),
                subject=_("[%(code)s] Extension requested") % {"code": problem.code},
                message=_(
                    "%(unit)s asks to move the deadline of %(code)s from %(old)s to %(new)s: %(reason)s"
                )
                % {
                    "unit": problem.lead_unit.name,
                    "code": problem.code,
                    "old": extension.old_deadline.isoformat(),
                    "new": extension.new_deadline.isoformat(),
                    "reason": extension.reason,
                },
                problem=problem,
                url=reverse("supervision:extensions"),
                robots=False,
            )
        if sent.notifications:
            report.add("extension reminders")


# --- urging -----------------------------------------------------------------------------------------------


def _rule_for(problem: Problem, lit: Light | None, today: dt.date) -> tuple[str, Colour] | None:
    if problem.deadline is None:
        return None
    if problem.deadline < today:
        return UrgeNotice.Cause.OVERDUE, Colour.RED
    if lit in (Light.YELLOW, Light.RED):
        return UrgeNotice.Cause.BEHIND, Colour.YELLOW
    if (problem.deadline - today).days <= _options().remind_before_days:
        return UrgeNotice.Cause.NEAR_DEADLINE, Colour.BLUE
    return None


_RULE_MESSAGES = {
    UrgeNotice.Cause.OVERDUE: gettext_noop(
        "The deadline has passed. Finish the work, or explain why, at once."
    ),
    UrgeNotice.Cause.BEHIND: gettext_noop(
        "The work is behind schedule. Report what you will do to catch up."
    ),
    UrgeNotice.Cause.NEAR_DEADLINE: gettext_noop(
        "The deadline is near. Report whether the work will be finished in time."
    ),
}


def auto_urge(report: Report, today: dt.date) -> None:
    """By rule: overdue → red, behind schedule (yellow or red light) → yellow, near the deadline → blue; once
    per cause and deadline, and not while an unanswered notice of that colour or higher is open."""
    if not _options().auto_urge:
        return
    candidates = list(_active(WORKING_STATES).filter(deadline__isnull=False))
    lights = lights_for(candidates, today)
    open_rank: dict[int, int] = {}
    for problem_id, colour in UrgeNotice.objects.filter(
        problem__in=[p.pk for p in candidates], replied_at__isnull=True
    ).values_list("problem_id", "colour"):
        open_rank[problem_id] = max(open_rank.get(problem_id, -1), colour_rank(colour))
    wanted: dict[int, tuple[str, Colour, str]] = {}
    for problem in candidates:
        rule = _rule_for(problem, lights.get(problem.pk), today)
        if rule is None or open_rank.get(problem.pk, -1) >= colour_rank(rule[1]):
            continue
        wanted[problem.pk] = (*rule, f"{rule[0]}:{problem.pk}:{problem.deadline}")
    issued = set(
        UrgeNotice.objects.filter(rule_key__in=[key for _c, _k, key in wanted.values()]).values_list(
            "rule_key", flat=True
        )
    )

    def work(problem: Problem) -> bool:
        cause, colour, key = wanted[problem.pk]
        services.urge_issue(
            user=None,
            problem_id=problem.pk,
            colour=colour,
            message=_(_RULE_MESSAGES[UrgeNotice.Cause(cause)]),
            cause=cause,
            rule_key=key,
            system=True,
        )
        return True

    _each(
        report,
        "urge notices issued",
        [p for p in candidates if p.pk in wanted and wanted[p.pk][2] not in issued],
        work,
    )


def escalate(report: Report, now: dt.datetime) -> None:
    due = UrgeNotice.objects.filter(
        replied_at__isnull=True,
        reply_due__lte=now,
        level__lt=UrgeNotice.MAX_LEVEL,
        problem__state__in=[State.OPEN, State.IN_PROGRESS, State.REVIEW],
    ).values_list("pk", flat=True)
    for notice_id in list(due):
        try:
            if services.urge_escalate(notice_id=notice_id) is not None:
                report.add("urge notices escalated")
        except DomainError as error:
            report.errors.append(f"escalate notice {notice_id}: {error}")


# --- public notice and look-back --------------------------------------------------------------------------


def conclude_notices(report: Report, now: dt.datetime) -> None:
    ended = Problem.objects.filter(state=State.NOTICE, notice_ends_at__lte=now, objection_pending=False)
    for problem_id in list(ended.values_list("pk", flat=True)):
        try:
            ledger.problem_conclude_notice(
                user=None, problem_id=problem_id, note=_("Public notice ended without an upheld objection.")
            )
            report.add("public notices concluded")
        except DomainError as error:
            report.errors.append(f"conclude notice of problem {problem_id}: {error}")


def schedule_look_backs(report: Report) -> None:
    """A safety net for the event hook: closed problems whose last closure has no look-back (e.g. closed
    before supervision was installed) get one."""
    closures = (
        Event.objects.filter(
            kind__in=services.CLOSING_KINDS, to_state=State.CLOSED, problem__state=State.CLOSED
        )
        .filter(look_back__isnull=True)
        .select_related("problem", "problem__category")
        .order_by("problem_id", "-seq")
    )
    latest: dict[int, Event] = {}
    for event in closures:
        latest.setdefault(event.problem_id, event)
    for event in latest.values():
        newer = Event.objects.filter(
            problem_id=event.problem_id, kind__in=services.CLOSING_KINDS, seq__gt=event.seq
        ).exists()
        if newer:
            continue
        with transaction.atomic():
            if services.look_back_schedule(event) is not None:
                report.add("look-backs scheduled")


def remind_look_backs(report: Report, today: dt.date) -> None:
    due = LookBack.objects.filter(status=LookBack.Status.PENDING, due_on__lte=today).select_related(
        "problem", "problem__lead_unit"
    )
    done = _notified(f"look_back:{look_back.pk}" for look_back in due)
    for look_back in due:
        cause = f"look_back:{look_back.pk}"
        if cause in done:
            continue
        problem = look_back.problem
        with transaction.atomic():
            sent = notify(
                kind=NotificationKind.LOOK_BACK_DUE,
                cause=cause,
                recipients=people.supervisors_for(problem),
                subject=_("[%(code)s] Look-back due") % {"code": problem.code},
                message=_("%(code)s “%(title)s”, closed on %(closed)s, is due for its look-back (回头看).")
                % {"code": problem.code, "title": problem.title, "closed": look_back.closed_on.isoformat()},
                problem=problem,
                url=reverse("supervision:look_backs"),
                robots=False,
            )
        if sent.notifications:
            report.add("look-back reminders")


# --- deliveries -------------------------------------------------------------------------------------------


def retry_deliveries(report: Report, now: dt.datetime) -> None:
    stale = sending.fail_stale(now)
    if stale:
        report.add("deliveries interrupted", stale)
    # Fresh deliveries were enqueued when they were created; only retries and ones a worker left behind.
    due = (
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(attempts__gt=0) | Q(created_at__lt=now - LEFT_BEHIND))
        .values_list("pk", flat=True)
    )
    for delivery_id in list(due):
        enqueue_delivery(delivery_id)
        report.add("deliveries enqueued")


def calendar_warning(today: dt.date) -> str:
    last = coverage()[1]
    if (last - today).days < 60:
        return _(
            "The working-day calendar ends on %(last)s: upgrade the chinese-calendar package when the next "
            "year's holidays are published, or working-day deadlines beyond it cannot be counted."
        ) % {"last": last.isoformat()}
    return ""


def tick(now: dt.datetime | None = None) -> Report:
    """One round of every step, in an order where each step sees the previous one's results."""
    now = now or clock.now()
    today = timezone.localdate(now)
    report = Report()
    with clock.frozen_at(now):
        conclude_notices(report, now)
        schedule_look_backs(report)
        remind_deadlines(report, today)
        remind_close_outs(report)
        remind_extensions(report)
        auto_urge(report, today)
        escalate(report, now)
        remind_look_backs(report, today)
        retry_deliveries(report, now)
    return report
