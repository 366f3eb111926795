"""Reads of the search index: ranked matches, highlighted snippets, similar items. Always scoped.

The building blocks combine with any scoped queryset, so the ledger table and the triage desk keep their own
filters and add the search box on top:

    problems = problems_matching(problem_list(user, filters), q)   # QuerySet[Problem], best first
    opinions = opinions_matching(opinions_visible_to(user).filter(...), q)

`search()` is the search page's mix of both; `similar_items()` the duplicate suggestions.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from django.contrib.auth.models import AnonymousUser
from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, FloatField, Lookup, Q, QuerySet
from django.db.models.expressions import Col, Expression
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from taizhang.intake.models import Opinion, Place
from taizhang.intake.selectors import opinions_visible_to
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import problems_visible_to
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of
from taizhang.search import similarity, text
from taizhang.search.models import SearchEntry
from taizhang.search.services import SCOPE_PERSON, SCOPE_PROBLEM, SCOPE_UNIT, refresh_dictionary
from taizhang.search.vocabulary import OBJECTS

type AnyUser = Person | AnonymousUser

#: Suggestions scoring at least this are shown as possible duplicates (chosen on the labelled set; see
#: docs/search.md and BENCHMARKS.md; tests/search/test_quality.py holds it to its precision and recall).
SIMILAR_THRESHOLD = 0.30
#: Candidates taken from the index (best ranked) and from the same place (newest) before scoring.
CANDIDATES_BY_RANK = 60
#: … and only those scoring at least this share of the best one (fewer look-alikes under a clear duplicate).
RELATIVE_CUTOFF = 0.6
CANDIDATES_BY_PLACE = 30
#: Matches ranked by relevance: the newest this many (all of them when there are fewer).
RANKED_MATCHES = 300
#: FTS5's bm25 weights of (head, body); PostgreSQL's head is weight A, body weight B.
BM25_WEIGHTS = (4.0, 1.0)


# --- full-text expressions ------------------------------------------------------------------------------


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


@dataclass(frozen=True)
class TextQuery:
    """A query in both dialects. `all_terms`: every word must match (search); otherwise any (candidates)."""

    terms: tuple[text.QueryTerm, ...]
    all_terms: bool = True
    #: Index words of which one must match too (the searcher's scope); empty: no narrowing.
    scope: tuple[str, ...] = ()
    #: Words of which one must match as well (a similar-lookup: the thing the text is about).
    must: tuple[str, ...] = ()

    def tsquery(self) -> str:
        groups = []
        for term in self.terms:
            options = [_lexeme(term.word)]
            if term.parts:
                options.append("(" + " & ".join(_lexeme(ch) for ch in term.parts) + ")")
            groups.append("(" + " | ".join(options) + ")")
        found = (" & " if self.all_terms else " | ").join(groups)
        for required in (self.must, self.scope):
            if required:
                found = f"({found}) & (" + " | ".join(_lexeme(word) for word in required) + ")"
        return found

    def fts5(self) -> str:
        groups = []
        for term in self.terms:
            options = [_phrase(term.word)]
            if term.parts:
                options.append("(" + " AND ".join(_phrase(ch) for ch in term.parts) + ")")
            groups.append("(" + " OR ".join(options) + ")")
        found = (" AND " if self.all_terms else " OR ").join(groups)
        for required in (self.must, self.scope):
            if required:
                found = f"({found}) AND (" + " OR ".join(_phrase(word) for word in required) + ")"
        return found

    def ranking(self) -> TextQuery:
        """The words alone, for ts_rank: with the scope words ANDed in, ts_rank reaches its ceiling of 1 for
        every match of a short query, and a supervisor's results came out newest first, not best first."""
        return dataclasses.replace(self, scope=(), must=())

    def param(self, vendor: str) -> str:
        return self.tsquery() if vendor == "postgresql" else self.fts5()


def parse_query(query: str, scope: tuple[str, ...] = ()) -> TextQuery | None:
    refresh_dictionary()  # a lookup cuts the query with the organisation's newest words, as a write does
    terms = text.query_terms(query[:200])
    return TextQuery(terms=tuple(terms), scope=scope) if terms else None


def opinion_scope_words(user: AnyUser) -> tuple[str, ...]:
    """The index words of the opinions `user` may see (see `services.scope_tokens`); () for everything."""
    if not user.is_authenticated:
        return (f"{SCOPE_PERSON}0",)  # matches nothing: anonymous visitors see no opinions
    scope = scope_of(user)
    if scope.is_superuser:
        return ()
    roots = [path.strip("/").split("/")[-1] for path in scope.paths.get(Role.SUPERVISOR, ())]
    return (f"{SCOPE_PERSON}{user.pk}", *(f"{SCOPE_UNIT}{unit_id}" for unit_id in roots))


