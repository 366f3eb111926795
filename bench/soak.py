"""Soak test (not in CI): N simulated users doing the whole loop for M minutes over real HTTP on loopback.

    .venv/bin/python bench/soak.py --users 8 --minutes 5 [--database-url postgres://…] [--write]

A throwaway installation in a temporary folder (SQLite there, or the PostgreSQL database given, which must be
empty or absent), served by `taizhang serve` (gunicorn). Each user, in a loop:

    submit (Open311, anonymous) → triage (web page, a supervisor's session, CSRF and all) → start → progress
    → close-out with a photo → sign → rate (anonymously, by receipt code) → verify   (JSON API, tokens)

Every request is timed; any answer other than the one the loop expects is an error (goal: zero). Prints,
per minute: loops completed, requests, errors, p50/p95/max latency, and p95 as a ratio to the baseline — the
p50 of a trivial request (GET /api/v1/categories) measured on the idle server at the start of the same run.
With --write, replaces the "Soak" section of BENCHMARKS.md. Ends with `taizhang verify` on the ledger.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PASSWORD = "soak-password-0123"  # noqa: S105  # a throwaway installation

SETUP = """
import django
django.setup()
import json
from taizhang.api import services as api_services
from taizhang.api.models import ApiToken
from taizhang.ledger.models import Category
from taizhang.org import services as org
from taizhang.org.models import Role, Unit

root = org.unit_create(name="山西铝厂", code="sxlc", kind=Unit.Kind.ENTERPRISE)
plant = org.unit_create(name="第一氧化铝厂", code="yhl1", parent=root, kind=Unit.Kind.BRANCH)
office = org.unit_create(name="纪检监察工作部", code="jjjc", parent=root, kind=Unit.Kind.OFFICE)
category = Category.objects.create(
    name="路灯照明", code="street-lamp", achievement_verb="修复", measure_word="盏"
)
password = {password!r}
def person(username, name, unit, *roles, admin=False):
    made = org.person_create(username=username, name=name, unit=unit, password=password, is_superuser=admin)
    for role, scope in roles:
        org.role_grant(person=made, role=role, unit=scope)
    return made
handler = person("hou", "侯同义", plant, (Role.HANDLER, plant))
leader = person("yuan", "原卫平", plant, (Role.LEADER, plant))
supervisor = person("yang", "杨朝晖", office, (Role.SUPERVISOR, root))
admin = person("guo", "郭顺喜", root, (Role.ADMIN, root), admin=True)
print(json.dumps({{
    "handler": api_services.token_create(user=handler, name="soak").raw,
    "leader": api_services.token_create(user=leader, name="soak").raw,
    "supervisor": api_services.token_create(user=supervisor, name="soak").raw,
    "open311": api_services.token_create(user=admin, name="soak", kind=ApiToken.Kind.OPEN311).raw,
    "category": category.code,
    "category_id": category.pk,
    "plant": plant.pk,
}}))
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def photo() -> bytes:
    from PIL import Image  # noqa: PLC0415

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 160, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


class Unexpected(Exception):
    pass


