"""The ledger and the dashboard at scale on PostgreSQL (not run in CI; `make bench` runs the small profile).

    .venv/bin/python bench/scale_bench.py --profile small            # 100,000 problems, end to end
    .venv/bin/python bench/scale_bench.py --profile 1m --skip-side    # 1,000,000 problems, no Excel/search
    .venv/bin/python bench/scale_bench.py --profile small --reuse     # measure again, no regeneration

Generates the profile into a scratch database (`scale_<profile>` on BENCH_DATABASE_SERVER, default
postgres://postgres@127.0.0.1:5432; dropped and recreated unless --reuse) with bench/generate.py, checks the
event chains (`taizhang verify`: all of them up to 200,000 problems, a random 20,000 beyond), compares the
maintained measure tallies with the live count, then times through the Django test client (a request as a
real worker would serve it: session, scope, query, template):

- the ledger page (first page, and filtered: in progress; overdue) as a supervisor over everything and as a
  unit handler, next to the bare SQL for the same rows and count;
- the dashboard's measures (`reports:kpis`) and the ranking chart, whole enterprise and one unit, for a year
  and a month, next to the bare SQL of bench/dashboard_bench.py for the same problem and opinion counts and
  to the live count the tallies replace;
- then the Excel import bench (rows/s) and the search bench (p95) at a small size, as subprocesses;
- peak RSS of this process (the "worker") and of the Excel import.

Writes the results as the "Scale" section of BENCHMARKS.md (one subsection per profile; --no-write to
print only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from generate import PROFILES, Summary, generate, log, prepare_database

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    result = function()  # warm up
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return (
        statistics.median(samples),
        samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
        result,
    )


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, str]] = []

    def add(self, name: str, function: Callable[[], Any], repeat: int, note: str = "") -> tuple[float, Any]:
        p50, p95, result = timed(function, repeat)
        self.rows.append((name, p50, p95, note))
        log(f"{name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms {note}")
        return p95, result

    def markdown(self) -> list[str]:
        lines = ["| what | p50 ms | p95 ms | note |", "| --- | ---: | ---: | --- |"]
        lines += [f"| {name} | {p50:.0f} | {p95:.0f} | {note} |" for name, p50, p95, note in self.rows]
        return lines


def bare(sql: str, params: dict[str, Any] | list[Any] | None = None) -> Callable[[], Any]:
    from django.db import connection  # noqa: PLC0415

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def check_chains(problems: int) -> str:
    from taizhang.ledger.integrity import verify_chains  # noqa: PLC0415
    from taizhang.ledger.models import Problem  # noqa: PLC0415

    began = time.perf_counter()
    if problems <= 200_000:
        broken = sum(1 for _ in verify_chains())
        what = f"all {problems:,} problems"
    else:
        ids = list(Problem.objects.values_list("pk", flat=True))
        sample = random.Random(1).sample(ids, 20_000)
        broken = sum(1 for _ in verify_chains(problem_ids=sample))
        what = "a random 20,000 problems"
    if broken:
        raise SystemExit(f"{broken} broken chains in the generated data")
    return f"`verify` over {what}: 0 broken ({time.perf_counter() - began:.0f} s)"


def check_tallies() -> str:
    """The maintained figures equal the live count on the generated data (one whole-year comparison)."""
    from taizhang.reports import measures  # noqa: PLC0415
    from taizhang.reports.period import Period  # noqa: PLC0415
    from taizhang.reports.scope import UnitScope  # noqa: PLC0415

    for period in (Period.year(2026), Period.month(2026, 3)):
        selection = measures.Selection(scope=UnitScope(paths=(), everything=True), period=period)
        maintained = measures.counts_by_unit(selection)
        live = {u: c for u, c in measures.live_counts_by_unit(selection).items() if c != measures.Counts()}
        if maintained != live:
            raise SystemExit(f"maintained and live counts differ for {period}")
    return "maintained counts = live counts per unit for 2026 and 2026-03 (checked before timing)"


def web(repeat: int, table: Table) -> dict[str, float]:  # one measurement after another
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from taizhang.org.models import Person, Unit  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    boss = Person.objects.get(username="bench-supervisor")
    worker = Person.objects.get(username="bench-unit")
    workshop = Unit.objects.get(pk=worker.unit_id or 0)
    root = Unit.objects.get(code="g")
    clients = {}
    for person in (boss, worker):
        client = Client(HTTP_HOST="localhost")
        client.force_login(person)
        clients[person.username] = client
    results: dict[str, float] = {}

    def page(client: Client, url: str, params: dict[str, Any]) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url, params)
            if response.status_code != 200:
                raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
            return response

        return get

    ledger = reverse("ledger:ledger")
    today = dt.datetime.now(dt.UTC).date()
    units_of_worker = "SELECT id FROM org_unit WHERE path LIKE %(path)s"
    # The handler's whole scope, as ledger.selectors.problems_in_scope defines it: raised by them, led or
    # assisted by a unit of their subtree.
    scope_of_worker = (
        "p.id IN (SELECT problem_id FROM intake_opinion"
        " WHERE submitter_id = %(me)s AND problem_id IS NOT NULL"
        f" UNION ALL SELECT id FROM ledger_problem WHERE lead_unit_id IN ({units_of_worker})"
        " UNION ALL SELECT problem_id FROM ledger_problem_assisting_units"
        f" WHERE unit_id IN ({units_of_worker}))"
    )
    for who, client, where in (
        ("supervisor (everything)", clients["bench-supervisor"], "TRUE"),
        ("unit handler (one workshop)", clients["bench-unit"], scope_of_worker),
    ):
        params = {"path": workshop.path + "%", "today": today, "me": worker.pk}
        for label, query, condition in (
            ("first page", {}, ""),
            ("in progress", {"state": "in_progress"}, " AND state = 'in_progress'"),
            (
                "overdue",
                {"overdue": "on"},
                " AND state IN ('open','in_progress','review','notice','returned') AND deadline < %(today)s",
            ),
        ):
            p95, _ = table.add(f"ledger page, {who}, {label}", page(client, ledger, query), repeat)
            sql = (
                f"SELECT p.*, u.name, c.name FROM ledger_problem p JOIN org_unit u ON u.id = p.lead_unit_id "
                f"JOIN ledger_category c ON c.id = p.category_id WHERE {where}{condition} "
                f"ORDER BY p.deadline, p.id LIMIT 50"
            )
            count = (
                "SELECT count(*) FROM "
                f"(SELECT 1 FROM ledger_problem p WHERE {where}{condition} LIMIT 10001) s"
            )
            rows_p95, _ = table.add(f"bare SQL: its 50 rows, {who}, {label}", bare(sql, params), repeat)
            count_p95, _ = table.add(
                f"bare SQL: its count (capped), {who}, {label}", bare(count, params), repeat
            )
            results[f"ledger {who} {label}"] = p95 / max(rows_p95 + count_p95, 0.01)
    results.update(_dashboard(clients, root, table, repeat, page))
    return results


def _dashboard(
    clients: dict[str, Any], root: Any, table: Table, repeat: int, page: Callable[..., Callable[[], Any]]
) -> dict[str, float]:
    """The dashboard's measures and charts for a year and a month, next to the bare and the live counts."""
    from django.urls import reverse  # noqa: PLC0415

    from taizhang.reports import measures  # noqa: PLC0415
    from taizhang.reports.period import Period  # noqa: PLC0415
    from taizhang.reports.scope import UnitScope  # noqa: PLC0415

    results: dict[str, float] = {}
    today = dt.datetime.now(dt.UTC).date()
    kpis = reverse("reports:kpis")
    ranking = reverse("reports:chart", args=["ranking"])
    from dashboard_bench import BARE_OPINIONS, BARE_PROBLEMS  # noqa: PLC0415

    for label, period in (("2026 (year)", Period.year(2026)), ("2026-03 (month)", Period.month(2026, 3))):
        span = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        p95, _ = table.add(
            f"dashboard measures (kpis), supervisor, enterprise, {label}",
            page(clients["bench-supervisor"], kpis, span),
            repeat,
        )
        table.add(
            f"dashboard measures (kpis), unit handler, own workshop, {label}",
            page(clients["bench-unit"], kpis, span),
            repeat,
        )
        table.add(
            f"ranking chart (20 branches), supervisor, {label}",
            page(clients["bench-supervisor"], ranking, {**span, "unit": root.pk}),
            repeat,
        )
        for chart in ("funnel", "flow", "lights", "satisfaction"):  # the dashboard's other charts
            table.add(
                f"{chart} chart, supervisor, enterprise, {label}",
                page(clients["bench-supervisor"], reverse("reports:chart", args=[chart]), span),
                repeat,
            )
        begin, after = period.bounds()
        params = {"begin": begin, "after": after, "first": period.start, "last": period.end, "today": today}
        p_bare, _ = table.add(f"bare SQL: problem counts, {label}", bare(BARE_PROBLEMS, params), repeat)
        o_bare, _ = table.add(f"bare SQL: opinion counts, {label}", bare(BARE_OPINIONS, params), repeat)
        selection = measures.Selection(scope=UnitScope(paths=(root.path,)), period=period)
        live, _ = table.add(
            f"live count the tallies replace (measures.live_counts_by_unit), {label}",
            partial(measures.live_counts_by_unit, selection),
            max(3, repeat // 4),
        )
        maintained, _ = table.add(
            f"maintained count (measures.counts_by_unit), {label}",
            partial(measures.counts_by_unit, selection),
            repeat,
        )
        results[f"kpis {label} / bare"] = p95 / (p_bare + o_bare)
        results[f"live / maintained {label}"] = live / maintained
    return results


def side_benches(problems_label: str) -> list[str]:
    """The Excel import and search benches at a small size, as they are (their own databases)."""
    import psycopg  # noqa: PLC0415

    lines: list[str] = []
    excel_db = f"{SERVER}/scale_excel"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute('DROP DATABASE IF EXISTS "scale_excel" WITH (FORCE)')
        admin.execute('CREATE DATABASE "scale_excel"')
    env = {**os.environ, "TAIZHANG_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    log("Excel import bench (5,000 rows, PostgreSQL)")
    excel = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench/excel_import_bench.py"), "--rows", "5000", "--database", excel_db],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout
    lines += ["Excel import (`bench/excel_import_bench.py --rows 5000`, PostgreSQL):", ""]
    lines += [line for line in excel.splitlines() if line.startswith(("|", "verify"))]
    log("search bench (20,000 opinions)")
    search = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench/search_bench.py"), "--size", "20000", "--queries", "50"],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "BENCH_DATABASE_URL": f"{SERVER}/scale_search"},
        cwd=ROOT,
    ).stdout
    lines += ["", "Search (`bench/search_bench.py --size 20000 --queries 50`):", ""]
    lines += [line for line in search.splitlines() if line.startswith("|")]
    return lines


def write_section(profile: str, lines: list[str]) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    begin, end = f"<!-- scale:{profile}:begin -->", f"<!-- scale:{profile}:end -->"
    block = "\n".join([begin, *lines, end])
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _m: block, text, flags=re.S)
    else:
        marker = "<!-- scale:profiles -->"
        if marker not in text:
            raise SystemExit(f"BENCHMARKS.md has no {marker} line under its Scale section")
        text = text.replace(marker, f"{marker}\n\n{block}")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
    parser.add_argument("--problems", type=int, help="overrides the profile's count")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="the scratch database (default scale_<profile> on the server)")
    parser.add_argument("--reuse", action="store_true", help="measure the existing scratch database")
    parser.add_argument(
        "--summary", help="with --reuse: the JSON bench/generate.py printed for this database"
    )
    parser.add_argument("--skip-side", action="store_true", help="skip the Excel and search benches")
    parser.add_argument("--no-write", action="store_true", help="print, do not update BENCHMARKS.md")
    options = parser.parse_args()
    problems = options.problems or PROFILES[options.profile]
    url = options.database or f"{SERVER}/scale_{options.profile}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("TAIZHANG_DATA_DIR", folder)
        prepare_database(url, recreate=not options.reuse)
        lines = [f"### Profile `{options.profile}`: {problems:,} problems", ""]
        summary = None
        if not options.reuse:
            summary = generate(problems)
        elif options.summary:
            summary = Summary(**json.loads(Path(options.summary).read_text(encoding="utf-8")))
        if summary is not None:
            lines.append(
                f"Generated {summary.problems:,} problems, {summary.opinions:,} opinions, "
                f"{summary.events:,} events, "
                f"{summary.ratings:,} ratings, {summary.units:,} units, {summary.people:,} people in "
                f"{summary.seconds:.0f} s ({summary.problems / summary.seconds:,.0f} problems/s, COPY); "
                f"`taizhang measures-rebuild` {summary.rebuild_seconds:.0f} s."
            )
        from taizhang.reports import tally  # noqa: PLC0415

        if not tally.usable(category_id=None, campaign_id=None):  # a reused database after a migration
            began = time.monotonic()
            tally.rebuild()
            seconds = time.monotonic() - began
            lines.append(f"`taizhang measures-rebuild` on the reused database: {seconds:.0f} s.")
        lines.append(check_chains(problems) + "; " + check_tallies() + ".")
        table = Table()
        before = peak_mb()
        ratios = web(options.repeat, table)
        after = peak_mb()
        lines += [
            "",
            f"{options.repeat} timed requests or queries each after a warm-up:",
            "",
            *table.markdown(),
            "",
        ]
        lines += [f"- {name}: {value:.1f}×" for name, value in ratios.items()]
        lines += [
            "",
            f"Peak RSS of the measuring process (the test client plays the worker): {before:.0f} MB "
            "before the "
            f"requests, {after:.0f} MB after.",
        ]
        if not options.skip_side:
            lines += ["", *side_benches(options.profile)]
        lines += [
            "",
            f"Run {dt.datetime.now(dt.UTC).date().isoformat()}, {time.monotonic() - started:.0f} s in all; "
            "load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
        ]
    print("\n".join(lines))
    if not options.no_write:
        write_section(options.profile, lines)
        log("BENCHMARKS.md updated")


if __name__ == "__main__":
    main()
