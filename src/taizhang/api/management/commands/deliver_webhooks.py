"""`taizhang deliver_webhooks`: send due webhook deliveries (retries), after re-creating any a failed
fan-out missed. `taizhang tick` runs it; it is safe to run from several places at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taizhang.api import webhooks


class Command(BaseCommand):
    help = "Send due webhook deliveries and retries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sweep-hours", type=int, default=24, help="Look this far back for gaps.")
        parser.add_argument("--limit", type=int, default=500, help="At most this many deliveries.")

    def handle(self, *args: Any, **options: Any) -> None:
        swept = webhooks.sweep(hours=options["sweep_hours"])
        delivered = webhooks.deliver_due(limit=options["limit"])
        self.stdout.write(f"webhooks: {swept} missed deliveries queued, {delivered} delivered")
