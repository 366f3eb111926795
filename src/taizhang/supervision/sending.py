"""Sending one delivery: an email through Django's mailer, or a post to a WeCom / DingTalk group robot.

Robot formats, as their documentation gives them:

- WeCom (企业微信群机器人): POST JSON to `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`,
  `{"msgtype": "markdown", "markdown": {"content": …}}` (content at most 4096 bytes); the answer is
  `{"errcode": 0, "errmsg": "ok"}`.
- DingTalk (钉钉自定义机器人): POST JSON to `https://oapi.dingtalk.com/robot/send?access_token=…`,
  `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`; with 加签, `&timestamp=<ms>&sign=<s>` is
  appended, s = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))). Same answer shape.

A delivery is claimed by one conditional UPDATE (pending → sending), sent outside any transaction (no row or
database lock is held during the network call), and its outcome written back. A failure is retried with
exponential backoff until `delivery_max_attempts`; then it stays `failed`, with its last error, for an
administrator to see and retry.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.core.mail import send_mail

from taizhang.core import clock
from taizhang.core.options import current_options
from taizhang.supervision.models import Delivery, Robot

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
WECOM_MAX_BYTES = 4096
#: A delivery left "sending" this long was interrupted (the process died mid-send).
STALE_AFTER = dt.timedelta(minutes=15)


class DeliveryFailed(Exception):
    pass


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(webhook_url: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return webhook_url
    separator = "&" if "?" in webhook_url else "?"
    return f"{webhook_url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode(errors="ignore") + "…"


def robot_payload(robot_kind: str, subject: str, body: str) -> dict[str, Any]:
    markdown = f"### {subject}\n{body}"
    if robot_kind == Robot.Kind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": _truncate_bytes(markdown, WECOM_MAX_BYTES)}}
    return {"msgtype": "markdown", "markdown": {"title": subject, "text": markdown}}


def _post_json(url: str, payload: dict[str, Any]) -> None:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        raise DeliveryFailed(f"not an http(s) URL: {url[:60]}")
    request = urllib.request.Request(  # noqa: S310  # the scheme is checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise DeliveryFailed(f"cannot reach the robot: {error}") from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise DeliveryFailed(f"the robot answered something other than JSON: {raw[:200]!r}") from None
    errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if errcode != 0:
        raise DeliveryFailed(f"errcode {errcode}: {answer.get('errmsg', '')}")


def send(delivery: Delivery) -> None:
    """Send it once; DeliveryFailed (or any error) says why not."""
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(delivery.subject, delivery.body, None, [delivery.target])
        return
    robot = delivery.robot
    if robot is None or not robot.is_active:
        raise DeliveryFailed("the robot was removed or switched off")
    url = robot.webhook_url
    if robot.kind == Robot.Kind.DINGTALK:
        url = dingtalk_url(url, robot.secret, int(clock.now().timestamp() * 1000))
    _post_json(url, robot_payload(robot.kind, delivery.subject, delivery.body))


def backoff(attempts: int) -> dt.timedelta:
    options = current_options()
    return dt.timedelta(seconds=options.delivery_backoff_seconds * 2 ** max(0, attempts - 1))


def deliver(delivery_id: int) -> str:
    """Claim, send and record one delivery; "skipped" when it is not due or another worker has it."""
    now = clock.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Delivery.Status.SENDING, claimed_at=now)
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("robot").get(pk=delivery_id)
    delivery.attempts += 1
    try:
        send(delivery)
    except Exception as error:  # any failure is recorded and retried; none may stop the others
        options = current_options()
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= options.delivery_max_attempts:
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.PENDING
            delivery.next_attempt_at = clock.now() + backoff(delivery.attempts)
        logger.warning("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = clock.now()
        delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error", "sent_at"])
    return str(delivery.status)


def fail_stale(now: dt.datetime) -> int:
    """Deliveries interrupted mid-send may or may not have arrived: mark them failed (an administrator can
    retry) rather than risk sending twice."""
    return Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER).update(
        status=Delivery.Status.FAILED,
        last_error="Interrupted while sending; not retried automatically so nothing is sent twice.",
    )
