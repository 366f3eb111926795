"""Import and export jobs: the uploaded file, its mapping and options, the check (dry run), the import, and
their progress — written here only; the web pages, the CLI and the background tasks call these."""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput, NotFound, NotPermitted
from taizhang.excel.mapping import Field, validate_mapping
from taizhang.excel.models import ImportJob, ImportMode, ImportRow, JobStatus
from taizhang.excel.reading import SUFFIXES
from taizhang.excel.services import (
    ImportOptions,
    ImportReport,
    RowResult,
    inspect_file,
    ledger_import,
    may_import,
)
from taizhang.org.models import Person

CHECK = "check"
IMPORT = "import"
#: Seconds between two progress writes.
PROGRESS_INTERVAL = 0.5


def max_import_bytes() -> int:
    return int(getattr(settings, "TAIZHANG_MAX_IMPORT_BYTES", 200 * 1024 * 1024))


def access_import_job(user: Person, job_id: int | str) -> ImportJob:
    """The person's own job (an administrator's: any), or NotFound."""
    try:
        job = ImportJob.objects.get(pk=int(job_id))
    except (ImportJob.DoesNotExist, ValueError):
        raise NotFound(_("No such import.")) from None
    if job.created_by_id != user.pk and not user.is_superuser:
        raise NotFound(_("No such import."))
    return job


@contextlib.contextmanager
def _opened(job: ImportJob) -> Iterator[IO[bytes]]:
    if job.file:
        with job.file.open("rb") as handle:
            yield handle
    else:
        with Path(job.options["path"]).open("rb") as handle:
            yield handle


def _inspect(job: ImportJob, sheet: str | None = None) -> None:
    with _opened(job) as handle:
        found = inspect_file(handle, job.original_name, sheet=sheet)
    job.kind = found.kind
    job.sheet = found.layout.sheet
    job.sheet_names = found.layout.sheet_names
    job.header_row = found.layout.header_row
    job.headers = found.layout.headers
    job.title = found.layout.title[:300]
    job.total_rows = found.total_rows
    job.mapping = {str(index): field.value for index, field in found.mapping.items()}
    job.options = {
        **job.options,
        "year": found.year,
        "ledger_name": found.layout.title[:200],
        "mode": job.options.get("mode", ImportMode.ATOMIC),
        "create_missing": job.options.get("create_missing", False),
    }


def import_job_create(
    *, user: Person, upload: UploadedFile[Any] | None = None, path: str | None = None
) -> ImportJob:
    """Take a ledger file (an upload, or a path for the CLI), find its header and propose the mapping."""
    if not may_import(user):
        raise NotPermitted(_("Only a supervisor or an administrator may import a ledger."))
    name = (upload.name if upload is not None else PurePath(path or "").name) or ""
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise InvalidInput(
            _("“%(name)s” is not a ledger file this import reads (.xlsx, .xls or .csv).") % {"name": name},
            field="file",
        )
    size = upload.size if upload is not None else Path(path or "").stat().st_size
    if not size:
        raise InvalidInput(_("The file “%(name)s” is empty.") % {"name": name}, field="file")
    if upload is not None and size > max_import_bytes():
        raise InvalidInput(
            _("The file is larger than %(limit)d MB; import it with `taizhang import-ledger`.")
            % {"limit": max_import_bytes() // (1024 * 1024)},
            field="file",
        )
    now = clock.now()
    job = ImportJob(
        created_by=user,
        created_at=now,
        updated_at=now,
        original_name=name[:200],
        options={} if upload is not None else {"path": str(Path(path or "").resolve())},
    )
    if upload is not None:
        job.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()}", upload, save=False)
    try:
        _inspect(job)
    except DomainError:
        if job.file:
            job.file.delete(save=False)
        raise
    job.save()
    return job


def import_job_configure(
    *,
    user: Person,
    job: ImportJob,
    mapping: dict[int, Field],
    year: int,
    ledger_name: str,
    mode: str,
    create_missing: bool,
    default_category_id: int | None = None,
    sheet: str | None = None,
) -> ImportJob:
    """The person's corrections: the mapping, the ledger's year and name, and how to import."""
    if job.is_working:
        raise DomainError(_("This import is running; wait until it has finished."))
    if sheet and sheet != job.sheet and sheet in job.sheet_names:
        _inspect(job, sheet)
        mapping = {int(index): Field(value) for index, value in job.mapping.items()}
    problems = validate_mapping(mapping)
    if problems:
        raise InvalidInput(" ".join(problems), field="mapping")
    if not 1950 <= year <= 2100:
        raise InvalidInput(_("Give the ledger's year (e.g. 2014)."), field="year")
    if mode not in ImportMode.values:
        raise InvalidInput(_("Choose how to import."), field="mode")
    job.mapping = {str(index): field.value for index, field in mapping.items()}
    job.options = {
        **job.options,
        "year": year,
        "ledger_name": ledger_name.strip()[:200],
        "mode": mode,
        "create_missing": create_missing,
        "default_category": default_category_id,
    }
    job.status = JobStatus.UPLOADED
    job.updated_at = clock.now()
    job.save()
    return job


def options_of(job: ImportJob) -> ImportOptions:
    return ImportOptions(
        mapping={int(index): Field(value) for index, value in job.mapping.items()},
        year=int(job.options.get("year") or clock.today().year),
        ledger_name=job.options.get("ledger_name", ""),
        mode=job.options.get("mode", ImportMode.ATOMIC),
        create_missing=bool(job.options.get("create_missing")),
        default_category_id=job.options.get("default_category"),
        sheet=job.sheet or None,
        provenance={"import_job": job.pk},
    )


