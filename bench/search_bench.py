"""Search and similar-lookup latency over many opinions on PostgreSQL (not run in CI; see BENCHMARKS.md).

    .venv/bin/python bench/search_bench.py                      # 1,000,000 opinions, 200 timed lookups each
    .venv/bin/python bench/search_bench.py --size 200000 --queries 100
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other_db .venv/bin/python bench/search_bench.py

It (re)creates the database named in BENCH_DATABASE_URL (default taizhang_search_bench on the local server:
it is dropped first), migrates it, generates the opinions from the vocabulary of the labelled set
(tests/search/data/opinions.tsv: other place numbers, places, units, openings and endings), loads them and
their index entries with COPY (the GIN indexes are built after the load, as for any bulk load), and times:

- baselines in the same run: `SELECT 1` (a round trip) and the search an index replaces, a `LIKE '%word%'`
  scan of the opinions' text ordered by date;
- `search()` as an administrator (everything in scope) and as a supervisor over one branch;
- `similar_items()` for texts of the labelled set, with their unit and place.

Progress is printed while generating; the results as a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/taizhang_search_bench"
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
OPENINGS = ["", "", "", "反映：", "建议：", "职工反映，", "我想说一下，", "再次反映，", "各位领导好，"]
ENDINGS = ["", "", "希望尽快解决。", "请领导重视。", "已经反映过好几次了。", "麻烦尽快处理，谢谢！", "盼复。"]
SEARCHES = [
    "路灯",
    "路灯不亮",
    "澡堂 热水",
    "卫生间漏水",
    "食堂 排队",
    "停车位",
    "班车",
    "会议太多",
    "报表",
    "工作服",
    "暖气不热",
    "电梯",
    "垃圾",
    "宿舍 网络",
    "灭火器",
    "2号宿舍楼",
    "道路 坑洼",
    "噪音",
    "公车私用",
    "饮水",
]


def progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.monotonic() - started, 1e-6)
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(
        f"\r{label:<12} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,} {rate:>9,.0f}/s"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def setup_django(url: str, *, recreate: bool) -> None:
    import psycopg  # noqa: PLC0415

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            admin.execute(f'DROP DATABASE "{name}"')
        if not exists or recreate:
            admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("TAIZHANG_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.config.test_settings")
    import django  # noqa: PLC0415

    django.setup()


def labelled() -> list[dict[str, str]]:
    with (ROOT / "tests/search/data/opinions.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def vary(text: str, rng: random.Random) -> str:
    """Another person saying the same kind of thing: other numbers, an opening, an ending."""
    for number in ("2号", "二号", "5号", "五号", "13号", "十三号", "三楼", "3层", "二楼", "2层"):
        if number in text:
            text = text.replace(number, f"{rng.randint(1, 30)}{number.lstrip('0123456789一二三五十')}")
            break
    return rng.choice(OPENINGS) + text + rng.choice(ENDINGS)


def build_organisation(rng: random.Random) -> tuple[Any, list[Any], list[Any]]:
    from taizhang.intake.models import Place  # noqa: PLC0415
    from taizhang.org import services as org  # noqa: PLC0415
    from taizhang.org.models import Role, Unit  # noqa: PLC0415

    root = org.unit_create(name="山西铝厂", code="root", kind=Unit.Kind.ENTERPRISE)
    branches = [
        org.unit_create(name=f"第{n}分厂", code=f"b{n}", parent=root, kind=Unit.Kind.BRANCH)
        for n in range(1, 9)
    ]
    departments = [
        org.unit_create(name=f"{branch.name}{kind}", code=f"{branch.code}-{i}", parent=branch)
        for branch in branches
        for i, kind in enumerate(["原料车间", "溶出车间", "后勤组", "设备科", "综合办"])
    ]
    units = branches + departments
    kinds = ["号宿舍楼", "号食堂", "号澡堂", "号办公楼", "号停车场", "号大圆仓", "号门岗", "号篮球场"]
    places = [
        Place.objects.create(name=f"{n}{kind}", code=f"p{n}-{k}", unit=rng.choice(units))
        for n in range(1, 31)
        for k, kind in enumerate(kinds)
    ]
    admin = org.person_create(
        username="bench-admin",
        name="基准管理员",
        unit=root,
        password=secrets.token_urlsafe(),
        is_superuser=True,
    )
    supervisor = org.person_create(
        username="bench-supervisor", name="分厂督导", unit=branches[0], password=secrets.token_urlsafe()
    )
    org.role_grant(person=supervisor, role=Role.SUPERVISOR, unit=branches[0])
    return (admin, supervisor), units, places


def generate(size: int, seed: int = 7) -> tuple[tuple[Any, Any], list[Any], list[Any]]:  # noqa: PLR0915
    from django.db import connection  # noqa: PLC0415

    from taizhang.search import services, text  # noqa: PLC0415
    from taizhang.search.models import SearchEntry  # noqa: PLC0415

    rng = random.Random(seed)
    people, units, places = build_organisation(rng)
    services.refresh_dictionary(force=True)
    samples = labelled()
    unit_names = {unit.pk: unit.name for unit in units}
    unit_scope = {unit.pk: " ".join(services.scope_tokens(unit.path, None)) for unit in units}
    now = time.time()
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_entry_document, search_entry_document_open")
        cursor.execute("SELECT coalesce(max(id), 0) FROM intake_opinion")
        first_id = cursor.fetchone()[0] + 1
    raw = connection.connection
    started = time.monotonic()
    opinion_columns = (
        "id, receipt_code, channel, text, place_id, place_text, unit_id, is_anonymous, contact_name, "
        "contact_phone, state, response, attributes, media_url, created_at"
    )
    entry_columns = "opinion_id, head, body, unit_id, place_id, is_open, created_at"
    batch = 20_000
    for offset in range(0, size, batch):
        opinions: list[tuple[Any, ...]] = []
        entries: list[tuple[Any, ...]] = []
        for n in range(offset, min(offset + batch, size)):
            sample = rng.choice(samples)
            content = vary(sample["text"], rng)
            place = rng.choice(places) if rng.random() < 0.4 else None
            unit_id = place.unit_id if place else rng.choice(units).pk
            state = rng.choices(["new", "answered", "declined", "withdrawn"], [5, 80, 5, 10])[0]
            created = time.strftime(
                "%Y-%m-%d %H:%M:%S+00", time.gmtime(now - rng.randint(0, 3 * 365 * 86400))
            )
            opinion_id = first_id + n
            receipt = "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(10))
            opinions.append(
                (
                    opinion_id,
                    receipt,
                    "web",
                    content,
                    place.pk if place else None,
                    place.name if place else "",
                    unit_id,
                    True,
                    "",
                    "",
                    state,
                    "" if state in ("new", "withdrawn") else "已答复",
                    "{}",
                    "",
                    created,
                )
            )
            head = " ".join(text.index_tokens(content))
            words = text.index_tokens(f"{place.name if place else ''} {unit_names[unit_id]} {receipt}")
            body = " ".join(words) + " " + unit_scope[unit_id]
            entries.append(
                (opinion_id, head, body, unit_id, place.pk if place else None, state == "new", created)
            )
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY intake_opinion ({opinion_columns}) FROM STDIN") as copy:
                for row in opinions:
                    copy.write_row(row)
            with cursor.copy(f"COPY search_searchentry ({entry_columns}) FROM STDIN") as copy:
                for row in entries:
                    copy.write_row(row)
        raw.commit()
        progress("opinions", min(offset + batch, size), size, started)
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in ("intake_opinion", "search_searchentry"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        sys.stderr.write("building the GIN indexes …\n")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX search_entry_document ON search_searchentry USING gin (document)")
        cursor.execute(
            "CREATE INDEX search_entry_document_open ON search_searchentry USING gin (document) WHERE is_open"
        )
        cursor.execute("VACUUM ANALYZE intake_opinion")
        cursor.execute("VACUUM ANALYZE search_searchentry")
    sys.stderr.write(
        f"indexes built in {time.monotonic() - started:.0f} s; {SearchEntry.objects.count():,} entries\n"
    )
    return people, units, places


def timed(calls: Iterator[Callable[[], object]], count: int) -> list[float]:
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        if len(samples) == count:
            break
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def measure(
    people: tuple[Any, Any], places: list[Any], queries: int, seed: int = 11
) -> list[tuple[str, list[float]]]:
    from django.db import connection  # noqa: PLC0415

    from taizhang.intake.models import Place  # noqa: PLC0415
    from taizhang.org.models import Unit  # noqa: PLC0415
    from taizhang.search.selectors import search, similar_items  # noqa: PLC0415

    admin, supervisor = people
    rng = random.Random(seed)
    samples = labelled()
    place_by_id = {p.pk: p for p in places}
    units = {u.pk: u for u in Unit.objects.all()}

    def select_one() -> Iterator[Callable[[], object]]:
        while True:

            def call() -> object:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    return cursor.fetchone()

            yield call

    def like_scan() -> Iterator[Callable[[], object]]:
        while True:
            word = rng.choice(SEARCHES).split()[0]

            def call(word: str = word) -> object:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id FROM intake_opinion WHERE text LIKE %s ORDER BY created_at DESC LIMIT 50",
                        [f"%{word}%"],
                    )
                    return cursor.fetchall()

            yield call

    def searches(user: Any) -> Iterator[Callable[[], object]]:
        while True:
            query = rng.choice(SEARCHES)
            yield functools.partial(search, user, query)

    def lookups() -> Iterator[Callable[[], object]]:
        while True:
            sample = rng.choice(samples)
            place = rng.choice(list(place_by_id.values())) if rng.random() < 0.5 else None
            unit = units[place.unit_id] if place else rng.choice(list(units.values()))
            yield functools.partial(similar_items, sample["text"], unit=unit, place=place, user=admin)

    assert isinstance(places[0], Place)
    for warm in (searches(admin), lookups()):
        timed(warm, 10)
    return [
        ("`SELECT 1` round trip (baseline)", timed(select_one(), queries)),
        (
            "`LIKE '%word%'` scan of the opinions, newest 50 (baseline)",
            timed(like_scan(), max(10, queries // 10)),
        ),
        ("search, administrator (all opinions in scope)", timed(searches(admin), queries)),
        ("search, supervisor over one branch", timed(searches(supervisor), queries)),
        ("similar-lookup (submit form / triage desk)", timed(lookups(), queries)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size", type=int, default=1_000_000, help="opinions to generate (default 1,000,000)"
    )
    parser.add_argument("--queries", type=int, default=200, help="timed calls per measurement")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the existing database, do not regenerate"
    )
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("The bench runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    setup_django(url, recreate=not args.reuse)
    from django.core.management import call_command  # noqa: PLC0415

    from taizhang.intake.models import Place  # noqa: PLC0415
    from taizhang.org.models import Person  # noqa: PLC0415
    from taizhang.search import services  # noqa: PLC0415

    if args.reuse:
        people = (Person.objects.get(username="bench-admin"), Person.objects.get(username="bench-supervisor"))
        places = list(Place.objects.all())
        services.refresh_dictionary(force=True)
    else:
        call_command("migrate", verbosity=0)
        people, _units, places = generate(args.size)
    from taizhang.search.models import SearchEntry  # noqa: PLC0415

    total = SearchEntry.objects.count()
    results = measure(people, places, args.queries)
    round_trip = statistics.median(results[0][1])
    scan = p95(results[1][1])
    print(f"\n{total:,} indexed opinions, {args.queries} timed calls each (2-core machine)\n")
    print("| measurement | p50 ms | p95 ms | p95 / `SELECT 1` p50 | p95 / `LIKE` scan p95 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, samples in results:
        print(
            f"| {label} | {statistics.median(samples):.1f} | {p95(samples):.1f} "
            f"| {p95(samples) / round_trip:,.0f}× | {p95(samples) / scan:.2f} |"
        )


if __name__ == "__main__":
    main()
