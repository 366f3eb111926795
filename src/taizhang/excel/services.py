"""Importing a ledger file: check it (dry run) or import it, atomically or valid rows only.

The file is read as a stream and handled in chunks: each chunk's names (units, people, categories) and
existing items are looked up with one query each, every row is planned (create, update, unchanged or error,
with each error's row, column and reason), and the writes go through the ledger's services —
`problems_import` for new items (bulk, the same event chains), `problem_edit`, `problem_start`,
`problem_record_progress` and `problem_cancel` for items already on the list. Results go to a sink chunk by
chunk, so memory stays bounded whatever the file's length.

What the 整改状态 column can and cannot do (docs/excel.md): an import starts work and records progress as the
system, and cancels as the importing supervisor; it never closes an item out. Rows the file marks 申请销号,
公示中 or 已销号 are imported in progress with their progress note and flagged: close-out needs evidence, the
leader's signature, an outside verifier and the raisers' ratings, none of which a spreadsheet carries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any, Protocol

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput, NotPermitted
from taizhang.excel import dates
from taizhang.excel.mapping import (
    FIELD_LABELS,
    Field,
    FileState,
    match_state,
    propose_mapping,
    validate_mapping,
)
from taizhang.excel.models import ImportMode, RowAction
from taizhang.excel.reading import (
    Cell,
    Layout,
    LedgerFile,
    RowKind,
    SheetRow,
    cell_text,
    classify,
    detect_layout,
    section_variants,
)
from taizhang.excel.selectors import progress_text, with_ledger_columns
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.ledger.workflow import STATE_LABELS, State
from taizhang.org import services as org
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

#: Rows planned and written together: one lookup query per kind of name and one for existing items.
CHUNK_ROWS = 500
#: Names of several people in one cell ("张三、李四"): the first is kept.
_NAME_SPLIT = re.compile(r"[、，,;；/\n]+|\s{2,}")
_CODE = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{1,8}$")
_QUANTITY = re.compile(r"^(?:已?完成)?(\d+)(?:/(\d+))?([^\d/]{0,10})$")


def may_import(user: Person) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.has_role(Role.SUPERVISOR)


# --- results --------------------------------------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    action: str
    code: str = ""
    title: str = ""
    changes: list[str] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.issues.append({"level": "error", "column": column, "message": message})
        self.action = RowAction.ERROR

    def warn(self, column: str, message: str) -> None:
        self.issues.append({"level": "warning", "column": column, "message": message})

    @property
    def has_errors(self) -> bool:
        return any(issue["level"] == "error" for issue in self.issues)


class Sink(Protocol):
    def add(self, results: list[RowResult]) -> None: ...


class ListSink:
    """Keeps every result in memory: for tests and small files."""

    def __init__(self) -> None:
        self.results: list[RowResult] = []

    def add(self, results: list[RowResult]) -> None:
        self.results.extend(results)

    def by_row(self) -> dict[int, RowResult]:
        return {result.row: result for result in self.results}


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    rows_read: int = 0
    written: bool = False
    flagged: int = 0  # rows the file marks closed (or under review), imported in progress

    @property
    def errors(self) -> int:
        return self.counts[RowAction.ERROR]


type Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportOptions:
    mapping: dict[int, Field]
    year: int
    ledger_name: str = ""
    mode: str = ImportMode.ATOMIC
    create_missing: bool = False
    default_category_id: int | None = None
    new_units_parent_id: int | None = None
    sheet: str | None = None
    provenance: dict[str, Any] = field(default_factory=dict)


# --- looking at a file ----------------------------------------------------------------------------------


@dataclass
class Inspection:
    layout: Layout
    kind: str
    mapping: dict[int, Field]
    year: int
    total_rows: int | None


def inspect_file(file: IO[bytes], name: str, *, sheet: str | None = None) -> Inspection:
    """The header row, the proposed mapping and the ledger's year, from the first rows only."""
    with LedgerFile(file, name, sheet=sheet) as ledger_file:
        layout, _rows = detect_layout(ledger_file.rows)
        layout.sheet, layout.sheet_names = ledger_file.sheet, ledger_file.sheet_names
        year = dates.year_in(layout.title) or dates.year_in(name) or clock.today().year
        return Inspection(
            layout=layout,
            kind=ledger_file.kind,
            mapping=propose_mapping(layout.headers),
            year=year,
            total_rows=ledger_file.total_rows,
        )


# --- names ----------------------------------------------------------------------------------------------


def name_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def close_names(key: str, names: list[str]) -> str:
    """Up to three of `names` close to `key`, for a "did you mean" (empty when none is close)."""
    return "、".join(difflib.get_close_matches(key, names, n=3, cutoff=0.4))


