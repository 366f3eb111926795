"""Opinions (意见建议) from every channel, and the places they are about."""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.core.loaded import RemembersLoadedValues
from taizhang.core.uploads import dated_name

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over a hotline
RECEIPT_LENGTH = 10


def format_receipt(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == RECEIPT_LENGTH else code


def normalise_receipt(text: str) -> str:
    """Accept what people type: lower case, spaces, dashes, full-width characters."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(ch for ch in folded if ch.isalnum())


class Channel(models.TextChoices):
    WEB = "web", _("Web / mobile form")
    QR = "qr", _("QR code at a place")
    VISIT = "visit", _("Leader's visit (下基层)")
    TALK = "talk", _("Heart-to-heart talk (谈心谈话)")
    MEETING = "meeting", _("Meeting / forum (座谈会)")
    HOTLINE = "hotline", _("Hotline")
    MAILBOX = "mailbox", _("Suggestion box")
    SUPERVISION = "supervision", _("Supervision group (督导组)")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    IMPORT = "import", _("Imported ledger")
    ME_TOO = "me_too", _("Me too (on a listed problem)")


class Place(models.Model):
    """A place people report about; each has a QR poster that opens the form with the place filled in."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="places", verbose_name=_("unit in charge")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class OpinionState(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("On the problem list")
    MERGED = "merged", _("Merged with a similar opinion")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Opinion(RemembersLoadedValues, models.Model):
    """What one person (or one anonymous voice) said, through one channel.

    An anonymous opinion stores nothing that identifies its submitter: no person, no contact details
    (enforced by a database constraint); it is followed by its receipt code alone.
    """

    State = OpinionState

    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a second, LIKE-able
    # index which no query uses and every submission writes.
    receipt_code = models.CharField(_("receipt code"), max_length=RECEIPT_LENGTH, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    text = models.TextField(_("opinion"))
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("place"),
    )
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="opinions", verbose_name=_("unit concerned")
    )
    category = models.ForeignKey(
        "ledger.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("category"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("campaign"),
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("submitter"),
    )
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=OpinionState.choices, default=OpinionState.NEW
    )
    problem = models.ForeignKey(
        "ledger.Problem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("problem"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    response = models.TextField(_("response to the submitter"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Answers to the category's extra questions (Open311 service attributes), by attribute code.
    attributes = models.JSONField(_("extra answers"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    # NULL when none was given; the keys given are unique (Meta.constraints).
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)  # noqa: DJ001
    created_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [
            models.Index(fields=("state", "-created_at"), name="opinion_state_created"),
            models.Index(fields=("problem", "state"), name="opinion_problem_state"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("receipt_code",), name="opinion_receipt_code_unique"),
            models.UniqueConstraint(fields=("idempotency_key",), name="opinion_idempotency_key_unique"),
            models.CheckConstraint(condition=Q(state__in=OpinionState.values), name="opinion_known_state"),
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | Q(submitter__isnull=True, contact_name="", contact_phone=""),
                name="opinion_anonymous_stores_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(state="triaged") | Q(problem__isnull=False), name="opinion_triaged_has_problem"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["new", "answered", "declined", "withdrawn"])
                | Q(problem__isnull=True),
                name="opinion_untriaged_has_no_problem",
            ),
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False), name="opinion_merged_has_target"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["answered", "declined"]) | ~Q(response=""),
                name="opinion_answer_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_display} {self.text[:30]}"

    @property
    def receipt_display(self) -> str:
        return format_receipt(self.receipt_code)

    @property
    def place_label(self) -> str:
        return self.place.name if self.place_id and self.place else self.place_text


def opinion_photo_upload_to(instance: OpinionPhoto, filename: str) -> str:
    return dated_name("opinions", filename)


def opinion_thumbnail_upload_to(instance: OpinionPhoto, filename: str) -> str:
    return dated_name("opinions/thumbs", filename)


class OpinionPhoto(models.Model):
    """A photo sent with an opinion, stored without EXIF/GPS, with a thumbnail."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=opinion_photo_upload_to)
    thumbnail = models.FileField(_("thumbnail"), upload_to=opinion_thumbnail_upload_to)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.image.name or ""


class OpinionAddition(models.Model):
    """More said about an opinion later by whoever holds its receipt code (补充说明)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="additions")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("addition")
        verbose_name_plural = _("additions")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.text[:30]
