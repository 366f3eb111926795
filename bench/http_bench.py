"""Opinion submission over HTTP on PostgreSQL, against the floor this machine allows (not run in CI).

    .venv/bin/python bench/http_bench.py                      # 8 and 64 clients, 2,000 requests each
    .venv/bin/python bench/http_bench.py --requests 4000 --workers 5 --write

It (re)creates a scratch database (BENCH_DATABASE_URL, default taizhang_http_bench on the local server: it is
dropped first), migrates it and gives it one unit, then starts two servers the same way — gunicorn, the same
number of sync worker processes, persistent database connections (DB_CONN_MAX_AGE):

- the app, by `taizhang serve` with the production settings (DEBUG=0, request logging on, the tasks run
  in-process as by default), the rate limits switched off (TAIZHANG_RATE_ANONYMOUS=0,
  TAIZHANG_RATE_AUTHENTICATED=0: a load generator is one address);
- the floor, bench/http_floor.py: one Django view with no middleware that parses a small JSON body and inserts
  one row.

A bounded load generator (asyncio streams on loopback, one connection per request as gunicorn's sync workers
close them) then sends a fixed number of requests at each concurrency: anonymous `POST /api/v1/opinions` with
an Idempotency-Key, and `POST /submit` to the floor, after a warm-up. Each level runs the floor and the app in
turn. Prints, and with --write puts into BENCHMARKS.md ("HTTP submission"), throughput, p50, p99 and the app's
share of the floor's throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/taizhang_http_bench"
FLOOR_TABLE_SQL = (
    "CREATE TABLE bench_floor (id bigserial PRIMARY KEY, text text NOT NULL, "
    "anonymous boolean NOT NULL, created_at timestamptz NOT NULL)"
)
BEGIN = "<!-- http_bench results: begin -->"
END = "<!-- http_bench results: end -->"


@dataclass
class Result:
    target: str
    clients: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    server_cpu_ms: float = 0.0  # per request: the gunicorn master and workers
    database_cpu_ms: float = 0.0  # per request: the PostgreSQL backends serving the bench database

    @property
    def throughput(self) -> float:
        return (self.requests - self.errors) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def recreate_database(url: str) -> None:
    import psycopg  # noqa: PLC0415

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def prepare(url: str, env: dict[str, str]) -> None:
    """Migrate, one unit (opinions need an organisation), and the floor's table."""
    subprocess.run([BIN / "taizhang", "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
    script = (
        "from taizhang.org import services as org; from taizhang.org.models import Unit; "
        "org.unit_create(name='山西铝厂', code='root', kind=Unit.Kind.ENTERPRISE)"
    )
    subprocess.run([BIN / "taizhang", "shell", "-v0", "-c", script], env=env, check=True)  # noqa: S603
    import psycopg  # noqa: PLC0415

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(FLOOR_TABLE_SQL)


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server at {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  # loopback
                return
        except urllib.error.HTTPError as error:  # it answers: up (the floor answers a GET with 405)
            if error.code < 500:
                return
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer within {timeout} s")


async def one_request(port: int, head: bytes, body: bytes) -> tuple[int, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()  # to the end: the server closes the connection after its answer
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1]), (time.perf_counter() - started) * 1000


def build(path: str, payload: dict[str, object], key: str | None) -> tuple[bytes, bytes]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Accept-Language: zh-hans",
        "Connection: close",
    ]
    if key:
        lines.append(f"Idempotency-Key: {key}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode(), body


async def load(target: str, port: int, path: str, *, clients: int, total: int, expect: int) -> Result:
    """`clients` concurrent loops share `total` requests; each request is timed from connect to close."""
    run = secrets.token_hex(4)
    latencies: list[float] = []
    errors = 0
    next_index = 0

    async def client() -> None:
        nonlocal next_index, errors
        while next_index < total:
            index = next_index
            next_index += 1
            head, body = build(
                path, {"text": f"路灯不亮，第{index}号路灯 {run}", "anonymous": True}, f"{run}-{index}"
            )
            try:
                status, elapsed = await one_request(port, head, body)
            except OSError:
                errors += 1
                continue
            if status != expect:
                errors += 1
            latencies.append(elapsed)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return Result(target, clients, total, errors, time.perf_counter() - started, latencies)


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(server: int, database: str) -> dict[tuple[str, int], float]:
    """CPU time so far of each of the server's processes and of the database's backends (Linux /proc). The
    machine is shared, so throughput swings with others' load; CPU per request does much less."""
    seconds: dict[tuple[str, int], float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if int(entry.name) == server or parent == server:
                seconds["server", int(entry.name)] = process_cpu_seconds(int(entry.name))
            elif command.startswith("postgres: ") and f" {database} " in command:
                seconds["database", int(entry.name)] = process_cpu_seconds(int(entry.name))
        except (OSError, ValueError, IndexError):  # gone meanwhile, or not ours to read
            continue
    return seconds


def measured(
    target: str, port: int, path: str, *, clients: int, total: int, server: int, database: str
) -> Result:
    before = cpu_seconds(server, database)
    result = asyncio.run(load(target, port, path, clients=clients, total=total, expect=201))
    after = cpu_seconds(server, database)
    spent = {"server": 0.0, "database": 0.0}
    for (kind, pid), seconds in after.items():  # processes that ended meanwhile are not counted
        spent[kind] += seconds - before.get((kind, pid), 0.0)
    result.server_cpu_ms = spent["server"] * 1000 / total
    result.database_cpu_ms = spent["database"] * 1000 / total
    return result


def table(results: list[Result]) -> str:
    floors = {r.clients: r.throughput for r in results if r.target == "floor"}
    rows = [
        "| server | clients | requests | errors | req/s | p50 ms | p99 ms | ÷ floor req/s "
        "| server CPU ms/req | PostgreSQL CPU ms/req |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ratio = f"{r.throughput / floors[r.clients]:.2f}" if r.target != "floor" else "1.00"
        rows.append(
            f"| {r.target} | {r.clients} | {r.requests:,} | {r.errors} | {r.throughput:,.0f} | "
            f"{r.percentile(0.5):.1f} | {r.percentile(0.99):.1f} | {ratio} | {r.server_cpu_ms:.1f} | "
            f"{r.database_cpu_ms:.1f} |"
        )
    return "\n".join(rows)


def verdicts(results: list[Result]) -> list[str]:
    by = {(r.target, r.clients): r for r in results}
    lines = []
    if ("app", 64) in by and ("floor", 64) in by:
        share = by["app", 64].throughput / by["floor", 64].throughput
        lines.append(f"64 clients: the app has {share:.0%} of the floor's throughput (goal ≥ 50 %)")
    cpu = [r for r in results if r.server_cpu_ms]
    if cpu:
        app = statistics.mean(r.server_cpu_ms + r.database_cpu_ms for r in cpu if r.target == "app")
        floor = statistics.mean(r.server_cpu_ms + r.database_cpu_ms for r in cpu if r.target == "floor")
        lines.append(f"CPU per request (server + PostgreSQL): app {app:.1f} ms, floor {floor:.1f} ms")
    if ("app", 8) in by:
        lines.append(f"8 clients: the app's p99 is {by['app', 8].percentile(0.99):.0f} ms (goal < 100 ms)")
    return lines


def write_section(text: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    content = path.read_text(encoding="utf-8")
    if BEGIN not in content:
        raise SystemExit(f"BENCHMARKS.md has no '{BEGIN}' marker in an 'HTTP submission' section")
    before, rest = content.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    path.write_text(before + BEGIN + "\n" + text + "\n" + END + after, encoding="utf-8")


def start(argv: list[str | Path], env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="timed requests per server and level")
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 64])
    parser.add_argument("--workers", type=int, default=0, help="worker processes (default: serve's own)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="put the results into BENCHMARKS.md")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    workers = args.workers or min(8, 2 * (os.cpu_count() or 1) + 1)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "taizhang.config.settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",  # no backend ends during a run (its CPU time would leave the sums)
        "TAIZHANG_RATE_ANONYMOUS": "0",
        "TAIZHANG_RATE_AUTHENTICATED": "0",
        "WORKERS": str(workers),
        "TAIZHANG_DATA_DIR": tempfile.mkdtemp(prefix="taizhang-http-bench-"),
    }
    env.pop("TAIZHANG_TESTING", None)
    print(f"database {url.rsplit('/', 1)[1]}: recreating and migrating …", file=sys.stderr)
    recreate_database(url)
    prepare(url, env)

    app_port, floor_port = free_port(), free_port()
    log_path = Path(env["TAIZHANG_DATA_DIR"]) / "servers.log"
    with log_path.open("wb") as log:
        app = start([BIN / "taizhang", "serve", "--port", str(app_port)], env, log)
        floor_argv: list[str | Path] = [BIN / "gunicorn", "--chdir", ROOT / "bench", "http_floor:application"]
        floor_argv += ["--bind", f"127.0.0.1:{floor_port}", "--workers", str(workers), "--no-control-socket"]
        floor = start(floor_argv, env, log)
        try:
            wait_until_up(f"http://127.0.0.1:{app_port}/healthz", app)
            wait_until_up(f"http://127.0.0.1:{floor_port}/submit", floor)
            targets = [
                ("floor", floor_port, "/submit", floor.pid),
                ("app", app_port, "/api/v1/opinions", app.pid),
            ]
            database = url.rsplit("/", 1)[1]
            for name, port, path, _pid in targets:  # imports, connections, caches in every worker
                asyncio.run(load(name, port, path, clients=max(args.clients), total=args.warmup, expect=201))
            results: list[Result] = []
            for clients in args.clients:
                for name, port, path, pid in targets:
                    result = measured(
                        name, port, path, clients=clients, total=args.requests, server=pid, database=database
                    )
                    print(
                        f"{name:>5} × {clients:>3}: {result.throughput:7.0f} req/s, p50 "
                        f"{result.percentile(0.5):6.1f} ms, p99 {result.percentile(0.99):6.1f} ms, "
                        f"CPU {result.server_cpu_ms:.1f} + {result.database_cpu_ms:.1f} ms/req, "
                        f"{result.errors} errors",
                        file=sys.stderr,
                    )
                    results.append(result)
        finally:
            for process in (app, floor):
                process.terminate()
            for process in (app, floor):
                process.wait(timeout=30)

    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    summary = [
        f"{time.strftime('%Y-%m-%d')}, {workers} gunicorn sync workers each, {args.requests:,} requests per "
        f"row after {args.warmup} warm-up requests, load average at the end {load_average}:",
        "",
        table(results),
        "",
        *[f"- {line}" for line in verdicts(results)],
    ]
    text = "\n".join(summary)
    print(text)
    if any(r.errors for r in results):
        print(f"errors: see {log_path}", file=sys.stderr)
    if args.write:
        write_section(text)
    print(f"opinions stored: {count_opinions(url)}", file=sys.stderr)


def count_opinions(url: str) -> int:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM intake_opinion").fetchone()
    return int(row[0]) if row else 0


if __name__ == "__main__":
    main()
