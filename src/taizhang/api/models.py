"""API tokens, the categories' extra questions (Open311 service attributes), and outgoing webhooks."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "tz_"  # noqa: S105  # a prefix, not a secret: lets scanners spot leaked tokens


def hash_token(raw: str) -> str:
    """Tokens are 256 random bits, so a fast hash is enough: nobody can brute-force the preimage."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A secret that stands for a person (personal) or an integrating system (Open311 api_key).

    Only its SHA-256 is stored; the token itself is shown once, when it is made.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal API token (acts as its person in /api/v1/)")
        OPEN311 = "open311", _("Open311 api_key (an integrating system's key for POST requests)")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
        help_text=_("The owner: a personal token acts as this person; an Open311 key was issued by them."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. 12345 hotline")
    )
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(kind__in=["personal", "open311"]), name="api_token_known_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ServiceAttribute(models.Model):
    """An extra question of a category (an Open311 service attribute): 灯杆编号, 楼层 …"""

    class Datatype(models.TextChoices):
        STRING = "string", _("Text on one line")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Text, several lines")
        SINGLE = "singlevaluelist", _("Choose one")
        MULTI = "multivaluelist", _("Choose several")

    category = models.ForeignKey(
        "ledger.Category",
        on_delete=models.CASCADE,
        related_name="service_attributes",
        verbose_name=_("category"),
    )
    code = models.SlugField(_("code"), max_length=50)
    variable = models.BooleanField(
        _("asks for input"), default=True, help_text=_("Off: the attribute only shows information.")
    )
    datatype = models.CharField(
        _("datatype"), max_length=20, choices=Datatype.choices, default=Datatype.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("datatype description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("question"), max_length=500)
    #: For the list datatypes: [{"key": "...", "name": "..."}, ...]
    values = models.JSONField(_("choices"), default=list, blank=True)
    # Open311 discovery's changeset: clients refresh cached service definitions when it moves.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("extra question (service attribute)")
        verbose_name_plural = _("extra questions (service attributes)")
        ordering = ("category", "order")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("category", "code"), name="service_attribute_code_unique"),
            models.UniqueConstraint(fields=("category", "order"), name="service_attribute_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="service_attribute_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI)

    def value_keys(self) -> list[str]:
        return [str(item.get("key", "")) for item in self.values if isinstance(item, dict)]


class WebhookSubscription(models.Model):
    """Where to send which events. The secret signs every body; it is shown once, when made."""

    name = models.CharField(_("name"), max_length=100)
    target_url = models.URLField(_("target URL"), max_length=500)
    secret = models.CharField(max_length=100, editable=False)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit subtree"),
        help_text=_("Only events of problems (or opinions) of this unit and the units under it; empty: all."),
    )
    category = models.ForeignKey(
        "ledger.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Only this category; empty: all."),
    )
    event_kinds = models.JSONField(
        _("event kinds"),
        default=list,
        blank=True,
        help_text=_('e.g. ["problem.closed", "opinion.created"]; empty: every kind.'),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), editable=False)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one subscription: written in the same transaction as the event (an outbox), then sent
    by a task and retried with backoff until it succeeds or runs out of attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Gave up")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    #: The event's identity for receivers to drop duplicates: "event-<Event.id>" or "opinion-<Opinion.id>".
    event_id = models.CharField(_("event id"), max_length=50)
    kind = models.CharField(_("kind"), max_length=50)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [
            models.Index(fields=("status", "next_attempt_at"), name="webhook_delivery_due"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("subscription", "event_id"), name="webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.event_id} {self.status}"


class WebhookAttempt(models.Model):
    """The log: one row per HTTP attempt, what came back or what went wrong."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("at"))
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    replay = models.BooleanField(_("replayed by an administrator"), default=False)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M:%S} {self.response_code or self.error[:30]}"
