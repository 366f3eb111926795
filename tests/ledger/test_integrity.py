"""Tampering with the event rows directly in the database is found by `taizhang verify`."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Event, Problem
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import jpeg_upload, make_problem

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def append_only_trigger_off() -> Iterator[None]:
    """What a database administrator could do: switch the append-only trigger off, then on again."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred; ALTER TABLE needs their pending checks done first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ledger_event DISABLE TRIGGER ledger_event_append_only")
        else:
            cursor.execute("DROP TRIGGER ledger_event_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE ledger_event ENABLE TRIGGER ledger_event_append_only")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                cursor.execute(
                    "CREATE TRIGGER ledger_event_append_only BEFORE UPDATE ON ledger_event "
                    "BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END"
                )


def sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def worked(units: Org, supervisor: Person, handler: Person) -> Problem:
    """A problem with five events, plus an untouched neighbour."""
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="邻居")
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    for count in (3, 6):
        ledger.problem_record_progress(
            user=handler, problem_id=problem.pk, note=f"完成{count}处", done_quantity=count
        )
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note="完成", evidence=[jpeg_upload()]
    )
    problem.refresh_from_db()
    assert problem.event_count == 5
    return problem


def event(problem: Problem, seq: int) -> Event:
    return Event.objects.get(problem=problem, seq=seq)


def run_verify() -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("verify", stdout=out)
    except CommandError as failure:
        return out.getvalue() + str(failure), failure.returncode
    return out.getvalue(), 0


def test_the_database_refuses_to_update_an_event(worked: Problem) -> None:
    """The append-only trigger is there after every migration (SQLite drops it when it rebuilds the table)."""
    target = event(worked, 3)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql("UPDATE ledger_event SET note = %s WHERE id = %s", ["完成30处", target.pk])
    target.refresh_from_db()
    assert target.note != "完成30处"


def test_an_intact_ledger_verifies(worked: Problem) -> None:
    assert list(verify_chains()) == []
    output, code = run_verify()
    assert code == 0 and "OK" in output and "2 problems" in output


def test_an_edited_event_is_reported(worked: Problem) -> None:
    with append_only_trigger_off():
        sql("UPDATE ledger_event SET note = %s WHERE id = %s", ["完成30处", event(worked, 3).pk])
    [found] = verify_chains()
    assert (found.problem_code, found.seq, found.kind) == (worked.code, 3, "altered")
    output, code = run_verify()
    assert code == 1 and worked.code in output and "#3" in output


def test_an_edited_payload_is_reported(worked: Problem) -> None:
    with append_only_trigger_off():
        target = event(worked, 4)
        target.payload = {**target.payload, "done_quantity": [3, 60]}
        Event.objects.filter(pk=target.pk).update(payload=target.payload)
    [found] = verify_chains()
    assert (found.seq, found.kind) == (4, "altered")


def test_a_rewrite_with_a_recomputed_plain_hash_is_reported(worked: Problem) -> None:
    """Even recomputing the hash does not help without the chain key."""
    import hashlib

    with append_only_trigger_off():
        target = event(worked, 2)
        target.note = "提前完成"
        forged = hashlib.sha256(f"{target.prev_hash}\n{target.note}".encode()).hexdigest()
        Event.objects.filter(pk=target.pk).update(note=target.note, hash=forged)
    [found] = verify_chains()
    assert (found.seq, found.kind) == (2, "altered")


def test_a_rewrite_by_someone_holding_the_key_is_still_caught_by_the_next_link(worked: Problem) -> None:
    with append_only_trigger_off():
        target = event(worked, 2)
        target.note = "提前完成"
        target.hash = target.compute_hash()
        Event.objects.filter(pk=target.pk).update(note=target.note, hash=target.hash)
    [found] = verify_chains()
    assert (found.seq, found.kind) == (2, "altered")
    assert "3" in found.detail  # names the next event (#3), in the active language


def test_a_deleted_event_in_the_middle_is_reported(worked: Problem) -> None:
    Event.objects.filter(pk=event(worked, 3).pk).delete()
    [found] = verify_chains()
    assert (found.seq, found.kind) == (3, "removed")


