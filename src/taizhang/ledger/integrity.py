"""Checks the ledger's history: each event's keyed hash, the links between events, each problem's anchor
(its count of events and last hash), and that no problem code of a year's sequence is missing.

Reports the first break of each problem: the first event that was altered, inserted or removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.ledger.models import GENESIS_HASH, CodeSequence, Event, Problem

#: What each kind of break means to an administrator (the admin page shows these).
KIND_LABELS: dict[str, Promise] = {
    "altered": gettext_lazy("edited"),
    "inserted": gettext_lazy("inserted"),
    "removed": gettext_lazy("deleted"),
    "missing_problem": gettext_lazy("problem deleted"),
}


@dataclass(frozen=True)
class ChainBreak:
    problem_id: int | None
    problem_code: str
    seq: int | None  # the first event concerned
    event_id: int | None
    kind: str  # altered | inserted | removed | missing_problem
    detail: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def __str__(self) -> str:
        where = f" #{self.seq}" if self.seq is not None else ""
        return f"{self.problem_code}{where} ({self.kind}): {self.detail}"


def _first_break(problem: Problem, events: list[Event]) -> ChainBreak | None:  # noqa: PLR0911  # one return per kind
    def broken(seq: int | None, event: Event | None, kind: str, detail: str) -> ChainBreak:
        return ChainBreak(problem.pk, problem.code, seq, event.pk if event else None, kind, detail)

    previous: Event | None = None
    for event in events:
        expected_seq = previous.seq + 1 if previous else 1
        if event.seq != expected_seq:
            return broken(
                expected_seq,
                None,
                "removed",
                _("event #%(first)d–#%(last)d missing") % {"first": expected_seq, "last": event.seq - 1},
            )
        if event.seq > problem.event_count:
            break  # beyond the problem's anchor: reported as inserted below, whatever its hash
        if event.compute_hash() != event.hash:
            return broken(event.seq, event, "altered", _("its content does not match its hash"))
        if event.prev_hash != (previous.hash if previous else GENESIS_HASH):
            if previous is None:
                return broken(event.seq, event, "altered", _("the first event does not start the chain"))
            # The later event still points at what #n-1 used to be: #n-1 was rewritten (hash recomputed)
            # or replaced by an inserted row.
            return broken(
                previous.seq,
                previous,
                "altered",
                _(
                    "event #%(next)d was chained to a different event #%(seq)d: this one was rewritten "
                    "or put in its place"
                )
                % {"next": event.seq, "seq": previous.seq},
            )
        previous = event
    last_seq = previous.seq if previous else 0
    if problem.event_count > last_seq:
        return broken(
            last_seq + 1,
            None,
            "removed",
            _("the problem records %(count)d events; the chain ends at #%(last)d")
            % {"count": problem.event_count, "last": last_seq},
        )
    if events and events[-1].seq > problem.event_count:
        first_extra = next(e for e in events if e.seq > problem.event_count)
        return broken(
            first_extra.seq,
            first_extra,
            "inserted",
            _("added after the problem's last recorded event #%(count)d") % {"count": problem.event_count},
        )
    if problem.head_hash != (previous.hash if previous else GENESIS_HASH):
        return broken(
            last_seq,
            previous,
            "altered",
            _("the last event is not the one the problem recorded (rewritten or replaced)"),
        )
    return None


@dataclass(frozen=True)
class Report:
    """What `taizhang verify` and the admin's chain check show: the breaks and what was checked."""

    breaks: list[ChainBreak]
    problems: int
    events: int

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify_report(problem_ids: list[int] | None = None) -> Report:
    breaks = list(verify_chains(problem_ids))
    problems = Problem.objects.all()
    events = Event.objects.all()
    if problem_ids is not None:
        problems = problems.filter(pk__in=problem_ids)
        events = events.filter(problem_id__in=problem_ids)
    return Report(breaks=breaks, problems=problems.count(), events=events.count())


def verify_chains(problem_ids: list[int] | None = None, batch: int = 500) -> Iterator[ChainBreak]:
    """Yield the first break of each broken chain, problem by problem, streaming in batches."""
    problems = Problem.objects.order_by("pk").only("pk", "code", "event_count", "head_hash")
    if problem_ids is not None:
        problems = problems.filter(pk__in=problem_ids)
    last_pk = 0
    while True:
        chunk = list(problems.filter(pk__gt=last_pk)[:batch])
        if not chunk:
            break
        by_problem: dict[int, list[Event]] = {p.pk: [] for p in chunk}
        for event in Event.objects.filter(problem_id__in=by_problem).order_by("problem_id", "seq"):
            by_problem[event.problem_id].append(event)
        for problem in chunk:
            found = _first_break(problem, by_problem[problem.pk])
            if found is not None:
                yield found
        last_pk = chunk[-1].pk
    if problem_ids is None:
        yield from missing_problems()


def missing_problems() -> Iterator[ChainBreak]:
    """Codes of a year's sequence that no problem carries: a whole problem (and its chain) removed."""
    for sequence in CodeSequence.objects.all():
        prefix = f"{sequence.prefix}-{sequence.year}-"
        if Problem.objects.filter(code__startswith=prefix).count() >= sequence.last:
            continue  # codes are unique, so a full count means none is missing
        present = {
            int(code.removeprefix(prefix))
            for code in Problem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
            if code.removeprefix(prefix).isdigit()
        }
        for number in range(1, sequence.last + 1):
            if number not in present:
                yield ChainBreak(
                    None,
                    f"{prefix}{number:04d}",
                    None,
                    None,
                    "missing_problem",
                    _("this problem code was issued but the problem is gone"),
                )
