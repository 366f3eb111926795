"""The maintained tallies (reports.tally) against the live count, after random workflows through the services.

Each run drives a few dozen problems and opinions through random steps at random moments of 2014 (list,
start, request close-out, sign, verify, rate, reject, return and reassign to another unit, reopen, cancel,
urge, extend the deadline, answer, decline, withdraw …), refusals included (the workflow says no, the
transaction rolls back with the tallies). Then every count of `measures.Counts` is compared, per unit, for
several people, units, periods and moments "as of", with `measures.live_counts_by_unit`.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from taizhang.core import clock, hooks
from taizhang.core.errors import DomainError
from taizhang.core.options import options_override
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem, Verdict
from taizhang.org import services as org
from taizhang.org.models import Person, Role, Unit
from taizhang.reports import measures, tally
from taizhang.reports.models import DayTally, MonthPairTally, MonthTally, PairTally, TallyState
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope, report_scope
from tests.conftest import PASSWORD, Org
from tests.factories import make_category, make_opinion, make_problem, raised_problem

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LOCAL = ZoneInfo("Asia/Shanghai")


class Workflow:
    """Random steps through the services, at increasing random moments."""

    def __init__(self, seed: int, units: Org, people: dict[str, Person], categories: list[Category]) -> None:
        self.rng = random.Random(seed)
        self.units = units
        self.people = people
        self.categories = categories
        self.now = dt.datetime(2014, 1, 1, 8, tzinfo=LOCAL)
        self.problems: list[int] = []
        self.opinions: list[int] = []
        self.raised: set[int] = set()
        self.done: Counter[str] = Counter()
        self.refusals: Counter[str] = Counter()

    def tick(self) -> dt.datetime:
        # Mostly hours apart, sometimes days, sometimes right around local midnight.
        step = (
            dt.timedelta(hours=self.rng.randint(1, 20)) if self.rng.random() < 0.8 else dt.timedelta(days=2)
        )
        self.now += step + dt.timedelta(minutes=self.rng.randint(0, 59))
        return self.now

    def handler_for(self, problem_id: int) -> Person:
        unit = Problem.objects.get(pk=problem_id).lead_unit
        return (
            self.people["outsider"]
            if unit.path.startswith(self.units.sibling.path)
            else self.people["handler"]
        )

    def leader_for(self, problem_id: int) -> Person:
        unit = Problem.objects.get(pk=problem_id).lead_unit
        return (
            self.people["sibling_leader"]
            if unit.path.startswith(self.units.sibling.path)
            else self.people["leader"]
        )

    def step(self) -> None:
        actions: list[tuple[str, Callable[[], object]]] = [
            ("list", self.list_problem),
            ("raise", self.raise_problem),
            ("opinion", self.submit_opinion),
        ]
        if self.problems:
            live = list(
                Problem.objects.filter(pk__in=self.problems)
                .exclude(state="cancelled")
                .values_list("pk", flat=True)
            )
            p = self.rng.choice(live if live and self.rng.random() < 0.9 else self.problems)
            actions += self.problem_steps(p) * 4
        if self.opinions:
            waiting = list(
                Opinion.objects.filter(pk__in=self.opinions, state="new").values_list("pk", flat=True)
            )
            o = self.rng.choice(waiting if waiting and self.rng.random() < 0.9 else self.opinions)
            sup = self.people["supervisor"]
            actions += [
                ("answer", lambda: intake.opinion_answer(user=sup, opinion_id=o, response="已答复")),
                ("answer", lambda: intake.opinion_answer(user=sup, opinion_id=o, response="已答复")),
                ("decline", lambda: intake.opinion_decline(user=sup, opinion_id=o, reason="不属于本单位")),
                ("withdraw", lambda: intake.opinion_withdraw(user=self.people["employee"], opinion_id=o)),
            ]
        name, action = self.rng.choice(actions)
        with clock.frozen_at(self.tick()):
            try:
                action()
            except DomainError as refusal:
                self.done[f"refused {name}"] += 1
                self.refusals[f"{name}: {refusal}"] += 1
            else:
                self.done[name] += 1

    def problem_steps(self, p: int) -> list[tuple[str, Callable[[], object]]]:
        """Steps that suit the problem's state, mostly forward, with a few that the workflow refuses."""
        sup = self.people["supervisor"]
        problem = Problem.objects.get(pk=p)
        verdict = self.rng.choice(list(Verdict.values))
        start = ("start", lambda: ledger.problem_start(user=self.handler_for(p), problem_id=p))
        request = (
            "request",
            lambda: ledger.problem_request_closeout(
                user=self.handler_for(p), problem_id=p, completion_note="已整改"
            ),
        )
        sign = ("sign", lambda: ledger.problem_sign(user=self.leader_for(p), problem_id=p))
        verify = ("verify", lambda: ledger.problem_verify(user=sup, problem_id=p))
        reject = ("reject", lambda: ledger.problem_reject(user=sup, problem_id=p, reason="返工"))
        rate: tuple[str, Callable[[], object]] = (
            "rate",
            lambda: ledger.problem_rate(user=self.people["employee"], problem_id=p, verdict=verdict),
        )
        if p not in self.raised:  # only the raisers rate
            rate = verify
        conclude = ("conclude", lambda: ledger.problem_conclude_notice(user=sup, problem_id=p))
        urge = ("urge", lambda: ledger.problem_urge(user=sup, problem_id=p, note="请抓紧"))
        reopen = ("reopen", lambda: ledger.problem_reopen(user=sup, problem_id=p, reason="回头看：又坏了"))
        cancel = ("cancel", lambda: ledger.problem_cancel(user=sup, problem_id=p, reason="重复"))
        give_back = (
            "return",
            lambda: ledger.problem_return(user=self.handler_for(p), problem_id=p, reason="非本单位"),
        )
        reassign = ("reassign", lambda: self.reassign(p))
        extend = ("extend", lambda: self.extend(p))
        by_state: dict[str, list[tuple[str, Callable[[], object]]]] = {
            "open": [start, start, urge, give_back, give_back, cancel],
            "in_progress": [request, request, request, urge, extend],
            "review": [sign, verify, verify, rate, rate, reject],
            "notice": [conclude, conclude, rate, urge],
            "closed": [reopen, rate],
            "returned": [reassign, reassign, cancel],
            "cancelled": [urge, reopen],
        }
        return by_state.get(problem.state, [urge])

    def _unit(self) -> Unit:
        return self.rng.choice([self.units.plant, self.units.workshop, self.units.sibling])

    def _deadline(self) -> dt.date:
        return clock.today() + dt.timedelta(days=self.rng.choice([-5, 0, 1, 7, 20, 45, 120]))

    def list_problem(self) -> None:
        problem = make_problem(
            supervisor=self.people["supervisor"],
            lead_unit=self._unit(),
            category=self.rng.choice(self.categories),
            deadline=self._deadline(),
        )
        self.problems.append(problem.pk)

    def raise_problem(self) -> None:
        problem, _opinion = raised_problem(
            supervisor=self.people["supervisor"],
            raiser=self.people["employee"],
            unit=self._unit(),
            category=self.rng.choice(self.categories),
            deadline=self._deadline(),
        )
        self.problems.append(problem.pk)
        self.raised.add(problem.pk)

    def submit_opinion(self) -> None:
        self.opinions.append(make_opinion(user=self.people["employee"], unit=self._unit()).pk)

    def reassign(self, problem_id: int) -> None:
        current = Problem.objects.get(pk=problem_id).lead_unit_id
        target = self.rng.choice([u for u in (self.units.plant, self.units.sibling) if u.pk != current])
        ledger.problem_reassign(
            user=self.people["supervisor"], problem_id=problem_id, lead_unit=target, deadline=self._deadline()
        )

    def extend(self, problem_id: int) -> None:
        problem = Problem.objects.get(pk=problem_id)
        later = (problem.deadline or clock.today()) + dt.timedelta(days=self.rng.randint(1, 40))
        ledger.problem_request_extension(
            user=self.handler_for(problem_id), problem_id=problem_id, new_deadline=later, reason="材料未到"
        )
        ledger.problem_decide_extension(
            user=self.people["supervisor"], problem_id=problem_id, approve=self.rng.random() < 0.7
        )


