"""`taizhang verify`: report the first event altered, inserted or removed in each problem's chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.ledger.integrity import verify_report
from taizhang.ledger.models import Problem


class Command(BaseCommand):
    help = "Verify the hash chains of the ledger's events; exits 1 if any chain is broken."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--problem", action="append", default=None, help="Problem code (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = None
        if options["problem"]:
            ids = list(Problem.objects.filter(code__in=options["problem"]).values_list("pk", flat=True))
            if not ids:
                raise CommandError("No such problem: " + ", ".join(options["problem"]))
        report = verify_report(ids)
        breaks, problems, events = report.breaks, report.problems, report.events
        if not breaks:
            self.stdout.write(
                self.style.SUCCESS(f"OK: {problems} problems, {events} events, every chain intact.")
            )
            return
        for found in breaks:
            self.stdout.write(self.style.ERROR(f"BROKEN {found}"))
        raise CommandError(
            f"{len(breaks)} of {problems} problem chains are broken; first: {breaks[0]}", returncode=1
        )