def _first_name(text: str) -> tuple[str, bool]:
    names = [part for part in _NAME_SPLIT.split(text.strip()) if part.strip()]
    return (names[0].strip() if names else ""), len(names) > 1


class Directory:
    """Units, people and categories by name, looked up a chunk at a time, with the names to create when the
    person ticked "create missing" (created only when a row that needs them is written)."""

    def __init__(self, user: Person, options: ImportOptions) -> None:
        self.user = user
        self.scope = scope_of(user)
        self.create_missing = options.create_missing
        self.units: dict[str, list[Unit]] = {}
        self.people: dict[str, list[Person]] = {}
        self.categories: dict[str, Category] = {}
        for category in Category.objects.all():
            self.categories[name_key(category.name)] = category
            self.categories.setdefault(name_key(category.code), category)
        self.default_category = (
            Category.objects.filter(pk=options.default_category_id).first()
            if options.default_category_id
            else None
        )
        self.new_parent = self._new_units_parent(options.new_units_parent_id)
        self._unit_names: list[str] | None = None
        self._person_names: list[str] | None = None

    def _new_units_parent(self, unit_id: int | None) -> Unit | None:
        if unit_id:
            return Unit.objects.filter(pk=unit_id).first()
        paths = self.scope.paths.get(Role.SUPERVISOR, ())
        if paths:
            return Unit.objects.filter(path=min(paths, key=len)).first()
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()

    def load(self, units: set[str], people: set[str]) -> None:
        wanted = {name_key(name) for name in units} - set(self.units)
        if wanted:
            for key in wanted:
                self.units[key] = []
            raw = {name.strip() for name in units} | wanted
            for unit in Unit.objects.filter(Q(name__in=raw) | Q(code__in=raw)):
                for key in {name_key(unit.name), name_key(unit.code)} & wanted:
                    self.units[key].append(unit)
        wanted = {name_key(name) for name in people} - set(self.people)
        if wanted:
            for key in wanted:
                self.people[key] = []
            raw = {name.strip() for name in people} | wanted
            found = Person.objects.filter(Q(name__in=raw) | Q(username__in=raw)).select_related("unit")
            for person in found:
                for key in {name_key(person.name), name_key(person.username)} & wanted:
                    self.people[key].append(person)

    def unit_names(self) -> list[str]:
        if self._unit_names is None:
            # Only names the person may see: suggestions must not reveal other parts of the organisation.
            query = self.scope.unit_q((Role.SUPERVISOR, Role.ADMIN), "path")
            self._unit_names = sorted(set(Unit.objects.filter(query).values_list("name", flat=True)))
        return self._unit_names

    def person_names(self) -> list[str]:
        if self._person_names is None:
            query = self.scope.unit_q((Role.SUPERVISOR, Role.ADMIN), "unit__path")
            self._person_names = sorted(
                set(Person.objects.filter(query).exclude(name="").values_list("name", flat=True))
            )
        return self._person_names

    def unit(self, name: str) -> tuple[Unit | None, str]:
        """The unit, or None and why not."""
        key = name_key(name)
        found = self.units.get(key, [])
        if len(found) > 1:
            mine = [unit for unit in found if self.scope.covers(Role.SUPERVISOR, unit.path)]
            found = mine or found
        if len(found) == 1:
            return found[0], ""
        if found:
            places = "、".join(f"{unit.name}（{unit.parent.name if unit.parent else '-'}）" for unit in found)
            return None, _("Several units are called “%(name)s”: %(units)s.") % {
                "name": name,
                "units": places,
            }
        if self.create_missing and self.new_parent is not None:
            unit = Unit(name=name.strip(), path=f"{self.new_parent.path}0/", parent=self.new_parent)
            unit.is_new = True  # type: ignore[attr-defined]  # a placeholder until a row that needs it is written
            self.units[key] = [unit]
            return unit, ""
        suggestions = close_names(key, self.unit_names())
        if suggestions:
            return None, _("No unit is called “%(name)s”. Did you mean: %(names)s?") % {
                "name": name,
                "names": suggestions,
            }
        return None, _("No unit is called “%(name)s”.") % {"name": name}

    def person(self, name: str, unit: Unit | None) -> tuple[Person | None, str]:
        key = name_key(name)
        found = self.people.get(key, [])
        if len(found) > 1 and unit is not None and unit.pk:
            inside = [p for p in found if p.unit is not None and p.unit.path.startswith(unit.path)]
            found = inside or found
        if len(found) == 1:
            return found[0], ""
        if found:
            places = "、".join(f"{p.display_name}（{p.unit.name if p.unit else '-'}）" for p in found)
            return None, _("Several people are called “%(name)s”: %(people)s.") % {
                "name": name,
                "people": places,
            }
        if self.create_missing:
            person = Person(name=name.strip(), username="")
            person.is_new = True  # type: ignore[attr-defined]  # a placeholder, see unit()
            self.people[key] = [person]
            return person, ""
        suggestions = close_names(key, self.person_names())
        if suggestions:
            return None, _("Nobody is called “%(name)s”. Did you mean: %(names)s?") % {
                "name": name,
                "names": suggestions,
            }
        return None, _("Nobody is called “%(name)s”.") % {"name": name}

    def category(self, names: list[str]) -> tuple[Category | None, str]:
        for candidate in names:
            found = self.categories.get(name_key(candidate))
            if found is not None:
                return found, ""
        if not names:
            if self.default_category is not None:
                return self.default_category, ""
            return None, _("The row has no category, and no default category was chosen.")
        if self.create_missing:
            name = names[-1].strip()
            category = Category(name=name, code="")
            category.is_new = True  # type: ignore[attr-defined]  # a placeholder, see unit()
            self.categories[name_key(name)] = category
            return category, ""
        suggestions = close_names(name_key(names[0]), sorted({c.name for c in self.categories.values()}))
        message = _("No category is called “%(name)s”.") % {"name": names[0]}
        if suggestions:
            message = _("No category is called “%(name)s”. Did you mean: %(names)s?") % {
                "name": names[0],
                "names": suggestions,
            }
        return None, message

    # Writing: placeholders become rows through the org and ledger services, once.

    def real_unit(self, unit: Unit) -> Unit:
        if not getattr(unit, "is_new", False):
            return unit
        if self.new_parent is None or not self.scope.covers(Role.SUPERVISOR, self.new_parent.path):
            raise NotPermitted(_("You may not create units here."))
        code = "u-" + hashlib.sha256(f"{self.new_parent.pk}/{unit.name}".encode()).hexdigest()[:12]
        created = Unit.objects.filter(code=code).first() or org.unit_create(
            name=unit.name, code=code, parent=self.new_parent
        )
        self.units[name_key(unit.name)] = [created]
        return created

    def real_person(self, person: Person | None, unit: Unit) -> Person | None:
        if person is None or not getattr(person, "is_new", False):
            return person
        username = "p-" + hashlib.sha256(f"{unit.pk}/{person.name}".encode()).hexdigest()[:12]
        created = Person.objects.filter(username=username).first() or org.person_create(
            username=username, name=person.name, unit=unit
        )
        self.people[name_key(person.name)] = [created]
        return created

    def real_category(self, category: Category) -> Category:
        if not getattr(category, "is_new", False):
            return category
        created = ledger.category_create(name=category.name)
        self.categories[name_key(created.name)] = created
        return created