class _EntryExpression(Expression):
    """SQL over the search entry's full-text row, reached through `column` (see `_entry_column`): on
    PostgreSQL the entry's id (its table has the tsvector), on SQLite the joined FTS5 row's rank."""

    def __init__(self, column: Any, query: TextQuery) -> None:
        super().__init__()
        self.column = column
        self.query = query

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def _table(self, compiler: SQLCompiler) -> str:
        if not isinstance(self.column, Col):
            raise TypeError("expected a column of the search index")
        return compiler.quote_name(self.column.alias)


class Matches(Lookup[Any]):
    """A lookup, not an expression: filter() would compare an expression with TRUE, and FTS5 accepts MATCH
    only bare in the WHERE clause."""

    lookup_name = "taizhang_matches"
    prepare_rhs = False

    def __init__(self, column: Any, query: TextQuery) -> None:
        super().__init__(column, query)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, tuple[str, ...]]:
        if not isinstance(self.lhs, Col):
            raise TypeError("expected a column of the search index")
        table = compiler.quote_name(self.lhs.alias)
        query: TextQuery = self.rhs
        if connection.vendor == "postgresql":
            return f"{table}.document @@ %s::tsquery", (query.tsquery(),)
        return f"{table}.search_fts MATCH %s", (query.fts5(),)


class Rank(_EntryExpression):
    """Higher is better: ts_rank on PostgreSQL, minus bm25 (FTS5's configured rank) on SQLite."""

    output_field = FloatField()

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, tuple[str, ...]]:
        table = self._table(compiler)
        if connection.vendor == "postgresql":
            return f"ts_rank({table}.document, %s::tsquery)", (self.query.ranking().tsquery(),)
        return f"-{table}.rank", ()


def _fulltext[M: models.Model](items: QuerySet[M], prefix: str, query: TextQuery) -> QuerySet[M]:
    """`items` matching `query`, annotated with `search_rank`; `prefix` leads from the model to its entry."""
    if connection.vendor == "sqlite":
        # An inner join to the FTS5 table: its MATCH and rank need it in the FROM clause.
        items = items.filter(**{f"{prefix}fulltext__rank__isnull": False})
        column = F(f"{prefix}fulltext__rank")
    else:
        if prefix:
            items = items.filter(**{f"{prefix.removesuffix('__')}__isnull": False})
        column = F(f"{prefix}id")
    # django-stubs types an annotated queryset of a type variable as QuerySet[Model]; it is still M.
    return cast("QuerySet[M]", items.annotate(search_rank=Rank(column, query)).filter(Matches(column, query)))


def _newest_matches[M: models.Model](
    items: QuerySet[M], prefix: str, query: TextQuery, *, entries: QuerySet[SearchEntry], link: str
) -> QuerySet[M]:
    """`items` matching `query`, ranked among the newest RANKED_MATCHES matching `entries` (runs one query).

    Ranking every match of a common word ("路灯" in a million opinions) costs a row read each; the newest
    few hundred are what people look for, and finding them costs the same at any size. The first query reads
    the index table alone (the query's scope words narrow it to the searcher's units), so the database can
    pick the cheap way: the id index backwards for a common word, the full-text index for a rare one (then
    every match is ranked). The caller's queryset (exact scope, filters) applies to what it found.
    """
    newest = _fulltext(entries, "", query).order_by("-id").values_list(link, flat=True)
    return _fulltext(items.filter(pk__in=list(newest[:RANKED_MATCHES])), prefix, query)


def _matching[M: (Problem, Opinion)](
    items: QuerySet[M], query: str, scope: tuple[str, ...] = ()
) -> QuerySet[M]:
    parsed = parse_query(query, scope)
    if parsed is None:
        return items.none()
    subject = "opinion" if items.model is Opinion else "problem"
    entries = SearchEntry.objects.filter(**{f"{subject}__isnull": False})
    found = _newest_matches(items, "search_entry__", parsed, entries=entries, link=f"{subject}_id")
    return found.order_by(F("search_rank").desc(), "-pk")


def problems_matching(problems: QuerySet[Problem], query: str) -> QuerySet[Problem]:
    """`problems` (already scoped and filtered by the caller) that match `query`, annotated with
    `search_rank`, best first. Chain `.select_related()` and paginate as usual."""
    return _matching(problems, query)


