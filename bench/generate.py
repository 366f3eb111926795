"""Generate a realistic ledger at scale (not run in CI): units, people, opinions, problems in every state with
valid event chains (`taizhang verify` passes), ratings, urges and reopenings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale .venv/bin/python bench/generate.py --profile small
    .venv/bin/python bench/generate.py --profile 1m --database postgres://…     # 1,000,000 problems
    .venv/bin/python bench/generate.py --problems 20000 --database sqlite:////tmp/x.sqlite3

Profiles: small = 100,000 problems, 1m = 1,000,000, 10m = 10,000,000. The database is migrated first and must
hold no problems yet (`--recreate` drops and recreates a PostgreSQL database). PostgreSQL is loaded with COPY
(psycopg), SQLite with bulk INSERTs (executemany); both in chunks of 5,000 problems with a progress bar on
stderr. Afterwards: `taizhang measures-rebuild` (reports.tally), VACUUM ANALYZE.

The data: one enterprise, 20 branches (分厂), 10 workshops (车间) each with 3 teams (班组) — 821 units; one
person per 100 problems (at least 500), handlers and leaders on every workshop, supervisors at the top; 12
categories. Problems are listed over the 730 days before `END` (2026-10-31), 80 % raised from an opinion
(1–3 opinions each), the rest listed directly; deadlines 7–120 days on, in every state by age (older ones
mostly closed out), 10 % urged, 2 % reopened. Another 25 % of opinions were answered, declined, withdrawn or
are still new. Every closed-out item raised by an opinion has a rating.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

PROFILES = {"small": 100_000, "1m": 1_000_000, "10m": 10_000_000}
END = dt.datetime(2026, 10, 31, 18, 0, tzinfo=dt.UTC)
DAYS = 730
CHUNK = 5_000
BRANCHES = 20
WORKSHOPS = 10
TEAMS = 3
CATEGORIES = (
    ("路灯照明", "修复", "盏"),
    ("澡堂热水", "改善", "处"),
    ("食堂伙食", "改善", "处"),
    ("宿舍维修", "维修", "间"),
    ("道路交通", "修复", "处"),
    ("安全生产", "整改", "项"),
    ("劳动保护", "配发", "件"),
    ("文山会海", "精简", "次"),
    ("办事效率", "提速", "项"),
    ("环境卫生", "整治", "处"),
    ("职工培训", "开展", "次"),
    ("帮扶救助", "帮扶", "户"),
)
BRANCH_NAMES = [
    "氧化铝",
    "电解",
    "碳素",
    "热电",
    "动力",
    "运输",
    "机修",
    "检测",
    "供应",
    "销售",
    "矿山",
    "化工",
    "建安",
    "物业",
    "后勤",
    "计量",
    "质检",
    "环保",
    "信息",
    "培训",
]
WORKSHOP_NAMES = ["原料", "溶出", "分解", "焙烧", "蒸发", "检修", "电气", "仪表", "仓储", "调度"]
TITLES = (
    "{place}路灯不亮",
    "{place}澡堂热水不够用",
    "{place}食堂饭菜价格偏高",
    "{place}宿舍屋顶漏雨",
    "{place}道路坑洼积水",
    "{place}安全通道堆放杂物",
    "{place}劳保用品发放不及时",
    "{place}会议过多影响生产",
    "{place}报销手续繁琐",
    "{place}垃圾清运不及时",
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Progress:
    """A bar on stderr (tqdm is not a dependency): done/total, rate, time left."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.started, self.shown = label, total, time.monotonic(), 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.5 and done < self.total:
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-6)
        left = (self.total - done) / rate if rate else 0
        filled = 30 * done // max(self.total, 1)
        sys.stderr.write(
            f"\r{self.label:<10} [{'#' * filled}{'.' * (30 - filled)}] {done:>11,}/{self.total:,} "
            f"{rate:>8,.0f}/s  {left / 60:5.1f} min left"
        )
        if done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def prepare_database(url: str, *, recreate: bool) -> None:
    """Create (or drop and create) a PostgreSQL database; point Django at `url`; migrate."""
    if url.startswith("postgres"):
        import psycopg  # noqa: PLC0415

        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists and recreate:
                admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            if not exists or recreate:
                admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("TAIZHANG_TESTING", "1")  # a SECRET_KEY and chain key for the bench
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.config.test_settings")
    import django  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    log("migrating")
    call_command("migrate", verbosity=0)


