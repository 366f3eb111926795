"""An anonymous submission leaves no trace of the submitter: not in any table (the event chain included), not
in the logs, not in the rate limiter's cache, not in the stored files or their metadata.

Each channel is driven the way a real submitter would: the web form (signed in but choosing "anonymous",
and signed out), the JSON API (with a signed-in session present), Open311 (with the citizen's device and
account ids). Every request carries distinctive identifiers; afterwards the whole database (every row of every
table, every column), every log record and every stored file is searched for them; the person may appear
only in their own account, session and sign-in log rows, as they were before the submission. Follow-up then
works by receipt code alone.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import logging
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from taizhang.core import clock
from taizhang.dispatch.models import DispatchModel
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Event
from taizhang.org.models import Person, Unit
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
            "phone": self.person.phone,
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

#: Where the person lawfully is, whatever they submit: their own account, their signed-in session, the
#: sign-in log of the login throttle (axes: address and user agent of each sign-in), their roles. A marker in
#: one of these rows is no leak as long as the submission did not write to the row.
IDENTITY_TABLES = frozenset(
    {"org_person", "django_session", "axes_accesslog", "axes_accessattempt", "org_roleassignment"}
)


def _cache_tables() -> set[str]:
    return {
        str(cache["LOCATION"])
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("db.DatabaseCache")
    }


def _decoded(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Session data is signed and encoded, the database cache's values are pickled and base64-encoded:
    decode them, so what they hold is searched too (beside the raw column)."""
    if table == "django_session" and row.get("session_data"):
        decoded = SessionStore().decode(row["session_data"])
        row = {**row, "session_data (decoded)": json.dumps(decoded, default=str, ensure_ascii=False)}
    if table in _cache_tables() and row.get("value"):
        value = pickle.loads(base64.b64decode(row["value"]))  # noqa: S301  # our own test database's cache
        row = {**row, "value (decoded)": repr(value)}
    return row


def every_row() -> dict[tuple[str, str], dict[str, Any]]:
    """Every row of every table (all columns, whatever their type), keyed by (table, primary key or whole
    row). The database's own catalogue is read, not the models: a table no model knows is searched too."""
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
    """A column's value as searchable text: bytes decoded, JSON also with its non-ASCII unescaped (SQLite
    stores "\\u90d1…" for a Chinese name in a JSON column)."""
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return raw.decode("utf-8", "replace") + " " + base64.b64encode(raw).decode()
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, ensure_ascii=False)
    text = str(value)
    if text[:1] in ("{", "[", '"'):
        with contextlib.suppress(ValueError):
            text += " " + json.dumps(json.loads(text), default=str, ensure_ascii=False)
    return text


@dataclass(frozen=True)
class Hit:
    table: str
    key: str
    column: str
    label: str

    def __str__(self) -> str:
        return f"{self.table}[{self.key}].{self.column} holds the {self.label}"


def search_rows(rows: dict[tuple[str, str], dict[str, Any]], identity: Identity) -> list[Hit]:
    """Every place in `rows` that holds one of the identity's markers or refers to the person."""
    found = []
    needles = identity.strings()
    refers_to_person = person_columns()
    for (table, key), row in rows.items():
        for column, value in row.items():
            if value is None:
                continue
            text = text_of(value)
            found += [Hit(table, key, column, label) for label, needle in needles.items() if needle in text]
            if column in refers_to_person.get(table, []) and value == identity.person.pk:
                found.append(Hit(table, key, column, "reference to the person"))
    return found


def leaks_in_database(before: dict[tuple[str, str], dict[str, Any]], identity: Identity) -> list[Hit]:
    """Search the WHOLE database, every row of every table, for the identity. A hit is lawful only in the
    person's own identity rows (IDENTITY_TABLES) that were already there, unchanged, before the submission;
    anything else — a new row, a changed row, or an old row of any other table — is a leak."""
    after = every_row()
    leaks = []
    for hit in search_rows(after, identity):
        row_key = (hit.table, hit.key)
        lawful = hit.table in IDENTITY_TABLES and before.get(row_key) == after[row_key]
        if not lawful:
            leaks.append(hit)
    return leaks


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
def employee(employee: Person) -> Person:
    """The submitter, with an e-mail address and a phone number on their account."""
    Person.objects.filter(pk=employee.pk).update(email="zheng.xikang@example.org", phone="13912345678")
    employee.refresh_from_db()
    return employee


@pytest.fixture
def signed_in(units: Org, employee: Person, settings: Any) -> tuple[Client, Identity]:
    """The employee signs in through the login page (with the login throttle on, as in production)."""
    settings.AXES_ENABLED = True
    settings.TAIZHANG_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # behind a proxy: both addresses seen
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
    # the search must see the person where they lawfully are, or it proves nothing
    seen = {(hit.table, hit.key) for hit in search_rows(before, identity)}
    assert ("org_person", str(identity.person.pk)) in seen
    leaks = [str(hit) for hit in leaks_in_database(before, identity)]
    leaks += leaks_in_logs(records, identity) + leaks_in_files(identity)
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


# --- the search can fail ---------------------------------------------------------------------------------


def test_the_database_search_finds_a_marker_planted_anywhere(
    signed_in: tuple[Client, Identity], units: Org, supervisor: Person
) -> None:
    """The control: the whole-database search must be able to fail. Markers planted after the snapshot in
    unrelated rows — a plain column, a JSON column (stored \\u-escaped on SQLite), a binary column, inside
    signed session data, inside the pickled cache, a reference to the person, and the person's own row
    touched — are each reported; before the planting the scene is clean."""
    _client, identity = signed_in
    other = intake.opinion_submit(
        user=supervisor, data=intake.OpinionInput(text="食堂排队太久", unit=units.plant)
    )
    before = every_row()
    assert leaks_in_database(before, identity) == []
    own_row = {(hit.table, hit.column, hit.label) for hit in search_rows(before, identity)}
    own_row = {place for place in own_row if place[0] == Person._meta.db_table}
    assert {column for _table, column, _label in own_row} >= {"name", "username", "email", "phone"}

    Unit.objects.filter(pk=units.sibling.pk).update(name=f"{identity.person.phone}号厂")
    Opinion.objects.filter(pk=other.pk).update(
        attributes={"writer": identity.person.name}, submitter=identity.person
    )
    DispatchModel.objects.create(
        version=99, trained_at=clock.now(), sample_count=0, payload=b"\x00" + DEVICE_ID.encode() + b"\xff"
    )
    store = SessionStore()
    store["seen_from"] = REMOTE_ADDR
    store.create()
    caches["ratelimit"].set("planted", {"agent": USER_AGENT})
    Person.objects.filter(pk=identity.person.pk).update(last_login=clock.now())  # e.g. a "last active" time

    found = {(hit.table, hit.column, hit.label) for hit in leaks_in_database(before, identity)}
    [cache_table] = _cache_tables()
    planted = {
        (Unit._meta.db_table, "name", "phone"),
        (Opinion._meta.db_table, "attributes", "name"),
        (Opinion._meta.db_table, "submitter_id", "reference to the person"),
        (DispatchModel._meta.db_table, "payload", "device id"),
        ("django_session", "session_data (decoded)", "address"),
        (cache_table, "value (decoded)", "user agent"),
    }
    assert found == planted | own_row


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
