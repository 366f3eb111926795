"""Fixed-window request counters in a cache every worker process shares (settings.CACHES["ratelimit"]).

Every bucket is an HMAC: anonymous callers' addresses, and the person, token or Open311 key of signed-in
callers. Neither an address nor a person's id is ever a cache key (the cache may be a database table): a
person who signs in and then submits anonymously must not be linkable to the submission through a counter
written at the same moment. The HMAC key (SECRET_KEY) is not stored beside the counters.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


def _pseudonym(value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"ratelimit:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def anonymous_bucket(address: str) -> str:
    return "anon:" + _pseudonym(address)


def caller_bucket(kind: str, identifier: int) -> str:
    """A signed-in caller's bucket (kind: person, token, key), without their id in the clear."""
    return "auth:" + _pseudonym(f"{kind}:{identifier}")


def hit(bucket: str, limit: int, *, now: float | None = None) -> Verdict:
    """Count one request in the bucket's current minute; refuse beyond `limit` (0: no limit)."""
    if limit <= 0:
        return Verdict(allowed=True, limit=0, remaining=0, retry_after=0)
    moment = time.time() if now is None else now
    start = int(moment // WINDOW_SECONDS) * WINDOW_SECONDS
    retry_after = max(1, int(start + WINDOW_SECONDS - moment + 0.999))
    cache = caches["ratelimit"]
    key = f"rl:{bucket}:{start}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
        count = 1
    return Verdict(
        allowed=count <= limit, limit=limit, remaining=max(0, limit - count), retry_after=retry_after
    )
