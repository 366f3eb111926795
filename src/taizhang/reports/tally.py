"""Maintained tallies for the measures: the counts of `reports.measures` per unit and local day, kept in step
with the ledger inside the writing transaction, so the dashboard sums a few hundred thousand small rows
instead of reading every problem, opinion, rating and event (docs/scale.md).

How it stays exact:

- every count is a pure function of one row (a problem, an opinion, a rating, an urge or reopening event):
  `problem_part`, `opinion_part`, … below, each a `Delta` of cells to add;
- on `core.hooks.problem_saved` / `opinion_saved` the subscriber subtracts the row's part as it was read
  (`core.loaded`) or last counted, and adds its part as it is now; new urges, reopenings and ratings (the
  events appended since the row was read) are added; a change of lead unit moves the problem's history;
- what depends on "now" (a deadline passed, a response window ended) is decided when the figures are read:
  the cells keep the deadline's day, the reading splits at today;
- `rebuild()` (`taizhang measures-rebuild`) recounts everything from the rows with the same functions, for
  after bulk loads and after a change of the response window or the time zone;
- `tests/reports/test_tally.py` runs random workflows through the services and compares with the live count.

Used by `measures.counts_by_unit` when `usable(selection)`: no category or campaign filter (those stay live),
the tallies valid, counted with the current response window and time zone.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import itertools
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from taizhang.core import clock, hooks
from taizhang.core.loaded import loaded_values
from taizhang.core.options import current_options
from taizhang.intake.models import Opinion, OpinionState
from taizhang.ledger.models import Event, Problem, Rating, Verdict
from taizhang.ledger.workflow import ACTIVE_STATES, State
from taizhang.org.models import Unit
from taizhang.reports.models import (
    AchievementTally,
    DayTally,
    MonthPairTally,
    MonthTally,
    PairTally,
    TallyCounts,
    TallyState,
)

log = logging.getLogger(__name__)

URGE_EVENT = "problem.urged"
REOPEN_EVENT = "problem.reopened"
RATED_EVENT = "problem.rated"
_ACTIVE = frozenset(s.value for s in ACTIVE_STATES)

#: The counts of a day or month cell, in the model's order (reports.models.TallyCounts).
DAY_COLUMNS = tuple(field.name for field in TallyCounts._meta.get_fields())
VERDICT_COLUMN = {
    Verdict.SATISFIED.value: "ratings_satisfied",
    Verdict.BASICALLY_SATISFIED.value: "ratings_basic",
    Verdict.UNSATISFIED.value: "ratings_unsatisfied",
}


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(zone()).date()


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _micro(delta: dt.timedelta) -> int:
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


# --- deltas: what one row adds ----------------------------------------------------------------------------


@dataclass
class Delta:
    """Cells to add: day cells by (unit, day), pair cells by (unit, first, last), month pairs likewise."""

    days: defaultdict[tuple[int, dt.date], defaultdict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    pairs: defaultdict[tuple[int, dt.date, dt.date], int] = field(default_factory=lambda: defaultdict(int))
    month_pairs: defaultdict[tuple[int, dt.date, dt.date], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    #: quantities done by (unit, category, campaign or 0)
    achievements: defaultdict[tuple[int, int, int], int] = field(default_factory=lambda: defaultdict(int))

    def add(self, unit_id: int, day: dt.date, sign: int = 1, **columns: int) -> None:
        cell = self.days[(unit_id, day)]
        for name, value in columns.items():
            cell[name] += sign * value

    def add_pair(self, unit_id: int, first: dt.date, last: dt.date, sign: int = 1) -> None:
        self.pairs[(unit_id, first, last)] += sign
        self.month_pairs[(unit_id, month_of(first), month_of(last))] += sign

    def merge(self, other: Delta, sign: int = 1) -> None:
        for key, cell in other.days.items():
            mine = self.days[key]
            for name, value in cell.items():
                mine[name] += sign * value
        for pair_key, n in other.pairs.items():
            self.pairs[pair_key] += sign * n
        for pair_key, n in other.month_pairs.items():
            self.month_pairs[pair_key] += sign * n
        for achievement_key, n in other.achievements.items():
            self.achievements[achievement_key] += sign * n


@dataclass(frozen=True)
class ProblemRow:
    """The columns of a problem the counts depend on."""

    unit_id: int
    created_at: dt.datetime
    deadline: dt.date | None
    closed_at: dt.datetime | None
    state: str
    category_id: int
    campaign_id: int | None
    done_quantity: int

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> ProblemRow:
        return cls(
            unit_id=values["lead_unit_id"],
            created_at=values["created_at"],
            deadline=values["deadline"],
            closed_at=values["closed_at"],
            state=values["state"],
            category_id=values["category_id"],
            campaign_id=values["campaign_id"],
            done_quantity=values["done_quantity"],
        )


def problem_part(row: ProblemRow, delta: Delta, sign: int = 1) -> None:
    unit = row.unit_id
    listed = local_day(row.created_at)
    delta.add(unit, listed, sign, listed=1)
    cancelled = row.state == State.CANCELLED
    closed = row.state == State.CLOSED and row.closed_at is not None
    closed_day = local_day(row.closed_at) if closed and row.closed_at is not None else None
    if row.deadline is not None:
        columns = {
            "due_live": int(not cancelled),
            "due_closed": int(row.state == State.CLOSED),
            "due_on_time": int(closed_day is not None and closed_day <= row.deadline),
            "due_active": int(row.state in _ACTIVE),
        }
        delta.add(unit, row.deadline, sign, **columns)
    if closed_day is not None and row.closed_at is not None:
        delta.add(unit, closed_day, sign, closed=1, close_us=_micro(row.closed_at - row.created_at))
    if cancelled:
        return
    if row.done_quantity:
        delta.achievements[(unit, row.category_id, row.campaign_id or 0)] += sign * row.done_quantity
    days = sorted({listed, *(d for d in (row.deadline, closed_day) if d is not None)})
    for day in days:
        delta.add(unit, day, sign, item_days=1)
    for first, last in itertools.pairwise(days):
        delta.add_pair(unit, first, last, sign)


@dataclass(frozen=True)
class OpinionRow:
    unit_id: int
    created_at: dt.datetime
    state: str
    responded_at: dt.datetime | None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> OpinionRow:
        return cls(values["unit_id"], values["created_at"], values["state"], values["responded_at"])


def opinion_part(row: OpinionRow, window: dt.timedelta, delta: Delta, sign: int = 1) -> None:
    if row.state == OpinionState.WITHDRAWN:
        return
    responded = row.responded_at is not None
    in_time = row.responded_at is not None and row.responded_at <= row.created_at + window
    delta.add(
        row.unit_id,
        local_day(row.created_at),
        sign,
        opinions=1,
        opinions_responded=int(responded),
        opinions_in_time=int(in_time),
    )


def rating_part(unit_id: int, created_at: dt.datetime, verdict: str, delta: Delta, sign: int = 1) -> None:
    columns = {"ratings": 1}
    if verdict in VERDICT_COLUMN:
        columns[VERDICT_COLUMN[verdict]] = 1
    delta.add(unit_id, local_day(created_at), sign, **columns)


def event_part(unit_id: int, at: dt.datetime, kind: str, delta: Delta, sign: int = 1) -> None:
    if kind == URGE_EVENT:
        delta.add(unit_id, local_day(at), sign, urges=1)
    elif kind == REOPEN_EVENT:
        delta.add(unit_id, local_day(at), sign, reopens=1)


# --- writing ----------------------------------------------------------------------------------------------


def _upsert(table: str, keys: tuple[str, ...], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in (*keys, *columns))
    marks = ", ".join(["%s"] * (len(keys) + len(columns)))
    updates = ", ".join(f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in columns)
    sql = (
        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks}) "  # noqa: S608  # names, not input
        f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _months(delta: Delta) -> dict[tuple[int, dt.date], dict[str, int]]:
    months: defaultdict[tuple[int, dt.date], defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (unit, day), cell in delta.days.items():
        month = months[(unit, month_of(day))]
        for name, value in cell.items():
            month[name] += value
    return dict(months)


def _cell_rows(cells: Mapping[tuple[int, dt.date], Mapping[str, int]]) -> list[tuple[Any, ...]]:
    return [
        (unit, day, *(cell.get(name, 0) for name in DAY_COLUMNS))
        for (unit, day), cell in sorted(cells.items())
        if any(cell.values())
    ]


_pending: contextvars.ContextVar[tuple[object, Delta] | None] = contextvars.ContextVar(
    "tally_pending", default=None
)


def apply(delta: Delta) -> None:
    """Add the delta to the tallies now, or at the end of a `hooks.batch()` (a bulk import updates each cell
    once instead of once per problem: PostgreSQL slows down on a row updated thousands of times in one
    transaction)."""
    batch = hooks.current_batch()
    if batch is not None:
        pending = _pending.get()
        if pending is None or pending[0] is not batch:  # a new batch (an aborted one's work is dropped)
            pending = (batch, Delta())
            _pending.set(pending)
        pending[1].merge(delta)
        return
    _write(delta)


def on_batch_ended(batch: object) -> None:
    """core.hooks subscriber: write what the batch gathered."""
    pending = _pending.get()
    _pending.set(None)
    if pending is not None and pending[0] is batch:
        _write(pending[1])


type Upsert = tuple[type[models.Model], tuple[str, ...], tuple[str, ...], list[tuple[Any, ...]]]


def _upserts(delta: Delta) -> list[Upsert]:
    """(table's model, key columns, added columns, rows) of every tally the delta changes."""
    found: list[Upsert] = [
        (DayTally, ("unit_id", "day"), DAY_COLUMNS, _cell_rows(delta.days)),
        (MonthTally, ("unit_id", "month"), DAY_COLUMNS, _cell_rows(_months(delta))),
    ]
    for model, cells in ((PairTally, delta.pairs), (MonthPairTally, delta.month_pairs)):
        rows = [(unit, first, last, n) for (unit, first, last), n in sorted(cells.items()) if n]
        found.append((model, ("unit_id", "first", "last"), ("n",), rows))
    found.append((AchievementTally, ACHIEVEMENT_KEYS, ("done",), _achievement_rows(delta)))
    return [upsert for upsert in found if upsert[3]]


def _write(delta: Delta) -> None:
    for model, keys, columns, rows in _upserts(delta):
        _upsert(model._meta.db_table, keys, columns, rows)


def _write_if_kept(delta: Delta, window_days: float) -> bool:
    """On PostgreSQL: the state row's check (what `_writable()` reads) and every upsert of the delta in one
    statement, one round trip instead of three or more on each submission. False, with nothing written, when
    the state row does not say the tallies are kept with these rules (or on another database): the caller
    then takes the long way, `_writable()` and `apply()`, which also deals with a missing or outdated row."""
    if connection.vendor != "postgresql":
        return False
    upserts = _upserts(delta)
    params: list[Any] = [window_days, settings.TIME_ZONE]
    for _model, _keys, _columns, rows in upserts:
        params += itertools.chain.from_iterable(rows)
    shape = tuple((model, keys, columns, len(rows)) for model, keys, columns, rows in upserts)
    sql = _checked_upsert_sql(shape)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (kept,) = cursor.fetchone()
    return bool(kept)


@functools.lru_cache(maxsize=64)
def _checked_upsert_sql(
    shape: tuple[tuple[type[models.Model], tuple[str, ...], tuple[str, ...], int], ...],
) -> str:
    """The statement of `_write_if_kept` for tables with so many rows each (a submission: always the same)."""
    quote = connection.ops.quote_name
    ctes = [
        f"kept AS (SELECT 1 FROM {quote(TallyState._meta.db_table)} "  # noqa: S608  # names, not input
        "WHERE id = 1 AND valid AND window_days = %s AND time_zone = %s)"
    ]
    for n, (model, keys, columns, count) in enumerate(shape):
        table = quote(model._meta.db_table)
        names = (*keys, *columns)
        # typed: a VALUES list under SELECT takes no type from the columns it is inserted into
        types = [model._meta.get_field(name).db_type(connection) for name in names]
        row = "(" + ", ".join(f"CAST(%s AS {db_type})" for db_type in types) + ")"
        updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in columns)
        ctes.append(
            f"w{n} AS (INSERT INTO {table} ({', '.join(quote(name) for name in names)}) "  # noqa: S608
            f"SELECT * FROM (VALUES {', '.join([row] * count)}) AS v WHERE EXISTS (SELECT 1 FROM kept) "
            f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {updates})"
        )
    return f"WITH {', '.join(ctes)} SELECT EXISTS (SELECT 1 FROM kept)"  # noqa: S608  # names, not input


