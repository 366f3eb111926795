"""Supervision: urge notices (督办单), look-backs (回头看), notifications and their deliveries.

Only `supervision.services` (and the scheduler it runs from `taizhang tick`) writes these rows. What changes a
problem still goes through `ledger.services`; these rows add what the ledger does not hold: the notice's
reply deadline and escalation, the look-back's due date, who was told what and whether it reached them.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Colour(models.TextChoices):
    """三色督办单: blue near the deadline, yellow behind schedule, red overdue."""

    BLUE = "blue", _("Blue: the deadline is near")
    YELLOW = "yellow", _("Yellow: behind schedule")
    RED = "red", _("Red: overdue")


COLOUR_ORDER = (Colour.BLUE, Colour.YELLOW, Colour.RED)


def colour_rank(colour: str) -> int:
    return COLOUR_ORDER.index(Colour(colour))


class UrgeNotice(models.Model):
    """One urge notice (一事一单): issued by a supervisor or by rule, answered by the unit, escalated when
    the reply deadline passes unanswered (level 1: the unit's leader; level 2: the supervisor's superior),
    each escalation raising the colour. The problem's event chain records every step."""

    class Cause(models.TextChoices):
        MANUAL = "manual", _("Issued by a supervisor")
        NEAR_DEADLINE = "near_deadline", _("Rule: the deadline is near")
        BEHIND = "behind", _("Rule: behind schedule")
        OVERDUE = "overdue", _("Rule: overdue")

    MAX_LEVEL = 2

    problem = models.ForeignKey(
        "ledger.Problem", on_delete=models.PROTECT, related_name="urge_notices", verbose_name=_("problem")
    )
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices, default=Cause.MANUAL)
    # Rule-issued notices carry their cause and the deadline it concerns, so a rule never fires twice for one
    # cause (an approved extension is a new deadline and so a new cause).
    rule_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Empty when issued by rule."),
    )
    # The supervision unit the notice speaks for: the issuer's scope over the problem, or the nearest one for
    # a rule; escalation level 2 goes to the supervisors above it.
    issuing_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"))
    message = models.TextField(_("message"))
    reply_due = models.DateTimeField(_("reply due"))
    level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("last escalated"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    reply = models.TextField(_("reply"), blank=True)

    class Meta:
        verbose_name = _("urge notice")
        verbose_name_plural = _("urge notices")
        ordering = ("-issued_at", "-id")
        indexes: ClassVar = [
            models.Index(fields=("replied_at", "reply_due"), name="urge_notice_waiting"),
            models.Index(fields=("problem", "issued_at"), name="urge_notice_problem"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(colour__in=Colour.values), name="urge_notice_known_colour"),
            models.CheckConstraint(condition=Q(level__lte=2), name="urge_notice_level_at_most_2"),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True, replied_by__isnull=True)
                | Q(replied_at__isnull=False, replied_by__isnull=False),
                name="urge_notice_reply_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.colour} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.replied_at is None

    @property
    def reply_by(self) -> dt.date:
        """The last day to reply (the reply is due by the end of it, local time)."""
        return timezone.localdate(self.reply_due - dt.timedelta(microseconds=1))


class LookBack(models.Model):
    """回头看: a closed problem re-checked after the category's number of days. One per close-out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        HELD = "held", _("The fix holds")
        REGRESSED = "regressed", _("Regressed: reopened")
        CANCELLED = "cancelled", _("No longer needed")

    problem = models.ForeignKey(
        "ledger.Problem", on_delete=models.PROTECT, related_name="look_backs", verbose_name=_("problem")
    )
    # The close-out this look-back checks (the problem's event that closed it): one look-back per closure.
    closed_event = models.OneToOneField(
        "ledger.Event", on_delete=models.PROTECT, related_name="look_back", editable=False
    )
    closed_on = models.DateField(_("closed on"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    result_event = models.ForeignKey(
        "ledger.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")
        ordering = ("due_on", "id")
        indexes: ClassVar = [models.Index(fields=("status", "due_on"), name="look_back_due")]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "held", "regressed", "cancelled"]),
                name="look_back_known_status",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("closed_on")), name="look_back_after_close"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} due {self.due_on}"


class NotificationKind(models.TextChoices):
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    URGED = "urged", _("Urge notice")
    URGE_ESCALATED = "urge_escalated", _("Urge notice escalated")
    URGE_REPLIED = "urge_replied", _("Urge notice answered")
    SIGN_WAITING = "sign_waiting", _("Close-out waiting for the leader's signature")
    VERIFY_WAITING = "verify_waiting", _("Close-out waiting for verification")
    RATING_REQUEST = "rating_request", _("Please rate the fix")
    EXTENSION_WAITING = "extension_waiting", _("Extension request waiting")
    LOOK_BACK_DUE = "look_back_due", _("Look-back due")
    CLOSEOUT_REJECTED = "closeout_rejected", _("Close-out sent back")


class Notification(models.Model):
    """An in-app notice to one person. `cause` names why it exists; one per person and cause, so no notice
    is sent twice for the same cause however often the scheduler runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    cause = models.CharField(max_length=150)
    problem = models.ForeignKey(
        "ledger.Problem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    notice = models.ForeignKey(UrgeNotice, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.TextField(_("message"))
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=("recipient", "read_at"), name="notification_unread")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("recipient", "cause"), name="notification_once_per_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.cause}"


class Robot(models.Model):
    """A group-chat robot of a unit (企业微信 or 钉钉), configured by an administrator. Notices about a
    problem go to the robots of its lead unit and of the units above it that cover their subtree."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom (企业微信) group robot")
        DINGTALK = "dingtalk", _("DingTalk (钉钉) group robot")

    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="robots", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    webhook_url = models.URLField(
        _("webhook URL"),
        max_length=500,
        help_text=_(
            "WeCom: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; "
            "DingTalk: https://oapi.dingtalk.com/robot/send?access_token=…"
        ),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "DingTalk's 加签 secret (SEC…); the URL is then signed with a timestamp. Empty: unsigned."
        ),
    )
    include_subtree = models.BooleanField(
        _("also for units below"),
        default=True,
        help_text=_("Also post notices about the units below this one."),
    )
    kinds = models.JSONField(
        _("notification kinds"),
        default=list,
        blank=True,
        help_text=_("Which kinds to post (a list of kind codes); empty: all but rating requests."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group-chat robot")
        verbose_name_plural = _("group-chat robots")
        ordering = ("unit__path", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Delivery(models.Model):
    """One message to send outside the app (an email, a robot post), with its attempts.

    Created with the notice it carries, in the same transaction; sent by a task after commit; retried with
    exponential backoff by `taizhang tick` until it succeeds or runs out of attempts (then `failed`, visible
    to administrators, who may retry it). `cause` plus the target make it unique: nothing is posted twice.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WECOM = "wecom", _("WeCom robot")
        DINGTALK = "dingtalk", _("DingTalk robot")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, no more attempts")

    channel = models.CharField(
        pgettext_lazy("notification delivery", "channel"), max_length=20, choices=Channel.choices
    )
    target = models.CharField(_("to"), max_length=200, help_text=_("An email address, or robot:<id>."))
    robot = models.ForeignKey(
        Robot, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    cause = models.CharField(max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [models.Index(fields=("status", "next_attempt_at"), name="delivery_due")]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("channel", "target", "cause"), name="delivery_once_per_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.target}: {self.subject}"
