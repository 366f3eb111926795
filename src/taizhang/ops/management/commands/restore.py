"""`taizhang restore FILE`: into a new, migrated, empty database; never over existing data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.core.errors import DomainError
from taizhang.ops.backup import restore


class Command(BaseCommand):
    help = "Restore a backup made by `taizhang backup` into an empty database (run `taizhang migrate` first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore(options["file"], progress=self.stdout.write)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored.rows} rows and {restored.files} files. "
                "Run `taizhang verify` to check the ledger's chains."
            )
        )
