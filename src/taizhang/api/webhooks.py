"""Outgoing webhooks (docs/webhooks.md, docs/adr/0043-webhooks-outbox.md).

1. Fan-out: when the ledger appends an Event (or an opinion is created), a WebhookDelivery row is written for
   every matching subscription *in the same transaction* — an outbox: the event and its deliveries commit
   or vanish together.
2. After commit a task sends them. An attempt that fails is retried later with exponential backoff; the
   `deliver_webhooks` command (run by `taizhang tick`) sends whatever is due, so a worker that died loses
   nothing, and `sweep()` re-creates deliveries a failed fan-out missed.
3. Each body is signed: X-Taizhang-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from taizhang.api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from taizhang.core import clock, hooks
from taizhang.intake.models import Opinion
from taizhang.ledger.models import Event, Problem

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Taizhang-Signature"
MAX_BACKOFF = dt.timedelta(hours=6)
OPINION_CREATED = "opinion.created"


# --- signing --------------------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does (docs/webhooks.md): recompute the HMAC, compare in constant time, refuse stale
    timestamps (replays)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), parts.get("v1", ""))


# --- bodies ---------------------------------------------------------------------------------------------


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _dump(body: dict[str, Any]) -> str:
    return json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def event_key(event: Event) -> str:
    return f"event-{event.pk}"


def opinion_key(opinion: Opinion) -> str:
    return f"opinion-{opinion.pk}"


def event_body(event: Event) -> str:
    problem: Problem = event.problem
    return _dump(
        {
            "id": event_key(event),
            "kind": event.kind,
            "created_at": _iso(event.at),
            "data": {
                "problem": {
                    "id": problem.pk,
                    "code": problem.code,
                    "title": problem.title,
                    "state": event.to_state,
                    "category": {"id": problem.category.pk, "code": problem.category.code},
                    "lead_unit": {"id": problem.lead_unit.pk, "name": problem.lead_unit.name},
                    "deadline": problem.deadline,
                    "is_public": problem.is_public,
                },
                "event": {
                    "seq": event.seq,
                    "from_state": event.from_state,
                    "to_state": event.to_state,
                    "note": event.note,
                    "actor_role": event.actor_role,
                    "actor": {"id": event.actor.pk, "name": event.actor.display_name}
                    if event.actor
                    else None,
                    "payload": event.payload,
                },
            },
        }
    )


def opinion_body(opinion: Opinion) -> str:
    """Nothing that identifies the submitter: no person, no contact, no receipt code (it is their key)."""
    return _dump(
        {
            "id": opinion_key(opinion),
            "kind": OPINION_CREATED,
            "created_at": _iso(opinion.created_at),
            "data": {
                "opinion": {
                    "id": opinion.pk,
                    "channel": opinion.channel,
                    "text": opinion.text,
                    "anonymous": opinion.is_anonymous,
                    "unit": {"id": opinion.unit.pk, "name": opinion.unit.name},
                    "category": {"id": opinion.category.pk, "code": opinion.category.code}
                    if opinion.category
                    else None,
                    "place": opinion.place_label,
                    "state": opinion.state,
                    "attributes": opinion.attributes,
                    "media_url": opinion.media_url,
                }
            },
        }
    )


# --- fan-out (inside the writer's transaction) ----------------------------------------------------------


def _matching(
    kind: str, unit_path: str, category_id: int | None, at: dt.datetime
) -> list[WebhookSubscription]:
    subscriptions = WebhookSubscription.objects.filter(is_active=True, created_at__lte=at).select_related(
        "unit"
    )
    return [
        s
        for s in subscriptions
        if (not s.event_kinds or kind in s.event_kinds)
        and (s.unit is None or unit_path.startswith(s.unit.path))
        and (s.category_id is None or s.category_id == category_id)
    ]


def _fan_out(key: str, kind: str, body: str, subscriptions: Iterable[WebhookSubscription]) -> int:
    now = clock.now()
    rows = [
        WebhookDelivery(
            subscription=s, event_id=key, kind=kind, body=body, created_at=now, next_attempt_at=now
        )
        for s in subscriptions
    ]
    if rows:
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _schedule(key: str) -> None:
    """Send after commit; a receiver that is down must never break (or undo) the write that caused it."""

    def send() -> None:
        try:
            from taizhang.api.tasks import deliver_webhook_event  # noqa: PLC0415  # tasks import this module

            deliver_webhook_event.enqueue(key)
        except Exception:
            logger.exception("could not enqueue webhook deliveries for %s; deliver_webhooks will", key)

    transaction.on_commit(send)


def _guarded(key: str, create: Any) -> None:
    """A savepoint: if the fan-out fails, the ledger's write goes on and `sweep()` repairs the gap later."""
    try:
        with transaction.atomic():
            created = create()
    except DatabaseError:
        logger.exception("webhook fan-out failed for %s; the sweep will retry", key)
        return
    if created:
        _schedule(key)


def on_event_recorded(event: Event) -> None:
    problem: Problem = event.problem
    key = event_key(event)
    _guarded(
        key,
        lambda: _fan_out(
            key,
            event.kind,
            event_body(event),
            _matching(event.kind, problem.lead_unit.path, problem.category_id, event.at),
        ),
    )


def on_opinion_saved(opinion: Opinion) -> None:
    # Who wants it first: with no matching subscription (the usual case) a submission costs one read here.
    wanted = _matching(OPINION_CREATED, opinion.unit.path, opinion.category_id, opinion.created_at)
    if not wanted:
        return
    key = opinion_key(opinion)
    if not hooks.just_inserted(opinion) and WebhookDelivery.objects.filter(event_id=key).exists():
        return  # created already; later changes of the opinion are not "created" again
    _guarded(key, lambda: _fan_out(key, OPINION_CREATED, opinion_body(opinion), wanted))


