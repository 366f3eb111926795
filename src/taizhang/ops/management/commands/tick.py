"""`taizhang tick`: the periodic work of every part, in one idempotent round — run it every few minutes
(cron or a systemd timer; README, "Supervision and reminders").

Supervision: reminders, urging and escalation by rule, public-notice conclusions, look-backs, delivery
retries. The API: webhook deliveries due (and a sweep for any the fan-out missed). Personal information:
retention of photos and contact details.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from taizhang.api import webhooks
from taizhang.core import clock
from taizhang.dispatch.services import retrain_if_due
from taizhang.privacy.services import enforce_retention
from taizhang.supervision.scheduler import calendar_warning, tick


class Command(BaseCommand):
    help = (
        "Send due reminders, urge and escalate by rule, conclude public notices, schedule look-backs, "
        "retry deliveries, deliver webhooks, apply retention periods, retrain smart dispatch when due."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = tick()
        counts = dict(report.counts)
        swept = webhooks.sweep()
        delivered = webhooks.deliver_due()
        retained = enforce_retention()
        retrained = retrain_if_due()
        for step, number in (
            ("webhook deliveries recreated", swept),
            ("webhooks delivered", delivered),
            ("opinion photos deleted (retention)", retained.photos_deleted),
            ("contact details cleared (retention)", retained.contacts_cleared),
            ("dispatch model retrained (version)", retrained.version if retrained else 0),
        ):
            if number:
                counts[step] = number
        for step, number in sorted(counts.items()):
            self.stdout.write(f"{step}: {number}")
        if not counts:
            self.stdout.write("nothing to do")
        for error in report.errors:
            self.stderr.write(error)
        warning = calendar_warning(clock.today())
        if warning:
            self.stderr.write(warning)
