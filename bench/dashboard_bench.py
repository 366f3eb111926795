"""Benchmark of the dashboard's queries on PostgreSQL at scale (not run in CI).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taizhang_bench \\
        .venv/bin/python bench/dashboard_bench.py [--problems 1000000] [--repeat 15]

Creates the database if needed, migrates it, fills it in bulk on the server (INSERT … SELECT over
generate_series: problems, their opinions, ratings, events with urges and reopenings, expenses), then times
every query the dashboard runs — p50 and p95 over `--repeat` runs — next to hand-written SQL computing the
same numbers, and checks both agree. Prints a Markdown table for BENCHMARKS.md. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.config.settings")
os.environ.setdefault("TAIZHANG_TESTING", "1")  # a SECRET_KEY for the bench; nothing is served
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taizhang_bench")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_database(url: str) -> None:
    import psycopg  # noqa: PLC0415

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    log("migrating")
    call_command("migrate", verbosity=0)


UNITS_PER_BRANCH = 10
BRANCHES = 20
CATEGORIES = 12


def make_units() -> None:
    from taizhang.org import services as org  # noqa: PLC0415
    from taizhang.org.models import Unit  # noqa: PLC0415

    if Unit.objects.filter(code="bench").exists():
        return
    log(f"creating {1 + BRANCHES * (1 + UNITS_PER_BRANCH)} units")
    root = org.unit_create(name="基准企业", code="bench", kind=Unit.Kind.ENTERPRISE)
    for b in range(BRANCHES):
        branch = org.unit_create(name=f"分厂{b:02d}", code=f"bench-{b}", parent=root, kind=Unit.Kind.BRANCH)
        for d in range(UNITS_PER_BRANCH):
            org.unit_create(name=f"车间{b:02d}-{d:02d}", code=f"bench-{b}-{d}", parent=branch)


def make_categories() -> None:
    from taizhang.ledger.models import Category  # noqa: PLC0415

    for number in range(CATEGORIES):
        Category.objects.get_or_create(
            code=f"bench-{number}",
            defaults={"name": f"基准类别{number}", "achievement_verb": "修复", "measure_word": "处"},
        )


GENERATE = """
WITH u AS (SELECT array_agg(id ORDER BY id) AS ids FROM org_unit WHERE code LIKE 'bench%%'),
     c AS (SELECT array_agg(id ORDER BY id) AS ids FROM ledger_category WHERE code LIKE 'bench-%%'),
     s AS (
       SELECT g, random() AS r, random() AS r2,
              timestamptz '2013-01-01 08:00+08' + (random() * 700) * interval '1 day' AS created
       FROM generate_series(%(first)s, %(last)s) AS g)
INSERT INTO ledger_problem (
  code, title, description, category_id, source, lead_unit_id, measures, deadline, working_days,
  is_long_term, weight, target_quantity, done_quantity, measure_word, priority, is_public, state, version,
  created_at, updated_at, started_at, closeout_round, completion_note, objection_pending, closed_at,
  cancelled_at, reopen_count, support_count, event_count, head_hash)
SELECT 'B-' || g, '基准问题 ' || g, '', c.ids[1 + g %% array_length(c.ids, 1)], '',
       u.ids[1 + (g::bigint * 7919) %% array_length(u.ids, 1)], '',
       (created + (10 + g %% 50) * interval '1 day')::date, false, false, 1, 10,
       CASE WHEN r < 0.55 THEN 10 ELSE (r2 * 10)::int END, '处', 2, true,
       CASE WHEN r < 0.55 THEN 'closed' WHEN r < 0.75 THEN 'in_progress' WHEN r < 0.85 THEN 'open'
            WHEN r < 0.90 THEN 'review' WHEN r < 0.92 THEN 'notice' WHEN r < 0.95 THEN 'returned'
            ELSE 'cancelled' END,
       1, created, created,
       CASE WHEN r < 0.75 OR (r >= 0.85 AND r < 0.92) THEN created + interval '1 day' END,
       0, '', false,
       CASE WHEN r < 0.55 THEN created + (3 + r2 * 70) * interval '1 day' END,
       CASE WHEN r >= 0.95 THEN created + interval '2 days' END,
       CASE WHEN g %% 40 = 0 AND r >= 0.55 AND r < 0.75 THEN 1 ELSE 0 END, 0, 1, repeat('0', 64)
FROM s, u, c
"""

OPINIONS = """
INSERT INTO intake_opinion (
  receipt_code, channel, text, place_text, unit_id, category_id, is_anonymous, contact_name, contact_phone,
  state, problem_id, response, responded_at, attributes, media_url, created_at)