@dataclass
class Sample:
    at: float
    step: str
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Recorder:
    started: float
    samples: list[Sample] = field(default_factory=list)
    loops: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """urllib with cookies (a session), CSRF from the cookie, and timing of every request."""

    def __init__(self, base: str, recorder: Recorder, token: str = "") -> None:
        self.base = base
        self.recorder = recorder
        self.token = token
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf(self) -> str:
        return next((c.value or "" for c in self.cookies if c.name == "csrftoken"), "")

    def call(
        self,
        step: str,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str = "",
        expect: tuple[int, ...] = (200,),
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, str]:
        request = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310  # loopback
        request.add_header("Accept-Language", "en")
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if method == "POST" and not self.token:
            request.add_header("Referer", self.base + path)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        began = time.monotonic()
        status, data, location = 0, b"", ""
        try:
            with self.opener.open(request, timeout=60) as response:
                status, data, location = response.status, response.read(), response.url
        except urllib.error.HTTPError as error:
            status, data = error.code, error.read()
        except OSError as error:
            data = str(error).encode()
        elapsed = time.monotonic() - began
        ok = status in expect
        self.recorder.add(
            Sample(time.monotonic(), step, elapsed, ok, "" if ok else f"{status} {data[:200]!r}")
        )
        if not ok:
            raise Unexpected(f"{step}: {status} {data[:300]!r}")
        return status, data, location

    def json(self, step: str, method: str, path: str, payload: Any = None, **kwargs: Any) -> Any:
        body = json.dumps(payload if payload is not None else {}).encode() if method == "POST" else None
        _status, data, _location = self.call(
            step, method, path, body=body, content_type="application/json" if body else "", **kwargs
        )
        return json.loads(data)

    def form(self, step: str, path: str, fields: dict[str, str], **kwargs: Any) -> tuple[int, bytes, str]:
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        body = urllib.parse.urlencode(fields).encode()
        return self.call(
            step, "POST", path, body=body, content_type="application/x-www-form-urlencoded", **kwargs
        )


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def user_loop(number: int, base: str, setup: dict[str, Any], recorder: Recorder, until: float) -> None:
    public = Browser(base, recorder)
    desk = Browser(base, recorder)
    handler = Browser(base, recorder, setup["handler"])
    leader = Browser(base, recorder, setup["leader"])
    supervisor = Browser(base, recorder, setup["supervisor"])
    desk.call("login page", "GET", "/login/")
    _s, _page, landed = desk.form("login", "/login/", {"username": "yang", "password": PASSWORD})
    if landed.endswith("/login/"):
        raise SystemExit("the supervisor could not sign in")
    image = photo()
    loop = 0
    while time.monotonic() < until:
        loop += 1
        try:
            _s, data, _l = public.call(
                "submit",
                "POST",
                "/open311/v2/requests.json",
                body=urllib.parse.urlencode(
                    {
                        "api_key": setup["open311"],
                        "service_code": setup["category"],
                        "address_string": f"{number}号楼",
                        "description": f"用户{number}第{loop}次：路灯不亮",
                    }
                ).encode(),
                content_type="application/x-www-form-urlencoded",
            )
            [answer] = json.loads(data)
            opinion_id = answer["service_request_id"]
            receipt = re.search(r"[0-9A-Z]{5}-[0-9A-Z]{5}", answer["service_notice"])
            if receipt is None:
                raise Unexpected(f"no receipt code in {answer['service_notice']!r}")
            desk.call("triage page", "GET", f"/triage/{opinion_id}/")
            _s, page, landed = desk.form(
                "triage",
                f"/triage/{opinion_id}/",
                {
                    "decision": "create",
                    "new-title": f"用户{number}第{loop}次：路灯不亮",
                    "new-category": str(setup["category_id"]),
                    "new-lead_unit": str(setup["plant"]),
                    "new-target_quantity": "2",
                    "new-is_public": "on",
                    "new-priority": "2",
                },
            )
            if landed.endswith(f"/triage/{opinion_id}/"):  # the form again: refused
                refusal = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.decode(), re.DOTALL)
                raise Unexpected(f"triage refused: {refusal[:3]}")
            followed = public.json("follow", "GET", f"/api/v1/opinions/{receipt.group(0)}")
            if not followed.get("problem"):
                raise Unexpected(f"triage made no problem: {followed}")
            problem = followed["problem"]["id"]
            handler.json("start", "POST", f"/api/v1/problems/{problem}/start", {"note": ""})
            body, kind = multipart({"note": "修了一盏", "done_quantity": "1"}, {})
            handler.call(
                "progress", "POST", f"/api/v1/problems/{problem}/progress", body=body, content_type=kind
            )
            body, kind = multipart(
                {"completion_note": "两盏都修好了", "done_quantity": "2"},
                {"evidence": ("after.jpg", image, "image/jpeg")},
            )
            handler.call(
                "close-out", "POST", f"/api/v1/problems/{problem}/closeout", body=body, content_type=kind
            )
            leader.json("sign", "POST", f"/api/v1/problems/{problem}/sign", {"note": ""})
            public.json(
                "rate",
                "POST",
                f"/api/v1/problems/{problem}/ratings",
                {"verdict": "satisfied", "receipt_code": receipt.group(0)},
                expect=(201,),
            )
            done = supervisor.json("verify", "POST", f"/api/v1/problems/{problem}/verify", {"note": ""})
            if done.get("state") != "closed":
                raise Unexpected(f"verify left the problem {done.get('state')}")
            with recorder.lock:
                recorder.loops.append(time.monotonic())
        except Unexpected as error:
            log(f"user {number}, loop {loop}: {error}")
            time.sleep(0.5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def baseline(base: str, recorder: Recorder, count: int = 50) -> float:
    probe = Browser(base, Recorder(started=recorder.started))
    times = []
    for _ in range(count):
        began = time.monotonic()
        probe.call("baseline", "GET", "/api/v1/categories")
        times.append(time.monotonic() - began)
    return statistics.median(times)


def report(recorder: Recorder, base_seconds: float, users: int, minutes: float, database: str) -> str:
    by_minute: dict[int, list[Sample]] = defaultdict(list)
    for sample in recorder.samples:
        by_minute[int((sample.at - recorder.started) // 60)].append(sample)
    loops_by_minute: dict[int, int] = defaultdict(int)
    for moment in recorder.loops:
        loops_by_minute[int((moment - recorder.started) // 60)] += 1
    lines = [
        f"{users} users, {minutes:g} minutes, {database}; baseline (GET /api/v1/categories, idle, p50): "
        f"{base_seconds * 1000:.1f} ms",
        "",
        "| minute | loops | requests | errors | p50 ms | p95 ms | max ms | p95 ÷ baseline |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for minute in sorted(by_minute):
        samples = by_minute[minute]
        seconds = [s.seconds for s in samples]
        failed = sum(1 for s in samples if not s.ok)
        p95 = percentile(seconds, 0.95)
        lines.append(
            f"| {minute + 1} | {loops_by_minute[minute]} | {len(samples)} | {failed} | "
            f"{percentile(seconds, 0.5) * 1000:.0f} | {p95 * 1000:.0f} | {max(seconds) * 1000:.0f} | "
            f"{p95 / base_seconds:.1f} |"
        )
    every = recorder.samples
    errors = [s for s in every if not s.ok]
    lines += ["", "| step | requests | errors | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: | ---: |"]
    steps: dict[str, list[Sample]] = defaultdict(list)
    for sample in every:
        steps[sample.step].append(sample)
    for step, samples in steps.items():
        seconds = [s.seconds for s in samples]
        lines.append(
            f"| {step} | {len(samples)} | {sum(1 for s in samples if not s.ok)} | "
            f"{percentile(seconds, 0.5) * 1000:.0f} | {percentile(seconds, 0.95) * 1000:.0f} |"
        )
    lines += ["", f"Total: {len(recorder.loops)} loops, {len(every)} requests, {len(errors)} errors."]
    if errors:
        lines.append("First errors: " + "; ".join(f"{e.step}: {e.detail}" for e in errors[:3]))
    return "\n".join(lines)


def write_section(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    content = path.read_text(encoding="utf-8")
    section = (
        "## Soak (`bench/soak.py`)\n\n"
        "N simulated users run the whole loop over real HTTP on loopback against `taizhang serve` (gunicorn, "
        "2 workers × 4 threads): submit (Open311, anonymous) → triage (web page, CSRF) → start → progress → "
        "close-out with a photo → sign → rate by receipt code → verify (JSON API). Errors are any answer "
        "other than the one the loop expects (goal: zero); latency per minute, and p95 as a ratio to the p50 "
        "of a trivial request on the idle server measured in the same run. Not run in CI.\n\n"
        "    .venv/bin/python bench/soak.py --users 8 --minutes 5 --write\n\n"
        "Machine: the shared 2-core development machine, other people's test runs competing. A last, "
        "partial minute holds the loops that were under way when the time ran out. On SQLite every "
        "write waits for the one writer, so latency here is mostly queueing: compare runs, not absolute "
        "figures.\n\n" + text + "\n"
    )
    marker = "## Soak (`bench/soak.py`)"
    if marker in content:
        start = content.index(marker)
        end = content.find("\n## ", start + len(marker))
        content = content[:start] + section + (content[end + 1 :] if end != -1 else "")
    else:
        content = content.rstrip("\n") + "\n\n" + section
    path.write_text(content, encoding="utf-8")


def main() -> None:  # noqa: PLR0915  # one straight script
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--database-url", default="", help="An empty PostgreSQL database; default SQLite.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="Write the Soak section of BENCHMARKS.md.")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="taizhang-soak-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TAIZHANG_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        TAIZHANG_DATA_DIR=str(folder / "data"),
        SECRET_KEY=uuid.uuid4().hex,
        DJANGO_SETTINGS_MODULE="taizhang.config.settings",
        TAIZHANG_RATE_ANONYMOUS="0",
        TAIZHANG_RATE_AUTHENTICATED="0",
        TAIZHANG_RATING_WINDOW_DAYS="0",
        TAIZHANG_EMAIL_NOTIFICATIONS="0",
        AXES_ENABLED="0",
        LOG_LEVEL="WARNING",
    )
    if arguments.database_url:
        env["DATABASE_URL"] = arguments.database_url
    database = "PostgreSQL" if arguments.database_url else "SQLite (WAL)"

    def run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(  # noqa: S603  # our own commands
            list(args), env=env, cwd=REPO, capture_output=True, text=True, check=False, **kwargs
        )
        if result.returncode != 0:
            sys.exit(f"{args[:3]} failed:\n{result.stdout}\n{result.stderr}")
        return result

    log(f"installation in {folder}: migrating ({database})")
    run(str(BIN / "taizhang"), "migrate", "-v", "0")
    run(str(BIN / "taizhang"), "collectstatic", "--noinput", "-v", "0")
    setup = json.loads(
        run(sys.executable, "-c", SETUP.format(password=PASSWORD)).stdout.strip().splitlines()[-1]
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = (folder / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603  # our own command
        [
            str(BIN / "taizhang"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(arguments.workers),
            "--threads",
            str(arguments.threads),
        ],
        env=env,
        cwd=REPO,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/api/v1/categories", timeout=2).close()  # noqa: S310  # loopback
                break
            except OSError:
                time.sleep(0.3)
        recorder = Recorder(started=time.monotonic())
        base_seconds = baseline(base, recorder)
        log(
            f"baseline p50 {base_seconds * 1000:.1f} ms; "
            f"{arguments.users} users for {arguments.minutes:g} min"
        )
        recorder = Recorder(started=time.monotonic())
        until = recorder.started + arguments.minutes * 60
        users = [
            threading.Thread(target=user_loop, args=(number, base, setup, recorder, until), daemon=True)
            for number in range(arguments.users)
        ]
        for user in users:
            user.start()
        while any(user.is_alive() for user in users):
            time.sleep(15)
            with recorder.lock:
                done, requests, errors = (
                    len(recorder.loops),
                    len(recorder.samples),
                    sum(1 for s in recorder.samples if not s.ok),
                )
            log(f"{done} loops, {requests} requests, {errors} errors")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server_log.close()
    verified = subprocess.run(  # noqa: S603  # our own command
        [str(BIN / "taizhang"), "verify"], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    text = report(recorder, base_seconds, arguments.users, arguments.minutes, database)
    text += (
        f"\n\n`taizhang verify` afterwards: {(verified.stdout or verified.stderr).strip().splitlines()[-1]}"
    )
    print(text)
    if arguments.write:
        write_section(text)
        log("BENCHMARKS.md updated")


if __name__ == "__main__":
    main()
