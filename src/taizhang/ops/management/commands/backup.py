"""`taizhang backup FILE`: every row and every uploaded file, in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taizhang.ops.backup import backup


class Command(BaseCommand):
    help = "Back up the database rows and uploaded files to FILE (.tar.gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup(options["file"], progress=self.stdout.write)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows} rows and {len(manifest['files'])} files to {options['file']}"
            )
        )
