"""`taizhang demo`: load the article as data (once), then say where to look and how to sign in."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from taizhang.demo.loader import DemoError, demo_logins, load_demo

URL = "http://127.0.0.1:8000/"


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo: the enterprise, people, 2014 campaign, opinions and rectification ledger of the "
        "article. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_demo(progress=self.stdout.write)
        except DemoError as error:
            raise CommandError(f"The demo was not loaded: {error}") from error
        if summary.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded in {summary.seconds:.1f} s: {summary.units} units, "
                    f"{summary.people} people, {summary.opinions} opinions, {summary.problems} problems, "
                    f"{summary.events} events, {summary.ratings} ratings."
                )
            )
        self.stdout.write("")
        self.stdout.write(f"Open {URL} (run `taizhang serve`, or `make run`) and sign in as:")
        self.stdout.write("")
        with translation.override(settings.LANGUAGE_CODE):  # commands run untranslated by default
            rows = [(login.username, login.name, str(login.role), login.unit) for login in demo_logins()]
        for line in format_table(("username", "name", "role", "unit"), rows):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Password for every demo login: {settings.TAIZHANG_DEMO_PASSWORD}")
