"""An anonymous submission leaves no trace of the submitter: not in any table (the event chain included), not
in the logs, not in the rate limiter's cache, not in the stored files or their metadata.

Each channel is driven the way a real submitter would: the web form (signed in but choosing "anonymous",
and signed out), the JSON API (with a signed-in session present), Open311 (with the citizen's device and
account ids). Every request carries distinctive identifiers; afterwards every row that was added or changed,
every log record and every stored file is searched for them. Follow-up then works by receipt code alone.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Event
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import make_category

pytestmark = pytest.mark.django_db

REMOTE_ADDR = "203.0.113.187"
FORWARDED_FOR = "198.51.100.233"
USER_AGENT = "ZzDistinctiveAgent/7.3 (Identifiable; Phone-4711)"
DEVICE_ID = "device-4f1c9e77ab"
ACCOUNT_ID = "account-88213377"


@dataclass
class Identity:
    """Everything that could identify the submitter, as strings to search for."""

    person: Person
    session_key: str

    def strings(self) -> dict[str, str]:
        found = {
            "name": self.person.name,
            "username": self.person.username,
            "email": self.person.email,
            "address": REMOTE_ADDR,
            "forwarded address": FORWARDED_FOR,
            "user agent": USER_AGENT,
            "session key": self.session_key,
            "device id": DEVICE_ID,
            "account id": ACCOUNT_ID,
            "user id in a key": f"person:{self.person.pk}",
        }
        return {label: needle for label, needle in found.items() if needle}


# --- what the database holds ------------------------------------------------------------------------------


def _decoded(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Session data is signed and encoded: decode it, so what it holds is searched too."""
    if table == "django_session" and row.get("session_data"):
        row = {**row, "session_data": json.dumps(SessionStore().decode(row["session_data"]), default=str)}
    return row


def every_row() -> dict[tuple[str, str], dict[str, Any]]:
    """Every row of every table (all columns), keyed by (table, primary key or whole row)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # our table names
            names = [column[0] for column in cursor.description]
            for values in cursor.fetchall():
                row = _decoded(table, dict(zip(names, values, strict=True)))
                key = str(row.get("id", row.get("session_key", row.get("cache_key", repr(values)))))
                rows[(table, key)] = row
    return rows


def written_since(before: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The rows added or changed since `before`."""
    return {key: row for key, row in every_row().items() if before.get(key) != row}