def _apply_now(delta: Delta, window_days: float) -> bool:
    """Outside a batch, try the one-statement write; False when the long way must be taken."""
    return hooks.current_batch() is None and _write_if_kept(delta, window_days)


ACHIEVEMENT_KEYS = ("unit_id", "category_id", "campaign_id")


def _achievement_rows(delta: Delta) -> list[tuple[Any, ...]]:
    return [(*key, n) for key, n in sorted(delta.achievements.items()) if n]


def _state() -> TallyState | None:
    return TallyState.objects.filter(pk=1).first()


def _writable() -> dt.timedelta | None:
    """The response window to count with, or None when the tallies are not kept (stale until a rebuild)."""
    window_days = current_options().response_window_days
    state = _state()
    if state is None:
        TallyState.objects.create(pk=1, valid=True, window_days=window_days, time_zone=settings.TIME_ZONE)
        return dt.timedelta(days=window_days)
    if not state.valid:
        return None
    if state.window_days != window_days or state.time_zone != settings.TIME_ZONE:
        log.warning("measure tallies counted with other rules: unused until `taizhang measures-rebuild`")
        TallyState.objects.filter(pk=1).update(valid=False)
        return None
    return dt.timedelta(days=window_days)


def _history(
    problem_id: int, unit_id: int, delta: Delta, sign: int, *, events_up_to: int, ratings: Any
) -> None:
    for at, kind in Event.objects.filter(
        problem_id=problem_id, seq__lte=events_up_to, kind__in=[URGE_EVENT, REOPEN_EVENT]
    ).values_list("at", "kind"):
        event_part(unit_id, at, kind, delta, sign)
    for created_at, verdict in ratings:
        rating_part(unit_id, created_at, verdict, delta, sign)


