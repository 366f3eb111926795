"""Job progress: written to the job row, or — inside an all-or-nothing import's transaction — to a side file
that the job's page reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from taizhang.core.errors import DomainError
from taizhang.excel import jobs
from taizhang.excel.models import ImportJob, JobStatus
from taizhang.org.models import Person
from tests.conftest import Org
from tests.excel.builders import simple_workbook
from tests.excel.test_import import row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(tmp_path: Path, units: Org, supervisor: Person, settings: Any) -> ImportJob:
    settings.DATA_DIR = tmp_path
    path = tmp_path / "t.xlsx"
    path.write_bytes(simple_workbook([row_of()]))
    created = jobs.import_job_create(user=supervisor, path=str(path))
    created.total_rows = 1000
    created.status = JobStatus.RUNNING
    created.save()
    return created


def test_progress_outside_a_transaction_goes_to_the_job_row(job: ImportJob) -> None:
    seen: list[tuple[int, int | None]] = []
    progress = jobs.JobProgress(
        job, in_transaction=False, listener=lambda done, total: seen.append((done, total))
    )
    progress(500)
    job.refresh_from_db()
    assert job.processed_rows == 500 and seen == [(500, 1000)]
    assert jobs.processed_rows(job) == 500


def test_progress_inside_the_transaction_goes_to_a_side_file(job: ImportJob) -> None:
    progress = jobs.JobProgress(job, in_transaction=True, listener=None)
    progress(700)
    job.refresh_from_db()
    assert job.processed_rows == 0  # the row is not touched …
    assert jobs.processed_rows(job) == 700  # … the page reads the side file
    progress.close()
    assert jobs.processed_rows(job) == 0


def test_an_import_waits_for_its_check(job: ImportJob) -> None:
    job.status = JobStatus.UPLOADED
    job.save()
    with pytest.raises(DomainError, match="Check the file first"):
        jobs.import_job_queue(job=job, phase=jobs.IMPORT)
