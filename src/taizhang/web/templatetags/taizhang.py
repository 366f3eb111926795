"""Template helpers shared by the pages."""

from __future__ import annotations

from typing import Any

from django import template

from taizhang.ledger.events import event_label as labels_of_events
from taizhang.ledger.models import Problem, Verdict
from taizhang.ledger.workflow import ACTOR_LABELS, STATE_LABELS, Actor, State
from taizhang.supervision.lights import LIGHT_LABELS, Light

register = template.Library()


@register.filter
def light_label(value: str) -> str:
    return str(LIGHT_LABELS[Light(value)]) if value else ""


@register.filter
def percent(problem: Problem) -> int | None:
    progress = problem.progress
    return None if progress is None else round(progress * 100)


@register.filter
def event_label(kind: str) -> str:
    return labels_of_events(kind)


@register.filter
def state_label(value: str) -> str:
    return str(STATE_LABELS[State(value)]) if value in State else value


@register.filter
def actor_label(value: str) -> str:
    return str(ACTOR_LABELS[Actor(value)]) if value in Actor else value


@register.filter
def get_item(mapping: dict[Any, object], key: Any) -> object:
    return mapping.get(key, "")


@register.filter
def verdict_label(value: str) -> str:
    return str(Verdict(value).label) if value in Verdict.values else value


@register.filter
def contains(collection: set[int] | list[int], item: int) -> bool:
    return item in collection