def _as_loaded(instance: Problem | Opinion, now: Mapping[str, Any]) -> dict[str, Any] | None:
    """The counted columns as read from the database; None for a row built in Python. A column left out of
    the read (`.only()`) was not written by this instance either: its value now is its value then."""
    loaded = loaded_values(instance)
    if loaded is None:
        return None
    return {name: loaded.get(name, value) for name, value in now.items()}


def on_problem_saved(problem: Problem) -> None:
    """core.hooks subscriber: count the problem's change, its new events and ratings."""
    if _writable() is None:
        return
    now = {
        "lead_unit_id": problem.lead_unit_id,
        "created_at": problem.created_at,
        "deadline": problem.deadline,
        "closed_at": problem.closed_at,
        "state": problem.state,
        "category_id": problem.category_id,
        "campaign_id": problem.campaign_id,
        "done_quantity": problem.done_quantity,
        "event_count": problem.event_count,
    }
    before = getattr(problem, "_tally_counted", None) or _as_loaded(problem, now)
    delta = Delta()
    problem_part(ProblemRow.of(now), delta)
    counted_events = 0
    if before is not None:
        problem_part(ProblemRow.of(before), delta, -1)
        counted_events = before["event_count"]
    seen: list[tuple[int, dt.datetime, str]] = getattr(problem, "_tally_events", [])
    fresh = [(at, kind) for seq, at, kind in seen if seq > counted_events]
    if len(fresh) != problem.event_count - counted_events:  # events appended through another instance
        fresh = list(
            Event.objects.filter(problem_id=problem.pk, seq__gt=counted_events).values_list("at", "kind")
        )
    new_events = [(at, kind) for at, kind in fresh if kind in (URGE_EVENT, REOPEN_EVENT, RATED_EVENT)]
    rated = sum(1 for _at, kind in new_events if kind == RATED_EVENT)
    moved = before is not None and before["lead_unit_id"] != problem.lead_unit_id
    all_ratings = (
        list(
            Rating.objects.filter(problem_id=problem.pk).order_by("-pk").values_list("created_at", "verdict")
        )
        if rated or moved
        else []
    )
    for created_at, verdict in all_ratings[:rated]:
        rating_part(problem.lead_unit_id, created_at, verdict, delta)
    for at, kind in new_events:
        event_part(problem.lead_unit_id, at, kind, delta)
    if before is not None and moved:
        # Ratings and events count at the problem's lead unit: its history moves with it.
        old = all_ratings[rated:]
        _history(problem.pk, before["lead_unit_id"], delta, -1, events_up_to=counted_events, ratings=old)
        _history(problem.pk, problem.lead_unit_id, delta, 1, events_up_to=counted_events, ratings=old)
    apply(delta)
    problem._tally_counted = now  # type: ignore[attr-defined]
    problem._tally_events = []  # type: ignore[attr-defined]