def person_columns() -> dict[str, list[str]]:
    """Per table, the columns that refer to a person."""
    from django.apps import apps

    columns: dict[str, list[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Person and field.column:
                columns.setdefault(model._meta.db_table, []).append(field.column)
    return columns


def text_of(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return raw.decode("utf-8", "replace") + " " + base64.b64encode(raw).decode()
    return str(value)


def leaks_in_rows(rows: dict[tuple[str, str], dict[str, Any]], identity: Identity) -> list[str]:
    found = []
    refers_to_person = person_columns()
    for (table, key), row in rows.items():
        for column, value in row.items():
            text = text_of(value)
            found += [
                f"{table}[{key}].{column} holds the {label}"
                for label, needle in identity.strings().items()
                if needle and needle in text
            ]
            if column in refers_to_person.get(table, []) and value == identity.person.pk:
                found.append(f"{table}[{key}].{column} refers to the submitter")
    return found


# --- what the logs and files hold ----------------------------------------------------------------------


@pytest.fixture
def every_log_record(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """Every logger at DEBUG: the request log (django.request, django.server), axes, ours, the rest."""
    names = ["", "django", "django.request", "django.server", "django.security", "axes", "taizhang"]
    names += list(logging.root.manager.loggerDict)
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog.records


def leaks_in_logs(records: list[logging.LogRecord], identity: Identity) -> list[str]:
    found = []
    for record in records:
        extras = " ".join(
            text_of(value) for name, value in vars(record).items() if name not in {"msg", "args", "exc_info"}
        )
        text = f"{record.getMessage()} {record.exc_text or ''} {extras}"
        found += [
            f"log {record.name}: {label}" for label, needle in identity.strings().items() if needle in text
        ]
    return found


def leaks_in_files(identity: Identity) -> list[str]:
    found = []
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if not path.is_file():
            continue
        content = text_of(path.read_bytes())
        found += [
            f"file {path.name}: {label}"
            for label, needle in identity.strings().items()
            if needle in content or needle in str(path)
        ]
        try:
            with Image.open(path) as image:
                metadata: dict[Any, Any] = {**image.info, **dict(image.getexif())}
        except OSError:
            continue
        metadata.pop("dpi", None)
        metadata.pop("jfif", None)
        metadata.pop("jfif_version", None)
        metadata.pop("jfif_unit", None)
        metadata.pop("jfif_density", None)
        if metadata:
            found.append(f"file {path.name} keeps metadata: {sorted(map(str, metadata))}")
    return found


def identifying_photo(identity: Identity) -> io.BytesIO:
    """A phone photo that names its author and where it was taken, in EXIF and in a comment."""
    image = Image.new("RGB", (80, 60), (30, 120, 200))
    exif = Image.Exif()
    exif[0x013B] = identity.person.username  # Artist
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = DEVICE_ID  # BodySerialNumber
    exif[0x8825] = {1: "N", 2: (37.0, 51.0, 0.0), 3: "E", 4: (112.0, 33.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=identity.person.name.encode())
    buffer.seek(0)
    buffer.name = f"{identity.person.username}-IMG_0001.jpg"
    return buffer


# --- the scene ------------------------------------------------------------------------------------------


def distinctive_client() -> Client:
    return Client(
        REMOTE_ADDR=REMOTE_ADDR,
        HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
        HTTP_X_REAL_IP=FORWARDED_FOR,
        HTTP_USER_AGENT=USER_AGENT,
    )


@pytest.fixture
def signed_in(units: Org, employee: Person, settings: Any) -> tuple[Client, Identity]:
    """The employee signs in through the login page (with the login throttle on, as in production)."""
    settings.AXES_ENABLED = True
    settings.TAIZHANG_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # behind a proxy: both addresses seen
    Person.objects.filter(pk=employee.pk).update(email="zheng.xikang@example.org")
    employee.refresh_from_db()
    client = distinctive_client()
    response = client.post(reverse("web:login"), {"username": employee.username, "password": PASSWORD})
    assert response.status_code == 302, "the login must work for the scene to mean anything"
    return client, Identity(person=employee, session_key=client.session.session_key or "")


@pytest.fixture
def open311_key(admin_user: Person) -> str:
    from taizhang.api import services as api_services
    from taizhang.api.models import ApiToken

    return api_services.token_create(user=admin_user, name="12345 hotline", kind=ApiToken.Kind.OPEN311).raw


def assert_no_trace(
    before: dict[tuple[str, str], dict[str, Any]], records: list[logging.LogRecord], identity: Identity
) -> dict[tuple[str, str], dict[str, Any]]:
    written = written_since(before)
    assert any(table == "intake_opinion" for table, _key in written), "nothing was submitted"
    leaks = leaks_in_rows(written, identity) + leaks_in_logs(records, identity) + leaks_in_files(identity)
    assert not leaks, leaks
    return written


def submitted(written: dict[tuple[str, str], dict[str, Any]]) -> Opinion:
    [opinion_id] = [int(key) for table, key in written if table == "intake_opinion"]
    return Opinion.objects.get(pk=opinion_id)


def follow_up_by_receipt_only(
    opinion: Opinion, identity: Identity, supervisor: Person, *, chosen: bool = True
) -> None:
    """The opinion is not among the person's own; the receipt code alone follows it, triage included."""
    assert opinion.submitter_id is None and opinion.is_anonymous is chosen
    assert not Opinion.objects.filter(submitter=identity.person, pk=opinion.pk).exists()
    problem = intake.opinion_triage(
        user=supervisor,
        opinion_id=opinion.pk,
        draft=ledger.ProblemDraft(title="匿名反映的问题", category=make_category(), lead_unit=opinion.unit),
    )
    for event in Event.objects.filter(problem=problem):
        assert event.actor_id != identity.person.pk
        assert identity.person.name not in json.dumps(event.content(), ensure_ascii=False)
    stranger = Client()  # no session, no login: only the code
    page = stranger.get(reverse("intake:receipt", args=[opinion.receipt_display])).content.decode()
    assert problem.code in page
    answer = stranger.get(f"/api/v1/opinions/{opinion.receipt_display}", headers={"accept-language": "en"})
    assert answer.status_code == 200 and answer.json()["problem"]["code"] == problem.code
    assert answer.json()["anonymous"] is chosen


# --- the channels ---------------------------------------------------------------------------------------


def test_the_web_form_signed_in_but_anonymous_leaves_no_trace(
    signed_in: tuple[Client, Identity], every_log_record: list[logging.LogRecord], supervisor: Person
) -> None:
    client, identity = signed_in
    before = every_row()
    response = client.post(
        reverse("intake:submit"),
        {
            "text": "三号生活区东侧路灯一周不亮",
            "place_text": "三号生活区",
            "anonymous": "on",
            "idempotency_key": "web-key-0001",
            "photos": identifying_photo(identity),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    written = assert_no_trace(before, every_log_record, identity)
    opinion = submitted(written)
    assert opinion.photos.count() == 1
    mine = client.get(reverse("intake:mine")).content.decode()
    assert opinion.receipt_display not in mine and "三号生活区东侧路灯" not in mine
    follow_up_by_receipt_only(opinion, identity, supervisor)


def test_the_web_form_signed_out_leaves_no_trace(
    units: Org, employee: Person, every_log_record: list[logging.LogRecord], supervisor: Person
) -> None:
    client = distinctive_client()
    client.get(reverse("intake:submit"))  # a session of its own may exist; it must not be tied to the opinion
    identity = Identity(person=employee, session_key=client.session.session_key or "no-session")
    before = every_row()
    response = client.post(
        reverse("intake:submit"),
        {"text": "澡堂热水不足", "idempotency_key": "web-key-0002", "photos": identifying_photo(identity)},
    )
    assert response.status_code == 302
    written = assert_no_trace(before, every_log_record, identity)
    follow_up_by_receipt_only(submitted(written), identity, supervisor, chosen=False)


def test_the_api_with_a_signed_in_session_but_anonymous_leaves_no_trace(
    signed_in: tuple[Client, Identity], every_log_record: list[logging.LogRecord], supervisor: Person
) -> None:
    client, identity = signed_in
    before = every_row()
    response = client.post(
        "/api/v1/opinions",
        {"text": "停车位太少", "anonymous": True, "place_text": "办公楼"},
        content_type="application/json",
        headers={"idempotency-key": "api-key-0001", "accept-language": "en"},
    )
    assert response.status_code == 201, response.content
    written = assert_no_trace(before, every_log_record, identity)
    opinion = submitted(written)
    # the stored key cannot be recomputed from the person and the key without the server's secret
    plain = hashlib.sha256(f"person:{identity.person.pk}\napi-key-0001".encode()).hexdigest()
    assert opinion.idempotency_key and plain not in opinion.idempotency_key
    again = client.post(
        "/api/v1/opinions",
        {"text": "停车位太少", "anonymous": True, "place_text": "办公楼"},
        content_type="application/json",
        headers={"idempotency-key": "api-key-0001", "accept-language": "en"},
    )
    assert again.status_code == 200 and again.json()["receipt_code"] == opinion.receipt_display
    follow_up_by_receipt_only(opinion, identity, supervisor)


def test_open311_without_a_name_leaves_no_trace(
    signed_in: tuple[Client, Identity],
    open311_key: str,
    every_log_record: list[logging.LogRecord],
    supervisor: Person,
) -> None:
    client, identity = signed_in
    category = make_category()
    before = every_row()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": category.code,
            "address_string": "三号生活区",
            "description": "健身器材坏了",
            "device_id": DEVICE_ID,
            "account_id": ACCOUNT_ID,
        },
    )
    assert response.status_code == 200, response.content
    assert_no_trace(before, every_log_record, identity)
    [answer] = response.json()
    opinion = Opinion.objects.get(pk=int(answer["service_request_id"]))
    assert re.search(opinion.receipt_display, answer["service_notice"])
    follow_up_by_receipt_only(opinion, identity, supervisor)


def test_the_server_keeps_no_access_log_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn's access log (address, user agent, user) stays off: the app logs each request itself, without
    them (tests/ops/test_logs.py checks that line for an anonymous submission)."""

    started: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda path, argv: started.append(list(argv)))
    call_command("serve", "--port", "8999", "--workers", "1")
    [argv] = started
    assert not [arg for arg in argv if arg.startswith(("--access-log", "--access-logfile", "--log-config"))]
    from taizhang.ops import gunicorn_conf

    access = getattr(gunicorn_conf, "logconfig_dict", {}).get("loggers", {}).get("gunicorn.access", {})
    assert not access.get("handlers")
