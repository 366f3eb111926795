"""Pages: export the ledger table as .xlsx or CSV; upload a ledger, correct its mapping, check it, import it
with a progress bar. Parse, call a selector or service, render — no rules here."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.core.errors import DomainError, NotFound
from taizhang.excel import exports, jobs, tasks
from taizhang.excel.forms import MappingForm, OpinionImportForm, UploadForm
from taizhang.excel.models import ImportJob, JobStatus
from taizhang.excel.opinion_import import WEB_ROWS, OpinionImportReport, opinion_import
from taizhang.excel.selectors import ledger_rows
from taizhang.excel.services import may_import
from taizhang.org.models import Person
from taizhang.web.auth import STAFF_ROLES, role_required, user_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The web ledger table's GET parameters, which the export accepts as they are.
FILTER_PARAMETERS = ("unit", "category", "state", "overdue", "q", "campaign")
ROWS_PER_PAGE = 100


def _person(request: HttpRequest) -> Person:
    user = user_of(request)
    if not isinstance(user, Person):  # login_required lets only people through
        raise PermissionDenied
    return user


# --- export ---------------------------------------------------------------------------------------------


@login_required
@role_required(*STAFF_ROLES)
@require_GET
def export_ledger(request: HttpRequest) -> HttpResponseBase:
    """The ledger table as the person filtered it (the same GET parameters), .xlsx or ?format=csv.
    Large exports are built in the background with a progress bar."""
    person = _person(request)
    filters = exports.filter_from_query(request.GET)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    problems = ledger_rows(person, filters)
    if problems.count() > exports.direct_rows():
        query = {name: request.GET[name] for name in FILTER_PARAMETERS if request.GET.get(name)}
        job = exports.export_job_create(user=person, query=query, fmt=fmt)
        tasks.build_export.enqueue(job.pk)
        return redirect("excel:export_job", job_id=job.pk)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(problems.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition_header(True, exports.export_filename("csv"))
        return response
    target = tempfile.TemporaryFile()  # noqa: SIM115  # FileResponse closes it
    exports.write_xlsx(problems.iterator(chunk_size=2000), target, title=exports.title_of(filters))
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=exports.export_filename("xlsx"), content_type=XLSX
    )


def _export_job(request: HttpRequest, job_id: int) -> Any:
    try:
        return exports.access_export_job(_person(request), job_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "excel/export_job.html", {"job": _export_job(request, job_id)})


@login_required
@require_GET
def export_job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _export_job(request, job_id)
    response = render(request, "excel/_export_progress.html", {"job": job})
    if not job.is_working and request.GET.get("was") == "working":
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _export_job(request, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    content_type = "text/csv; charset=utf-8" if job.format == "csv" else XLSX
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=exports.export_filename(job.format),
        content_type=content_type,
    )


# --- import ---------------------------------------------------------------------------------------------


def _importer(request: HttpRequest) -> Person:
    person = _person(request)
    if not may_import(person):
        raise PermissionDenied
    return person


def _import_job(request: HttpRequest, job_id: int) -> ImportJob:
    try:
        return jobs.access_import_job(_importer(request), job_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    person = _importer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(user=person, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            return redirect("excel:import_job", job_id=job.pk)
    recent = ImportJob.objects.filter(created_by=person)[:20]
    return render(request, "excel/import_upload.html", {"form": form, "jobs": recent})


@login_required
@require_http_methods(["GET", "POST"])
def import_opinions(request: HttpRequest) -> HttpResponse:
    """Opinions from a hotline's or a register's file: checked whole, then submitted as the channel's."""
    person = _importer(request)
    form = OpinionImportForm(request.POST or None, request.FILES or None)
    report: OpinionImportReport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = opinion_import(
                user=person,
                file=upload,
                name=upload.name,
                size=upload.size,
                channel=form.cleaned_data["channel"],
                dry_run=form.cleaned_data["check_only"],
                max_rows=WEB_ROWS,
            )
        except DomainError as error:
            form.add_error("file", str(error))
    return render(request, "excel/import_opinions.html", {"form": form, "report": report})


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _import_job(request, job_id)
    person = _importer(request)
    form = MappingForm(request.POST if request.POST.get("action") == "check" else None, job=job)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "check" and form.is_valid():
                category = form.cleaned_data["default_category"]
                jobs.import_job_configure(
                    user=person,
                    job=job,
                    mapping=form.mapping(),
                    year=form.cleaned_data["year"],
                    ledger_name=form.cleaned_data["ledger_name"],
                    mode=form.cleaned_data["mode"],
                    create_missing=form.cleaned_data["create_missing"],
                    default_category_id=category.pk if category else None,
                    sheet=form.cleaned_data.get("sheet"),
                )
                jobs.import_job_queue(job=job, phase=jobs.CHECK)
                tasks.check_import.enqueue(job.pk)
                return redirect("excel:import_job", job_id=job.pk)
            if request.POST.get("action") == "run":
                jobs.import_job_queue(job=job, phase=jobs.IMPORT)
                tasks.run_import.enqueue(job.pk)
                return redirect("excel:import_job", job_id=job.pk)
        except DomainError as refused:
            error = str(refused)
        job.refresh_from_db()
    stage = jobs.IMPORT if job.phase == jobs.IMPORT and job.status == JobStatus.DONE else jobs.CHECK
    rows = job.rows.filter(stage=stage)
    only = request.GET.get("only")
    if only == "errors":
        rows = rows.filter(action="error")
    elif only == "changes":
        rows = rows.exclude(action="unchanged")
    page = Paginator(rows.order_by("row"), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "excel/import_job.html",
        {
            "job": job,
            "form": form,
            "error": error,
            "page": page,
            "stage": stage,
            "only": only or "",
            "processed": jobs.processed_rows(job),
            "can_run": job.status in (JobStatus.CHECKED, JobStatus.DONE),
        },
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress bar, polled by the job's page while it works; reloads the page when the job ends."""
    job = _import_job(request, job_id)
    response = render(request, "excel/_progress.html", {"job": job, "processed": jobs.processed_rows(job)})
    if not job.is_working and request.GET.get("was") == "working":
        response["HX-Refresh"] = "true"
    return response