def on_event_recorded(event: Event) -> None:
    """core.hooks subscriber: remember the event on its problem, counted when the problem is saved."""
    problem = event.problem
    seen: list[tuple[int, dt.datetime, str]] | None = getattr(problem, "_tally_events", None)
    if seen is None:
        seen = []
        problem._tally_events = seen  # type: ignore[attr-defined]
    seen.append((event.seq, event.at, event.kind))


def on_opinion_saved(opinion: Opinion) -> None:
    """core.hooks subscriber: count the opinion's change."""
    # The window the delta is counted with is the current setting's; the state row only says whether the
    # tallies were counted with it too (`_writable()`), which `_apply_now` checks in the same statement.
    window_days = current_options().response_window_days
    window = dt.timedelta(days=window_days)
    now = {
        "unit_id": opinion.unit_id,
        "created_at": opinion.created_at,
        "state": opinion.state,
        "responded_at": opinion.responded_at,
    }
    before = getattr(opinion, "_tally_counted", None) or _as_loaded(opinion, now)
    delta = Delta()
    opinion_part(OpinionRow.of(now), window, delta)
    if before is not None:
        opinion_part(OpinionRow.of(before), window, delta, -1)
    if not _apply_now(delta, window_days):
        if _writable() is None:
            return
        apply(delta)
    opinion._tally_counted = now  # type: ignore[attr-defined]