SELECT 'B' || lpad(p.id::text, 9, '0'), 'web', p.title, '', p.lead_unit_id, p.category_id, false, '', '',
       'triaged', p.id, '', p.created_at, '{}', '', p.created_at - (random() * 6) * interval '1 day'
FROM ledger_problem p WHERE p.id BETWEEN %(first)s AND %(last)s
"""

NEW_OPINIONS = """
INSERT INTO intake_opinion (
  receipt_code, channel, text, place_text, unit_id, category_id, is_anonymous, contact_name, contact_phone,
  state, response, attributes, media_url, created_at)
SELECT 'N' || lpad(p.id::text, 9, '0'), 'web', p.title, '', p.lead_unit_id, p.category_id, false, '', '',
       'new', '', '{}', '', p.created_at
FROM ledger_problem p WHERE p.id % 10 = 0
"""

RATINGS = """
INSERT INTO ledger_rating (problem_id, opinion_id, round, verdict, comment, created_at)
SELECT p.id, o.id, 1,
       (ARRAY['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied'])[1 + p.id % 5],
       '', p.closed_at - interval '1 day'
FROM ledger_problem p JOIN intake_opinion o ON o.problem_id = p.id
WHERE p.state = 'closed'
"""

EVENTS = """
INSERT INTO ledger_event (problem_id, seq, kind, actor_role, at, from_state, to_state, note, payload,
                          prev_hash, hash)
SELECT p.id, 1, 'problem.created', 'system', p.created_at, '', 'open', '', '{}'::jsonb, repeat('0', 64),
       md5('c' || p.id) || md5('C' || p.id)
FROM ledger_problem p
UNION ALL
SELECT p.id, 2, 'problem.urged', 'supervisor', p.created_at + interval '20 days', p.state, p.state, '',
       '{}'::jsonb, md5('c' || p.id) || md5('C' || p.id), md5('u' || p.id) || md5('U' || p.id)
FROM ledger_problem p WHERE p.id % 10 = 3
UNION ALL
SELECT p.id, 3, 'problem.reopened', 'supervisor', p.created_at + interval '30 days', 'closed', 'in_progress',
       '', '{}'::jsonb, md5('u' || p.id) || md5('U' || p.id), md5('r' || p.id) || md5('R' || p.id)
FROM ledger_problem p WHERE p.reopen_count > 0
"""


def generate(problems: int) -> None:
    from django.db import connection  # noqa: PLC0415

    from taizhang.demo.expenses import load_demo_expenses  # noqa: PLC0415
    from taizhang.org.models import Unit  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM ledger_problem), (SELECT count(*) FROM ledger_event)")
        row = cursor.fetchone()
        if row and row[0] == problems and row[1] >= problems:  # events come last: a finished run
            log(f"{problems} problems already there")
            return
        log("emptying the ledger tables")
        cursor.execute(
            "TRUNCATE ledger_rating, intake_opinion, ledger_event, ledger_problem_assisting_units, "
            "ledger_problem RESTART IDENTITY CASCADE"
        )
        batch = 100_000
        started = time.perf_counter()
        for first in range(1, problems + 1, batch):
            last = min(problems, first + batch - 1)
            began = time.perf_counter()
            cursor.execute(GENERATE, {"first": first, "last": last})
            made = time.perf_counter()
            cursor.execute(OPINIONS, {"first": first, "last": last})
            log(f"  batch: problems {made - began:.1f} s, opinions {time.perf_counter() - made:.1f} s")
            rate = last / (time.perf_counter() - started)
            log(f"problems and opinions {last:,}/{problems:,} ({rate:,.0f}/s)")
        cursor.execute(NEW_OPINIONS)
        log("ratings")
        cursor.execute(RATINGS)
        log("events (created, urged, reopened)")
        cursor.execute(EVENTS)
        log("analyze")
        cursor.execute("ANALYZE")
    log("expenses")
    load_demo_expenses(list(Unit.objects.filter(code__startswith="bench")))


# --- timing ---------------------------------------------------------------------------------------------


BARE_PROBLEMS = """
SELECT count(*) FILTER (WHERE created_at >= %(begin)s AND created_at < %(after)s),
       count(*) FILTER (WHERE deadline BETWEEN %(first)s AND %(last)s AND state <> 'cancelled'
                        AND (deadline < %(today)s OR state = 'closed')),
       count(*) FILTER (WHERE deadline BETWEEN %(first)s AND %(last)s AND state = 'closed'
                        AND (deadline < %(today)s OR state = 'closed')),
       count(*) FILTER (WHERE state = 'closed' AND closed_at >= %(begin)s AND closed_at < %(after)s)
