"""The database restarts in the middle of a burst of API submissions: every submission the server
acknowledged is stored exactly once, and a client that retries what was not acknowledged, with the same
Idempotency-Key, ends with every submission stored exactly once.

A private PostgreSQL cluster in a temporary folder (initdb, pg_ctl on a free port; as the `postgres` user when
the tests run as root), the production server (`taizhang serve`, gunicorn) against it, real HTTP on loopback,
and `pg_ctl restart -m fast` while the submissions are arriving.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.site import Site, checked, free_port

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL fault test: runs in the PostgreSQL pass"),
    pytest.mark.skipif(not PG_BIN, reason="PostgreSQL's server programs (initdb, pg_ctl) are not installed"),
]

SUBMISSIONS = 160
THREADS = 4
RESTART_AFTER = 40  # acknowledged submissions before the restart


@dataclass
class Cluster:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/taizhang"

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(Path(PG_BIN[-1]) / program), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        data = str(self.folder / "data")
        result = self.run(
            "pg_ctl", "-D", data, "-l", str(self.folder / "server.log"), "-o", options, "-w", *args
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    # Not under pytest's temporary folder: its parents are private to the user running the tests, and the
    # cluster's owner (postgres, when that user is root) must reach it.
    folder = Path(tempfile.mkdtemp(prefix="taizhang-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    made = Cluster(folder=folder, port=free_port())
    init = made.run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
    assert init.returncode == 0, init.stderr
    made.pg_ctl("start")
    try:
        created = made.run("createdb", "-h", "127.0.0.1", "-p", str(made.port), "-U", "postgres", "taizhang")
        assert created.returncode == 0, created.stderr
        yield made
    finally:
        made.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Outcome:
    receipt: str | None = None  # set once acknowledged
    failures: int = 0


def submit(base: str, number: int) -> tuple[int, dict[str, object]]:
    body = json.dumps({"text": f"第{number}条：断电重启测试", "anonymous": True}).encode()
    request = urllib.request.Request(  # noqa: S310  # loopback
        f"{base}/api/v1/opinions",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": f"burst-{number}",
            "Accept-Language": "en",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310  # loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {}
    except OSError:
        return 0, {}


def wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/units", timeout=2):  # noqa: S310  # loopback
                return
        except urllib.error.HTTPError:
            return  # answering at all is enough
        except OSError:
            time.sleep(0.3)
    pytest.fail("the server did not come up")


def test_a_database_restart_mid_burst_loses_and_duplicates_nothing(cluster: Cluster, tmp_path: Path) -> None:
    site = Site(tmp_path / "site", database_url=cluster.url)
    checked(site.taizhang("migrate", "-v", "0"))
    checked(site.python("from tests.faults.scenario import people; people()"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = site.popen(
        "serve", "--port", str(port), "--workers", "2", "--threads", "2", log=tmp_path / "serve.log"
    )
    outcomes = {number: Outcome() for number in range(SUBMISSIONS)}
    acknowledged = threading.Semaphore(0)
    try:
        wait_for(base)

        def restart() -> None:
            for _ in range(RESTART_AFTER):
                acknowledged.acquire(timeout=60)
            cluster.pg_ctl("restart", "-m", "fast")

        def burst(numbers: list[int]) -> None:
            for number in numbers:
                status, body = submit(base, number)
                if status in (200, 201):
                    outcomes[number].receipt = str(body["receipt_code"])
                    acknowledged.release()
                else:
                    outcomes[number].failures += 1

        restarter = threading.Thread(target=restart)
        restarter.start()
        workers = [
            threading.Thread(target=burst, args=(list(range(first, SUBMISSIONS, THREADS)),))
            for first in range(THREADS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=300)
        restarter.join(timeout=120)
        failed_in_burst = [number for number, outcome in outcomes.items() if outcome.receipt is None]
        assert failed_in_burst, "the restart hit no submission: the test proved nothing"
        acknowledged_in_burst = {n: o.receipt for n, o in outcomes.items() if o.receipt is not None}

        # The client retries what was not acknowledged, with the same keys, until the server answers.
        deadline = time.monotonic() + 60
        for number in failed_in_burst:
            while outcomes[number].receipt is None and time.monotonic() < deadline:
                status, body = submit(base, number)
                if status in (200, 201):
                    outcomes[number].receipt = str(body["receipt_code"])
                else:
                    time.sleep(0.2)
        assert all(outcome.receipt for outcome in outcomes.values())
        # A retry of an acknowledged one answers with the same opinion.
        for number in list(acknowledged_in_burst)[:5]:
            status, body = submit(base, number)
            assert status == 200 and body["receipt_code"] == acknowledged_in_burst[number]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    stored = site.python(
        """
        import json
        from django.db.models import Count
        from taizhang.intake.models import Opinion
        rows = Opinion.objects.values("text").annotate(n=Count("id"), receipt=Count("receipt_code"))
        print(json.dumps({
            "counts": {row["text"]: row["n"] for row in rows},
            "receipts": {o.text: o.receipt_display for o in Opinion.objects.all()},
        }))
        """
    )
    found = json.loads(checked(stored).strip().splitlines()[-1])
    texts = {number: f"第{number}条：断电重启测试" for number in range(SUBMISSIONS)}
    assert found["counts"] == dict.fromkeys(texts.values(), 1)  # every submission exactly once
    for number, receipt in acknowledged_in_burst.items():
        assert found["receipts"][texts[number]] == receipt  # what was acknowledged is what is stored
    assert "every chain intact" in checked(site.taizhang("verify"))
