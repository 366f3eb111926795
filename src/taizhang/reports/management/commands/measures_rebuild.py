"""`taizhang measures-rebuild`: recount the maintained measure tallies from the ledger (docs/scale.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from taizhang.reports.tally import rebuild


class Command(BaseCommand):
    help = (
        "Recount the tallies the dashboard's measures are read from: after a bulk load, a restore, or a "
        "change of the response window or the time zone. Runs in one transaction."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(label: str, done: int) -> None:
            self.stderr.write(f"\r{label}: {done:,} ({time.monotonic() - started:.0f} s)", ending="")
            self.stderr.flush()

        counts = rebuild(progress=progress)
        self.stderr.write("")
        summary = ", ".join(f"{value:,} {label}" for label, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Recounted {summary} in {time.monotonic() - started:.1f} s."))
