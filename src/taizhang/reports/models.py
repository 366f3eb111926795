"""Expenses and meetings (公车运行费, 公务接待费, 会议次数 …): monthly figures per unit and kind."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExpenseKind(models.Model):
    """What is counted: a cost in yuan or a number of meetings or documents. Configured by administrators."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True, help_text=_("Used in imported files."))
    unit_of_measure = models.CharField(_("unit of measure"), max_length=10, help_text=_("e.g. 元, 次, 件"))
    lower_is_better = models.BooleanField(
        _("lower is better"), default=True, help_text=_("A fall is shown as an improvement.")
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, help_text=_("0 for counts such as meetings.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    meetings_from = models.DateField(
        _("counted from meeting records from"),
        null=True,
        blank=True,
        help_text=_(
            "For a count of meetings (会议次数): from this month on, each unit's figure is the number of "
            "meetings recorded for it, and figures are no longer entered. Earlier months keep the figures "
            "entered. Leave blank for figures that are entered."
        ),
    )

    class Meta:
        verbose_name = _("expense kind")
        verbose_name_plural = _("expense kinds")
        ordering = ("sort_order", "name")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(decimals__lte=2), name="expense_kind_decimals_at_most_2"),
            models.CheckConstraint(
                condition=Q(meetings_from__isnull=True) | Q(meetings_from__day=1),
                name="expense_kind_meetings_from_month",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The admin's date picker gives any day; the rule works in whole months.
        if self.meetings_from is not None:
            self.meetings_from = self.meetings_from.replace(day=1)

    def counts_meetings(self, month: dt.date) -> bool:
        """Whether the month's figure is counted from meeting records rather than entered."""
        return self.meetings_from is not None and month >= self.meetings_from


class ExpenseRecord(models.Model):
    """One unit's figure of one kind for one month (`month` is the month's first day)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="expense_records", verbose_name=_("unit")
    )
    month = models.DateField(_("month"))
    kind = models.ForeignKey(
        ExpenseKind, on_delete=models.PROTECT, related_name="records", verbose_name=_("kind")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("expense record")
        verbose_name_plural = _("expense records")
        ordering = ("month", "unit", "kind")
        indexes: ClassVar = [models.Index(fields=("kind", "month"), name="expense_kind_month")]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("unit", "month", "kind"), name="expense_once_per_unit_month_kind"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="expense_month_is_first_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m} {self.kind_id}: {self.amount}"


# --- maintained tallies for the measures (reports.tally, docs/scale.md) ----------------------------------


class TallyCounts(models.Model):
    """The additive counts a day or month cell holds for one unit (reports.tally.DAY_COLUMNS)."""

    listed = models.IntegerField(default=0)
    due_live = models.IntegerField(default=0)  # deadline that day, not cancelled
    due_closed = models.IntegerField(default=0)  # … closed out
    due_on_time = models.IntegerField(default=0)  # … closed out on or before the deadline (local date)
    due_active = models.IntegerField(default=0)  # … still unfinished
    closed = models.IntegerField(default=0)  # closed out that day
    close_us = models.BigIntegerField(default=0)  # … microseconds from listing to close-out, added up
    item_days = models.IntegerField(default=0)
    opinions = models.IntegerField(default=0)  # received that day, not withdrawn
    opinions_responded = models.IntegerField(default=0)  # … answered (at any time)
    opinions_in_time = models.IntegerField(default=0)  # … answered within the response window
    ratings = models.IntegerField(default=0)
    ratings_satisfied = models.IntegerField(default=0)
    ratings_basic = models.IntegerField(default=0)
    ratings_unsatisfied = models.IntegerField(default=0)
    urges = models.IntegerField(default=0)
    reopens = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DayTally(TallyCounts):
    """The additive counts of one unit on one local day, kept in step with the ledger by reports.tally.

    Problems count at their lead unit on the day they were listed (`listed`), on their deadline (`due_*`),
    and on the day they were closed out (`closed`, `close_us`); opinions at their unit on the day they were
    received; ratings, urges and reopenings at the problem's lead unit on the day they happened.
    `item_days` counts each problem once per distinct day among listed / deadline / closed (not cancelled);
    together with PairTally it gives the "items" of a period exactly.
    """

    unit_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("unit_id", "day"), name="daytally_unit_day"),
        ]
        indexes: ClassVar = [models.Index(fields=("day",), name="daytally_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class MonthTally(TallyCounts):
    """DayTally summed by month (`month` is the first day): a year is read as twelve cells per unit."""

    unit_id = models.BigIntegerField()
    month = models.DateField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("unit_id", "month"), name="monthtally_unit_month"),
        ]
        indexes: ClassVar = [models.Index(fields=("month",), name="monthtally_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class PairTally(models.Model):
    """Problems two of whose consecutive distinct days (listed, deadline, closed; sorted) are first, last."""

    unit_id = models.BigIntegerField()
    first = models.DateField()
    last = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("unit_id", "first", "last"), name="pairtally_unit_first_last"),
        ]
        indexes: ClassVar = [
            models.Index(fields=("first",), name="pairtally_first"),
            models.Index(fields=("last",), name="pairtally_last"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.first}–{self.last}"


class MonthPairTally(models.Model):
    """PairTally by the months of its two days (first day of each month)."""

    unit_id = models.BigIntegerField()
    first = models.DateField()
    last = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("unit_id", "first", "last"), name="monthpairtally_unit_months"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.first:%Y-%m}–{self.last:%Y-%m}"


class AchievementTally(models.Model):
    """Quantities done (`Problem.done_quantity`) of the problems not cancelled, per lead unit, category and
    campaign (0: none), kept in step by reports.tally: the 成绩单 of a unit subtree without reading every
    problem."""

    unit_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    campaign_id = models.BigIntegerField(default=0)
    done = models.BigIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("unit_id", "category_id", "campaign_id"), name="achievementtally_cell"
            )
        ]

    def __str__(self) -> str:
        return f"unit {self.unit_id} category {self.category_id} campaign {self.campaign_id}: {self.done}"


class TallyState(models.Model):
    """One row: whether the tallies may be used, and the rules they were counted with."""

    valid = models.BooleanField(default=False)
    window_days = models.FloatField(null=True)
    time_zone = models.CharField(max_length=64, blank=True)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"tally valid={self.valid} window={self.window_days} tz={self.time_zone}"
