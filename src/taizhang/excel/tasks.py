"""Background work: checking and importing a ledger file, building a large export.

With the default (immediate) tasks backend these run in the request that enqueues them; with the database
backend (`TASKS_BACKEND=database`, `taizhang db_worker`) in a worker while the page shows progress.
"""

from __future__ import annotations

import logging

from django.tasks import task

from taizhang.excel import exports, jobs
from taizhang.excel.models import ExportJob, ImportJob, JobStatus

log = logging.getLogger(__name__)


def _failed(job: ImportJob | ExportJob, error: Exception) -> None:
    log.exception("excel job %s failed", job.pk)
    job.status = JobStatus.FAILED
    job.error = str(error) or error.__class__.__name__
    job.save(update_fields=["status", "error"])


@task
def check_import(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    try:
        jobs.import_job_check(job=job)
    except Exception as error:
        _failed(job, error)
        raise


@task
def run_import(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    try:
        jobs.import_job_run(job=job)
    except Exception as error:
        _failed(job, error)
        raise


@task
def build_export(job_id: int) -> None:
    job = ExportJob.objects.get(pk=job_id)
    try:
        exports.export_job_build(job=job)
    except Exception as error:
        _failed(job, error)
        raise
