from __future__ import annotations

from typing import Any

from django import template

from taizhang.dispatch.selectors import SuggestionView, suggestion_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dispatch_suggestion(context: dict[str, Any], opinion: Any) -> SuggestionView | None:
    """The triage page's suggestion, for the person viewing it if they may triage the opinion."""
    request = context.get("request")
    if request is None or opinion is None:
        return None
    return suggestion_for(request.user, opinion)
