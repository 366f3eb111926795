"""A model mixin that remembers the column values a row had when it was read from the database.

Subscribers of `core.hooks` that keep something in step with a row (the maintained measure tallies of
reports) need what the row *was* as well as what it is now; `loaded_values(instance)` gives the values of
the last read, or None for an instance that was built in Python (not yet in the database).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Self

from django.db import models


class RemembersLoadedValues(models.Model):
    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_values = dict(zip(field_names, values, strict=True))  # type: ignore[attr-defined]
        return instance


def loaded_values(instance: models.Model) -> dict[str, Any] | None:
    values: dict[str, Any] | None = getattr(instance, "_loaded_values", None)
    return values