# --- rows -----------------------------------------------------------------------------------------------


@dataclass
class DataRow:
    number: int
    cells: dict[Field, Cell]
    section: str


def split_text(text: str) -> tuple[str, str]:
    """问题描述 → (title, description): a first line is the title; a single short paragraph is all title;
    a long one gets a title from its first clause. The inverse of `joined_text`."""
    text = text.replace("\r\n", "\n").strip()
    first, newline, rest = text.partition("\n")
    if newline and len(first.strip()) <= 200:
        return first.strip(), rest.strip()
    if not newline and len(text) <= 200:
        return text, ""
    clause = re.split(r"[。；;！!？?\n]", text, maxsplit=1)[0].strip()
    return (clause if len(clause) <= 60 else clause[:59] + "…"), text


def joined_text(problem: Problem) -> str:
    if not problem.description or problem.description == problem.title:
        return problem.title
    return f"{problem.title}\n{problem.description}"


def quantity_of(value: Cell) -> tuple[int | None, int | None, str]:
    """完成数量: 12 → (12, None, ''), '12/20 盏' → (12, 20, '盏'), '12盏' → (12, None, '盏')."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value, None, ""
    text = name_key(cell_text(value))
    match = _QUANTITY.match(text)
    if not match:
        raise ValueError(text)
    done = int(match.group(1))
    target = int(match.group(2)) if match.group(2) else None
    return done, target, match.group(3).strip()


@dataclass
class Plan:
    result: RowResult
    create: ledger.ImportedProblem | None = None
    problem: Problem | None = None  # the existing item to update
    changes: dict[str, Any] = field(default_factory=dict)
    start: bool = False
    progress: tuple[str, int | None] | None = None
    cancel: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)


class Importer:
    """One pass over a file's rows: plan each chunk, write it (unless checking), hand the results on."""

    def __init__(
        self, *, user: Person, options: ImportOptions, layout: Layout, file_name: str, write: bool
    ) -> None:
        self.user = user
        self.options = options
        self.layout = layout
        self.write = write
        self.mapping = options.mapping
        self.directory = Directory(user, options)
        key = options.ledger_name or layout.title or PurePath(file_name).stem
        self.ledger_key = name_key(key)
        self.file_name = file_name
        self.seen: dict[str, int] = {}
        self.report = ImportReport(rows_read=layout.data_start - 1)  # title, filler and header rows
        self.today = clock.today()
        headers = [*layout.headers, *[""] * len(options.mapping)]
        self.columns = {
            found: f"{get_column_letter(index + 1)}（{headers[index]}）"
            for index, found in options.mapping.items()
        }

    def column(self, found: Field) -> str:
        return self.columns.get(found, str(FIELD_LABELS[found]))

    # reading

    def data_rows(self, rows: Iterable[SheetRow], progress: Progress | None) -> Iterator[list[DataRow]]:
        section = ""
        chunk: list[DataRow] = []
        for row in rows:
            self.report.rows_read += 1
            kind, name = classify(row.values, self.mapping, self.layout.headers)
            if kind == RowKind.SECTION:
                section = name
            if kind == RowKind.ITEM:
                cells = {
                    found: row.values[index] if index < len(row.values) else None
                    for index, found in self.mapping.items()
                }
                chunk.append(DataRow(row.number, cells, section))
            else:
                self.report.counts[f"skipped_{kind}"] += 1
            if len(chunk) >= CHUNK_ROWS:
                yield chunk
                chunk = []
                if progress is not None:
                    progress(self.report.rows_read)
        if chunk:
            yield chunk
        if progress is not None:
            progress(self.report.rows_read)

    # planning

    def text(self, row: DataRow, found: Field) -> str:
        return cell_text(row.cells.get(found))

    def identity(self, row: DataRow) -> tuple[str, str]:
        """(external_ref, problem code or '') of a row."""
        code = unicodedata.normalize("NFKC", self.text(row, Field.CODE))
        seq = unicodedata.normalize("NFKC", self.text(row, Field.SEQ)).rstrip(".、")
        if not code and _CODE.match(seq):
            code, seq = seq, ""
        if _CODE.match(code):
            return f"code:{code}", code
        basis = code or seq or name_key(self.text(row, Field.DESCRIPTION) or self.text(row, Field.TITLE))
        digest = hashlib.sha256(f"{self.ledger_key}\x1f{row.section}\x1f{basis}".encode()).hexdigest()
        return f"file:{digest[:32]}", ""

    def plan_chunk(self, chunk: list[DataRow]) -> list[Plan]:
        units: set[str] = set()
        people: set[str] = set()
        refs: dict[int, tuple[str, str]] = {}
        for row in chunk:
            if self.text(row, Field.UNIT):
                units.add(self.text(row, Field.UNIT))
            for name in _NAME_SPLIT.split(self.text(row, Field.ASSISTING)):
                if name.strip():
                    units.add(name.strip())
            for found in (Field.LEADER, Field.OWNER):
                name, _several = _first_name(self.text(row, found))
                if name:
                    people.add(name)
            refs[row.number] = self.identity(row)
        self.directory.load(units, people)
        wanted_refs = {ref for ref, _code in refs.values()}
        wanted_codes = {code for _ref, code in refs.values() if code}
        existing = with_ledger_columns(
            Problem.objects.filter(Q(external_ref__in=wanted_refs) | Q(code__in=wanted_codes))
        )
        by_ref: dict[str, Problem] = {}
        by_code: dict[str, Problem] = {}
        for problem in existing:
            if problem.external_ref:
                by_ref[problem.external_ref] = problem
            by_code[problem.code] = problem
        plans = []
        for row in chunk:
            ref, code = refs[row.number]
            existing_problem = by_ref.get(ref) or (by_code.get(code) if code else None)
            plans.append(self.plan_row(row, ref, code, existing_problem))
        return plans

    def plan_row(self, row: DataRow, ref: str, code: str, problem: Problem | None) -> Plan:  # noqa: PLR0912, PLR0915  # one row, every column
        result = RowResult(row=row.number, action=RowAction.CREATE)
        plan = Plan(result=result)
        plan.provenance = {**self.options.provenance, "file": self.file_name, "row": row.number}
        if ref in self.seen:
            result.error(
                self.column(Field.SEQ),
                _("The same item as row %(row)d (same number in the same section).")
                % {"row": self.seen[ref]},
            )
            return plan
        self.seen[ref] = row.number

        # the problem's text
        title = self.text(row, Field.TITLE)
        description = self.text(row, Field.DESCRIPTION)
        if title and Field.DESCRIPTION in self.mapping.values():
            title = title.replace("\n", " ")[:200]
        elif description:
            title, description = split_text(description)
        elif title:
            title, description = split_text(title)
        if not title:
            result.error(self.column(Field.DESCRIPTION), _("The problem description is empty."))
        result.title = title[:200]

        # the responsible unit, and the importer's right over it
        unit_name = self.text(row, Field.UNIT)
        unit: Unit | None = None
        if not unit_name:
            result.error(self.column(Field.UNIT), _("The responsible unit is empty."))
        else:
            unit, why = self.directory.unit(unit_name)
            if unit is None:
                result.error(self.column(Field.UNIT), why)
            elif not ledger.may_create_problem(self.user, unit):
                result.error(
                    self.column(Field.UNIT),
                    _("You do not supervise “%(unit)s”; its items cannot be imported by you.")
                    % {"unit": unit.name},
                )
            elif getattr(unit, "is_new", False):
                result.warn(
                    self.column(Field.UNIT), _("A new unit “%(unit)s” will be created.") % {"unit": unit.name}
                )
        assisting: list[Unit] = []
        for name in _NAME_SPLIT.split(self.text(row, Field.ASSISTING)):
            if name.strip():
                other, why = self.directory.unit(name)
                if other is None:
                    result.error(self.column(Field.ASSISTING), why)
                elif other is not unit and other not in assisting:
                    assisting.append(other)

        # people
        people: dict[Field, Person | None] = {}
        for found in (Field.LEADER, Field.OWNER):
            name, several = _first_name(self.text(row, found))
            people[found] = None
            if several:
                result.warn(
                    self.column(found),
                    _("Several names: only the first, “%(name)s”, is kept.") % {"name": name},
                )
            if name:
                person, why = self.directory.person(name, unit)
                if person is None:
                    result.error(self.column(found), why)
                else:
                    people[found] = person
                    if getattr(person, "is_new", False):
                        result.warn(
                            self.column(found), _("A new person “%(name)s” will be created.") % {"name": name}
                        )

        # category: its column, else the section, else the default
        category_text = self.text(row, Field.CATEGORY)
        names = [category_text] if category_text else section_variants(row.section) if row.section else []
        category, why = self.directory.category(names)
        if category is None:
            result.error(
                self.column(Field.CATEGORY) if category_text else str(FIELD_LABELS[Field.CATEGORY]), why
            )
        elif getattr(category, "is_new", False):
            result.warn(
                self.column(Field.CATEGORY),
                _("A new category “%(name)s” will be created.") % {"name": category.name},
            )

        # deadline
        deadline: dt.date | None = None
        long_term = immediate = False
        if Field.DEADLINE in self.mapping.values():
            cell = row.cells.get(Field.DEADLINE)
            if cell is None:
                result.error(self.column(Field.DEADLINE), _("The deadline is empty."))
            else:
                try:
                    parsed = dates.parse_deadline(cell, year=self.options.year)
                except dates.DateFormError as error:
                    result.error(self.column(Field.DEADLINE), error.message)
                else:
                    deadline, long_term, immediate = parsed.date, parsed.long_term, parsed.immediate
        if immediate:
            deadline = problem.deadline if problem is not None and problem.deadline else self.today

        # quantities
        done: int | None = None
        target: int | None = None
        measure = ""
        for found in (Field.QUANTITY, Field.TARGET):
            cell = row.cells.get(found)
            if cell is None:
                continue
            try:
                amount, of, word = quantity_of(cell)
            except ValueError:
                result.error(
                    self.column(found),
                    _("“%(cell)s” is not a quantity (write e.g. 12, 12/20 or 12/20盏).")
                    % {"cell": cell_text(cell)},
                )
                continue
            if found == Field.QUANTITY:
                done, target = amount, of if of is not None else target
            else:
                target = amount
            measure = word or measure

        # state
        state_text = self.text(row, Field.STATE)
        file_state: FileState | None = None
        if state_text:
            file_state = match_state(state_text)
            if file_state is None:
                result.error(
                    self.column(Field.STATE),
                    _(
                        "“%(cell)s” is not a state this import knows "
                        "(e.g. 未启动, 整改中, 已完成, 已销号, 中止)."
                    )
                    % {"cell": state_text},
                )
        closed_cell = row.cells.get(Field.CLOSED_AT)
        closed_on: dt.date | None = None
        if closed_cell is not None:
            try:
                closed_on = dates.parse_date(closed_cell, year=self.options.year)
            except dates.DateFormError as error:
                result.error(self.column(Field.CLOSED_AT), error.message)
        note = self.text(row, Field.PROGRESS)
        measures = self.text(row, Field.MEASURES)
        source = self.text(row, Field.SOURCE)
        if len(source) > 100:
            result.error(self.column(Field.SOURCE), _("The source is longer than 100 characters."))
        if file_state in (FileState.REVIEW, FileState.NOTICE, FileState.DONE) or closed_on is not None:
            plan.provenance["file_state"] = state_text
            if closed_on is not None:
                plan.provenance["file_closed_on"] = closed_on.isoformat()

        if result.has_errors or unit is None or category is None:
            result.action = RowAction.ERROR
            return plan

        if problem is None:
            return self._plan_create(
                plan,
                ref=ref,
                title=title,
                description=description,
                source=source,
                category=category,
                unit=unit,
                assisting=assisting,
                people=people,
                deadline=deadline,
                long_term=long_term,
                done=done,
                target=target,
                measure=measure,
                file_state=file_state,
                state_text=state_text,
                note=note,
                measures=measures,
            )
        return self._plan_update(
            plan,
            problem=problem,
            code=code,
            row=row,
            title=title,
            description=description,
            source=source,
            category=category,
            category_given=bool(names),
            unit=unit,
            people=people,
            deadline=deadline,
            long_term=long_term,
            immediate=immediate,
            done=done,
            target=target,
            measure=measure,
            file_state=file_state,
            state_text=state_text,
            note=note,
            measures=measures,
        )

    def _flag(self, plan: Plan, file_state: FileState | None, state_text: str) -> None:
        if file_state in (FileState.REVIEW, FileState.NOTICE, FileState.DONE):
            self.report.flagged += 1
            plan.result.warn(
                self.column(Field.STATE),
                _(
                    "The file says “%(state)s”. It is imported in progress: close it out here through the "
                    "workflow (evidence, the leader's signature, verification, the raisers' ratings)."
                )
                % {"state": state_text},
            )
        elif file_state == FileState.RETURNED:
            plan.result.warn(
                self.column(Field.STATE),
                _("The file says “%(state)s”; the item is imported open.") % {"state": state_text},
            )

    def _plan_create(
        self,
        plan: Plan,
        *,
        ref: str,
        title: str,
        description: str,
        source: str,
        category: Category,
        unit: Unit,
        assisting: list[Unit],
        people: dict[Field, Person | None],
        deadline: dt.date | None,
        long_term: bool,
        done: int | None,
        target: int | None,
        measure: str,
        file_state: FileState | None,
        state_text: str,
        note: str,
        measures: str,
    ) -> Plan:
        result = plan.result
        if deadline is None and not long_term:
            result.error(self.column(Field.DEADLINE), _("Give a deadline, or write 长期坚持 (long-term)."))
            return plan
        if file_state in (FileState.OPEN, FileState.RETURNED):
            started = False
            if note or done:
                result.warn(
                    self.column(Field.PROGRESS),
                    _("The item is not started, so its progress is not recorded."),
                )
        elif file_state in (None, FileState.CANCELLED):
            started = bool(note or done)
        else:
            started = True
        self._flag(plan, file_state, state_text)
        becomes = (
            State.CANCELLED
            if file_state == FileState.CANCELLED
            else State.IN_PROGRESS
            if started
            else State.OPEN
        )
        result.changes = [
            unit.name,
            dates.LONG_TERM_WORD if long_term else deadline.isoformat() if deadline else "",
            str(STATE_LABELS[becomes]),
        ]
        plan.create = ledger.ImportedProblem(
            draft=ledger.ProblemDraft(
                title=title,
                description=description,
                category=category,
                lead_unit=unit,
                source=source,
                assisting_units=tuple(assisting),
                leader=people[Field.LEADER],
                owner=people[Field.OWNER],
                measures=measures,
                deadline=deadline,
                is_long_term=long_term,
                target_quantity=target,
                measure_word=measure or None,
            ),
            external_ref=ref,
            started=started,
            progress_note=note if started else "",
            done_quantity=done if started else None,
            cancel_reason=(
                _("The imported ledger marks this item “%(state)s”.") % {"state": state_text}
                if file_state == FileState.CANCELLED
                else ""
            ),
            provenance=plan.provenance,
        )
        return plan

    def _plan_update(  # noqa: PLR0912, PLR0915  # one comparison per column
        self,
        plan: Plan,
        *,
        problem: Problem,
        code: str,
        row: DataRow,
        title: str,
        description: str,
        source: str,
        category: Category,
        category_given: bool,
        unit: Unit,
        people: dict[Field, Person | None],
        deadline: dt.date | None,
        long_term: bool,
        immediate: bool,
        done: int | None,
        target: int | None,
        measure: str,
        file_state: FileState | None,
        state_text: str,
        note: str,
        measures: str,
    ) -> Plan:
        result = plan.result
        result.code = problem.code
        result.action = RowAction.UNCHANGED
        plan.problem = problem
        mapped = set(self.mapping.values())
        if unit.pk != problem.lead_unit_id:
            # Either the file moves the item to another unit, or its code names another item here.
            result.error(
                self.column(Field.UNIT),
                _(
                    "%(code)s is an item of %(unit)s here. An import does not change the responsible unit "
                    "(the unit returns the item and a supervisor reassigns it); if this row is another "
                    "item, remove its problem code."
                )
                % {"code": problem.code, "unit": problem.lead_unit.name},
            )
            return plan
        if not ledger.may_create_problem(self.user, problem.lead_unit):
            result.error(self.column(Field.UNIT), _("You do not supervise this item's unit."))
            return plan
        changes: dict[str, Any] = {}
        if mapped & {Field.DESCRIPTION, Field.TITLE}:
            if title != problem.title:
                changes["title"] = title
            if description != problem.description:
                changes["description"] = description
        if Field.SOURCE in mapped and source != problem.source:
            changes["source"] = source
        if category_given and category.pk != problem.category_id:
            changes["category"] = category
        if Field.MEASURES in mapped and measures != problem.measures:
            changes["measures"] = measures
        for found, attribute in ((Field.LEADER, "leader"), (Field.OWNER, "owner")):
            if found in mapped:
                person = people[found]
                if getattr(person, "is_new", False) or (person.pk if person else None) != getattr(
                    problem, f"{attribute}_id"
                ):
                    changes[attribute] = person
        if Field.DEADLINE in mapped and not immediate:
            if long_term and not problem.is_long_term:
                changes["is_long_term"] = True
            elif not long_term:
                if problem.is_long_term:
                    changes["is_long_term"] = False
                if deadline != problem.deadline:
                    changes["deadline"] = deadline
        if target is not None and target != problem.target_quantity:
            changes["target_quantity"] = target
        if measure and measure != problem.measure_word:
            changes["measure_word"] = measure
        state = State(problem.state)
        if changes and state not in (State.OPEN, State.IN_PROGRESS, State.RETURNED, State.REVIEW):
            labels = "、".join(sorted(changes))
            result.error(
                self.column(Field.STATE),
                _("The item is “%(state)s” here; its ledger entry cannot change (%(fields)s).")
                % {"state": problem.state_label, "fields": labels},
            )
            return plan
        plan.changes = changes
        result.changes = [str(self._label(name)) for name in changes]
        # state moves: forward only, and never a close-out
        working_states = (FileState.IN_PROGRESS, FileState.REVIEW, FileState.NOTICE, FileState.DONE)
        if state == State.OPEN and (file_state in working_states or (file_state is None and (note or done))):
            plan.start = True
            state = State.IN_PROGRESS
            result.changes.append(_("start the work"))
        if file_state == FileState.CANCELLED and state not in (State.CANCELLED, State.CLOSED):
            plan.cancel = _("The imported ledger marks this item “%(state)s”.") % {"state": state_text}
        if file_state in (FileState.REVIEW, FileState.NOTICE, FileState.DONE) and problem.state not in (
            State.REVIEW,
            State.NOTICE,
            State.CLOSED,
        ):
            self._flag(plan, file_state, state_text)
        new_note = bool(note) and Field.PROGRESS in mapped and note != progress_text(problem)
        new_done = done is not None and done != problem.done_quantity
        if new_note or new_done:
            if state == State.IN_PROGRESS:
                plan.progress = (note if new_note else "", done if new_done else None)
                result.changes.append(_("progress"))
            else:
                result.warn(
                    self.column(Field.PROGRESS),
                    _("The progress differs, but an item “%(state)s” takes no progress notes.")
                    % {"state": problem.state_label},
                )
        if plan.cancel:
            result.changes.append(_("cancel"))
        if result.changes:
            result.action = RowAction.UPDATE
        return plan

    def _label(self, attribute: str) -> str:
        labels = {
            "title": Field.TITLE,
            "description": Field.DESCRIPTION,
            "source": Field.SOURCE,
            "category": Field.CATEGORY,
            "measures": Field.MEASURES,
            "leader": Field.LEADER,
            "owner": Field.OWNER,
            "deadline": Field.DEADLINE,
            "is_long_term": Field.DEADLINE,
            "target_quantity": Field.TARGET,
            "measure_word": Field.QUANTITY,
        }
        return str(FIELD_LABELS[labels[attribute]])

    # writing

    def _materialise(self, item: ledger.ImportedProblem) -> ledger.ImportedProblem:
        draft = item.draft
        unit = self.directory.real_unit(draft.lead_unit)
        real = dataclasses.replace(
            draft,
            lead_unit=unit,
            category=self.directory.real_category(draft.category),
            assisting_units=tuple(self.directory.real_unit(other) for other in draft.assisting_units),
            leader=self.directory.real_person(draft.leader, unit),
            owner=self.directory.real_person(draft.owner, unit),
        )
        return dataclasses.replace(item, draft=real)

    def _create(self, plans: list[Plan], *, atomic: bool) -> None:
        items = [self._materialise(plan.create) for plan in plans if plan.create is not None]
        if atomic:
            problems = ledger.problems_import(user=self.user, items=items)
        else:
            try:
                with transaction.atomic():
                    problems = ledger.problems_import(user=self.user, items=items)
            except (DomainError, IntegrityError):
                # Find the rows at fault one by one; the others are still imported.
                for plan, item in zip(plans, items, strict=True):
                    try:
                        with transaction.atomic():
                            (problem,) = ledger.problems_import(user=self.user, items=[item])
                    except (DomainError, IntegrityError) as error:
                        plan.result.error("", str(error))
                        plan.result.action = RowAction.ERROR
                    else:
                        plan.result.code = problem.code
                return
        for plan, problem in zip(plans, problems, strict=True):
            plan.result.code = problem.code

    def _update(self, plan: Plan) -> None:
        problem = plan.problem
        assert problem is not None  # noqa: S101  # only update plans come here
        imported = {"imported": plan.provenance}
        if plan.changes:
            changes = dict(plan.changes)
            for attribute in ("leader", "owner"):
                if attribute in changes:
                    changes[attribute] = self.directory.real_person(changes[attribute], problem.lead_unit)
            if "category" in changes:
                changes["category"] = self.directory.real_category(changes["category"])
            ledger.problem_edit(
                user=self.user,
                problem_id=problem.pk,
                version=None,
                changes=changes,
                note=_("Imported from “%(file)s”, row %(row)d.")
                % {"file": self.file_name, "row": plan.result.row},
            )
        if plan.start:
            ledger.problem_start(user=self.user, problem_id=problem.pk, system=True, payload=imported)
        if plan.progress is not None:
            note, done = plan.progress
            ledger.problem_record_progress(
                user=self.user,
                problem_id=problem.pk,
                note=note,
                done_quantity=done,
                system=True,
                extra=imported,
            )
        if plan.cancel:
            ledger.problem_cancel(user=self.user, problem_id=problem.pk, reason=plan.cancel)

    def apply(self, plans: list[Plan], *, atomic: bool) -> None:
        creates = [plan for plan in plans if plan.create is not None and not plan.result.has_errors]
        if creates:
            self._create(creates, atomic=atomic)
        for plan in plans:
            if plan.problem is None or plan.result.action != RowAction.UPDATE:
                continue
            try:
                with transaction.atomic():
                    self._update(plan)
            except DomainError as error:
                if atomic:
                    raise ImportAborted(plan.result.row, str(error)) from None
                plan.result.error("", str(error))

    def run(self, rows: Iterable[SheetRow], sink: Sink, progress: Progress | None) -> ImportReport:
        atomic = self.options.mode == ImportMode.ATOMIC
        for chunk in self.data_rows(rows, progress):
            plans = self.plan_chunk(chunk)
            if self.write and atomic:
                failed = next((plan for plan in plans if plan.result.has_errors), None)
                if failed is not None:
                    issue = next(i for i in failed.result.issues if i["level"] == "error")
                    raise ImportAborted(failed.result.row, f"{issue['column']}: {issue['message']}")
                self.apply(plans, atomic=True)
                sink.add([plan.result for plan in plans])
            elif self.write:
                # Valid rows only: each chunk is one transaction, its results stored with its writes.
                with transaction.atomic():
                    self.apply(plans, atomic=False)
                    sink.add([plan.result for plan in plans])
            else:
                sink.add([plan.result for plan in plans])
            for plan in plans:
                self.report.counts[plan.result.action] += 1
        return self.report


