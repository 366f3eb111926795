"""`taizhang serve`: the production server (gunicorn, several worker processes) with static files."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

logger = logging.getLogger(__name__)


def default_workers() -> int | None:
    """WORKERS (or gunicorn's own WEB_CONCURRENCY) from the environment; None: decide from the CPUs."""
    value = os.environ.get("WORKERS") or os.environ.get("WEB_CONCURRENCY") or ""
    return int(value) if value else None


class Command(BaseCommand):
    help = "Serve the application with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="Worker processes (default: WORKERS, else 2 × CPUs + 1, at most 8).",
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("WEB_TIMEOUT", "30")),
            help="Seconds a worker may spend on one request before it is restarted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or min(8, 2 * (os.cpu_count() or 1) + 1)
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            workers = min(workers, 2)  # one writer at a time anyway; more processes only queue on the lock
        bind = f"{options['host']}:{options['port']}"
        # Through logging, so that with LOG_FORMAT=json this line is JSON like every other.
        logger.info("taizhang on http://%s/ (%d workers)", bind, workers)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        argv = [
            gunicorn,
            "taizhang.config.wsgi:application",
            "--config",
            "python:taizhang.ops.gunicorn_conf",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(options["threads"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "20",
            # gunicorn 27's control socket has one default path per user: several servers on one host (the
            # three-process test, the benchmark, blue/green deploys) would take it from each other.
            "--no-control-socket",
        ]
        os.execv(gunicorn, argv)  # noqa: S606  # replaces this process with the server