def opinions_matching(
    opinions: QuerySet[Opinion], query: str, *, user: AnyUser | None = None
) -> QuerySet[Opinion]:
    """The same for opinions (start from `opinions_visible_to(user)`). Pass `user` too: the index then
    narrows to their scope first, which keeps a branch supervisor's search fast among millions."""
    return _matching(opinions, query, opinion_scope_words(user) if user is not None else ())


# --- snippets -------------------------------------------------------------------------------------------


def snippet(content: str, query: str, *, width: int | None = 80) -> SafeString:
    """About `width` characters of `content` around the first match (all of it when `width` is None),
    HTML-escaped, the query's words in <mark>."""
    terms = text.highlight_terms(query)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    first = pattern.search(content) if pattern else None
    if width is None:
        start, end = 0, len(content)
    else:
        start = max(0, first.start() - width // 4) if first else 0
        end = min(len(content), start + width)
    window = content[start:end]
    parts = ["…" if start > 0 else ""]
    position = 0
    for match in pattern.finditer(window) if pattern else ():
        parts += [escape(window[position : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        position = match.end()
    parts += [escape(window[position:]), "…" if end < len(content) else ""]
    return mark_safe("".join(parts))  # noqa: S308  # every piece of the text went through escape()


# --- the search page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: Literal["problem", "opinion"]
    pk: int
    label: str  # the problem's code or the opinion's receipt code
    title: str
    snippet: SafeString
    rank: float
    state_label: str
    url: str | None


def _problem_hit(problem: Problem, query: str) -> Hit:
    content = problem.title if not problem.description else f"{problem.title} — {problem.description}"
    return Hit(
        kind="problem",
        pk=problem.pk,
        label=problem.code,
        title=problem.title,
        snippet=snippet(content, query),
        rank=float(getattr(problem, "search_rank", 0.0)),
        state_label=problem.state_label,
        url=reverse("ledger:problem", args=[problem.pk]),
    )


def _opinion_hit(opinion: Opinion, query: str) -> Hit:
    return Hit(
        kind="opinion",
        pk=opinion.pk,
        label=opinion.receipt_display,
        title=opinion.text[:40],
        snippet=snippet(opinion.text, query),
        rank=float(getattr(opinion, "search_rank", 0.0)),
        state_label=str(opinion.get_state_display()),
        url=None,
    )


def search_problems(
    user: AnyUser, query: str, within: QuerySet[Problem] | None = None, *, limit: int = 50
) -> list[Hit]:
    """Problems the person may see (within `within`, e.g. the ledger's filtered list) matching `query`."""
    problems = problems_visible_to(user)
    if within is not None:
        problems = problems & within
    found = problems_matching(problems, query).select_related("category", "lead_unit")[:limit]
    return [_problem_hit(p, query) for p in found]


def search_opinions(
    user: AnyUser, query: str, within: QuerySet[Opinion] | None = None, *, limit: int = 50
) -> list[Hit]:
    opinions = opinions_visible_to(user)
    if within is not None:
        opinions = opinions & within
    return [_opinion_hit(o, query) for o in opinions_matching(opinions, query, user=user)[:limit]]


def search(user: AnyUser, query: str, *, limit: int = 50) -> list[Hit]:
    """The search page: problems and opinions the person may see, best first."""
    hits = search_problems(user, query, limit=limit) + search_opinions(user, query, limit=limit)
    return sorted(hits, key=lambda hit: (-hit.rank, hit.kind, -hit.pk))[:limit]


# --- similar items --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: Literal["problem", "opinion"]
    pk: int
    label: str
    title: str
    excerpt: str
    score: float
    same_place: bool
    same_unit: bool
    state_label: str
    url: str | None


def _unrestricted(items: QuerySet[Any]) -> bool:
    return not items.query.where


def _candidate_scope(user: AnyUser | None) -> Q:
    problems = problems_visible_to(user or AnonymousUser())
    opinions = opinions_visible_to(user or AnonymousUser())
    scope = Q(problem__isnull=False) if _unrestricted(problems) else Q(problem__in=problems.values("pk"))
    if _unrestricted(opinions):
        return scope | Q(opinion__isnull=False)
    return scope | Q(opinion__in=opinions.values("pk"))


def _expanded_terms(profile: similarity.Profile, raw: str) -> tuple[text.QueryTerm, ...]:
    """The text's words plus every synonym of the things it is about (厕所 → 卫生间, 洗手间 …)."""
    words = [t.word for t in text.query_terms(raw)]
    for thing in sorted(profile.things):
        words += OBJECTS[thing].split()
    unique = list(dict.fromkeys(words))[:60]
    return tuple(text.QueryTerm(word=w, parts=()) for w in unique)


def similar_items(
    content: str,
    *,
    unit: Unit | None = None,
    place: Place | None = None,
    user: AnyUser | None = None,
    limit: int = 5,
    threshold: float = SIMILAR_THRESHOLD,
    exclude_opinion: int | None = None,
) -> list[Suggestion]:
    """Open problems and new opinions like `content`, most similar first, among what `user` may see
    (no user: the public problems only). Same place and same unit count for more."""
    content = content.strip()[:2000]
    if len(content) < 2:
        return []
    refresh_dictionary()
    target = similarity.profile(
        content,
        place_name=place.name if place else "",
        place_id=place.pk if place else None,
        unit_id=unit.pk if unit else None,
    )
    if not target.weights:
        return []
    open_entries = SearchEntry.objects.filter(is_open=True).filter(_candidate_scope(user))
    if exclude_opinion is not None:
        open_entries = open_entries.exclude(opinion_id=exclude_opinion)
    candidates: list[int] = []
    terms = _expanded_terms(target, content)
    if terms:
        scope = opinion_scope_words(user or AnonymousUser())
        # About a thing the vocabulary knows (a lamp, a toilet): only texts about it are candidates, so the
        # newest matches are the newest about that thing, not about anything at all.
        things = tuple(dict.fromkeys(w for thing in sorted(target.things) for w in OBJECTS[thing].split()))
        query = TextQuery(
            terms=terms, all_terms=False, scope=(*scope, SCOPE_PROBLEM) if scope else (), must=things
        )
        ranked = (
            _newest_matches(
                open_entries, "", query, entries=SearchEntry.objects.filter(is_open=True), link="id"
            )
            .order_by(F("search_rank").desc(), "-id")
            .values_list("id", flat=True)[:CANDIDATES_BY_RANK]
        )
        candidates += ranked
    if place is not None:
        nearby = open_entries.filter(place=place).order_by("-id").values_list("id", flat=True)
        candidates += nearby[:CANDIDATES_BY_PLACE]
    if not candidates:
        return []
    entries = SearchEntry.objects.filter(pk__in=set(candidates)).select_related(
        "opinion", "opinion__place", "problem"
    )
    scored: list[tuple[float, SearchEntry]] = []
    for entry in entries:
        value = similarity.score(target, _profile_of(entry))
        if value >= threshold:
            scored.append((value, entry))
    scored.sort(key=lambda item: (-item[0], -item[1].pk))
    scored = [item for item in scored if item[0] >= scored[0][0] * RELATIVE_CUTOFF]
    return [_suggestion(entry, value, place, unit) for value, entry in scored[:limit]]


def _profile_of(entry: SearchEntry) -> similarity.Profile:
    if entry.opinion is not None:
        opinion = entry.opinion
        return similarity.profile(
            opinion.text,
            place_name=opinion.place_label,
            place_id=opinion.place_id,
            unit_id=opinion.unit_id,
        )
    problem = entry.problem
    if problem is None:  # the table's constraint: every entry has an opinion or a problem
        raise ValueError(f"search entry {entry.pk} has no subject")
    return similarity.profile(f"{problem.title} {problem.description}", unit_id=problem.lead_unit_id)


def _suggestion(entry: SearchEntry, value: float, place: Place | None, unit: Unit | None) -> Suggestion:
    same_place = place is not None and entry.place_id == place.pk
    same_unit = unit is not None and entry.unit_id == unit.pk
    if entry.opinion is not None:
        opinion = entry.opinion
        return Suggestion(
            kind="opinion",
            pk=opinion.pk,
            label=opinion.receipt_display,
            title=opinion.place_label,
            excerpt=opinion.text[:120],
            score=round(value, 3),
            same_place=same_place,
            same_unit=same_unit,
            state_label=str(opinion.get_state_display()),
            url=None,
        )
    problem = entry.problem
    if problem is None:
        raise ValueError(f"search entry {entry.pk} has no subject")
    return Suggestion(
        kind="problem",
        pk=problem.pk,
        label=problem.code,
        title=problem.title,
        excerpt=(problem.description or problem.title)[:120],
        score=round(value, 3),
        same_place=same_place,
        same_unit=same_unit,
        state_label=problem.state_label,
        url=reverse("ledger:problem", args=[problem.pk]),
    )
