"""`taizhang enforce_retention`: delete opinion photos and clear contact details past their retention period.

Run it daily (cron or a systemd timer, or from `taizhang tick`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from taizhang.privacy.services import enforce_retention


class Command(BaseCommand):
    help = "Apply the retention periods of photos and contact details (TAIZHANG_RETENTION_*_DAYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = enforce_retention()
        self.stdout.write(
            f"{done.photos_deleted} photos deleted, {done.contacts_cleared} contact details cleared."
        )