# --- rebuilding -------------------------------------------------------------------------------------------


type Progress = Callable[[str, int], None]


def rebuild(progress: Progress | None = None, chunk: int = 20_000) -> dict[str, int]:
    """Recount every tally from the rows (after bulk loads, or a change of rules). One transaction."""
    report = progress or (lambda _label, _n: None)
    window_days = current_options().response_window_days
    window = dt.timedelta(days=window_days)
    delta = Delta()
    counts: dict[str, int] = {}
    with transaction.atomic():
        TallyState.objects.update_or_create(pk=1, defaults={"valid": False})
        DayTally.objects.all().delete()
        MonthTally.objects.all().delete()
        PairTally.objects.all().delete()
        MonthPairTally.objects.all().delete()
        AchievementTally.objects.all().delete()
        n = 0
        columns = ("lead_unit_id", "created_at", "deadline", "closed_at", "state")
        rows = Problem.objects.order_by().values_list(*columns, "category_id", "campaign_id", "done_quantity")
        for row in rows.iterator(chunk_size=chunk):
            problem_part(ProblemRow(*row), delta)
            n += 1
            if n % chunk == 0:
                report("problems", n)
        counts["problems"] = n
        n = 0
        opinions = Opinion.objects.order_by().values_list("unit_id", "created_at", "state", "responded_at")
        for unit_id, created_at, state, responded_at in opinions.iterator(chunk_size=chunk):
            opinion_part(OpinionRow(unit_id, created_at, state, responded_at), window, delta)
            n += 1
            if n % chunk == 0:
                report("opinions", n)
        counts["opinions"] = n
        n = 0
        ratings = Rating.objects.order_by().values_list("problem__lead_unit_id", "created_at", "verdict")
        for unit_id, created_at, verdict in ratings.iterator(chunk_size=chunk):
            rating_part(unit_id, created_at, verdict, delta)
            n += 1
        counts["ratings"] = n
        n = 0
        events = (
            Event.objects.order_by()
            .filter(kind__in=[URGE_EVENT, REOPEN_EVENT])
            .values_list("problem__lead_unit_id", "at", "kind")
        )
        for unit_id, at, kind in events.iterator(chunk_size=chunk):
            event_part(unit_id, at, kind, delta)
            n += 1
        counts["urges and reopenings"] = n
        report("writing", len(delta.days) + len(delta.pairs))
        _bulk_write(delta)
        counts["day cells"] = len(delta.days)
        counts["pair cells"] = len(delta.pairs)
        counts["achievement cells"] = len(delta.achievements)
        TallyState.objects.filter(pk=1).update(
            valid=True, window_days=window_days, time_zone=settings.TIME_ZONE, rebuilt_at=clock.now()
        )
    return counts


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL, executemany elsewhere (bulk_create spends its time building the SQL)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    if connection.vendor == "postgresql":
        raw: Any = connection.connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    ops = connection.ops
    marks = ", ".join(["%s"] * len(columns))
    adapted = [
        tuple(ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v for v in row) for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", adapted)  # noqa: S608


def _bulk_write(delta: Delta) -> None:
    _insert(DayTally._meta.db_table, ("unit_id", "day", *DAY_COLUMNS), _cell_rows(delta.days))
    _insert(MonthTally._meta.db_table, ("unit_id", "month", *DAY_COLUMNS), _cell_rows(_months(delta)))
    for model, cells in ((PairTally, delta.pairs), (MonthPairTally, delta.month_pairs)):
        rows = [(unit, first, last, n) for (unit, first, last), n in cells.items() if n]
        _insert(model._meta.db_table, ("unit_id", "first", "last", "n"), rows)
    _insert(AchievementTally._meta.db_table, (*ACHIEVEMENT_KEYS, "done"), _achievement_rows(delta))


# --- reading ----------------------------------------------------------------------------------------------


def usable(*, category_id: int | None, campaign_id: int | None) -> bool:
    """Whether the tallies can answer: no category or campaign filter; valid, counted with today's rules."""
    if category_id is not None or campaign_id is not None:
        return False
    if timezone.get_current_timezone_name() != settings.TIME_ZONE:
        return False
    state = _state()
    if state is None:  # nothing written yet: an empty database, and the tallies agree with it
        return not Problem.objects.exists() and not Opinion.objects.exists()
    return (
        state.valid
        and state.window_days == current_options().response_window_days
        and state.time_zone == settings.TIME_ZONE
    )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], month_of(start)
    while current <= end:
        months.append(current)
        current = _next_month(current)
    return months


