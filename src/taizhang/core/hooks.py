"""Extension points: other contexts (search, notifications, webhooks) follow what the ledger and the intake
do without those importing them. Dependencies keep pointing one way: ledger → core ← search.

Subscribers run inside the writing transaction, so an index kept "in step" is rolled back with the write;
side effects that leave the database (mail, HTTP) must defer themselves with `transaction.on_commit`.
Subscribe in an AppConfig.ready().
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any

type Subscriber = Callable[[Any], None]

_subscribers: dict[str, list[Subscriber]] = {
    "event_recorded": [],
    "opinion_saved": [],
    "problem_saved": [],
    "batch_ended": [],
}
_batch: contextvars.ContextVar[object | None] = contextvars.ContextVar("hooks_batch", default=None)
_inserted: contextvars.ContextVar[object | None] = contextvars.ContextVar("hooks_inserted", default=None)


def subscribe(hook: str, subscriber: Subscriber) -> None:
    if hook not in _subscribers:
        raise ValueError(f"unknown hook {hook!r}; known: {sorted(_subscribers)}")
    if subscriber not in _subscribers[hook]:
        _subscribers[hook].append(subscriber)


def unsubscribe(hook: str, subscriber: Subscriber) -> None:
    if subscriber in _subscribers.get(hook, []):
        _subscribers[hook].remove(subscriber)


def _publish(hook: str, subject: Any) -> None:
    for subscriber in list(_subscribers[hook]):
        subscriber(subject)


def event_recorded(event: Any) -> None:
    """A ledger Event was appended (every change of a problem)."""
    _publish("event_recorded", event)


def problem_saved(problem: Any) -> None:
    """A problem's row was written (created, edited, or moved by the workflow)."""
    _publish("problem_saved", problem)


def opinion_saved(opinion: Any, *, inserted: bool = False) -> None:
    """An opinion was created or changed (submitted, triaged, answered, merged, withdrawn …). `inserted`: its
    row was inserted just now, by the write being published (see `just_inserted`)."""
    token = _inserted.set(opinion if inserted else None)
    try:
        _publish("opinion_saved", opinion)
    finally:
        _inserted.reset(token)


def just_inserted(subject: Any) -> bool:
    """While subscribers hear of `subject`: was its row inserted by this very write? Then no other row refers
    to it yet, except those earlier subscribers wrote for it, and a subscriber may skip looking for them (a
    submission is the hottest write). False in a publish the subscribers start themselves on the same row."""
    return subject is not None and _inserted.get() is subject


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Many writes in a row (a bulk import): subscribers may gather their work and do it once, when
    `batch_ended` is published at the end (still inside the writer's transaction). A batch that raises
    publishes nothing; what was gathered under it belongs to `current_batch()` only and is dropped."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set(object())
    try:
        yield
        _publish("batch_ended", _batch.get())
    finally:
        _batch.reset(token)


def current_batch() -> object | None:
    """The batch being written, or None."""
    return _batch.get()


# --- text search -----------------------------------------------------------------------------------------
# The ledger's and the intake's lists filter by text without importing the search app: it provides the
# matcher (full-text, ranked) when installed; without one, callers fall back to a plain substring filter.

type TextMatcher = Callable[[Any, str, Any], Any]  # (queryset, text, user or None) -> queryset, best first

_text_matchers: dict[str, TextMatcher] = {}


def provide_text_matcher(model_label: str, matcher: TextMatcher) -> None:
    _text_matchers[model_label] = matcher


def match_text(items: Any, text: str, user: Any = None) -> Any | None:
    """`items` (a scoped, filtered queryset) matching `text`, ranked; None when no matcher is provided."""
    matcher = _text_matchers.get(items.model._meta.label)
    return matcher(items, text, user) if matcher is not None else None
