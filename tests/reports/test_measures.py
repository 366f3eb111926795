"""The measures on a hand-built ledger (March 2014), every expected number worked out by hand below.

The ledger, lead units in brackets (plant = 第一氧化铝厂, its workshop 原料车间, sibling = 第二氧化铝厂):

    P1 [plant]    listed 02-20 10:00, deadline 03-10, closed 03-08 10:00          campaign 2014
    P2 [plant]    listed 03-01 10:00 from opinion O1, deadline 03-15, rated 不满意 03-16, rejected,
                  rated 基本满意 03-19, closed 03-20 10:00 (late)
    P3 [plant]    listed 03-05, deadline 03-20, in progress; urged 03-22, 03-25 and 04-02
    P4 [plant]    listed 03-10, deadline 04-30, open
    P5 [plant]    listed 03-02, deadline 03-31, cancelled 03-25
    P6 [workshop] listed 01-10 00:30, deadline 03-25, closed 03-26 00:30 local time (16:30 UTC on 03-25:
                  late by the local date, on time by the UTC one), category 澡堂
    P7 [sibling]  listed 03-03 10:00, deadline 03-10, closed 03-09 10:00
    P8 [plant]    listed 02-01 10:00, deadline 02-28, closed 03-05 10:00
    P9 [plant]    listed 02-10, deadline 03-12, rated 满意 03-10, closed 03-11, reopened 03-28

    P1 rated 满意 03-07 (its raiser).
    Opinions about the plant, beyond those that raised P1 (02-20), P9 (02-10) and P2 (O1, 03-01 10:00,
    triaged at once): O2 03-03 answered 03-08 (5 days: late), O3 03-09 declined 03-10, O4 03-30 10:00 still
    new, O5 03-12 withdrawn 03-13, O6 02-25 answered 02-26.

For the plant's subtree in March 2014, as of 2014-04-10 12:00 (response window 3 days), as docs/measures.md
works it out (test_the_worked_example_in_docs_reads_as_the_code reads its figures from the page):

    deadline in March: P1 P2 P3 P5 P6 P9; due (not cancelled, passed or closed): P1 P2 P3 P6 P9 = 5
    resolved (closed now): P1 P2 P6 = 3                → 解决率 3/5 = 60 %
    on time (local close-out date ≤ deadline): P1 = 1  → 按期完成率 1/5 = 20 %
    overdue (open, deadline passed): P3 P9 = 2
    closed in March: P1 16 d, P2 19 d, P6 75 d, P8 32 d → 4 items, 142 days, average 35.5 days
    listed in March: P2 P3 P4 P5 = 4
    items (listed, with a deadline, or closed in March, not cancelled): P1 P2 P3 P4 P6 P8 P9 = 7
    opinions received: O1 O2 O3 O4 = 4 (O5 withdrawn, O6 in February); due 4 (O4's window ended 04-02);
    in time O1 O3 = 2                                  → 响应率 2/4 = 50 %
    ratings in March: 满意 P1, 不满意 P2, 基本满意 P2, 满意 P9 = 4 → 满意率 (2 + 1)/4 = 75 %
    urges in March 2 (P3; the one of 04-02 is April's), reopenings 1 (P9)
    composite (30/35/35): 30 × 0.5 + 35 × 0.6 + 35 × 0.75 = 15 + 21 + 26.25 = 62.25
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from taizhang.campaigns.models import Campaign
from taizhang.core import clock
from taizhang.core.errors import NotPermitted
from taizhang.core.options import Options
from taizhang.intake import services as intake
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem, Verdict
from taizhang.org import services as org
from taizhang.org.models import Person, Role, Unit
from taizhang.reports import measures, selectors
from taizhang.reports.period import Period
from taizhang.reports.scope import report_scope
from tests.conftest import PASSWORD, Org
from tests.factories import make_category, make_opinion, make_problem, raised_problem

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo("Asia/Shanghai")
MARCH = Period.month(2014, 3)
AS_OF = dt.datetime(2014, 4, 10, 12, 0, tzinfo=LOCAL)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2014, month, day, hour, minute, tzinfo=LOCAL)


@dataclass
class March:
    p: dict[str, Problem]
    lamps: Category
    baths: Category
    campaign: Campaign


def _request(problem: Problem, when: dt.datetime, handler: Person, leader: Person) -> None:
    """Start (if need be), request close-out and sign, in the three hours before `when`."""
    with clock.frozen_at(when - dt.timedelta(hours=3)):
        if Problem.objects.get(pk=problem.pk).state == "open":
            ledger.problem_start(user=handler, problem_id=problem.pk)
    with clock.frozen_at(when - dt.timedelta(hours=2)):
        ledger.problem_request_closeout(user=handler, problem_id=problem.pk, completion_note="修好了")
    with clock.frozen_at(when - dt.timedelta(hours=1)):
        ledger.problem_sign(user=leader, problem_id=problem.pk)


def _at(when: dt.datetime) -> Any:
    return clock.frozen_at(when)


@pytest.fixture
def sibling_leader(units: Org) -> Person:
    person = org.person_create(username="sib", name="二厂厂长", unit=units.sibling, password=PASSWORD)
    org.role_grant(person=person, role=Role.LEADER, unit=units.sibling)
    return person


@pytest.fixture
def march(
    units: Org,
    employee: Person,
    handler: Person,
    leader: Person,
    supervisor: Person,
    outsider: Person,
    sibling_leader: Person,
) -> March:
    lamps = make_category(name="路灯照明", evidence_required=False)
    baths = make_category(name="澡堂", evidence_required=False)
    campaign = Campaign.objects.create(
        name="教育实践活动", code="qzlx", starts_on=dt.date(2014, 2, 1), organiser=units.root
    )

    def listed(when: dt.datetime, deadline: dt.date, unit: Unit | None = None, **fields: Any) -> Problem:
        with _at(when):
            return make_problem(
                supervisor=supervisor,
                lead_unit=unit or units.plant,
                category=fields.pop("category", lamps),
                deadline=deadline,
                **fields,
            )

    def raised(when: dt.datetime, deadline: dt.date, **fields: Any) -> Problem:
        with _at(when):
            problem, _opinion = raised_problem(
                supervisor=supervisor,
                raiser=employee,
                unit=units.plant,
                category=lamps,
                deadline=deadline,
                **fields,
            )
        return problem

    def rate(problem: Problem, verdict: str, when: dt.datetime) -> None:
        with _at(when):
            ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=verdict)

    def verify(problem: Problem, when: dt.datetime) -> None:
        with _at(when):
            ledger.problem_verify(user=supervisor, problem_id=problem.pk)

    def close(problem: Problem, when: dt.datetime, worker: Person = handler, boss: Person = leader) -> None:
        _request(problem, when, worker, boss)
        verify(problem, when)

    p: dict[str, Problem] = {}
    p["P1"] = raised(at(2, 20), dt.date(2014, 3, 10), campaign_id=campaign.pk)
    _request(p["P1"], at(3, 7, 9), handler, leader)
    rate(p["P1"], Verdict.SATISFIED, at(3, 7, 12))
    verify(p["P1"], at(3, 8))

    p["P2"] = raised(at(3, 1), dt.date(2014, 3, 15))
    _request(p["P2"], at(3, 14), handler, leader)
    rate(p["P2"], Verdict.UNSATISFIED, at(3, 16))
    with _at(at(3, 16, 12)):
        ledger.problem_reject(user=supervisor, problem_id=p["P2"].pk, reason="群众不满意，返工")
    _request(p["P2"], at(3, 19, 9), handler, leader)
    rate(p["P2"], Verdict.BASICALLY_SATISFIED, at(3, 19, 12))
    verify(p["P2"], at(3, 20))

    p["P3"] = listed(at(3, 5), dt.date(2014, 3, 20))
    with _at(at(3, 6)):
        ledger.problem_start(user=handler, problem_id=p["P3"].pk)
    for when in (at(3, 22), at(3, 25), at(4, 2)):
        with _at(when):
            ledger.problem_urge(user=supervisor, problem_id=p["P3"].pk, note="请抓紧")

    p["P4"] = listed(at(3, 10), dt.date(2014, 4, 30))
    p["P5"] = listed(at(3, 2), dt.date(2014, 3, 31))
    with _at(at(3, 25)):
        ledger.problem_cancel(user=supervisor, problem_id=p["P5"].pk, reason="与P4重复")

    p["P6"] = listed(at(1, 10, 0, 30), dt.date(2014, 3, 25), unit=units.workshop, category=baths)
    close(p["P6"], at(3, 26, 0, 30))

    p["P7"] = listed(at(3, 3), dt.date(2014, 3, 10), unit=units.sibling)
    close(p["P7"], at(3, 9), worker=outsider, boss=sibling_leader)

    p["P8"] = listed(at(2, 1), dt.date(2014, 2, 28))
    close(p["P8"], at(3, 5))

    p["P9"] = raised(at(2, 10), dt.date(2014, 3, 12))
    _request(p["P9"], at(3, 9, 20), handler, leader)
    rate(p["P9"], Verdict.SATISFIED, at(3, 10))
    verify(p["P9"], at(3, 11))
    with _at(at(3, 28)):
        ledger.problem_reopen(user=supervisor, problem_id=p["P9"].pk, reason="回头看：路灯又坏了")

    def opinion(when: dt.datetime) -> int:
        with _at(when):
            return make_opinion(user=employee, unit=units.plant).pk

    o2 = opinion(at(3, 3))
    with _at(at(3, 8)):
        intake.opinion_answer(user=supervisor, opinion_id=o2, response="已纳入明年计划")
    o3 = opinion(at(3, 9))
    with _at(at(3, 10)):
        intake.opinion_decline(user=supervisor, opinion_id=o3, reason="不属于本单位")
    opinion(at(3, 30))  # O4, still new
    o5 = opinion(at(3, 12))
    with _at(at(3, 13)):
        intake.opinion_withdraw(user=employee, opinion_id=o5)
    o6 = opinion(at(2, 25))
    with _at(at(2, 26)):
        intake.opinion_answer(user=supervisor, opinion_id=o6, response="已解决")
    return March(p=p, lamps=lamps, baths=baths, campaign=campaign)


def plant_march(supervisor: Person, units: Org, **filters: Any) -> measures.Measures:
    return measures.compute(user=supervisor, period=MARCH, unit=units.plant, as_of=AS_OF, **filters)


def test_the_plants_march_reads_as_worked_out_by_hand(march: March, supervisor: Person, units: Org) -> None:
    result = plant_march(supervisor, units)
    counts = result.counts
    assert counts.problems_due == 5
    assert counts.problems_resolved == 3
    assert counts.problems_on_time == 1
    assert counts.problems_overdue == 2
    assert counts.problems_closed == 4
    assert counts.close_days_total == pytest.approx(142)
    assert counts.problems_listed == 4
    assert counts.items == 7
    assert (counts.opinions_received, counts.opinions_due_response, counts.opinions_responded_in_time) == (
        4,
        4,
        2,
    )
    assert (counts.ratings, counts.ratings_satisfied, counts.ratings_basic, counts.ratings_unsatisfied) == (
        4,
        2,
        1,
        1,
    )
    assert (result.urges, result.reopens, result.overdue) == (2, 1, 2)
    assert result.response_rate == pytest.approx(0.5)
    assert result.resolution_rate == pytest.approx(0.6)
    assert result.on_time_rate == pytest.approx(0.2)
    assert result.satisfaction_rate == pytest.approx(0.75)
    assert result.average_days_to_close == pytest.approx(35.5)
    assert result.score == pytest.approx(62.25)


def test_a_response_not_yet_due_does_not_count_against_the_unit(
    march: March, supervisor: Person, units: Org
) -> None:
    """As of 03-31 12:00, O4 (received 03-30 10:00) is still inside its 3-day window: due 3, in time 2."""
    early = measures.compute(
        user=supervisor, period=MARCH, unit=units.plant, as_of=dt.datetime(2014, 3, 31, 12, tzinfo=LOCAL)
    )
    assert early.counts.opinions_due_response == 3
    assert early.response_rate == pytest.approx(2 / 3)


def test_the_window_and_the_weights_are_settings(
    march: March, supervisor: Person, units: Org, settings: Any
) -> None:
    """A 6-day window makes O2 (answered after 5 days) in time: 3/4. Weights 50/50/0 on response and
    resolution: 50 × 0.75 + 50 × 0.6 = 67.5. 基本满意 at half weight: (2 + 0.5)/4 = 62.5 %."""
    settings.TAIZHANG = dataclasses.replace(
        Options(),
        response_window_days=6,
        score_weight_response=50,
        score_weight_resolution=50,
        score_weight_satisfaction=0,
        satisfaction_basic_weight=0.5,
    )
    result = plant_march(supervisor, units)
    assert result.response_rate == pytest.approx(0.75)
    assert result.score == pytest.approx(67.5)
    assert result.satisfaction_rate == pytest.approx(0.625)


def test_a_subtree_a_category_and_a_campaign_narrow_the_counts(
    march: March, supervisor: Person, units: Org
) -> None:
    """The workshop's subtree and the 澡堂 category are both P6 alone: due 1, resolved 1, late, 75 days.
    The campaign is P1 alone: due, resolved, on time, 16 days."""
    workshop = measures.compute(user=supervisor, period=MARCH, unit=units.workshop, as_of=AS_OF)
    baths = plant_march(supervisor, units, category_id=march.baths.pk)
    for result in (workshop, baths):
        assert (result.counts.problems_due, result.counts.problems_resolved) == (1, 1)
        assert result.on_time_rate == 0
        assert result.average_days_to_close == pytest.approx(75)
    campaign = plant_march(supervisor, units, campaign_id=march.campaign.pk)
    assert (campaign.counts.problems_due, campaign.counts.problems_on_time) == (1, 1)
    assert campaign.average_days_to_close == pytest.approx(16)


def test_the_whole_enterprise_adds_the_sibling(march: March, supervisor: Person) -> None:
    """P7 adds one due item, resolved on time (6 days): due 6, resolved 4, on time 2, closed 5, 148 days."""
    result = measures.compute(user=supervisor, period=MARCH, as_of=AS_OF)
    assert (result.counts.problems_due, result.counts.problems_resolved) == (6, 4)
    assert result.counts.problems_on_time == 2
    assert result.average_days_to_close == pytest.approx(148 / 5)


def test_a_deadline_still_ahead_is_not_due_unless_closed(
    march: March, supervisor: Person, units: Org
) -> None:
    """April as of 04-10: P4's deadline (04-30) is ahead, so nothing is due yet."""
    april = measures.compute(user=supervisor, period=Period.month(2014, 4), unit=units.plant, as_of=AS_OF)
    assert april.counts.problems_due == 0 and april.resolution_rate is None
    assert april.urges == 1  # P3's urge of 04-02


