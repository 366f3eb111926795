"""`taizhang backup` on one installation, `taizhang restore` into a new one (a fresh database and an empty
data folder): every table identical row for row, every file identical byte for byte, and `taizhang verify`
passes on the restored ledger. Child processes, as an operator would run them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.faults.site import checked, sqlite_rows, sqlite_site

pytestmark = pytest.mark.slow

# Not the organisation's data (ops/backup.py SKIPPED): sessions, login throttling, the task queue, the admin's
# log, and the rate limiter's counters (a cache table).
NOT_BACKED_UP = {
    "django_session",
    "django_admin_log",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_tasks_database_dbtaskresult",
    "django_tasks_db_dbtaskresult",
    "taizhang_ratelimit",
}


def files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_backup_restored_into_a_new_installation_is_the_same_ledger(
    tmp_path: Path, sqlite_template: Path
) -> None:
    original = sqlite_site(tmp_path / "original", sqlite_template)
    checked(original.python("from tests.faults.scenario import populate; populate()"))
    assert "every chain intact" in checked(original.taizhang("verify"))
    archive = tmp_path / "backup.tar.gz"
    checked(original.taizhang("backup", str(archive)))

    restored = sqlite_site(tmp_path / "restored", sqlite_template)
    assert not restored.media.exists() or not any(restored.media.rglob("*"))
    checked(restored.taizhang("restore", str(archive)))
    assert "every chain intact" in checked(restored.taizhang("verify"))

    before, after = sqlite_rows(original.sqlite, NOT_BACKED_UP), sqlite_rows(restored.sqlite, NOT_BACKED_UP)
    assert sorted(before) == sorted(after)
    assert before["ledger_event"] and before["intake_opinionphoto"] and before["ledger_evidence"]
    different = [table for table in before if before[table] != after[table]]
    assert not different, {table: (before[table][:2], after[table][:2]) for table in different[:3]}
    assert files(original.media) == files(restored.media) != {}

    # The restored installation goes on: new rows get new ids, and the ledger still verifies.
    checked(
        restored.python(
            """
            from taizhang.intake import services as intake
            from taizhang.org.models import Unit
            intake.opinion_submit(user=None, data=intake.OpinionInput(text="恢复后的新意见",
                unit=Unit.objects.get(code="yhl1"), anonymous=True))
            """
        )
    )
    assert "every chain intact" in checked(restored.taizhang("verify"))