def _nonzero(found: dict[int, measures.Counts]) -> dict[int, measures.Counts]:
    return {unit: counts for unit, counts in found.items() if counts != measures.Counts()}


def _periods(rng: random.Random) -> list[Period]:
    periods = [Period.year(2014), Period.month(2014, 2), Period.months(2014, 1, 3), Period.month(2014, 4)]
    for _ in range(4):
        start = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randint(0, 150))
        periods.append(Period(start, start + dt.timedelta(days=rng.randint(0, 70))))
    return periods


@pytest.fixture
def people(
    employee: Person,
    handler: Person,
    leader: Person,
    supervisor: Person,
    outsider: Person,
    admin_user: Person,
) -> dict[str, Person]:
    sibling = Unit.objects.get(code="yhl2")
    sibling_leader = org.person_create(username="sib", name="二厂厂长", unit=sibling, password=PASSWORD)
    org.role_grant(person=sibling_leader, role=Role.LEADER, unit=sibling)
    return {
        "sibling_leader": sibling_leader,
        "employee": employee,
        "handler": handler,
        "leader": leader,
        "supervisor": supervisor,
        "outsider": outsider,
        "admin": admin_user,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_maintained_counts_equal_the_live_count_after_random_workflows(
    seed: int, units: Org, people: dict[str, Person]
) -> None:
    categories = [make_category(name=f"类别{n}", evidence_required=False) for n in range(2)]
    workflow = Workflow(seed, units, people, categories)
    for _ in range(300):
        workflow.step()
    # The runs must have exercised what the tallies follow, not only refusals.
    for kind in (
        "list",
        "raise",
        "verify",
        "rate",
        "urge",
        "reopen",
        "cancel",
        "reassign",
        "answer",
        "withdraw",
    ):
        assert workflow.done[kind] > 0, (kind, workflow.done, workflow.refusals)
    assert tally.usable(category_id=None, campaign_id=None)

    rng = random.Random(seed)
    moments = [workflow.now + dt.timedelta(days=1), dt.datetime(2014, 3, 1, 12, tzinfo=LOCAL)]
    moments.append(
        dt.datetime(2014, 1, 1, tzinfo=LOCAL) + (workflow.now - dt.datetime(2014, 1, 1, tzinfo=LOCAL)) / 2
    )
    compared = 0
    for person, unit in (
        (people["admin"], None),
        (people["supervisor"], units.plant),
        (people["supervisor"], units.sibling),
        (people["leader"], None),
        (people["handler"], units.workshop),
    ):
        scope = report_scope(person, unit)
        for period in _periods(rng):
            for as_of in moments:
                selection = measures.Selection(scope=scope, period=period, as_of=as_of)
                maintained = measures.counts_by_unit(selection)
                live = _nonzero(measures.live_counts_by_unit(selection))
                assert maintained == live, (person.username, unit, period, as_of)
                compared += 1
                if maintained:
                    assert measures.compute_for(selection) == measures.measures_from(
                        measures.total(live.values())
                    )
    assert compared == 5 * 8 * 3
    # The figures are not all empty: the comparison saw real numbers.
    whole = measures.counts_by_unit(
        measures.Selection(
            scope=UnitScope(paths=(), everything=True),
            period=Period(dt.date(2014, 1, 1), workflow.now.date()),
            as_of=moments[0],
        )
    )
    total = measures.total(whole.values())
    assert total.problems_closed > 0 and total.ratings > 0 and total.items > 0 and total.opinions_received > 0


def _tables() -> tuple[set[Any], set[Any], set[Any], set[Any]]:
    columns = ("unit_id", "day", *tally.DAY_COLUMNS)
    days = {row for row in DayTally.objects.values_list(*columns) if any(row[2:])}
    month_columns = ("unit_id", "month", *tally.DAY_COLUMNS)
    by_month = {row for row in MonthTally.objects.values_list(*month_columns) if any(row[2:])}
    pairs = {row for row in PairTally.objects.values_list("unit_id", "first", "last", "n") if row[3]}
    months = {row for row in MonthPairTally.objects.values_list("unit_id", "first", "last", "n") if row[3]}
    return days, by_month, pairs, months


def test_a_rebuild_recounts_the_same_cells(units: Org, people: dict[str, Person]) -> None:
    workflow = Workflow(7, units, people, [make_category(name="类别", evidence_required=False)])
    for _ in range(150):
        workflow.step()
    maintained = _tables()
    assert maintained[0] and maintained[1] and maintained[2]
    out, err = io.StringIO(), io.StringIO()
    call_command("measures_rebuild", stdout=out, stderr=err)
    assert "Recounted" in out.getvalue()
    assert _tables() == maintained
    assert TallyState.objects.get().valid


def test_changed_rules_fall_back_to_the_live_count_until_a_rebuild(
    units: Org, people: dict[str, Person]
) -> None:
    workflow = Workflow(11, units, people, [make_category(name="类别", evidence_required=False)])
    for _ in range(60):
        workflow.step()
    period = Period.year(2014)
    scope = UnitScope(paths=(), everything=True)
    as_of = workflow.now
    with options_override(response_window_days=1):
        assert not tally.usable(category_id=None, campaign_id=None)
        with clock.frozen_at(workflow.now):
            make_opinion(user=people["employee"], unit=units.plant)  # a write notices the change
        assert not TallyState.objects.get().valid
        selection = measures.Selection(scope=scope, period=period, as_of=as_of)
        live = _nonzero(measures.live_counts_by_unit(selection))
        assert measures.counts_by_unit(selection) == live  # answered live
        tally.rebuild()
        assert tally.usable(category_id=None, campaign_id=None)
        assert measures.counts_by_unit(selection) == live
    assert Opinion.objects.count() == len(workflow.opinions) + workflow.done["raise"] + 1


def test_a_category_or_campaign_filter_is_counted_live(units: Org, people: dict[str, Person]) -> None:
    assert not tally.usable(category_id=1, campaign_id=None)
    assert not tally.usable(category_id=None, campaign_id=1)


def test_a_bulk_import_is_counted_once_per_cell_and_exactly(units: Org, people: dict[str, Person]) -> None:
    category = make_category(name="导入类别", evidence_required=False)
    items = [
        ledger.ImportedProblem(
            draft=ledger.ProblemDraft(
                title=f"导入问题{n}",
                category=category,
                lead_unit=[units.plant, units.workshop, units.sibling][n % 3],
                deadline=dt.date(2014, 3, 1) + dt.timedelta(days=n % 40),
            ),
            external_ref=f"file:{n}",
            started=n % 2 == 0,
            cancel_reason="重复" if n % 7 == 0 else "",
        )
        for n in range(60)
    ]
    with clock.frozen_at(dt.datetime(2014, 2, 20, 9, tzinfo=LOCAL)):
        ledger.problems_import(user=people["supervisor"], items=items)
    selection = measures.Selection(
        scope=UnitScope(paths=(), everything=True),
        period=Period(dt.date(2014, 2, 1), dt.date(2014, 4, 30)),
        as_of=dt.datetime(2014, 3, 20, tzinfo=LOCAL),
    )
    maintained = measures.counts_by_unit(selection)
    assert maintained == _nonzero(measures.live_counts_by_unit(selection))
    assert measures.total(maintained.values()).problems_listed == 60
    # A batch that fails writes nothing of what it gathered.
    before = _tables()
    with pytest.raises(RuntimeError), hooks.batch():
        tally.apply(_one_listing(units.plant.pk))
        raise RuntimeError
    with hooks.batch():  # the next batch does not inherit the failed one's cells
        pass
    assert _tables() == before


def _one_listing(unit_id: int) -> tally.Delta:
    delta = tally.Delta()
    delta.add(unit_id, dt.date(2014, 2, 20), listed=1)
    return delta
