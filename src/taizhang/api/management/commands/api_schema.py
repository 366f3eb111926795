"""`taizhang api_schema [--output docs/openapi.json]`: write the JSON API's OpenAPI schema, as committed.

tests/api/test_schema.py fails when the code and the committed file disagree; rerun this and commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from taizhang.api.api import api


def schema_text() -> str:
    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema of /api/v1/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="", help="A file to write; default: standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
