"""`{% load supervision %}{% supervision_panel problem %}`: urge notices, look-backs and the light of one
problem, for the problem page. `{% light_badge light %}` renders a traffic light."""

from __future__ import annotations

from typing import Any

from django import template

from taizhang.ledger.models import Problem
from taizhang.ledger.permissions import offered_actions
from taizhang.ledger.selectors import can_see_internals
from taizhang.ledger.workflow import Action
from taizhang.supervision import selectors
from taizhang.supervision.lights import LIGHT_LABELS, Light
from taizhang.supervision.models import Colour

register = template.Library()


def panel_context(user: Any, problem: Problem) -> dict[str, Any]:
    """What `supervision/_problem_panel.html` needs. Notices and look-backs are internal: only people whose
    work scope holds the problem see them; everyone who can open the problem sees its light."""
    progress = selectors.progress_for([problem])[problem.pk]
    internals = user.is_authenticated and can_see_internals(user, problem)
    actions = offered_actions(user, problem) if user.is_authenticated else set()
    return {
        "problem": problem,
        "light": progress.light,
        "light_label": LIGHT_LABELS[progress.light] if progress.light else "",
        "progress": progress.actual,
        "progress_percent": None if progress.actual is None else round(progress.actual * 100),
        "calendar_error": progress.calendar_error,
        "internals": internals,
        "notices": list(selectors.problem_notices(problem)) if internals else [],
        "look_backs": list(selectors.problem_look_backs(problem)) if internals else [],
        "pending_extension": problem.extensions.filter(status="pending").first() if internals else None,
        "may_urge": Action.URGE in actions,
        "may_request_extension": Action.REQUEST_EXTENSION in actions,
        "colours": Colour.choices,
    }


@register.inclusion_tag("supervision/_problem_panel.html", takes_context=True)
def supervision_panel(context: template.Context, problem: Problem) -> dict[str, Any]:
    request = context["request"]
    return {
        **panel_context(request.user, problem),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("supervision/_light.html")
def light_badge(light: Light | str | None) -> dict[str, Any]:
    value = Light(light) if light else None
    return {"light": value, "label": LIGHT_LABELS[value] if value else ""}
