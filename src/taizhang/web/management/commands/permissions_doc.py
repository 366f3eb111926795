"""`taizhang permissions_doc`: write docs/permissions.md from the access table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from taizhang.web.access_doc import render


class Command(BaseCommand):
    help = "Generate docs/permissions.md from web/access.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.REPO_DIR) / "docs" / "permissions.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        Path(options["output"]).write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {options['output']}")
