"""`taizhang export-ledger OUT --user NAME`: what the person may see of the ledger, as .xlsx or .csv."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from taizhang.excel.exports import filter_from_query, ledger_export
from taizhang.excel.management.commands.import_ledger import ProgressBar
from taizhang.excel.selectors import ledger_rows
from taizhang.org.models import Person, Unit


class Command(BaseCommand):
    help = "Export the ledger (as the user may see it, optionally filtered) to OUT.xlsx or OUT.csv."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("out", help="a .xlsx or .csv path")
        parser.add_argument("--user", required=True)
        parser.add_argument("--unit", help="unit code: its subtree only")
        parser.add_argument("--state")
        parser.add_argument("--overdue", action="store_true")
        parser.add_argument("--q", default="", help="text to search")

    def handle(self, *args: Any, **options: Any) -> None:
        user = Person.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        out = Path(options["out"])
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("OUT must end in .xlsx or .csv")
        query = {
            "state": options["state"] or "",
            "q": options["q"],
            "overdue": "1" if options["overdue"] else "",
        }
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit with code {options['unit']!r}")
            query["unit"] = str(unit.pk)
        filters = filter_from_query(query)
        total = ledger_rows(user, filters).count()
        bar = ProgressBar(sys.stderr, "exporting")
        with out.open("wb") as target:
            count = ledger_export(
                user, filters, out.suffix.lower()[1:], target, lambda done: bar(done, total)
            )
        bar.end()
        self.stdout.write(f"{count} rows written to {out}")
