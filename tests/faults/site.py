"""A whole installation in a temporary folder, driven through the `taizhang` command in child processes:
its own SQLite database (a copy of one freshly migrated) or a PostgreSQL URL, its own files, its own settings.
The fault tests kill, restart and restore these processes; nothing is shared with the test's own database."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET = "fault-tests-secret-key-not-for-production"  # a throwaway installation


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@dataclass
class Site:
    root: Path
    database_url: str = ""  # empty: SQLite in root/data
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def media(self) -> Path:
        return self.data_dir / "media"

    @property
    def sqlite(self) -> Path:
        return self.data_dir / "taizhang.sqlite3"

    def env(self, **more: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "TAIZHANG_TESTING", "DJANGO_SETTINGS_MODULE", "TEST_SQLITE_NAME"}
        }
        env.update(
            TAIZHANG_DATA_DIR=str(self.data_dir),
            SECRET_KEY=SECRET,
            DJANGO_SETTINGS_MODULE="taizhang.config.settings",
            TASKS_BACKEND="immediate",
            TAIZHANG_RATE_ANONYMOUS="0",
            TAIZHANG_RATE_AUTHENTICATED="0",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(REPO),
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        env.update(more)
        return env

    def taizhang(self, *args: str, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # our own command
            [str(BIN / "taizhang"), *args],
            env=self.env(**env),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def python(self, code: str, *, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
        """Run Python with Django set up for this site."""
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        return subprocess.run(  # our own code
            [sys.executable, "-c", script],
            env=self.env(**env),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def popen(self, *args: str, log: Path | None = None, **env: str) -> subprocess.Popen[str]:
        """Start a long-running command; output to `log` (a server may write more than a pipe holds)."""
        output: Any = log.open("w") if log is not None else subprocess.PIPE
        try:
            return subprocess.Popen(
                [str(BIN / "taizhang"), *args],
                env=self.env(**env),
                cwd=REPO,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
            )
        finally:
            if log is not None:
                output.close()  # the child has its own copy


def checked(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def migrated_template(folder: Path) -> Path:
    """A freshly migrated, empty SQLite database, made once and copied for each new site."""
    site = Site(folder)
    checked(site.taizhang("migrate", "-v", "0"))
    return site.sqlite


def sqlite_site(root: Path, template: Path, **env: str) -> Site:
    site = Site(root, extra_env=env)
    site.data_dir.mkdir(parents=True)
    shutil.copy(template, site.sqlite)
    return site


def sqlite_rows(path: Path, skip: set[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered, straight from the file. A full-text index is compared by what it
    holds (its virtual table), not by its shadow tables' b-tree pages, which depend on the order of writes."""
    with sqlite3.connect(path) as db:
        found = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        virtual = [name for name, sql in found if "VIRTUAL TABLE" in (sql or "").upper()]
        shadows = {
            f"{name}_{part}" for name in virtual for part in ("data", "idx", "docsize", "config", "content")
        }
        tables = [
            name
            for name, _sql in found
            if not name.startswith("sqlite_") and name not in skip and name not in shadows
        ]
        return {table: db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables}  # noqa: S608  # names from the file