# --- the event chain, computed as ledger.models.Event.compute_hash does -----------------------------------


class Chain:
    def __init__(self) -> None:
        from django.core.serializers.json import DjangoJSONEncoder  # noqa: PLC0415

        from taizhang.ledger.models import chain_key  # noqa: PLC0415

        self.key = chain_key()
        self.encoder = DjangoJSONEncoder

    def digest(self, prev: str, content: dict[str, Any]) -> str:
        body = json.dumps(
            content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=self.encoder
        )
        return hmac.new(self.key, f"{prev}\n{body}".encode(), hashlib.sha256).hexdigest()


# --- the rows ---------------------------------------------------------------------------------------------


@dataclass
class Rows:
    problems: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    opinions: list[tuple[Any, ...]] = field(default_factory=list)
    ratings: list[tuple[Any, ...]] = field(default_factory=list)


PROBLEM_COLUMNS = [
    "id",
    "code",
    "title",
    "description",
    "source",
    "measures",
    "deadline",
    "is_long_term",
    "weight",
    "target_quantity",
    "done_quantity",
    "measure_word",
    "priority",
    "is_public",
    "state",
    "version",
    "created_at",
    "updated_at",
    "started_at",
    "closeout_round",
    "closeout_requested_at",
    "completion_note",
    "signed_at",
    "notice_ends_at",
    "objection_pending",
    "closed_at",
    "cancelled_at",
    "reopen_count",
    "support_count",
    "event_count",
    "head_hash",
    "campaign_id",
    "category_id",
    "closeout_requested_by_id",
    "created_by_id",
    "lead_unit_id",
    "leader_id",
    "owner_id",
    "parent_id",
    "signed_by_id",
    "external_ref",
    "working_days",
]
EVENT_COLUMNS = [
    "id",
    "seq",
    "kind",
    "actor_role",
    "at",
    "from_state",
    "to_state",
    "note",
    "payload",
    "prev_hash",
    "hash",
    "actor_id",
    "problem_id",
]
OPINION_COLUMNS = [
    "id",
    "receipt_code",
    "channel",
    "text",
    "place_text",
    "is_anonymous",
    "contact_name",
    "contact_phone",
    "state",
    "response",
    "responded_at",
    "created_at",
    "category_id",
    "problem_id",
    "responded_by_id",
    "submitter_id",
    "unit_id",
    "attributes",
    "media_url",
]
RATING_COLUMNS = ["id", "round", "verdict", "comment", "created_at", "opinion_id", "problem_id"]


@dataclass
class World:
    units: list[tuple[int, int]]  # (workshop or team id, its workshop id) for lead units
    handlers: dict[int, int]  # workshop → a handler
    leaders: dict[int, int]
    supervisors: list[int]
    people: list[int]
    categories: list[tuple[int, str]]
    prefix: str


