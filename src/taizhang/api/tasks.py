"""Background tasks (settings.TASKS): the embedded default runs them in-process right after the commit."""

from __future__ import annotations

from django.tasks import task

from taizhang.api import webhooks


@task
def deliver_webhook_event(key: str) -> int:
    """Send the deliveries of one event; failures are recorded and retried by `deliver_webhooks`."""
    return webhooks.deliver_event(key)