def test_ranking_lists_units_with_too_few_items_apart(
    march: March, supervisor: Person, units: Org, settings: Any
) -> None:
    """Children of the enterprise: the plant (7 items, 62.25), the sibling (1 item: P7; only resolution
    measurable → 100) and the office (no items)."""
    result = measures.ranking(user=supervisor, period=MARCH, parent_unit=units.root, as_of=AS_OF)
    assert [entry.name for entry in result.ranked] == ["第一氧化铝厂"]
    assert sorted(entry.name for entry in result.too_few) == ["第二氧化铝厂", "纪检监察工作部"]
    settings.TAIZHANG = dataclasses.replace(Options(), ranking_list_size=1)
    result = measures.ranking(user=supervisor, period=MARCH, parent_unit=units.root, min_items=1, as_of=AS_OF)
    assert [(entry.name, entry.rank) for entry in result.ranked] == [("第二氧化铝厂", 1), ("第一氧化铝厂", 2)]
    assert result.ranked[0].measures.score == pytest.approx(100)
    assert result.ranked[1].measures.score == pytest.approx(62.25)
    assert [entry.name for entry in result.top] == ["第二氧化铝厂"]
    assert [entry.name for entry in result.bottom] == ["第一氧化铝厂"]
    assert [entry.name for entry in result.too_few] == ["纪检监察工作部"]