class Generator:
    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.chain = Chain()
        self.problem_id = 0
        self.event_id = 0
        self.opinion_id = 0
        self.rating_id = 0
        self.codes: dict[int, int] = {}
        self.start = END - dt.timedelta(days=DAYS)

    def moment(self, after: dt.datetime, days: float) -> dt.datetime:
        value = after + dt.timedelta(seconds=self.rng.uniform(0, days * 86400))
        return min(value, END).replace(microsecond=0)

    def event(  # noqa: PLR0917  # one event's columns
        self,
        rows: Rows,
        problem: int,
        chain: list[str],
        kind: str,
        at: dt.datetime,
        before: str,
        after: str,
        actor: int | None,
        role: str,
        note: str = "",
        payload: dict[str, Any] | None = None,
    ) -> None:
        self.event_id += 1
        seq = len(chain) + 1
        prev = chain[-1] if chain else "0" * 64
        body = payload or {}
        content = {
            "problem": problem,
            "seq": seq,
            "kind": kind,
            "actor": actor,
            "actor_role": role,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "from": before,
            "to": after,
            "note": note,
            "payload": body,
        }
        digest = self.chain.digest(prev, content)
        chain.append(digest)
        rows.events.append(
            (
                self.event_id,
                seq,
                kind,
                role,
                at,
                before,
                after,
                note,
                json.dumps(body),
                prev,
                digest,
                actor,
                problem,
            )
        )

    def opinion(
        self,
        rows: Rows,
        *,
        text: str,
        unit: int,
        category: int | None,
        state: str,
        created: dt.datetime,
        responded: dt.datetime | None,
        problem: int | None,
    ) -> int:
        self.opinion_id += 1
        anonymous = self.rng.random() < 0.3
        submitter = None if anonymous else self.rng.choice(self.world.people)
        receipt = f"G{self.opinion_id:09d}"
        response = "" if state in ("new", "triaged", "withdrawn") else "已答复，感谢您的意见。"
        responder = self.rng.choice(self.world.supervisors) if responded is not None else None
        rows.opinions.append(
            (
                self.opinion_id,
                receipt,
                self.rng.choice(("web", "web", "wechat", "letter", "meeting", "hotline")),
                text,
                "",
                anonymous,
                "",
                "",
                state,
                response,
                responded,
                created,
                category,
                problem,
                responder,
                submitter,
                unit,
                "{}",
                "",
            )
        )
        return self.opinion_id

    def problem(self, rows: Rows) -> None:  # noqa: PLR0915, PLR0912  # one problem's life, in order
        rng, world = self.rng, self.world
        self.problem_id += 1
        pid = self.problem_id
        unit, workshop = rng.choice(world.units)
        category, measure_word = rng.choice(world.categories)
        created = self.moment(self.start, DAYS)
        year = created.astimezone(dt.UTC).year
        self.codes[year] = self.codes.get(year, 0) + 1
        code = f"{world.prefix}-{year}-{self.codes[year]:04d}"
        place = f"{rng.randint(1, 30)}号{rng.choice(('宿舍楼', '车间', '厂房', '办公楼', '食堂'))}"
        title = rng.choice(TITLES).format(place=place)
        deadline = (created + dt.timedelta(days=rng.choice((7, 15, 30, 30, 45, 60, 90, 120)))).date()
        age = (END - created).days
        supervisor = rng.choice(world.supervisors)
        handler, leader = world.handlers[workshop], world.leaders[workshop]
        r = rng.random()
        done = min(0.92, age / 150)  # older items are mostly finished
        if r < 0.03:
            state = "cancelled"
        elif r < 0.03 + done * 0.9:
            state = "closed"
        elif r < 0.03 + done * 0.9 + 0.03:
            state = "review"
        elif r < 0.03 + done * 0.9 + 0.045:
            state = "notice"
        elif r < 0.03 + done * 0.9 + 0.06:
            state = "returned"
        elif r < 0.03 + done * 0.9 + 0.25:
            state = "in_progress"
        else:
            state = "open"
        raised = rng.random() < 0.8
        chain: list[str] = []
        opinions: list[int] = []
        if raised:
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                received = created - dt.timedelta(seconds=rng.uniform(600, 5 * 86400))
                opinions.append(
                    self.opinion(
                        rows,
                        text=title,
                        unit=unit,
                        category=category,
                        state="triaged",
                        created=received.replace(microsecond=0),
                        responded=created,
                        problem=pid,
                    )
                )
        self.event(
            rows,
            pid,
            chain,
            "problem.created",
            created,
            "",
            "open",
            supervisor,
            "supervisor",
            payload={"title": title, "lead_unit": unit, "deadline": deadline.isoformat()},
        )
        now = created
        started = closeout = signed = notice_ends = closed = cancelled = None
        round_ = reopened = 0
        current = "open"

        def step(  # noqa: PLR0917
            kind: str, to: str, actor: int | None, role: str, days: float, note: str = ""
        ) -> dt.datetime:
            nonlocal now, current
            now = self.moment(now, days)
            self.event(rows, pid, chain, kind, now, current, to, actor, role, note)
            current = to
            return now

        if rng.random() < 0.1 and state != "cancelled":
            step("problem.urged", current, supervisor, "supervisor", 10, "请抓紧办理")
        if state == "cancelled":
            cancelled = step("problem.cancelled", "cancelled", supervisor, "supervisor", 20, "重复立项")
        elif state == "returned":
            step("problem.returned", "returned", handler, "handler", 5, "不属本单位职责")
        elif state != "open":
            started = step("problem.started", "in_progress", handler, "handler", 5)
            if rng.random() < 0.5:
                step("problem.progress", "in_progress", handler, "handler", 15, "已完成一半")
            if state in ("review", "notice", "closed"):
                round_ = 1
                closeout = step("problem.closeout_requested", "review", handler, "handler", 30, "已整改完毕")
                if state != "review" or rng.random() < 0.5:
                    signed = step("problem.signed", "review", leader, "leader", 2)
                if state in ("notice", "closed"):
                    if raised and state == "closed":
                        rated_at = self.moment(now, 2)
                        verdict = rng.choice(
                            ("satisfied",) * 6 + ("basically_satisfied",) * 3 + ("unsatisfied",)
                        )
                        self.rating_id += 1
                        rows.ratings.append((self.rating_id, 1, verdict, "", rated_at, opinions[0], pid))
                        now = rated_at
                        self.event(
                            rows,
                            pid,
                            chain,
                            "problem.rated",
                            rated_at,
                            "review",
                            "review",
                            None,
                            "raiser",
                            payload={"verdict": verdict, "round": 1},
                        )
                    step("problem.verified", "notice", supervisor, "supervisor", 2)
                    notice_ends = now + dt.timedelta(days=5)
                    if state == "closed":
                        closed = step("problem.closed", "closed", None, "system", 7)
                        if rng.random() < 0.02:
                            step(
                                "problem.reopened",
                                "in_progress",
                                supervisor,
                                "supervisor",
                                60,
                                "回头看：问题反弹",
                            )
                            state, closed, reopened = "in_progress", None, 1
        # Half the items have a quantity (lamps, rooms, parking spaces …): all of it done once the
        # close-out is requested, part of it while in progress.
        target = rng.randint(1, 20) if rng.random() < 0.5 else None
        done_quantity = 0
        if target is not None and state in ("closed", "review", "notice"):
            done_quantity = target
        elif target is not None and state in ("in_progress", "cancelled"):
            done_quantity = rng.randint(0, target)
        rows.problems.append(
            (
                pid,
                code,
                title,
                "",
                "opinion" if raised else "inspection",
                "",
                deadline,
                False,
                1,
                target,
                done_quantity,
                measure_word,
                2,
                True,
                state,
                len(chain),
                created,
                now,
                started,
                round_,
                closeout,
                "已整改完毕" if closeout else "",
                signed,
                notice_ends,
                False,
                closed,
                cancelled,
                reopened,
                0,
                len(chain),
                chain[-1],
                None,
                category,
                handler if closeout else None,
                supervisor,
                unit,
                leader,
                handler,
                None,
                leader if signed else None,
                None,
                False,
            )
        )

    def loose_opinion(self, rows: Rows) -> None:
        rng = self.rng
        unit, _workshop = rng.choice(self.world.units)
        created = self.moment(self.start, DAYS)
        state = rng.choice(("answered", "answered", "declined", "withdrawn", "new"))
        responded = None if state in ("new", "withdrawn") else self.moment(created, 6)
        category = rng.choice(self.world.categories)[0] if rng.random() < 0.5 else None
        title = rng.choice(TITLES).format(place=f"{rng.randint(1, 30)}号宿舍楼")
        self.opinion(
            rows,
            text=title,
            unit=unit,
            category=category,
            state=state,
            created=created,
            responded=responded,
            problem=None,
        )


