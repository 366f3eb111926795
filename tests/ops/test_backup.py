"""A full backup and restore gives the same ledger, row for row and file for file, and it verifies."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Problem, Verdict
from taizhang.ops.backup import SKIPPED
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import jpeg_upload, make_opinion, raised_problem

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIPPED or model._meta.proxy:
            continue
        objects = model._default_manager.order_by("pk")
        rows[label] = serializers.serialize("python", objects)
    return rows


def media() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_backup_then_restore_into_an_empty_database_gives_the_same_ledger(
    tmp_path: Path, units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person
) -> None:
    problem, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant, target_quantity=2)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=problem.pk,
        completion_note="好了",
        done_quantity=2,
        evidence=[jpeg_upload("after.jpg")],
    )
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    make_opinion(user=None, unit=units.plant, anonymous=True)
    before, files = every_row(), media()
    assert files

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert Problem.objects.count() == 0

    call_command("restore", str(archive), stdout=io.StringIO())
    after = every_row()
    differences = [
        (label, row["pk"], name, value, other["fields"][name])
        for label, rows in before.items()
        for row, other in zip(rows, after[label], strict=False)
        for name, value in row["fields"].items()
        if other["fields"][name] != value
    ]
    assert not differences, differences[:5]
    assert after == before
    assert media() == files
    assert list(verify_chains()) == []
    # the sequences continue after the restored ids
    new = raised_problem(
        supervisor=Person.objects.get(pk=supervisor.pk), raiser=None, unit=units.plant, anonymous=True
    )[0]
    assert new.pk > problem.pk


def test_a_restore_never_overwrites_a_ledger(
    tmp_path: Path, units: Org, supervisor: Person, employee: Person
) -> None:
    raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())
