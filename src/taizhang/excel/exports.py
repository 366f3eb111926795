"""Exporting the ledger as organisations keep it: .xlsx in the conventional layout (a title row, the header
row, frozen under the title, sensible widths, real dates) or CSV (UTF-8 with a BOM, so Excel reads the
Chinese right). Both stream: openpyxl's write-only mode keeps no rows in memory, CSV goes out line by line.

The columns are `mapping.EXPORT_COLUMNS`; what each holds is documented in docs/excel.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from taizhang.core import clock
from taizhang.core.errors import NotFound
from taizhang.excel.dates import LONG_TERM_WORD
from taizhang.excel.mapping import EXPORT_COLUMNS, EXPORT_STATE_WORDS, Field
from taizhang.excel.models import ExportJob, JobStatus
from taizhang.excel.selectors import ledger_rows, progress_text
from taizhang.excel.services import joined_text
from taizhang.ledger.models import Category, Problem
from taizhang.ledger.selectors import AnyUser, LedgerFilter
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Unit

type Progress = Callable[[int], None]

#: Column widths in characters, by field (Chinese characters count about two).
WIDTHS: dict[Field, float] = {
    Field.SEQ: 6,
    Field.SOURCE: 12,
    Field.DESCRIPTION: 40,
    Field.CATEGORY: 12,
    Field.MEASURES: 40,
    Field.UNIT: 16,
    Field.LEADER: 10,
    Field.OWNER: 10,
    Field.DEADLINE: 12,
    Field.PROGRESS: 36,
    Field.QUANTITY: 12,
    Field.STATE: 10,
    Field.CLOSED_AT: 12,
    Field.SATISFACTION: 30,
    Field.CODE: 16,
}
WRAPPED = (Field.DESCRIPTION, Field.MEASURES, Field.PROGRESS)
#: Exports larger than this are built in the background with a progress bar.
DIRECT_ROWS = 5000


def direct_rows() -> int:
    return int(getattr(settings, "TAIZHANG_EXPORT_DIRECT_ROWS", DIRECT_ROWS))


def filter_from_query(query: QueryDict | dict[str, str]) -> LedgerFilter:
    """The web ledger table's filter from its GET parameters (unit, category, state, overdue, q)."""

    def number(name: str) -> int | None:
        value = query.get(name)
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None

    unit_id = number("unit")
    state = query.get("state")
    return LedgerFilter(
        unit=Unit.objects.filter(pk=unit_id).first() if unit_id else None,
        category_id=number("category"),
        state=state if state in State else None,
        overdue=query.get("overdue") == "1",
        campaign_id=number("campaign"),
        text=(query.get("q") or "")[:100],
    )


def satisfaction_text(problem: Problem) -> str:
    """群众满意度 of the current close-out round: the rate (满意 + 基本满意) / ratings, and the counts."""
    satisfied = int(getattr(problem, "satisfied", 0))
    basically = int(getattr(problem, "basically", 0))
    unsatisfied = int(getattr(problem, "unsatisfied", 0))
    total = satisfied + basically + unsatisfied
    if not total:
        return ""
    rate = round(100 * (satisfied + basically) / total)
    return f"满意率 {rate}%（满意 {satisfied}，基本满意 {basically}，不满意 {unsatisfied}）"


def quantity_text(problem: Problem) -> str:
    if problem.target_quantity is not None:
        return f"{problem.done_quantity}/{problem.target_quantity}{problem.measure_word}"
    if problem.done_quantity:
        return f"{problem.done_quantity}{problem.measure_word}"
    return ""


def _person(person: Person | None) -> str:
    return person.display_name if person is not None else ""


def row_values(number: int, problem: Problem) -> list[Any]:
    closed = timezone.localtime(problem.closed_at).date() if problem.closed_at else None
    values: dict[Field, Any] = {
        Field.SEQ: number,
        Field.SOURCE: problem.source,
        Field.DESCRIPTION: joined_text(problem),
        Field.CATEGORY: problem.category.name,
        Field.MEASURES: problem.measures,
        Field.UNIT: problem.lead_unit.name,
        Field.LEADER: _person(problem.leader),
        Field.OWNER: _person(problem.owner),
        Field.DEADLINE: LONG_TERM_WORD if problem.is_long_term else problem.deadline,
        Field.PROGRESS: progress_text(problem),
        Field.QUANTITY: quantity_text(problem),
        Field.STATE: EXPORT_STATE_WORDS[problem.state],
        Field.CLOSED_AT: closed if problem.state == State.CLOSED else None,
        Field.SATISFACTION: satisfaction_text(problem),
        Field.CODE: problem.code,
    }
    return [values[found] for _name, found in EXPORT_COLUMNS]