# --- the organisation -------------------------------------------------------------------------------------


def build_world(problems: int) -> World:
    from django.db import transaction  # noqa: PLC0415

    from taizhang.core.options import current_options  # noqa: PLC0415
    from taizhang.ledger.models import Category  # noqa: PLC0415
    from taizhang.org import services as org  # noqa: PLC0415
    from taizhang.org.models import Person, Role, Unit  # noqa: PLC0415

    log("units, people and categories")
    with transaction.atomic():
        root = org.unit_create(name="山西铝业集团", code="g", kind=Unit.Kind.ENTERPRISE)
        office = org.unit_create(name="纪检监察工作部", code="g-jj", parent=root, kind=Unit.Kind.OFFICE)
        units: list[tuple[int, int]] = []
        workshops: list[Unit] = []
        for b in range(BRANCHES):
            branch = org.unit_create(
                name=f"{BRANCH_NAMES[b]}分厂", code=f"g-{b}", parent=root, kind=Unit.Kind.BRANCH, sort_order=b
            )
            for w in range(WORKSHOPS):
                workshop = org.unit_create(name=f"{WORKSHOP_NAMES[w]}车间", code=f"g-{b}-{w}", parent=branch)
                workshops.append(workshop)
                units.append((workshop.pk, workshop.pk))
                for t in range(TEAMS):
                    team = org.unit_create(
                        name=f"{WORKSHOP_NAMES[w]}{t + 1}班",
                        code=f"g-{b}-{w}-{t}",
                        parent=workshop,
                        kind=Unit.Kind.TEAM,
                    )
                    units.append((team.pk, workshop.pk))
        count = max(500, problems // 100)
        people = Person.objects.bulk_create(
            Person(
                username=f"p{n:07d}",
                name=f"职工{n}",
                password="!",  # noqa: S106  # unusable: nobody signs in as them unit_id=workshops[n % len(workshops)].pk
            )
            for n in range(count)
        )
        handlers: dict[int, int] = {}
        leaders: dict[int, int] = {}
        for index, workshop in enumerate(workshops):
            handler, leader = people[2 * index], people[2 * index + 1]
            org.role_grant(person=handler, role=Role.HANDLER, unit=workshop)
            org.role_grant(person=leader, role=Role.LEADER, unit=workshop)
            handlers[workshop.pk], leaders[workshop.pk] = handler.pk, leader.pk
        supervisors = people[-5:]
        for person in supervisors:
            org.role_grant(person=person, role=Role.SUPERVISOR, unit=root)
        # The people the scale bench signs in as.
        boss = org.person_create(username="bench-supervisor", name="督导组长", unit=office, password=None)
        org.role_grant(person=boss, role=Role.SUPERVISOR, unit=root)
        worker = org.person_create(username="bench-unit", name="车间干事", unit=workshops[3], password=None)
        org.role_grant(person=worker, role=Role.HANDLER, unit=workshops[3])
        categories = []
        for number, (name, verb, word) in enumerate(CATEGORIES):
            category = Category.objects.create(
                name=name,
                code=f"c{number}",
                achievement_verb=verb,
                measure_word=word,
                evidence_required=False,
            )
            categories.append((category.pk, word))
    return World(
        units=units,
        handlers=handlers,
        leaders=leaders,
        supervisors=[p.pk for p in supervisors],
        people=[p.pk for p in people],
        categories=categories,
        prefix=current_options().problem_code_prefix,
    )


# --- writing ----------------------------------------------------------------------------------------------


def _adapted(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    from django.db import connection  # noqa: PLC0415

    ops = connection.ops

    def one(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date):
            return ops.adapt_datefield_value(value)
        return value

    return [tuple(one(value) for value in row) for row in rows]


def write(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection  # noqa: PLC0415

    if not rows:
        return
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        raw = connection.connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", _adapted(rows))


def flush(rows: Rows) -> None:
    write("ledger_problem", PROBLEM_COLUMNS, rows.problems)
    write("intake_opinion", OPINION_COLUMNS, rows.opinions)
    write("ledger_event", EVENT_COLUMNS, rows.events)
    write("ledger_rating", RATING_COLUMNS, rows.ratings)


def finish(generator: Generator) -> None:
    from django.db import connection  # noqa: PLC0415

    from taizhang.ledger.models import CodeSequence  # noqa: PLC0415

    for year, last in generator.codes.items():
        CodeSequence.objects.update_or_create(
            prefix=generator.world.prefix, year=year, defaults={"last": last}
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("ledger_problem", "ledger_event", "intake_opinion", "ledger_rating"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )


@dataclass
class Summary:
    problems: int
    opinions: int
    events: int
    ratings: int
    units: int
    people: int
    seconds: float
    rebuild_seconds: float


def check_hash_matches_the_model() -> None:
    """The generator's hash is the model's: one event built both ways."""
    from taizhang.ledger.models import Event  # noqa: PLC0415

    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    event = Event(
        problem_id=7,
        seq=1,
        kind="problem.created",
        actor_id=3,
        actor_role="supervisor",
        at=at,
        from_state="",
        to_state="open",
        note="说明",
        payload={"title": "路灯", "n": 1},
        prev_hash="0" * 64,
    )
    content = {
        "problem": 7,
        "seq": 1,
        "kind": "problem.created",
        "actor": 3,
        "actor_role": "supervisor",
        "at": at.isoformat(timespec="microseconds"),
        "from": "",
        "to": "open",
        "note": "说明",
        "payload": {"title": "路灯", "n": 1},
    }
    if Chain().digest("0" * 64, content) != event.compute_hash():
        raise SystemExit("the generator's event hash differs from ledger.models.Event.compute_hash")


def generate(problems: int, seed: int = 1) -> Summary:
    """Fill the (migrated, empty) database. Django must be set up."""
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection, transaction  # noqa: PLC0415

    from taizhang.ledger.models import Problem  # noqa: PLC0415
    from taizhang.org.models import Person, Unit  # noqa: PLC0415

    if Problem.objects.exists():
        raise SystemExit("the database already holds problems: use a fresh one (--recreate)")
    check_hash_matches_the_model()
    started = time.monotonic()
    world = build_world(problems)
    generator = Generator(world, seed)
    bar = Progress("problems", problems)
    made = 0
    while made < problems:
        rows = Rows()
        size = min(CHUNK, problems - made)
        for _ in range(size):
            generator.problem(rows)
            if generator.rng.random() < 0.3:
                generator.loose_opinion(rows)
        with transaction.atomic():
            flush(rows)
        made += size
        bar.update(made)
    finish(generator)
    seconds = time.monotonic() - started
    log(f"loaded in {seconds:.0f} s; recounting the measure tallies")
    began = time.monotonic()
    call_command("measures_rebuild", verbosity=0)
    rebuild_seconds = time.monotonic() - began
    if connection.vendor == "postgresql":
        # VACUUM too: a freshly loaded table has no visibility map, so no index-only scan would be used
        # until autovacuum had visited it, which a running system's tables always have.
        log("VACUUM ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Summary(
        problems=problems,
        opinions=generator.opinion_id,
        events=generator.event_id,
        ratings=generator.rating_id,
        units=Unit.objects.count(),
        people=Person.objects.count(),
        seconds=seconds,
        rebuild_seconds=rebuild_seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
    parser.add_argument("--problems", type=int, help="overrides the profile's count")
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--recreate", action="store_true", help="drop and recreate the PostgreSQL database")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    if not options.database:
        raise SystemExit("give --database or DATABASE_URL")
    prepare_database(options.database, recreate=options.recreate)
    summary = generate(options.problems or PROFILES[options.profile], options.seed)
    print(json.dumps(summary.__dict__))


if __name__ == "__main__":
    main()
