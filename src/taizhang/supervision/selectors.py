"""Reads for supervision: traffic lights in bulk, the urge desk, notices, queues, notifications, urge rates.

Every list starts from a scoping selector (`ledger.selectors.problems_in_scope` or the person's own rows).
Lights for a list of problems cost two queries however long the list (the rows, then the milestones of the
long-term items among them).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from taizhang.core import clock
from taizhang.core.options import current_options
from taizhang.ledger.models import DeadlineExtension, Problem
from taizhang.ledger.selectors import problems_in_scope
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Role
from taizhang.org.scope import scope_of
from taizhang.supervision.lights import DONE_STATES, Light, Schedule, actual_progress, light
from taizhang.supervision.models import LookBack, Notification, UrgeNotice
from taizhang.supervision.workdays import CalendarNotCovered, day_counter

type AnyUser = Person | AnonymousUser

logger = logging.getLogger(__name__)

_FIELDS = (
    "pk",
    "state",
    "created_at",
    "started_at",
    "deadline",
    "working_days",
    "done_quantity",
    "target_quantity",
    "is_long_term",
    "parent_id",
    "weight",
)

_LIGHT_ORDER = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


@dataclass(frozen=True)
class Progress:
    """A problem's schedule: actual progress (0..1, milestones rolled up), its light, and why it has none
    when the working-day calendar does not cover its dates."""

    actual: float | None
    light: Light | None
    calendar_error: str = ""


def _row(problem: Problem) -> dict[str, Any]:
    return {name: getattr(problem, name) for name in _FIELDS}


def _rows(problems: QuerySet[Problem] | Iterable[Problem]) -> list[dict[str, Any]]:
    if isinstance(problems, QuerySet):
        return list(problems.values(*_FIELDS))
    return [_row(problem) for problem in problems]


def _own_actual(row: Mapping[str, Any]) -> float | None:
    return actual_progress(
        State(row["state"]),
        row["done_quantity"],
        row["target_quantity"],
        started=row["started_at"] is not None,
    )


def _rolled_up(children: Sequence[Mapping[str, Any]]) -> float | None:
    """Weighted progress of milestones; cancelled ones do not count, unmeasured ones count as not done."""
    counted = [child for child in children if child["state"] != State.CANCELLED]
    total: int = sum(child["weight"] for child in counted)
    if not total:
        return None
    done: float = sum(child["weight"] * (_own_actual(child) or 0.0) for child in counted)
    return done / total


def _light(row: Mapping[str, Any], actual: float | None, today: dt.date) -> Light | None:
    options = current_options()
    schedule = Schedule(
        state=State(row["state"]),
        start=timezone.localdate(row["created_at"]),
        deadline=row["deadline"],
        actual=actual,
    )
    return light(
        schedule,
        today,
        yellow_behind=options.light_yellow_behind,
        red_behind=options.light_red_behind,
        count=day_counter(row["working_days"]),
    )


def _progress(row: Mapping[str, Any], actual: float | None, today: dt.date) -> Progress:
    try:
        return Progress(actual=actual, light=_light(row, actual, today))
    except CalendarNotCovered as error:
        return Progress(actual=actual, light=None, calendar_error=str(error))


def progress_for(
    problems: QuerySet[Problem] | Iterable[Problem], today: dt.date | None = None
) -> dict[int, Progress]:
    """Progress and light of each problem. A long-term item's progress is its milestones' weighted progress;
    its light is its own when it has a deadline, else the worst light among its milestones."""
    today = today or clock.today()
    rows = _rows(problems)
    parents = [row["pk"] for row in rows if row["is_long_term"]]
    children: dict[int, list[dict[str, Any]]] = {}
    if parents:
        for child in Problem.objects.filter(parent_id__in=parents).values(*_FIELDS):
            children.setdefault(child["parent_id"], []).append(child)
    result: dict[int, Progress] = {}
    for row in rows:
        milestones = children.get(row["pk"], [])
        if not milestones:
            result[row["pk"]] = _progress(row, _own_actual(row), today)
            continue
        actual = 1.0 if State(row["state"]) in DONE_STATES else _rolled_up(milestones)
        own = _progress(row, actual, today)
        if (
            row["deadline"] is None
            and own.light is None
            and row["state"] not in (State.CLOSED, State.CANCELLED)
        ):
            lights = [_progress(child, _own_actual(child), today).light for child in milestones]
            worst = max(
                (lit for lit in lights if lit is not None), key=_LIGHT_ORDER.__getitem__, default=None
            )
            own = Progress(actual=actual, light=worst, calendar_error=own.calendar_error)
        result[row["pk"]] = own
    return result


def lights_for(
    problems: QuerySet[Problem] | Iterable[Problem], today: dt.date | None = None
) -> dict[int, Light | None]:
    """{problem id: light or None} for a list or queryset of problems, in at most two queries."""
    return {pk: progress.light for pk, progress in progress_for(problems, today).items()}


def light_of(problem: Problem, today: dt.date | None = None) -> Light | None:
    return lights_for([problem], today)[problem.pk]


def rollup_progress(problem: Problem) -> float | None:
    """A long-term item's weighted milestone progress (its own progress when it has no milestones)."""
    return progress_for([problem])[problem.pk].actual


# --- the urge desk and notices ----------------------------------------------------------------------------

URGEABLE_STATES = (State.OPEN, State.IN_PROGRESS, State.REVIEW)


def supervised_problems(user: AnyUser) -> QuerySet[Problem]:
    """Problems whose lead unit lies in the person's supervisor scope."""
    if not user.is_authenticated:
        return Problem.objects.none()
    scope = scope_of(user)
    return problems_in_scope(user).filter(scope.unit_q((Role.SUPERVISOR, Role.ADMIN), "lead_unit__path"))


