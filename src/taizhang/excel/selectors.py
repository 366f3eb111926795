"""Reads for exports and re-imports: the ledger rows a person may see, with what the layout needs."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from taizhang.ledger.models import Event, Problem, Verdict
from taizhang.ledger.selectors import AnyUser, LedgerFilter, problem_list


def with_ledger_columns(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """The latest progress note and the current round's ratings, computed by the database."""
    latest_note = (
        Event.objects.filter(problem=OuterRef("pk"), kind="problem.progress")
        .exclude(note="")
        .order_by("-seq")
        .values("note")[:1]
    )
    current = Q(ratings__round=F("closeout_round"))
    return problems.select_related("lead_unit", "category", "leader", "owner").annotate(
        last_progress=Subquery(latest_note),
        satisfied=Count("ratings", filter=current & Q(ratings__verdict=Verdict.SATISFIED)),
        basically=Count("ratings", filter=current & Q(ratings__verdict=Verdict.BASICALLY_SATISFIED)),
        unsatisfied=Count("ratings", filter=current & Q(ratings__verdict=Verdict.UNSATISFIED)),
    )


def ledger_rows(user: AnyUser, filters: LedgerFilter | None = None) -> QuerySet[Problem]:
    """What an export of the ledger table writes: the person's scoped list, filtered, oldest first."""
    return with_ledger_columns(problem_list(user, filters)).order_by("pk")


def progress_text(problem: Problem) -> str:
    """整改进展 of a row: the completion note once close-out was requested, else the latest progress note."""
    if problem.state in ("review", "notice", "closed") and problem.completion_note:
        return problem.completion_note
    note: str | None = getattr(problem, "last_progress", None)
    return note or ""
