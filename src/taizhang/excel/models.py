"""Import jobs: the uploaded file, its mapping and options, the status and progress of the check (dry run) and
of the import, and each row's result. Export jobs: a large export built in the background."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


#: Statuses in which a job's page polls for progress.
WORKING_STATUSES = (JobStatus.CHECKING, JobStatus.QUEUED, JobStatus.RUNNING)


class ImportMode(models.TextChoices):
    ATOMIC = "atomic", _("All or nothing: one error and nothing is written")
    VALID_ONLY = "valid_only", _("Valid rows only: import them, report the others")


class ImportJob(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)  # xlsx | xls | csv
    sheet = models.CharField(max_length=100, blank=True)
    sheet_names = models.JSONField(default=list, blank=True)
    header_row = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=list, blank=True)
    title = models.CharField(max_length=300, blank=True)
    #: Column index (as a string, JSON keys are strings) → field name.
    mapping = models.JSONField(default=dict, blank=True)
    #: year, ledger_name, mode, create_missing, default_category, new_units_parent.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    #: What the progress counts: "check" (dry run) or "import".
    phase = models.CharField(max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_working(self) -> bool:
        return self.status in WORKING_STATUSES


class RowAction(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    UNCHANGED = "unchanged", _("Unchanged")
    ERROR = "error", _("Error")


class ImportRow(models.Model):
    """One data row's result: of the check (stage "check") or of the import (stage "import")."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    stage = models.CharField(max_length=10)
    row = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=RowAction.choices)
    code = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=200, blank=True)
    #: Labels of the fields that change, and the state move if any.
    changes = models.JSONField(default=list, blank=True)
    #: [{"level": "error"|"warning", "column": "F 责任单位", "message": "…"}]
    issues = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("job", "stage", "row")
        indexes: ClassVar = [models.Index(fields=("job", "stage", "row"), name="import_row_job_stage_row")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.stage}:{self.row} {self.action}"

    @property
    def errors(self) -> list[dict[str, str]]:
        return [issue for issue in self.issues if issue.get("level") == "error"]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return [issue for issue in self.issues if issue.get("level") == "warning"]


class ExportJob(models.Model):
    """A large export built in the background; small ones are streamed at once."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    query = models.JSONField(default=dict, blank=True)  # the ledger table's filter (GET parameters)
    format = models.CharField(max_length=10)  # xlsx | csv
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(null=True, blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_working(self) -> bool:
        return self.status in WORKING_STATUSES
