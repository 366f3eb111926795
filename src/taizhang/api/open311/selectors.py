"""Which opinions Open311 shows, and how an opinion reads as a service request.

Open311 reads need no key, so they show only what was sent through Open311 itself: opinions from the web
form, a talk or a meeting were never meant for a public API (docs/adr/0042-open311-mapping.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.intake.models import Channel, Opinion, OpinionState
from taizhang.ledger.models import Category
from taizhang.ledger.workflow import FINAL_STATES, State

OPEN = "open"
CLOSED = "closed"

_CLOSED_OPINION_STATES = (OpinionState.ANSWERED, OpinionState.DECLINED, OpinionState.WITHDRAWN)
_CLOSED_Q = Q(state__in=_CLOSED_OPINION_STATES) | Q(problem__state__in=[s.value for s in FINAL_STATES])


def services() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort_order", "name")


def visible_requests() -> QuerySet[Opinion]:
    return Opinion.objects.filter(channel=Channel.OPEN311).select_related(
        "category", "unit", "place", "problem", "problem__lead_unit"
    )


def with_status(requests: QuerySet[Opinion], statuses: set[str]) -> QuerySet[Opinion]:
    if statuses == {OPEN}:
        return requests.exclude(_CLOSED_Q)
    if statuses == {CLOSED}:
        return requests.filter(_CLOSED_Q)
    return requests


def status_of(opinion: Opinion) -> str:
    if opinion.state in _CLOSED_OPINION_STATES:
        return CLOSED
    if opinion.problem is not None and State(opinion.problem.state) in FINAL_STATES:
        return CLOSED
    return OPEN


def _status_notes(opinion: Opinion) -> str | None:
    problem = opinion.problem
    if opinion.state in (OpinionState.ANSWERED, OpinionState.DECLINED):
        return opinion.response
    if opinion.state == OpinionState.WITHDRAWN:
        return _("Withdrawn by the person who reported it.")
    if problem is not None:
        notes = f"{problem.code} {problem.state_label}"
        if problem.state == State.CLOSED and problem.completion_note:
            notes += f": {problem.completion_note}"
        return notes
    if opinion.state == OpinionState.MERGED:
        return _("Merged with a similar report; it follows that one.")
    return None


def _w3c(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _updated(opinion: Opinion) -> dt.datetime:
    """The last change; for a closed request, when it was closed (as the spec asks)."""
    problem = opinion.problem
    if problem is not None and problem.state == State.CLOSED and problem.closed_at:
        return problem.closed_at
    if problem is not None and problem.state == State.CANCELLED and problem.cancelled_at:
        return problem.cancelled_at
    moments = [opinion.created_at, opinion.responded_at, problem.updated_at if problem else None]
    return max(moment for moment in moments if moment is not None)


def _expected(opinion: Opinion) -> str | None:
    """The deadline (end of that day, local time) of the problem the request is on."""
    problem = opinion.problem
    if problem is None or problem.deadline is None:
        return None
    end_of_day = dt.datetime.combine(problem.deadline, dt.time(23, 59, 59))
    return _w3c(timezone.make_aware(end_of_day))


def as_request(opinion: Opinion) -> dict[str, Any]:
    """The fields of a GeoReport v2 request, in the spec's order."""
    problem = opinion.problem
    category = opinion.category
    return {
        "service_request_id": str(opinion.pk),
        "status": status_of(opinion),
        "status_notes": _status_notes(opinion),
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": opinion.text,
        "agency_responsible": problem.lead_unit.name if problem else opinion.unit.name,
        "service_notice": (problem.measures or None) if problem else None,
        "requested_datetime": _w3c(opinion.created_at),
        "updated_datetime": _w3c(_updated(opinion)),
        "expected_datetime": _expected(opinion),
        "address": opinion.place_label or None,
        "address_id": opinion.place.code if opinion.place else None,
        "zipcode": None,
        "lat": float(opinion.latitude) if opinion.latitude is not None else None,
        "long": float(opinion.longitude) if opinion.longitude is not None else None,
        "media_url": opinion.media_url or None,
    }
