"""Background tasks (Django's tasks framework; settings.TASKS). With the immediate backend they run in the
process that enqueued them, right after its transaction commits; with the database backend, in
`taizhang db_worker`."""

from __future__ import annotations

from django.tasks import task

from taizhang.supervision import sending


@task()
def deliver(delivery_id: int) -> str:
    return sending.deliver(delivery_id)
