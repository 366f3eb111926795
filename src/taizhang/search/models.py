"""The search index: one row per opinion or problem, holding its segmented text.

The full-text index itself lives beside this table and is kept in step by the database (migration 0002):
on SQLite an FTS5 table fed by triggers, on PostgreSQL a generated tsvector column with a GIN index. Writing
a row here is therefore all it takes to index, inside the writer's transaction.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q


class FullTextRow(models.Model):
    """SQLite's FTS5 table (migration 0002), joined to rank matches; PostgreSQL has no such table."""

    rowid = models.BigIntegerField(primary_key=True)
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self) -> str:
        return str(self.rowid)


class SearchEntry(models.Model):
    """Segmented words (space-separated) of one opinion or one problem, and what narrows a lookup."""

    opinion = models.OneToOneField(
        "intake.Opinion", on_delete=models.CASCADE, null=True, blank=True, related_name="search_entry"
    )
    problem = models.OneToOneField(
        "ledger.Problem", on_delete=models.CASCADE, null=True, blank=True, related_name="search_entry"
    )
    # head weighs more than body in ranking: a problem's title, an opinion's text.
    head = models.TextField(blank=True)
    body = models.TextField(blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(
        "intake.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Offered as a possible duplicate: a problem still being worked on, an opinion not yet handled.
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    # No column: joins the FTS5 row of the same id (SQLite only).
    fulltext = models.ForeignObject(
        FullTextRow,
        on_delete=models.DO_NOTHING,
        from_fields=["id"],
        to_fields=["rowid"],
        related_name="+",
        null=True,
        serialize=False,  # nothing to store: it is the row's own id
    )

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        indexes: ClassVar = [
            models.Index(fields=("place", "is_open"), name="search_place_open"),
            models.Index(fields=("unit", "is_open"), name="search_unit_open"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(opinion__isnull=False, problem__isnull=True)
                | Q(opinion__isnull=True, problem__isnull=False),
                name="search_entry_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"opinion {self.opinion_id}" if self.opinion_id else f"problem {self.problem_id}"
