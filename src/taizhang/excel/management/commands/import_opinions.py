"""`taizhang import-opinions FILE --user NAME`: check or import a file of opinions (hotline records, a
suggestion box's register), with a progress bar."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.errors import DomainError
from taizhang.excel.management.commands.import_ledger import ProgressBar
from taizhang.excel.opinion_import import IMPORTABLE_CHANNELS, opinion_import
from taizhang.intake.models import Channel
from taizhang.org.models import Person


class Command(BaseCommand):
    help = "Check (--dry-run) or import opinions from a file (.xlsx, .xls, .csv in UTF-8 or GBK)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="username of the supervisor who imports")
        parser.add_argument(
            "--channel",
            default=Channel.HOTLINE.value,
            choices=[channel.value for channel in IMPORTABLE_CHANNELS],
            help="the channel of rows without a channel column (default: hotline)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--sheet", help="the sheet to read (default: the first)")
        parser.add_argument("--errors", type=int, default=50, help="how many errors to print")

    def handle(self, *args: Any, **options: Any) -> None:
        user = Person.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        bar = ProgressBar(sys.stderr, "checking" if options["dry_run"] else "importing")
        try:
            with path.open("rb") as file:
                report = opinion_import(
                    user=user,
                    file=file,
                    name=path.name,
                    channel=options["channel"],
                    dry_run=options["dry_run"],
                    sheet=options["sheet"],
                    progress=bar,
                )
        except DomainError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.end()
        for column, header in report.columns.items():
            self.stdout.write(f"  {header} → {column}")
        made = "to create" if options["dry_run"] else "created"
        self.stdout.write(
            f"{report.rows} rows read: {report.created} {made}, "
            f"{report.repeated} imported before, {len({wrong.row for wrong in report.errors})} with errors"
        )
        for wrong in report.errors[: options["errors"]]:
            self.stdout.write(f"row {wrong.row}, {wrong.column}: {wrong.message}")
        if report.errors:
            raise CommandError("the file has errors; nothing was imported", returncode=1)
