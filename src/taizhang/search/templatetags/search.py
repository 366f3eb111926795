"""`{% load search %}` and `{{ problem.title|highlight:q }}`: the text escaped, the query's words marked."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from taizhang.search.selectors import snippet

register = template.Library()


@register.filter
def highlight(value: object, query: str) -> SafeString:
    return snippet(str(value or ""), query or "", width=None)