def test_a_deleted_last_event_is_reported(worked: Problem) -> None:
    Event.objects.filter(pk=event(worked, 5).pk).delete()
    [found] = verify_chains()
    assert (found.seq, found.kind) == (5, "removed")


def test_an_inserted_event_is_reported(worked: Problem) -> None:
    last = event(worked, 5)
    forged = Event(
        problem=worked,
        seq=6,
        kind="problem.verified",
        actor=None,
        actor_role="supervisor",
        at=last.at,
        from_state="review",
        to_state="closed",
        prev_hash=last.hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    [found] = verify_chains()
    assert (found.seq, found.kind) == (6, "inserted")


def test_a_replaced_last_event_is_reported(worked: Problem) -> None:
    last = event(worked, 5)
    Event.objects.filter(pk=last.pk).delete()
    forged = Event(
        problem=worked,
        seq=5,
        kind="problem.closeout_requested",
        actor=None,
        at=last.at,
        from_state="in_progress",
        to_state="review",
        note="完成了全部",
        prev_hash=last.prev_hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)
    [found] = verify_chains()
    assert (found.seq, found.kind) == (5, "altered")


def test_a_problem_removed_with_its_whole_history_is_reported(worked: Problem) -> None:
    worked.evidence.all().delete()
    worked.opinions.all().delete()
    Event.objects.filter(problem=worked).delete()
    Problem.objects.filter(pk=worked.pk).delete()
    [found] = verify_chains()
    assert (found.problem_code, found.kind) == (worked.code, "missing_problem")


# --- the same check on an admin page ----------------------------------------------------------------------


def chain_page(admin_user: Person) -> tuple[int, str, list[tuple[str, str, str]]]:
    """(status, page, [(problem code, seq, kind)]) of the admin's chain check, in English."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(admin_user)
    response = client.get(reverse("admin:ledger_chaincheck_changelist"))
    page = response.content.decode()
    rows = re.findall(r'data-kind="([^"]*)" data-problem="([^"]*)" data-seq="([^"]*)"', page)
    return response.status_code, page, [(code, seq, kind) for kind, code, seq in rows]


def tamper_edit(problem: Problem) -> None:
    with append_only_trigger_off():
        sql("UPDATE ledger_event SET note = %s WHERE id = %s", ["完成30处", event(problem, 3).pk])


def tamper_insert(problem: Problem) -> None:
    last = event(problem, 5)
    sql(
        "INSERT INTO ledger_event (problem_id, seq, kind, actor_role, at, from_state, to_state, note, "
        "payload, prev_hash, hash) VALUES (%s, 6, 'problem.verified', 'supervisor', %s, 'review', 'closed', "
        "'', '{}', %s, %s)",
        [problem.pk, last.at, last.hash, "f" * 64],
    )


def tamper_delete(problem: Problem) -> None:
    sql("DELETE FROM ledger_event WHERE id = %s", [event(problem, 2).pk])


@pytest.mark.parametrize(
    ("tamper", "seq", "kind", "label"),
    [
        (tamper_edit, 3, "altered", "edited"),
        (tamper_insert, 6, "inserted", "inserted"),
        (tamper_delete, 2, "removed", "deleted"),
    ],
)
def test_raw_sql_tampering_is_reported_by_the_command_and_the_admin_page(
    worked: Problem, admin_user: Person, tamper: Callable[[Problem], None], seq: int, kind: str, label: str
) -> None:
    status, page, rows = chain_page(admin_user)
    assert status == 200 and rows == [] and "Every chain is intact" in page

    tamper(worked)

    output, code = run_verify()
    assert code == 1 and f"BROKEN {worked.code} #{seq} ({kind})" in output
    status, page, rows = chain_page(admin_user)
    assert status == 200
    assert rows == [(worked.code, str(seq), kind)]
    assert f"<td>{label}</td>" in page and "1 chain is broken" in page


def test_the_chain_check_is_linked_from_the_admin_index_and_only_for_administrators(
    worked: Problem, admin_user: Person, supervisor: Person
) -> None:
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:ledger_chaincheck_changelist")
    assert url in client.get(reverse("admin:index")).content.decode()
    outsider = Client()
    outsider.force_login(supervisor)
    assert outsider.get(url).status_code in {302, 403}