def title_of(filters: LedgerFilter) -> str:
    parts = []
    if filters.unit is not None:
        parts.append(filters.unit.name)
    if filters.category_id:
        category = Category.objects.filter(pk=filters.category_id).first()
        if category is not None:
            parts.append(category.name)
    if filters.state:
        parts.append(EXPORT_STATE_WORDS.get(filters.state, filters.state))
    if filters.overdue:
        parts.append(_("overdue"))
    if filters.text:
        parts.append(f"“{filters.text}”")
    heading = _("Rectification ledger")
    exported = _("exported %(date)s") % {"date": clock.today().isoformat()}
    return " ".join([heading, *parts, f"（{exported}）"])


def _iterate(problems: Iterable[Problem], progress: Progress | None) -> Iterator[tuple[int, Problem]]:
    for number, problem in enumerate(problems, start=1):
        yield number, problem
        if progress is not None and number % 1000 == 0:
            progress(number)


def write_xlsx(
    problems: Iterable[Problem], target: IO[bytes] | str, *, title: str, progress: Progress | None = None
) -> int:
    """Write the ledger as .xlsx into `target`; returns the number of rows."""
    workbook = Workbook(write_only=True)
    sheet: Worksheet = workbook.create_sheet(_("Ledger"))
    last = get_column_letter(len(EXPORT_COLUMNS))
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.merged_cells.add(CellRange(f"A1:{last}1"))
    for index, (_name, found) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[found]
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=14)
    heading.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([heading])
    thin = Side(style="thin", color="999999")
    header = []
    for name, _found in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    wrapped = {index for index, (_name, found) in enumerate(EXPORT_COLUMNS) if found in WRAPPED}
    count = 0
    for count, problem in _iterate(problems, progress):  # the count is returned
        values: list[Any] = row_values(count, problem)
        for index in wrapped:
            if values[index]:
                cell = WriteOnlyCell(sheet, value=values[index])
                cell.alignment = wrap
                values[index] = cell
        sheet.append(values)
    workbook.save(target)
    if progress is not None:
        progress(count)
    return count


class _Line:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def csv_lines(problems: Iterable[Problem], *, progress: Progress | None = None) -> Iterator[str]:
    """The ledger as CSV, line by line: UTF-8 with a BOM, the header row, dates as 2014-09-30."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow([name for name, _found in EXPORT_COLUMNS])
    yield "\ufeff" + line.text
    count = 0
    for count, problem in _iterate(problems, progress):
        values = [
            value.isoformat() if isinstance(value, dt.date) else value for value in row_values(count, problem)
        ]
        writer.writerow(values)
        yield line.text
    if progress is not None:
        progress(count)


def export_filename(extension: str) -> str:
    return f"整改台账-{clock.today():%Y%m%d}.{extension}"


def ledger_export(
    user: AnyUser, filters: LedgerFilter, fmt: str, target: IO[bytes], progress: Progress | None = None
) -> int:
    """Write what `user` may see of the filtered ledger to `target` (the CLI and the background job)."""
    problems = ledger_rows(user, filters).iterator(chunk_size=2000)
    if fmt == "csv":
        count = 0
        text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
        for line in csv_lines(problems, progress=progress):
            text.write(line)
            count += 1
        text.detach()
        return max(count - 1, 0)
    return write_xlsx(problems, target, title=title_of(filters), progress=progress)


# --- background exports ---------------------------------------------------------------------------------


def export_job_create(*, user: Person, query: dict[str, str], fmt: str) -> ExportJob:
    filters = filter_from_query(query)
    return ExportJob.objects.create(
        created_by=user,
        created_at=clock.now(),
        query=query,
        format="csv" if fmt == "csv" else "xlsx",
        status=JobStatus.QUEUED,
        total_rows=ledger_rows(user, filters).count(),
    )


def export_job_build(*, job: ExportJob) -> ExportJob:
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    filters = filter_from_query(job.query)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    with tempfile.TemporaryFile() as target:
        count = ledger_export(job.created_by, filters, job.format, target, progress)
        target.seek(0)
        job.file.save(f"{uuid.uuid4().hex}.{job.format}", File(target), save=False)
    job.processed_rows = count
    job.status = JobStatus.DONE
    job.finished_at = clock.now()
    job.save()
    return job


def access_export_job(user: Person, job_id: int | str) -> ExportJob:
    try:
        job = ExportJob.objects.get(pk=int(job_id))
    except (ExportJob.DoesNotExist, ValueError):
        raise NotFound(_("No such export.")) from None
    if job.created_by_id != user.pk:
        raise NotFound(_("No such export."))
    return job
