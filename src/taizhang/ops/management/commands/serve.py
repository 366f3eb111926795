"""`taizhang serve`: the production server (gunicorn, several worker processes) with static files."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# No client address, user agent or referrer: the access log must not identify anonymous submitters.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class Command(BaseCommand):
    help = "Serve the application with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "0")) or None,
            help="Worker processes (default: 2 × CPUs + 1, at most 8).",
        )
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or min(8, 2 * (os.cpu_count() or 1) + 1)
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            workers = min(workers, 2)  # one writer at a time anyway; more processes only queue on the lock
        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"taizhang on http://{bind}/ ({workers} workers)")
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        argv = [
            gunicorn,
            "taizhang.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--graceful-timeout",
            "20",
        ]
        os.execv(gunicorn, argv)  # noqa: S606  # replaces this process with the server