@dataclass(frozen=True)
class DeskRow:
    problem: Problem
    light: Light | None
    days_left: int | None
    open_notice: UrgeNotice | None


def urge_desk(user: AnyUser, today: dt.date | None = None, *, limit: int = 300) -> list[DeskRow]:
    """Active problems in the supervisor's scope that are overdue, behind schedule or near their deadline,
    worst first, with their light and open notice."""
    options = current_options()
    today = today or clock.today()
    near = today + dt.timedelta(days=options.remind_before_days)
    candidates = list(
        supervised_problems(user)
        .filter(state__in=[State.OPEN, State.IN_PROGRESS], deadline__isnull=False)
        .select_related("lead_unit", "category", "leader", "owner")
        .order_by("deadline", "code")
    )
    lights = lights_for(candidates, today)
    open_notices: dict[int, UrgeNotice] = {}
    for notice in UrgeNotice.objects.filter(
        problem__in=[problem.pk for problem in candidates], replied_at__isnull=True
    ).order_by("issued_at"):
        open_notices[notice.problem_id] = notice
    rows = [
        DeskRow(
            problem=problem,
            light=lights.get(problem.pk),
            days_left=(problem.deadline - today).days if problem.deadline else None,
            open_notice=open_notices.get(problem.pk),
        )
        for problem in candidates
        if lights.get(problem.pk) in (Light.RED, Light.YELLOW)
        or (problem.deadline and problem.deadline <= near)
    ]
    rows.sort(key=lambda row: (-_LIGHT_ORDER.get(row.light or Light.GREEN, 0), row.days_left or 0))
    return rows[:limit]


def notices_visible_to(user: AnyUser) -> QuerySet[UrgeNotice]:
    """Supervisors see the notices over their scope; a unit's handlers and leaders see the notices addressed
    to their unit (lead unit in their scope). Nobody else sees any."""
    if not user.is_authenticated:
        return UrgeNotice.objects.none()
    scope = scope_of(user)
    notices = UrgeNotice.objects.select_related("problem", "problem__lead_unit", "issued_by", "replied_by")
    roles = (Role.HANDLER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
    own = Q(problem__owner_id=user.pk) | Q(problem__leader_id=user.pk)
    return notices.filter(scope.unit_q(roles, "problem__lead_unit__path") | own)


def notice_list(user: AnyUser, *, waiting_only: bool = False) -> QuerySet[UrgeNotice]:
    notices = notices_visible_to(user)
    if waiting_only:
        notices = notices.filter(replied_at__isnull=True)
    return notices.order_by("replied_at", "-issued_at", "-pk")


def problem_notices(problem: Problem) -> QuerySet[UrgeNotice]:
    return problem.urge_notices.select_related("issued_by", "replied_by").order_by("-issued_at", "-pk")


# --- queues -----------------------------------------------------------------------------------------------


def extension_queue(user: AnyUser) -> QuerySet[DeadlineExtension]:
    """Pending extension requests the supervisor may decide."""
    return (
        DeadlineExtension.objects.filter(
            status=DeadlineExtension.Status.PENDING, problem__in=supervised_problems(user)
        )
        .select_related("problem", "problem__lead_unit", "requested_by")
        .order_by("requested_at", "pk")
    )


def look_back_queue(user: AnyUser, *, include_later: bool = True) -> QuerySet[LookBack]:
    """Pending look-backs over the supervisor's scope, the most overdue first."""
    queue = LookBack.objects.filter(
        status=LookBack.Status.PENDING, problem__in=supervised_problems(user)
    ).select_related("problem", "problem__lead_unit", "problem__category")
    if not include_later:
        queue = queue.filter(due_on__lte=clock.today())
    return queue.order_by("due_on", "pk")


def problem_look_backs(problem: Problem) -> QuerySet[LookBack]:
    return problem.look_backs.select_related("checked_by").order_by("-due_on", "-pk")


# --- notifications ----------------------------------------------------------------------------------------


def notifications_of(user: AnyUser) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk).select_related("problem")


def unread_count(user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


# --- urge rate (for the measures module) ------------------------------------------------------------------


@dataclass(frozen=True)
class UrgeCount:
    """Per lead unit and period: problems that were active in the period, how many of them received at least
    one urge notice issued in the period, and how many notices were issued."""

    problems: int
    urged: int
    notices: int

    @property
    def rate(self) -> float | None:
        """催办率 = urged problems / problems (None when the unit had none)."""
        return self.urged / self.problems if self.problems else None


def _period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    finish = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return begin, finish


def urge_counts(
    *, start: dt.date, end: dt.date, problems: QuerySet[Problem] | None = None
) -> dict[int, UrgeCount]:
    """{lead unit id: UrgeCount} for the period [start, end] (local dates, inclusive).

    A problem counts for the period when it was on the list by its end and not closed or cancelled before
    its start. Pass `problems` (e.g. `problems_in_scope(user)`) to scope the counts; the default is every
    problem. Escalations raise a notice's colour but are not new notices.
    """
    begin, finish = _period_bounds(start, end)
    base = Problem.objects.all() if problems is None else problems
    active = base.filter(created_at__lt=finish).exclude(closed_at__lt=begin).exclude(cancelled_at__lt=begin)
    in_period = Q(urge_notices__issued_at__gte=begin, urge_notices__issued_at__lt=finish)
    rows = (
        active.order_by()
        .values("lead_unit_id")
        .annotate(
            problems=Count("pk", distinct=True),
            urged=Count("pk", filter=in_period, distinct=True),
            notices=Count("urge_notices", filter=in_period, distinct=True),
        )
    )
    return {
        row["lead_unit_id"]: UrgeCount(problems=row["problems"], urged=row["urged"], notices=row["notices"])
        for row in rows
    }
