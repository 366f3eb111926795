"""Several counts in one round trip."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def count_each(querysets: Sequence[QuerySet[Any]]) -> list[int]:
    """The number of rows of each queryset, in one query of scalar subqueries: each is planned on its own
    (an index apiece), where one aggregate with a FILTER per count would read every row any count needs."""
    if not querysets:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets:
        try:
            sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a condition that matches nothing (e.g. `pk IN ()`)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{len(parts)})")  # noqa: S608  # compiled SQL
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # the parts' values are bound parameters
        row = cursor.fetchone()
    return [int(n) for n in row]