FROM ledger_problem
WHERE (created_at >= %(begin)s AND created_at < %(after)s) OR (deadline BETWEEN %(first)s AND %(last)s)
   OR (state = 'closed' AND closed_at >= %(begin)s AND closed_at < %(after)s)
"""

BARE_OPINIONS = """
SELECT count(*), count(*) FILTER (WHERE responded_at <= created_at + interval '3 days')
FROM intake_opinion WHERE created_at >= %(begin)s AND created_at < %(after)s AND state <> 'withdrawn'
"""


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    function()  # warm the caches once
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, result


def bench(repeat: int) -> list[tuple[str, float, float, str]]:
    from django.db import connection  # noqa: PLC0415

    from taizhang.org.models import Unit  # noqa: PLC0415
    from taizhang.reports import measures, selectors  # noqa: PLC0415
    from taizhang.reports.period import Period  # noqa: PLC0415
    from taizhang.reports.scope import UnitScope  # noqa: PLC0415

    root = Unit.objects.get(code="bench")
    branch = Unit.objects.get(code="bench-3")
    as_of = dt.datetime(2014, 12, 31, 12, tzinfo=dt.UTC)
    rows: list[tuple[str, float, float, str]] = []

    def row(name: str, function: Callable[[], Any], note: str = "") -> Any:
        p50, p95, result = timed(function, repeat)
        rows.append((name, p50, p95, note))
        log(f"{name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        return result

    for label, period in (("2014", Period.year(2014)), ("2014-03", Period.month(2014, 3))):
        for scope_label, scope in (
            ("enterprise", UnitScope(paths=(root.path,))),
            ("branch", UnitScope(paths=(branch.path,))),
        ):
            selection = measures.Selection(scope=scope, period=period, as_of=as_of)
            found = row(
                f"measures.compute_for, {scope_label}, {label}", partial(measures.compute_for, selection)
            )
            if scope_label != "enterprise":
                continue
            begin, after = period.bounds()
            params = {
                "begin": begin,
                "after": after,
                "first": period.start,
                "last": period.end,
                "today": as_of.date(),
            }

            def bare_problems(p: dict[str, Any] = params) -> Any:
                with connection.cursor() as cursor:
                    cursor.execute(BARE_PROBLEMS, p)
                    return cursor.fetchone()

            def bare_opinions(p: dict[str, Any] = params) -> Any:
                with connection.cursor() as cursor:
                    cursor.execute(BARE_OPINIONS, p)
                    return cursor.fetchone()

            counts = found.counts
            listed, due, resolved, closed = row(f"bare SQL: problem counts, {label}", bare_problems)
            if (listed, due, resolved, closed) != (
                counts.problems_listed,
                counts.problems_due,
                counts.problems_resolved,
                counts.problems_closed,
            ):
                raise SystemExit(
                    f"measures and bare SQL disagree: {(listed, due, resolved, closed)} vs {counts}"
                )
            received, in_time = row(f"bare SQL: opinion counts, {label}", bare_opinions)
            if received != counts.opinions_received or in_time != counts.opinions_responded_in_time:
                raise SystemExit("measures and bare SQL disagree on opinions")
        selection = measures.Selection(scope=UnitScope(paths=(root.path,)), period=period, as_of=as_of)
        row(f"measures.ranking_for (20 branches), {label}", partial(measures.ranking_for, selection, root))
        dash = selectors.Selection(scope=UnitScope(paths=(root.path,)), period=period)
        row(f"selectors.funnel, {label}", partial(selectors.funnel, dash))
        row(f"selectors.monthly_flow, {label}", partial(selectors.monthly_flow, dash))
        row(f"selectors.verdict_counts, {label}", partial(selectors.verdict_counts, dash))
        row(
            f"selectors.expenses_year_on_year, {label}",
            partial(selectors.expenses_year_on_year, scope=dash.scope, period=dash.period),
        )
    everything = selectors.Selection(scope=UnitScope(paths=(root.path,)), period=Period.year(2014))
    row(
        "selectors.light_counts (all unfinished items)",
        lambda: selectors.light_counts(selectors.problems_for(everything), dt.date(2014, 12, 31)),
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--problems", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    arguments = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        raise SystemExit("the bench runs on PostgreSQL: set DATABASE_URL")
    ensure_database(url)
    setup_django()
    make_units()
    make_categories()
    generate(arguments.problems)
    rows = bench(arguments.repeat)
    print(f"\n{arguments.problems:,} problems, {arguments.repeat} runs each (milliseconds)\n")
    print("| query | p50 | p95 |")
    print("| --- | ---: | ---: |")
    for name, p50, p95, _note in rows:
        print(f"| {name} | {p50:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
