"""Personal information: download, removal from opinions, retention — while the ledger stays verifiable."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.core import clock
from taizhang.core.options import options_override
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion, OpinionPhoto
from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.org.models import Person
from taizhang.privacy import services
from tests.conftest import PASSWORD, Org
from tests.factories import jpeg_upload, raised_problem

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_a_person_downloads_everything_held_about_them(
    units: Org, supervisor: Person, employee: Person
) -> None:
    intake.opinion_submit(
        user=employee,
        data=intake.OpinionInput(text="更衣室太小", unit=units.plant, contact_phone="13900000000"),
        photos=[jpeg_upload("room.jpg")],
    )
    intake.opinion_submit(
        user=employee, data=intake.OpinionInput(text="匿名意见", unit=units.plant, anonymous=True)
    )
    response = logged_in(employee).get(reverse("privacy:download"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("personal-data.json"))
        photos = [name for name in archive.namelist() if name.startswith("photos/")]
    assert data["person"]["name"] == "郑喜康"
    assert [o["text"] for o in data["opinions"]] == ["更衣室太小"]  # the anonymous one is not linked to them
    assert data["opinions"][0]["contact_phone"] == "13900000000"
    assert len(photos) == 1
    page = logged_in(employee).get(reverse("privacy:my_data")).content.decode()
    assert 'data-testid="opinion-count">1<' in page


def test_removal_from_opinions_keeps_the_ledger_intact(
    units: Org, supervisor: Person, handler: Person, employee: Person
) -> None:
    problem, opinion = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    events = list(problem.events.values_list("hash", flat=True))
    response = logged_in(employee).post(reverse("privacy:erase"), {"confirm": "1"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.submitter, opinion.contact_name, opinion.is_anonymous) == (None, "", True)
    assert opinion.problem == problem and opinion.text
    assert list(problem.events.values_list("hash", flat=True)) == events
    assert list(verify_chains()) == []
    assert services.personal_data(employee)["opinions"] == []


def test_erasure_needs_confirmation(units: Org, employee: Person) -> None:
    intake.opinion_submit(user=employee, data=intake.OpinionInput(text="路灯坏了", unit=units.plant))
    logged_in(employee).post(reverse("privacy:erase"), {})
    assert Opinion.objects.get().submitter == employee


def test_retention_deletes_old_photos_and_contacts_of_finished_matters_only(
    units: Org, supervisor: Person, employee: Person
) -> None:
    start = dt.datetime(2024, 1, 10, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        answered = intake.opinion_submit(
            user=employee,
            data=intake.OpinionInput(
                text="食堂太贵", unit=units.plant, contact_name="郑", contact_phone="139"
            ),
            photos=[jpeg_upload()],
        )
        intake.opinion_answer(user=supervisor, opinion_id=answered.pk, response="已公示价格依据")
        waiting = intake.opinion_submit(
            user=employee,
            data=intake.OpinionInput(
                text="宿舍漏雨", unit=units.plant, contact_name="郑", contact_phone="139"
            ),
            photos=[jpeg_upload()],
        )
    photo_file = answered.photos.get().image.path
    with options_override(retention_photo_days=30, retention_contact_days=60):
        early = services.enforce_retention(now=start + dt.timedelta(days=20))
        assert (early.photos_deleted, early.contacts_cleared) == (0, 0)
        done = services.enforce_retention(now=start + dt.timedelta(days=90))
    assert (done.photos_deleted, done.contacts_cleared) == (1, 1)
    answered.refresh_from_db()
    waiting.refresh_from_db()
    assert (answered.contact_phone, waiting.contact_phone) == ("", "139")
    assert OpinionPhoto.objects.filter(opinion=waiting).count() == 1
    assert not Path(photo_file).exists()