def test_nobody_measures_units_outside_their_scope(
    march: March, outsider: Person, leader: Person, employee: Person, units: Org
) -> None:
    with pytest.raises(NotPermitted):
        measures.compute(user=outsider, period=MARCH, unit=units.plant)
    with pytest.raises(NotPermitted):
        measures.compute(user=employee, period=MARCH)
    with pytest.raises(NotPermitted):
        measures.ranking(user=leader, period=MARCH, parent_unit=units.root)
    # the outsider's own scope is the sibling alone: P7
    own = measures.compute(user=outsider, period=MARCH, as_of=AS_OF)
    assert (own.counts.problems_due, own.counts.problems_on_time) == (1, 1)
    # a leader over the plant ranks the plant's children: the workshop
    mine = measures.ranking(user=leader, period=MARCH, parent_unit=units.plant, min_items=1, as_of=AS_OF)
    assert [entry.name for entry in mine.ranked] == ["原料车间"]


def test_measures_take_a_fixed_number_of_queries(
    march: March, supervisor: Person, units: Org, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(7):
        plant_march(supervisor, units)


def test_the_dashboard_selectors_agree_with_the_hand_count(
    march: March, supervisor: Person, units: Org
) -> None:
    """Ratings by verdict (as above: 满意 2, 基本满意 1, 不满意 1); the funnel of items listed in March (P2
    closed, P3 in progress, P4 open, P5 cancelled) with O1–O4 received; March's flow: 4 opinions, 4 listed,
    4 closed (P1, P2, P6, P8)."""
    selection = selectors.Selection(scope=report_scope(supervisor, units.plant), period=MARCH)
    assert selectors.verdict_counts(selection) == {"satisfied": 2, "basically_satisfied": 1, "unsatisfied": 1}
    received, stages = selectors.funnel(selection)
    assert received == 4
    assert stages == [("listed", 3), ("started", 2), ("requested", 1), ("closed", 1)]
    assert [row[1:] for row in selectors.monthly_flow(selection)] == [(4, 4, 4)]


# --- docs/measures.md: its worked example and its settings, read from the page ------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "measures.md"


@dataclass(frozen=True)
class DocRow:
    measure: str  # the code name in backquotes: a field of Measures or Counts, or of Ranking
    clauses: tuple[str, ...]
    figure: str

    def __str__(self) -> str:
        return f"{self.measure} [{'; '.join(self.clauses)}] = {self.figure}"


def worked_example_rows() -> list[DocRow]:
    """The rows between <!-- worked-example --> and <!-- /worked-example --> in docs/measures.md."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- worked-example -->\n(.*?)<!-- /worked-example -->", text, re.DOTALL)
    assert found, "docs/measures.md has lost its worked-example table"
    rows = []
    for line in found.group(1).splitlines()[2:]:  # after the heading and the rule
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 4, line
        name = re.search(r"`(\w+)`", cells[0])
        assert name, line
        clauses = tuple(clause.strip() for clause in cells[1].split(";") if clause.strip())
        rows.append(DocRow(name.group(1), clauses, cells[3]))
    return rows


def _doc_value(text: str) -> float | None:
    """A figure as the page writes it: "60 %", "2 / 3", "35.5", or "—" (nothing to measure)."""
    if text == "—":
        return None
    if text.endswith("%"):
        return float(text.removesuffix("%").strip()) / 100
    if "/" in text:
        top, bottom = text.split("/")
        return float(Fraction(int(top), int(bottom)))
    return float(text)


def _reading(row: DocRow, march: March, supervisor: Person, units: Org, settings: Any) -> Any:
    """What the code reads for the row's measure and clauses."""
    named = {unit.name: unit for unit in Unit.objects.all()}
    unit: Unit | None = units.plant
    as_of, parent = AS_OF, None
    filters: dict[str, int] = {}
    rules: dict[str, Any] = {}
    for clause in row.clauses:
        if clause == "all units":
            unit = None
        elif clause.startswith("unit "):
            unit = named[clause.removeprefix("unit ")]
        elif clause.startswith("children of "):
            parent = named[clause.removeprefix("children of ")]
        elif clause.startswith("as of "):
            as_of = dt.datetime.fromisoformat(clause.removeprefix("as of ")).replace(tzinfo=LOCAL)
        elif clause.startswith("category "):
            filters["category_id"] = Category.objects.get(name=clause.removeprefix("category ")).pk
        elif clause.startswith("campaign "):
            filters["campaign_id"] = Campaign.objects.get(name=clause.removeprefix("campaign ")).pk
        else:
            setting = re.fullmatch(r"`(\w+)` ([\d.]+)", clause)
            assert setting, f"{row}: what is “{clause}”?"
            declared = {f.name: f.type for f in dataclasses.fields(Options)}
            assert setting.group(1) in declared, row
            value = float(setting.group(2))
            rules[setting.group(1)] = int(value) if declared[setting.group(1)] in (int, "int") else value
    settings.TAIZHANG = dataclasses.replace(Options(), **rules)
    if parent is not None:
        board = measures.ranking(user=supervisor, period=MARCH, parent_unit=parent, as_of=as_of, **filters)
        entries = getattr(board, row.measure)
        if row.measure == "ranked":
            return ", ".join(f"{entry.name} {entry.rank}" for entry in entries)
        return ", ".join(entry.name for entry in entries)
    result = measures.compute(user=supervisor, period=MARCH, unit=unit, as_of=as_of, **filters)
    if hasattr(result, row.measure):
        return getattr(result, row.measure)
    return getattr(result.counts, row.measure)


def test_the_worked_example_in_docs_reads_as_the_code(
    march: March, supervisor: Person, units: Org, settings: Any
) -> None:
    """Every figure of docs/measures.md's worked example, computed on the fixture above (the same ledger)."""
    rows = worked_example_rows()
    documented = {row.measure for row in rows}
    every_measure = {f.name for f in dataclasses.fields(measures.Measures)} - {"counts"}
    assert every_measure <= documented, f"no worked example for {every_measure - documented}"
    assert {"ranked", "top", "bottom", "too_few"} <= documented
    wrong = []
    for row in rows:
        read = _reading(row, march, supervisor, units, settings)
        if isinstance(read, str):
            agrees = read == row.figure
        else:
            expected = _doc_value(row.figure)
            agrees = read == expected if expected is None or read is None else abs(read - expected) < 1e-4
        if not agrees:
            wrong.append(f"{row}: the code reads {read}")
    assert wrong == []


def test_the_documented_settings_are_the_defaults() -> None:
    """docs/measures.md's settings table: every variable is an option, with the default the page says."""
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `TAIZHANG_(\w+)` \| ([\d.]+) \|", text, re.MULTILINE)
    assert len(rows) >= 11
    defaults = Options()
    for name, default in rows:
        assert getattr(defaults, name.lower()) == float(default), name