def sweep(*, hours: int = 24) -> int:
    """Create the deliveries a failed fan-out missed, for events and opinions of the last `hours`."""
    since = clock.now() - dt.timedelta(hours=hours)
    if not WebhookSubscription.objects.filter(is_active=True).exists():
        return 0
    created = 0
    events = Event.objects.filter(at__gte=since).select_related(
        "problem", "problem__lead_unit", "problem__category", "actor"
    )
    for event in events.iterator(chunk_size=500):
        wanted = _matching(event.kind, event.problem.lead_unit.path, event.problem.category_id, event.at)
        created += _fill_gap(event_key(event), event.kind, wanted, lambda e=event: event_body(e))
    opinions = Opinion.objects.filter(created_at__gte=since).select_related("unit", "category", "place")
    for opinion in opinions.iterator(chunk_size=500):
        wanted = _matching(OPINION_CREATED, opinion.unit.path, opinion.category_id, opinion.created_at)
        created += _fill_gap(opinion_key(opinion), OPINION_CREATED, wanted, lambda o=opinion: opinion_body(o))
    return created


def _fill_gap(key: str, kind: str, wanted: list[WebhookSubscription], body: Any) -> int:
    if not wanted:
        return 0
    have = set(WebhookDelivery.objects.filter(event_id=key).values_list("subscription_id", flat=True))
    missing = [s for s in wanted if s.pk not in have]
    return _fan_out(key, kind, body(), missing) if missing else 0


# --- delivery -------------------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not success: the receiver must take the POST where we sent it."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _backoff(attempts: int) -> dt.timedelta:
    first: int = settings.TAIZHANG_WEBHOOK_RETRY_SECONDS
    return min(MAX_BACKOFF, dt.timedelta(seconds=first * 2 ** max(0, attempts - 1)))


def _claim(delivery_id: int, *, force: bool = False) -> WebhookDelivery | None:
    """Take a due delivery for one attempt. The lease (next_attempt_at moved past the timeout) keeps
    another worker or the sweep command from sending it at the same time."""
    now = clock.now()
    lease = dt.timedelta(seconds=float(settings.TAIZHANG_WEBHOOK_TIMEOUT) * 2 + 30)
    with transaction.atomic():
        rows = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        if not force:
            rows = rows.filter(status=WebhookDelivery.Status.PENDING).filter(
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
            )
        delivery = rows.first()
        if delivery is None:
            return None
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=now + lease
        )
        return delivery


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """(status code or None, first bytes of the answer, error)."""
    if not url.startswith(("http://", "https://")):
        return None, "", "only http:// and https:// targets are allowed"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310  # scheme checked above
    timeout = float(settings.TAIZHANG_WEBHOOK_TIMEOUT)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.read(500).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(500).decode("utf-8", "replace"), ""
    except (OSError, ValueError) as error:  # refused, reset, timed out, DNS, malformed URL
        return None, "", f"{type(error).__name__}: {error}"[:1000]


def attempt(delivery: WebhookDelivery, *, replay: bool = False) -> bool:
    """POST the signed body once and record what happened. True when the receiver took it (2xx)."""
    subscription = delivery.subscription
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "taizhang-webhooks/1",
        "X-Taizhang-Event": delivery.kind,
        "X-Taizhang-Event-Id": delivery.event_id,
        "X-Taizhang-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: f"t={timestamp},v1={sign(subscription.secret, timestamp, body)}",
    }
    started = time.monotonic()
    code, excerpt, error = _post(subscription.target_url, body, headers)
    now = clock.now()
    ok = code is not None and 200 <= code < 300
    if code is not None and not ok:
        error = f"HTTP {code}"
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        response_code=code,
        response_excerpt=excerpt[:500],
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
        replay=replay,
    )
    attempts = delivery.attempts + 1
    if ok:
        status, next_at, delivered = WebhookDelivery.Status.SUCCEEDED, None, now
    elif attempts >= settings.TAIZHANG_WEBHOOK_MAX_ATTEMPTS:
        status, next_at, delivered = WebhookDelivery.Status.FAILED, None, None
    else:
        status, next_at, delivered = WebhookDelivery.Status.PENDING, now + _backoff(attempts), None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        status=status,
        next_attempt_at=next_at,
        last_attempt_at=now,
        response_code=code,
        last_error=error,
        delivered_at=delivered,
    )
    return ok


def deliver_ids(ids: Iterable[int], *, force: bool = False, replay: bool = False) -> int:
    delivered = 0
    for delivery_id in ids:
        delivery = _claim(delivery_id, force=force)
        if delivery is not None and attempt(delivery, replay=replay):
            delivered += 1
    return delivered


def deliver_event(key: str) -> int:
    """Send the due deliveries of one event (the task that follows a write)."""
    due = WebhookDelivery.objects.filter(event_id=key, status=WebhookDelivery.Status.PENDING)
    return deliver_ids(list(due.values_list("pk", flat=True)))


def deliver_due(*, limit: int = 500) -> int:
    """Send every delivery whose next attempt is due (the command `taizhang tick` runs)."""
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=clock.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return deliver_ids(list(due))


def replay(deliveries: Iterable[WebhookDelivery]) -> int:
    """An administrator sends deliveries again, whatever their status; each attempt is logged as a replay."""
    return deliver_ids([d.pk for d in deliveries], force=True, replay=True)
