"""Writes to the search index. Called from the `opinion_saved` / `problem_saved` hooks, inside the writing
transaction (a rolled-back write leaves no entry), and by `taizhang reindex`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction

from taizhang.core import hooks
from taizhang.intake.models import Opinion, OpinionState, Place
from taizhang.ledger.models import Category, Problem
from taizhang.ledger.workflow import ACTIVE_STATES
from taizhang.org.models import Unit
from taizhang.search import text
from taizhang.search.models import SearchEntry

BATCH = 2000
#: Index words no text produces (they mix Latin letters and digits after a long prefix), for scope.
SCOPE_UNIT = "scopeunit"
SCOPE_PERSON = "scopeperson"
SCOPE_PROBLEM = "scopeproblem"


def organisation_words() -> tuple[list[str], list[str]]:
    """(every word of the organisation, the names of places and units among them): two small queries."""
    places = [*Unit.objects.values_list("name", flat=True), *Place.objects.values_list("name", flat=True)]
    words = [w for row in Category.objects.values_list("name", "group", "achievement_noun") for w in row if w]
    return words, places


def refresh_dictionary(*, force: bool = False) -> bool:
    """Re-read the organisation's words when the dictionary is older than its ttl (or when forced)."""
    return text.dictionary().refresh(organisation_words, force=force)


def on_vocabulary_changed(**_kwargs: Any) -> None:
    """A unit, place or category was saved or deleted: its name is one word from the next refresh on. Again
    after the commit, in case a lookup in between read the words without it (its transaction not yet seen)."""
    text.dictionary().expire()
    transaction.on_commit(text.dictionary().expire)


def _tokens(*parts: str) -> str:
    return " ".join(text.index_tokens(" ".join(p for p in parts if p)))


def scope_tokens(unit_path: str, submitter_id: int | None) -> list[str]:
    """Who may see an opinion, as index words: its unit and every unit above it, and its submitter. Searches
    of a scoped person add these to the query, so the full-text index itself narrows to their scope (the
    exact scope is applied again on the rows found). Moving a unit needs `taizhang reindex`."""
    tokens = [f"{SCOPE_UNIT}{part}" for part in unit_path.strip("/").split("/") if part]
    return tokens + ([f"{SCOPE_PERSON}{submitter_id}"] if submitter_id else [])


def _opinion_fields(opinion: Opinion, additions: Iterable[str]) -> dict[str, Any]:
    unit: Unit = opinion.unit
    category: Category | None = opinion.category
    return {
        "head": _tokens(opinion.text),
        "body": " ".join(
            [
                _tokens(
                    opinion.place_label,
                    unit.name,
                    category.name if category else "",
                    *additions,
                    opinion.receipt_code,
                ),
                *scope_tokens(unit.path, opinion.submitter_id),
            ]
        ),
        "unit_id": opinion.unit_id,
        "place_id": opinion.place_id,
        "is_open": opinion.state == OpinionState.NEW,
        "created_at": opinion.created_at,
    }


def _problem_fields(problem: Problem) -> dict[str, Any]:
    unit: Unit = problem.lead_unit
    category: Category = problem.category
    return {
        "head": _tokens(problem.title),
        "body": " ".join(
            [
                _tokens(
                    problem.description,
                    problem.measures,
                    problem.source,
                    category.name,
                    unit.name,
                    problem.code,
                ),
                SCOPE_PROBLEM,
            ]
        ),
        "unit_id": problem.lead_unit_id,
        "place_id": None,
        "is_open": problem.state in ACTIVE_STATES,
        "created_at": problem.created_at,
    }


def opinion_index(opinion: Opinion) -> SearchEntry:
    """Index (or re-index) one opinion: its text, place, unit, category and additions."""
    refresh_dictionary()
    # A row inserted just now has no additions yet: one read less per submission.
    fresh = not opinion.pk or hooks.just_inserted(opinion)
    additions = [] if fresh else list(opinion.additions.values_list("text", flat=True))
    return _upsert("opinion", opinion, _opinion_fields(opinion, additions))


def problem_index(problem: Problem) -> SearchEntry:
    """Index (or re-index) one problem: its title, description, measures, category, lead unit and code."""
    refresh_dictionary()
    return _upsert("problem", problem, _problem_fields(problem))


def _upsert(owner: str, subject: Opinion | Problem, fields: dict[str, Any]) -> SearchEntry:
    """One INSERT … ON CONFLICT DO UPDATE. It runs inside every submission and workflow step:
    update_or_create took six round trips (two savepoints, a locking read, the write)."""
    (entry,) = SearchEntry.objects.bulk_create(
        [SearchEntry(**{owner: subject}, **fields)],
        update_conflicts=True,
        unique_fields=[owner],
        update_fields=list(fields),
    )
    return entry


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def index_rebuild(*, progress: Callable[[int, int], None] | None = None, batch: int = BATCH) -> int:
    """Rebuild the whole index in one transaction (readers keep the old one until it commits).

    Reloads the organisation's words first, so new unit and place names are segmented whole.
    """
    refresh_dictionary(force=True)
    SearchEntry.objects.all().delete()
    total = Opinion.objects.count() + Problem.objects.count()
    done = 0
    opinions = (
        Opinion.objects.select_related("unit", "category", "place")
        .prefetch_related("additions")
        .order_by("pk")
    )
    for chunk in _batches(opinions.iterator(chunk_size=batch), batch):
        SearchEntry.objects.bulk_create(
            SearchEntry(opinion=o, **_opinion_fields(o, [a.text for a in o.additions.all()])) for o in chunk
        )
        done += len(chunk)
        if progress:
            progress(done, total)
    problems = Problem.objects.select_related("lead_unit", "category").order_by("pk")
    for chunk in _batches(problems.iterator(chunk_size=batch), batch):
        SearchEntry.objects.bulk_create(SearchEntry(problem=p, **_problem_fields(p)) for p in chunk)
        done += len(chunk)
        if progress:
            progress(done, total)
    return done


def on_opinion_saved(opinion: Any) -> None:
    opinion_index(opinion)


def on_problem_saved(problem: Any) -> None:
    problem_index(problem)