def pairs_within(unit_filter: Q, start: dt.date, end: dt.date) -> dict[int, int]:
    """Per unit, the problems with two consecutive days both in [start, end] (see `problem_part`)."""
    found: defaultdict[int, int] = defaultdict(int)
    first_month, last_month = month_of(start), month_of(end)

    def add(rows: Iterable[tuple[int, int | None]]) -> None:
        for unit_id, n in rows:
            found[unit_id] += n or 0

    pairs = PairTally.objects.filter(unit_filter).values("unit_id").annotate(total=Sum("n")).order_by()
    if first_month == last_month:
        add(pairs.filter(first__gte=start, first__lte=end, last__lte=end).values_list("unit_id", "total"))
        return dict(found)
    after_first = _next_month(first_month)
    # Days on both ends (first in the first month, or last in the last month): one query; full months: one.
    head = Q(first__gte=start, first__lt=after_first, last__lte=end)
    tail = Q(last__gte=last_month, last__lte=end, first__gte=after_first)
    add(pairs.filter(head | tail).values_list("unit_id", "total"))
    add(
        MonthPairTally.objects.filter(unit_filter, first__gt=first_month, last__lt=last_month)
        .values("unit_id")
        .annotate(total=Sum("n"))
        .order_by()
        .values_list("unit_id", "total")
    )
    return dict(found)


