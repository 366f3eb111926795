"""`taizhang workflow_doc`: write docs/workflow.md from the transition table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from taizhang.ledger.workflow_doc import render


class Command(BaseCommand):
    help = "Generate docs/workflow.md from ledger/workflow.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.REPO_DIR) / "docs" / "workflow.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        Path(options["output"]).write_text(render(), encoding="utf-8")
        self.stdout.write(f"wrote {options['output']}")
