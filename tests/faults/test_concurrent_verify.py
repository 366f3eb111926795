"""Two supervisors verify the same close-out at the same moment, on two PostgreSQL connections: one wins, the
other is told someone else acted first (409 Conflict), and the chain records one verification."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest
from django.db import connections

from taizhang.core.errors import Conflict
from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Event, Problem, Verdict
from taizhang.ledger.workflow import State
from taizhang.org import services as org
from taizhang.org.models import Person, Role
from tests.conftest import Org
from tests.factories import jpeg_upload, raised_problem

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="row locks across connections need PostgreSQL; SQLite serialises writers "
        "(run the PostgreSQL pass)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_concurrent_verifications_one_wins_one_gets_a_conflict(
    units: Org,
    supervisor: Person,
    handler: Person,
    leader: Person,
    employee: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem, _opinion = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note="修好了", evidence=[jpeg_upload()]
    )
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    second = org.person_create(username="wang", name="王督导", unit=units.office, password="x" * 12)
    org.role_grant(person=second, role=Role.SUPERVISOR, unit=units.root)
    seen = Problem.objects.get(pk=problem.pk).version  # both opened the page at this version

    # Hold each verification a moment after it has locked the row, so the two truly overlap.
    real_facts = ledger._facts

    def slow_facts(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.5)
        return real_facts(*args, **kwargs)

    monkeypatch.setattr(ledger, "_facts", slow_facts)
    start = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def verify(person: Person) -> None:
        try:
            start.wait()
            outcomes[person.username] = ledger.problem_verify(
                user=person, problem_id=problem.pk, version=seen
            )
        except Exception as error:  # the outcome is what the test looks at
            outcomes[person.username] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=verify, args=(person,)) for person in (supervisor, second)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - began

    winners = [value for value in outcomes.values() if isinstance(value, Problem)]
    losers = [value for value in outcomes.values() if isinstance(value, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].http_status == 409
    assert elapsed < 0.5 * 2 + 5  # the loser waited for the winner's lock, then was refused, not stuck
    current = Problem.objects.get(pk=problem.pk)
    assert current.state == State.CLOSED and current.version == seen + 1
    assert Event.objects.filter(problem=problem, kind="problem.verified").count() == 1
    assert list(verify_chains()) == []