def counts_by_unit(
    *,
    unit_ids: Any | None,
    start: dt.date,
    end: dt.date,
    begin: dt.datetime,
    after: dt.datetime,
    as_of: dt.datetime,
) -> dict[int, dict[str, Any]]:
    """The raw counts per unit for `measures.Counts`, from the tallies. `unit_ids`: a queryset of unit pks or
    None for every unit."""
    today = timezone.localdate(as_of)
    window = dt.timedelta(days=current_options().response_window_days)
    cutoff = as_of - window
    cutoff_day = local_day(cutoff)
    unit_filter = Q() if unit_ids is None else Q(unit_id__in=unit_ids)
    # Whole months of the period are read from MonthTally, except the months in which "today" and the
    # response window's cut-off fall (their days split); the other days from DayTally.
    split = {month_of(today), month_of(cutoff_day)}
    months = [
        m
        for m in _month_starts(start, end)
        if m >= start and _next_month(m) - dt.timedelta(days=1) <= end and m not in split
    ]
    # The remaining days as ranges (each an index range), not the period minus the months.
    in_days = Q(pk__in=[])
    cursor = start
    for m in [*months, _next_month(end)]:
        if cursor < m:
            in_days |= Q(day__gte=cursor, day__lte=min(end, m - dt.timedelta(days=1)))
        cursor = max(cursor, _next_month(m))

    def sums(field: str, today_at: dt.date, cutoff_at: dt.date) -> dict[str, Any]:
        return {
            **{f"s_{name}": Sum(name) for name in DAY_COLUMNS},
            "s_due_before": Sum("due_live", filter=Q(**{f"{field}__lt": today_at})),
            "s_due_after": Sum("due_closed", filter=Q(**{f"{field}__gte": today_at})),
            "s_overdue": Sum("due_active", filter=Q(**{f"{field}__lt": today_at})),
            "s_received_before": Sum("opinions", filter=Q(**{f"{field}__lt": cutoff_at})),
            "s_responded_before": Sum("opinions_responded", filter=Q(**{f"{field}__lt": cutoff_at})),
        }

    rows: list[Mapping[str, Any]] = list(
        DayTally.objects.filter(unit_filter, in_days)
        .values("unit_id")
        .annotate(**sums("day", today, cutoff_day))
        .order_by()
    )
    if months:
        rows += list(
            MonthTally.objects.filter(unit_filter, month__in=months)
            .values("unit_id")
            .annotate(**sums("month", month_of(today), month_of(cutoff_day)))
            .order_by()
        )
    # Opinions received on the day the response window ends now: those received up to the cut-off are due.
    on_cutoff_day: dict[int, int] = {}
    if start <= cutoff_day <= end:
        day_begins = dt.datetime.combine(cutoff_day, dt.time.min, tzinfo=zone())
        opinions = Opinion.objects.filter(
            created_at__gte=max(day_begins, begin),
            created_at__lte=cutoff,
            created_at__lt=after,
            responded_at__isnull=True,
        ).exclude(state=OpinionState.WITHDRAWN)
        if unit_ids is not None:
            opinions = opinions.filter(unit_id__in=unit_ids)
        on_cutoff_day = dict(
            opinions.values("unit_id").annotate(n=Count("pk")).order_by().values_list("unit_id", "n")
        )
    pairs = pairs_within(unit_filter, start, end)
    result: dict[int, dict[str, Any]] = {}
    merged: defaultdict[int, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for key, value in row.items():
            if key.startswith("s_"):
                merged[row["unit_id"]][key.removeprefix("s_")] += int(value or 0)
    for unit_id, v in merged.items():
        result[unit_id] = {
            "opinions_received": v["opinions"],
            "opinions_due_response": v["opinions_responded"]
            + v["received_before"]
            - v["responded_before"]
            + on_cutoff_day.get(unit_id, 0),
            "opinions_responded_in_time": v["opinions_in_time"],
            "problems_listed": v["listed"],
            "problems_due": v["due_before"] + v["due_after"],
            "problems_resolved": v["due_closed"],
            "problems_on_time": v["due_on_time"],
            "problems_overdue": v["overdue"],
            "problems_closed": v["closed"],
            "close_days_total": dt.timedelta(microseconds=v["close_us"]).total_seconds() / 86400
            if v["close_us"]
            else 0.0,
            "items": v["item_days"] - pairs.get(unit_id, 0),
            "ratings": v["ratings"],
            "ratings_satisfied": v["ratings_satisfied"],
            "ratings_basic": v["ratings_basic"],
            "ratings_unsatisfied": v["ratings_unsatisfied"],
            "reopens": v["reopens"],
            "urges": v["urges"],
        }
    return result


def monthly_sums(
    *, unit_ids: Any | None, start: dt.date, end: dt.date, columns: tuple[str, ...]
) -> dict[dt.date, dict[str, int]]:
    """Per month touching [start, end] (local days): the columns summed over the units' cells of the days
    inside the range — whole months from the month cells, the others' days from the day cells. Only for
    what does not depend on "now" (listed, closed, opinions received, ratings …); `usable()` first.
    `unit_ids`: a queryset of unit pks or None for every unit."""
    unit_filter = Q() if unit_ids is None else Q(unit_id__in=unit_ids)
    months = _month_starts(start, end)
    found = {month: dict.fromkeys(columns, 0) for month in months}
    whole = [m for m in months if m >= start and _next_month(m) - dt.timedelta(days=1) <= end]
    sums = {f"s_{name}": Sum(name) for name in columns}
    totals = [f"s_{name}" for name in columns]
    cells = MonthTally.objects.filter(unit_filter, month__in=whole).values("month").annotate(**sums)
    for month, *values in cells.values_list("month", *totals):
        found[month] = {name: int(value or 0) for name, value in zip(columns, values, strict=True)}
    in_days = Q(pk__in=[])
    for month in (m for m in months if m not in whole):
        in_days |= Q(day__gte=max(start, month), day__lte=min(end, _next_month(month) - dt.timedelta(days=1)))
    if len(whole) < len(months):
        days = DayTally.objects.filter(unit_filter, in_days).values("day").annotate(**sums)
        for day, *values in days.values_list("day", *totals):
            cell = found[month_of(day)]
            for name, value in zip(columns, values, strict=True):
                cell[name] += int(value or 0)
    return found


def done_by_category(*, unit_ids: Any | None, campaign_id: int | None) -> dict[int, int]:
    """Quantities done per category id, from the tallies (`usable()` first). `unit_ids`: a queryset of unit
    pks or None for every unit."""
    cells = AchievementTally.objects.all()
    if unit_ids is not None:
        cells = cells.filter(unit_id__in=unit_ids)
    if campaign_id is not None:
        cells = cells.filter(campaign_id=campaign_id)
    rows = cells.values("category_id").annotate(total=Sum("done")).values_list("category_id", "total")
    return {category_id: int(total) for category_id, total in rows}


def unit_pks(paths: Iterable[str]) -> Any:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return Unit.objects.filter(query).values("pk")
