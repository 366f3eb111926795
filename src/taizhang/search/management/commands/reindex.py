"""`taizhang reindex`: rebuild the search index from every opinion and problem, with progress."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from taizhang.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index (after changing unit, place or category names, or upgrading)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] >= 1 or done == total:
                last[0] = now
                rate = done / max(now - started, 1e-6)
                self.stdout.write(
                    f"\r{done}/{total} ({done * 100 // max(total, 1)}%, {rate:.0f}/s)", ending=""
                )
                self.stdout.flush()

        count = index_rebuild(progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} items in {time.monotonic() - started:.1f} s."))