# --- progress -------------------------------------------------------------------------------------------


def _progress_file(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "progress" / f"import-{job_id}.json"


class JobProgress:
    """Progress of a running job, written at most every PROGRESS_INTERVAL seconds.

    An all-or-nothing import runs in one transaction, where a progress update would stay invisible until
    the end (and on SQLite would wait for the writer's lock); its progress goes to a small file in
    TAIZHANG_DATA_DIR instead, which the job's page reads while the job runs.
    """

    def __init__(
        self, job: ImportJob, *, in_transaction: bool, listener: Callable[[int, int | None], None] | None
    ) -> None:
        self.job = job
        self.in_transaction = in_transaction
        self.listener = listener
        self.last = 0.0

    def __call__(self, processed: int) -> None:
        if self.listener is not None:
            self.listener(processed, self.job.total_rows)
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        if self.in_transaction:
            path = _progress_file(self.job.pk)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"processed": processed}), encoding="utf-8")
            temporary.replace(path)
        else:
            ImportJob.objects.filter(pk=self.job.pk).update(processed_rows=processed, updated_at=clock.now())

    def close(self) -> None:
        _progress_file(self.job.pk).unlink(missing_ok=True)


def processed_rows(job: ImportJob) -> int:
    """The job's progress, from the side file while an all-or-nothing import runs."""
    if job.status == JobStatus.RUNNING:
        with contextlib.suppress(OSError, ValueError, KeyError):
            data = json.loads(_progress_file(job.pk).read_text(encoding="utf-8"))
            return max(job.processed_rows, int(data["processed"]))
    return job.processed_rows


# --- running --------------------------------------------------------------------------------------------


class JobSink:
    """Stores each chunk's results as rows of the job: nothing accumulates in memory."""

    def __init__(self, job: ImportJob, stage: str) -> None:
        self.job = job
        self.stage = stage

    def add(self, results: list[RowResult]) -> None:
        ImportRow.objects.bulk_create(
            [
                ImportRow(
                    job=self.job,
                    stage=self.stage,
                    row=result.row,
                    action=result.action,
                    code=result.code,
                    title=result.title[:200],
                    changes=result.changes,
                    issues=result.issues,
                )
                for result in results
            ]
        )


def _counts(report: ImportReport) -> dict[str, int]:
    return {**dict(report.counts), "rows_read": report.rows_read, "flagged": report.flagged}


def _begin(job: ImportJob, status: str, phase: str) -> None:
    job.status = status
    job.phase = phase
    job.processed_rows = 0
    job.error = ""
    job.started_at = clock.now()
    job.finished_at = None
    job.updated_at = job.started_at
    job.save()
    ImportRow.objects.filter(job=job, stage=phase).delete()


def _finish(job: ImportJob, status: str, report: ImportReport | None, error: str = "") -> ImportJob:
    job.status = status
    job.error = error
    if report is not None:
        job.counts = _counts(report)
        job.processed_rows = report.rows_read
    job.finished_at = job.updated_at = clock.now()
    job.save()
    return job


def import_job_check(
    *,
    job: ImportJob,
    listener: Callable[[int, int | None], None] | None = None,
    then: str = JobStatus.CHECKED,
) -> ImportJob:
    """The dry run: every row's plan and every error, stored with the job; nothing else is written."""
    _begin(job, JobStatus.CHECKING, CHECK)
    progress = JobProgress(job, in_transaction=False, listener=listener)
    try:
        with _opened(job) as handle:
            outcome = ledger_import(
                user=job.created_by,
                file=handle,
                name=job.original_name,
                options=options_of(job),
                dry_run=True,
                sink=JobSink(job, CHECK),
                progress=progress,
            )
    except DomainError as error:
        return _finish(job, JobStatus.FAILED, None, str(error))
    return _finish(job, then, outcome.report)


def import_job_run(*, job: ImportJob, listener: Callable[[int, int | None], None] | None = None) -> ImportJob:
    """Import for real. When all-or-nothing fails, nothing is written and the file is checked again so
    that every error is listed."""
    options = options_of(job)
    _begin(job, JobStatus.RUNNING, IMPORT)
    atomic = options.mode == ImportMode.ATOMIC
    progress = JobProgress(job, in_transaction=atomic, listener=listener)
    try:
        with _opened(job) as handle:
            outcome = ledger_import(
                user=job.created_by,
                file=handle,
                name=job.original_name,
                options=options,
                dry_run=False,
                sink=JobSink(job, IMPORT),
                progress=progress,
            )
    except DomainError as error:
        return _finish(job, JobStatus.FAILED, None, str(error))
    finally:
        progress.close()
    if outcome.aborted is not None:
        message = _(
            "Nothing was imported: row %(row)d has an error (%(message)s). Every error is listed below; "
            "correct the file, or import the valid rows only."
        ) % {"row": outcome.aborted.row, "message": outcome.aborted.message}
        import_job_check(job=job, listener=listener, then=JobStatus.FAILED)
        job.error = message
        job.phase = IMPORT
        job.save(update_fields=["error", "phase"])
        return job
    return _finish(job, JobStatus.DONE, outcome.report)


def import_job_queue(*, job: ImportJob, phase: str) -> ImportJob:
    """Mark the job as waiting for the background worker (the task then runs check or import)."""
    if job.is_working:
        raise DomainError(_("This import is already running."))
    if phase == IMPORT and job.status not in (JobStatus.CHECKED, JobStatus.DONE):
        raise DomainError(_("Check the file first: the import runs what the check showed."))
    job.status = JobStatus.QUEUED
    job.phase = phase
    job.processed_rows = 0
    job.updated_at = clock.now()
    job.save()
    return job
