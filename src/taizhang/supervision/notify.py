"""Writing notifications: the in-app list, and the deliveries (email, group robots) that carry them.

`notify()` is called inside the transaction that has the cause (an urge notice issued, a reminder due). A
notice is identified by its cause, a string naming the reason and the state it concerns
("overdue:<problem>:<deadline>", "urge:<notice>:<level>" …): one notification per person and cause, one
delivery per target and cause, enforced by unique constraints, so however often `taizhang tick` runs — or
two run at once — nobody is told twice. Deliveries are enqueued as tasks after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from taizhang.core import clock
from taizhang.core.options import current_options
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from taizhang.supervision import tasks
from taizhang.supervision.models import Delivery, Notification, NotificationKind, Robot, UrgeNotice
from taizhang.supervision.people import ancestor_paths

#: Kinds that never go to group chats: they are addressed to one person (a raiser asked to rate).
PERSONAL_KINDS = frozenset({NotificationKind.RATING_REQUEST})


@dataclass(frozen=True)
class Sent:
    notifications: int
    deliveries: int


def robots_for(problem: Problem, kind: str) -> list[Robot]:
    """Active robots of the lead unit, and of units above it that cover their subtree, taking `kind`."""
    paths = ancestor_paths(problem.lead_unit.path)
    robots = Robot.objects.filter(is_active=True).filter(
        Q(unit_id=problem.lead_unit_id) | Q(include_subtree=True, unit__path__in=paths)
    )
    return [
        robot for robot in robots if (kind in robot.kinds) or (not robot.kinds and kind not in PERSONAL_KINDS)
    ]


def _create_once(model: type[Notification] | type[Delivery], **fields: object) -> object | None:
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        return None  # the same cause was already notified to this target


def problem_path(problem: Problem | None) -> str:
    return reverse("ledger:problem", args=[problem.pk]) if problem is not None else ""


def absolute(path: str) -> str:
    """A link for email and group chats: the site's address (TAIZHANG_SITE_URL) before the path."""
    options = current_options()
    return f"{options.site_url}{path}" if path else ""


def notify(
    *,
    kind: str,
    cause: str,
    recipients: Iterable[Person],
    message: str,
    subject: str,
    problem: Problem | None = None,
    notice: UrgeNotice | None = None,
    url: str = "",
    robots: bool = True,
) -> Sent:
    """Tell each recipient once for `cause`: in the app, by email, and the unit's robots once."""
    options = current_options()
    now = clock.now()
    path = url or problem_path(problem)
    link = absolute(path)
    body = f"{message}\n{link}" if link else message
    created_notifications = 0
    deliveries: list[Delivery] = []
    already = set(Notification.objects.filter(cause=cause).values_list("recipient_id", flat=True))
    for person in recipients:
        if person.pk in already:
            continue
        already.add(person.pk)
        made = _create_once(
            Notification,
            recipient=person,
            kind=kind,
            cause=cause,
            problem=problem,
            notice=notice,
            message=message,
            url=path,
            created_at=now,
        )
        if made is None:
            continue
        created_notifications += 1
        if options.email_notifications and person.email:
            delivery = _create_once(
                Delivery,
                channel=Delivery.Channel.EMAIL,
                target=person.email,
                cause=cause,
                kind=kind,
                subject=subject[:200],
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            if isinstance(delivery, Delivery):
                deliveries.append(delivery)
    if robots and problem is not None:
        for robot in robots_for(problem, kind):
            delivery = _create_once(
                Delivery,
                channel=robot.kind,
                target=f"robot:{robot.pk}",
                robot=robot,
                cause=cause,
                kind=kind,
                subject=subject[:200],
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            if isinstance(delivery, Delivery):
                deliveries.append(delivery)
    for delivery in deliveries:
        transaction.on_commit(partial(enqueue_delivery, delivery.pk))
    return Sent(notifications=created_notifications, deliveries=len(deliveries))


def enqueue_delivery(delivery_id: int) -> None:
    tasks.deliver.enqueue(delivery_id)


def kind_label(kind: str) -> str:
    return str(NotificationKind(kind).label)
