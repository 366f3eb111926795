"""Retention as it runs in production: `taizhang tick` (the command cron calls), with the periods taken from
the settings, on opinions whose matters ended at different times.

Past the photo period the opinion's photos (files and thumbnails) are gone; past the contact period its
contact name and phone are cleared. Everything else — the opinion's text, its problem, the problem's evidence
and event chain — stays, and so do the photos and contacts of matters inside the period or not yet finished.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from taizhang.core import clock
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Problem, Verdict
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import jpeg_upload, make_category

pytestmark = pytest.mark.django_db

PHOTO_DAYS = 30
CONTACT_DAYS = 60


@dataclasses.dataclass
class People:
    supervisor: Person
    handler: Person
    leader: Person
    employee: Person


def opinion_at(days_ago: int, people: People, units: Org, text: str) -> Opinion:
    with clock.frozen_at(clock.now() - dt.timedelta(days=days_ago)):
        return intake.opinion_submit(
            user=people.employee,
            data=intake.OpinionInput(
                text=text, unit=units.plant, contact_name="郑喜康", contact_phone="13912345678"
            ),
            photos=[jpeg_upload(f"{text}.jpg")],
        )


def answered(days_ago: int, people: People, units: Org, text: str) -> Opinion:
    opinion = opinion_at(days_ago + 1, people, units, text)
    with clock.frozen_at(clock.now() - dt.timedelta(days=days_ago)):
        intake.opinion_answer(user=people.supervisor, opinion_id=opinion.pk, response="已答复")
    return opinion


def on_problem(days_ago: int, people: People, units: Org, text: str) -> tuple[Opinion, Problem]:
    """An opinion triaged into a problem that was started then; the caller ends it (or not)."""
    opinion = opinion_at(days_ago + 5, people, units, text)
    with clock.frozen_at(clock.now() - dt.timedelta(days=days_ago + 4)):
        problem = intake.opinion_triage(
            user=people.supervisor,
            opinion_id=opinion.pk,
            draft=ledger.ProblemDraft(
                title=text, category=make_category(), lead_unit=units.plant, deadline=clock.today()
            ),
        )
        ledger.problem_start(user=people.handler, problem_id=problem.pk)
    return opinion, problem


def closed_on_problem(days_ago: int, people: People, units: Org, text: str) -> tuple[Opinion, Problem]:
    opinion, problem = on_problem(days_ago, people, units, text)
    with clock.frozen_at(clock.now() - dt.timedelta(days=days_ago)):
        ledger.problem_request_closeout(
            user=people.handler,
            problem_id=problem.pk,
            completion_note="已修好",
            done_quantity=problem.target_quantity,
            evidence=[jpeg_upload("after.jpg")],
        )
        ledger.problem_sign(user=people.leader, problem_id=problem.pk)
        ledger.problem_rate(user=people.employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
        ledger.problem_verify(user=people.supervisor, problem_id=problem.pk)
    problem.refresh_from_db()
    assert problem.state == State.CLOSED
    return opinion, problem


def files_of(opinion: Opinion) -> list[Path]:
    paths = []
    for photo in opinion.photos.all():
        paths.append(Path(photo.image.path))
        if photo.thumbnail:
            paths.append(Path(photo.thumbnail.path))
    return paths


def tick() -> str:
    out = io.StringIO()
    call_command("tick", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_tick_applies_the_retention_settings_and_leaves_the_rest_alone(
    units: Org,
    supervisor: Person,
    handler: Person,
    leader: Person,
    employee: Person,
    settings: Any,
) -> None:
    settings.TAIZHANG = dataclasses.replace(
        settings.TAIZHANG, retention_photo_days=PHOTO_DAYS, retention_contact_days=CONTACT_DAYS
    )
    people = People(supervisor=supervisor, handler=handler, leader=leader, employee=employee)
    # past both periods
    old = answered(90, people, units, "食堂太贵")
    closed, closed_problem = closed_on_problem(90, people, units, "路灯不亮")
    # past the photo period only
    middle = answered(45, people, units, "澡堂水凉")
    # inside both periods, or not finished at all
    recent = answered(10, people, units, "班车太挤")
    cancelled, cancelled_problem = on_problem(20, people, units, "围墙破损")
    with clock.frozen_at(clock.now() - dt.timedelta(days=20)):
        ledger.problem_cancel(user=supervisor, problem_id=cancelled_problem.pk, reason="重复")
    waiting = opinion_at(200, people, units, "宿舍漏雨")
    working, working_problem = on_problem(200, people, units, "道路坑洼")

    files = {opinion.pk: files_of(opinion) for opinion in Opinion.objects.all()}
    assert all(files.values()) and all(path.exists() for paths in files.values() for path in paths)
    evidence = [Path(item.file.path) for item in closed_problem.evidence.all()]
    assert evidence
    chains = {
        problem.pk: list(problem.events.values_list("hash", flat=True))
        for problem in (closed_problem, cancelled_problem, working_problem)
    }

    report = tick()
    assert "opinion photos deleted (retention): 3" in report, report
    assert "contact details cleared (retention): 2" in report, report

    def state(opinion: Opinion) -> tuple[bool, str, str]:
        opinion.refresh_from_db()
        kept = opinion.photos.exists() and all(path.exists() for path in files[opinion.pk])
        gone = not opinion.photos.exists() and not any(path.exists() for path in files[opinion.pk])
        assert kept or gone, f"{opinion.text}: photo rows and files disagree"
        return kept, opinion.contact_name, opinion.contact_phone

    purged = (False, "", "")
    untouched = (True, "郑喜康", "13912345678")
    assert state(old) == purged
    assert state(closed) == purged
    assert state(middle) == (False, "郑喜康", "13912345678")
    for opinion in (recent, cancelled, waiting, working):
        assert state(opinion) == untouched, opinion.text

    # what retention does not touch: the opinions themselves, the problems, their evidence and chains
    assert Opinion.objects.count() == 7
    assert old.text == "食堂太贵" and old.submitter == employee
    assert closed.problem == closed_problem
    assert all(path.exists() for path in evidence)
    for problem in (closed_problem, cancelled_problem, working_problem):
        assert (
            list(problem.events.values_list("hash", flat=True))[: len(chains[problem.pk])]
            == chains[problem.pk]
        )
    assert list(verify_chains()) == []

    # a second round finds nothing more to remove
    again = tick()
    assert "(retention)" not in again, again
    assert state(recent) == untouched


def test_a_period_of_zero_keeps_everything(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person, settings: Any
) -> None:
    settings.TAIZHANG = dataclasses.replace(
        settings.TAIZHANG, retention_photo_days=0, retention_contact_days=0
    )
    people = People(supervisor=supervisor, handler=handler, leader=leader, employee=employee)
    old = answered(3000, people, units, "食堂太贵")
    assert "(retention)" not in tick()
    old.refresh_from_db()
    assert old.photos.count() == 1 and old.contact_phone == "13912345678"
