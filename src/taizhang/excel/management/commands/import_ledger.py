"""`taizhang import-ledger FILE --user NAME`: check or import a ledger file, with a progress bar."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from openpyxl.utils import column_index_from_string

from taizhang.core.errors import DomainError
from taizhang.excel import jobs
from taizhang.excel.mapping import Field
from taizhang.excel.models import ImportJob, ImportMode, JobStatus
from taizhang.ledger.models import Category
from taizhang.org.models import Person


class ProgressBar:
    """A bar on stderr: redrawn in place on a terminal, a line per tenth elsewhere (logs, CI)."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last_tenth = -1

    def __call__(self, done: int, total: int | None) -> None:
        fraction = min(1.0, done / total) if total else 0.0
        rate = done / max(time.monotonic() - self.started, 1e-6)
        if self.tty:
            filled = int(fraction * 30)
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(
                f"\r{self.label} [{bar}] {fraction:4.0%} {done:,}/{total or '?':,} rows {rate:,.0f}/s"
            )
            self.stream.flush()
        elif int(fraction * 10) > self.last_tenth:
            self.last_tenth = int(fraction * 10)
            self.stream.write(f"{self.label} {fraction:4.0%} {done:,}/{total or '?'} rows {rate:,.0f}/s\n")

    def end(self) -> None:
        if self.tty:
            self.stream.write("\n")


def _column(spec: str, headers: list[str]) -> int:
    """A column by letter (B), by 1-based number (2), or by its header text (存在问题)."""
    if spec.isdigit():
        return int(spec) - 1
    if spec in headers:
        return headers.index(spec)
    try:
        return column_index_from_string(spec.upper()) - 1
    except ValueError:
        raise CommandError(
            f"no column {spec!r}; the header is: {', '.join(h for h in headers if h)}"
        ) from None


class Command(BaseCommand):
    help = "Check (--dry-run) or import a ledger file (.xlsx, .xls, .csv in UTF-8 or GBK)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="username of the supervisor who imports")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows (default: all or nothing)"
        )
        parser.add_argument(
            "--create-missing", action="store_true", help="create units, people and categories not found"
        )
        parser.add_argument("--year", type=int, help="the ledger's year, for dates such as 9月底前")
        parser.add_argument("--ledger-name", help="the ledger's identity for re-imports (default: its title)")
        parser.add_argument("--default-category", help="category (name) for rows without one")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"correct the mapping, e.g. B=source or 存在问题=description; FIELD one of "
            f"{', '.join(f.value for f in Field)}, or 'none'",
        )
        parser.add_argument("--sheet", help="the sheet to read (default: the first)")
        parser.add_argument("--errors", type=int, default=50, help="how many error rows to print")

    def handle(self, *args: Any, **options: Any) -> None:
        user = Person.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        try:
            job = jobs.import_job_create(user=user, path=options["file"])
            mapping = {int(index): Field(value) for index, value in job.mapping.items()}
            for spec in options["map"]:
                column, _sep, value = spec.partition("=")
                index = _column(column.strip(), job.headers)
                if value.strip().lower() in ("", "none"):
                    mapping.pop(index, None)
                else:
                    try:
                        mapping[index] = Field(value.strip())
                    except ValueError:
                        raise CommandError(f"unknown field {value!r}") from None
            category = None
            if options["default_category"]:
                category = Category.objects.filter(name=options["default_category"]).first()
                if category is None:
                    raise CommandError(f"no category {options['default_category']!r}")
            jobs.import_job_configure(
                user=user,
                job=job,
                mapping=mapping,
                year=options["year"] or int(job.options["year"]),
                ledger_name=options["ledger_name"] or job.options.get("ledger_name", ""),
                mode=ImportMode.VALID_ONLY if options["valid_only"] else ImportMode.ATOMIC,
                create_missing=options["create_missing"],
                default_category_id=category.pk if category else None,
                sheet=options["sheet"],
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        self._describe(job)
        bar = ProgressBar(sys.stderr, "checking" if options["dry_run"] else "importing")
        if options["dry_run"]:
            job = jobs.import_job_check(job=job, listener=bar)
        else:
            job = jobs.import_job_run(job=job, listener=bar)
        bar.end()
        self._report(job, dry_run=options["dry_run"], limit=options["errors"])

    def _describe(self, job: ImportJob) -> None:
        self.stdout.write(f"{job.original_name}: sheet {job.sheet}, header in row {job.header_row}")
        for index, value in sorted((int(i), v) for i, v in job.mapping.items()):
            self.stdout.write(f"  {job.headers[index] or '?'} → {value}")

    def _report(self, job: ImportJob, *, dry_run: bool, limit: int) -> None:
        counts = job.counts
        stage = jobs.CHECK if dry_run or job.status == JobStatus.FAILED else jobs.IMPORT
        made, changed = ("to create", "to update") if dry_run else ("created", "updated")
        self.stdout.write(
            f"{counts.get('rows_read', 0)} rows read: {counts.get('create', 0)} {made}, "
            f"{counts.get('update', 0)} {changed}, {counts.get('unchanged', 0)} unchanged, "
            f"{counts.get('error', 0)} with errors, {counts.get('flagged', 0)} marked closed in the file "
            "(imported in progress)"
        )
        for row in job.rows.filter(stage=stage, action="error").order_by("row")[:limit]:
            for issue in row.errors:
                self.stdout.write(f"row {row.row}, {issue['column'] or '-'}: {issue['message']}")
        if job.error:
            self.stderr.write(job.error)
        if job.status == JobStatus.FAILED or (dry_run and counts.get("error")):
            raise CommandError("the file has errors" if dry_run else "nothing was imported", returncode=1)
