"""Random steps through the services at increasing random moments of 2014: list, raise, start, progress,
request close-out, sign, verify, rate, reject, return and reassign, reopen, cancel, urge, extend the
deadline, answer, decline, withdraw — refusals included. Tests compare what is maintained or counted fast
with a recomputation afterwards (tests/reports/test_tally.py, tests/ledger/test_inbox.py)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from zoneinfo import ZoneInfo

from taizhang.core import clock
from taizhang.core.errors import DomainError
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem, Verdict
from taizhang.org.models import Person, Unit
from tests.conftest import Org
from tests.factories import make_opinion, make_problem, raised_problem

LOCAL = ZoneInfo("Asia/Shanghai")


class Workflow:
    """Random steps through the services, at increasing random moments."""

    def __init__(self, seed: int, units: Org, people: dict[str, Person], categories: list[Category]) -> None:
        self.rng = random.Random(seed)
        self.units = units
        self.people = people
        self.categories = categories
        self.campaigns: list[int | None] = [None]
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
        quantity = self.rng.choice([None, 0, 1, 5, 12])
        request = (
            "request",
            lambda: ledger.problem_request_closeout(
                user=self.handler_for(p), problem_id=p, completion_note="已整改", done_quantity=quantity
            ),
        )
        progress = (
            "progress",
            lambda: ledger.problem_record_progress(
                user=self.handler_for(p), problem_id=p, note="进展", done_quantity=self.rng.randint(0, 9)
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
            "in_progress": [request, request, request, urge, extend, progress],
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
            campaign_id=self.rng.choice(self.campaigns),
            target_quantity=self.rng.choice([None, 10]),
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
