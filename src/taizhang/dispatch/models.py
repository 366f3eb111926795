"""Smart dispatch (智能派单): trained models (versioned), the admins' rules, one suggestion per opinion."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _new_key() -> str:
    return uuid.uuid4().hex


class DispatchModel(models.Model):
    """One trained version. The fitted pipeline is stored as bytes here, so every worker (and a backup of the
    database) has it; the previous versions are kept for rollback."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    #: Names this fitted pipeline for the per-process cache (ids and versions can repeat after a restore).
    key = models.CharField(max_length=32, default=_new_key, editable=False)
    trained_at = models.DateTimeField(_("trained"))
    sample_count = models.PositiveIntegerField(_("triaged opinions learned from"))
    category_count = models.PositiveIntegerField(_("categories"), default=0)
    unit_count = models.PositiveIntegerField(_("units"), default=0)
    #: Measured on a held-out fifth of the history before the final fit on all of it.
    category_accuracy = models.FloatField(_("category accuracy (held out)"), null=True, blank=True)
    unit_accuracy = models.FloatField(_("unit accuracy (held out)"), null=True, blank=True)
    held_out_count = models.PositiveIntegerField(_("held-out opinions"), default=0)
    is_active = models.BooleanField(_("active"), default=False)
    payload = models.BinaryField(_("fitted pipeline"), editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dispatch model")
        verbose_name_plural = _("dispatch models")
        ordering = ("-version",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("is_active",), condition=Q(is_active=True), name="dispatch_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class DispatchRule(models.Model):
    """What an administrator says: text containing a keyword, or an opinion about a place, goes to this
    category and/or unit. With `overrides_model`, the rule wins over the model; otherwise it only speaks
    when there is no model (too little history) and is shown beside the model's suggestion."""

    keyword = models.CharField(
        _("keyword"), max_length=50, blank=True, help_text=_("Matched anywhere in the opinion's text.")
    )
    place = models.ForeignKey(
        "intake.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
    category = models.ForeignKey(
        "ledger.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead unit"),
    )
    overrides_model = models.BooleanField(_("overrides the model"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("dispatch rule")
        verbose_name_plural = _("dispatch rules")
        ordering = ("-overrides_model", "keyword", "pk")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~Q(keyword="") | Q(place__isnull=False),
                name="dispatch_rule_matches_something",
                violation_error_message=_("Give a keyword or a place (or both) for the rule to match."),
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=False) | Q(unit__isnull=False),
                name="dispatch_rule_says_something",
            ),
        ]

    def __str__(self) -> str:
        return self.keyword or str(self.place_id)


class Suggestion(models.Model):
    """What dispatch suggested for one opinion, why, and whether it was applied automatically (the history
    of that: the triage page shows it)."""

    opinion = models.OneToOneField(
        "intake.Opinion",
        on_delete=models.CASCADE,
        related_name="dispatch_suggestion",
        verbose_name=_("opinion"),
    )
    model = models.ForeignKey(
        DispatchModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("model"),
    )
    model_version = models.PositiveIntegerField(_("model version"), null=True, blank=True)
    category = models.ForeignKey(
        "ledger.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    category_confidence = models.FloatField(_("category confidence"), default=0)
    unit_confidence = models.FloatField(_("unit confidence"), default=0)
    #: {"categories": [[id, p], …], "units": [[id, p], …]}, best first, at most three each.
    top = models.JSONField(default=dict)
    #: {"category_words": [[word, weight], …], "unit_words": …, "neighbours": [[opinion id, similarity], …],
    #:  "rules": [rule id, …], "overridden": ["category"|"unit", …]}
    reasons = models.JSONField(default=dict)
    #: Why nothing was suggested, when nothing was ("too_little_history").
    refusal = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("suggested"))
    applied_automatically = models.BooleanField(_("applied automatically"), default=False)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    previous_category = models.ForeignKey(
        "ledger.Category", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous_unit = models.ForeignKey(
        "org.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: What triage decided, against the suggestion: how often people keep it, per version (the status page).
    decided_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    category_kept = models.BooleanField(_("category kept"), null=True, blank=True)
    unit_kept = models.BooleanField(_("unit kept"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch suggestion")
        verbose_name_plural = _("dispatch suggestions")

    def __str__(self) -> str:
        return f"{self.opinion_id}: {self.category_id}/{self.unit_id}"

    @property
    def confidence(self) -> float:
        """The lower of the two: what auto-apply compares with its threshold."""
        if self.category_id is None:
            return self.unit_confidence
        if self.unit_id is None:
            return self.category_confidence
        return min(self.category_confidence, self.unit_confidence)