class ImportAborted(Exception):
    """An all-or-nothing import met an error: everything it wrote is rolled back."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


@dataclass
class ImportOutcome:
    report: ImportReport
    aborted: ImportAborted | None = None


def ledger_import(
    *,
    user: Person,
    file: IO[bytes],
    name: str,
    options: ImportOptions,
    dry_run: bool,
    sink: Sink,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check (dry_run) or import a ledger file. All or nothing by default: the first row with an error rolls
    back everything (check the file first to see every error); `valid_only` imports the good rows in
    batches and reports the rest. Re-importing a file updates the items it created."""
    if not may_import(user):
        raise NotPermitted(_("Only a supervisor or an administrator may import a ledger."))
    problems = validate_mapping(options.mapping)
    if problems:
        raise InvalidInput(problems[0], field="mapping")
    with LedgerFile(file, name, sheet=options.sheet) as ledger_file:
        layout, rows = detect_layout(ledger_file.rows)
        importer = Importer(user=user, options=options, layout=layout, file_name=name, write=not dry_run)
        if dry_run or options.mode == ImportMode.VALID_ONLY:
            report = importer.run(rows, sink, progress)
            report.written = not dry_run
            return ImportOutcome(report)
        try:
            with transaction.atomic():
                importer.run(rows, sink, progress)
        except ImportAborted as aborted:
            return ImportOutcome(importer.report, aborted)
        importer.report.written = True
        return ImportOutcome(importer.report)
