"""Campaigns (教育实践活动) and what happens in them: phases, leaders' contact points and visits, study,
meetings with their criticisms, and check materials with their revisions.

Only `campaigns.services` writes these rows. Records of what happened (visits, revisions, comments, meeting
items) are never edited or deleted by the application: a rewrite is a new revision, a correction a new item.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    organiser = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organising unit")
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ("-starts_on",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ("campaign", "order")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("campaign", "order"), name="phase_order_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.name}"


# --- contact points and visits (联系点, 下基层) -----------------------------------------------------------


class ContactPoint(models.Model):
    """A grassroots unit a leader keeps in touch with during the campaign (领导干部联系点)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("campaign")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_points",
        verbose_name=_("leader"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="contact_points", verbose_name=_("unit")
    )
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ("campaign", "leader", "unit__path")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("campaign", "leader", "unit"), name="contact_point_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.unit}"


class Visit(models.Model):
    """A leader's visit to a contact point: when, whom they met, what was raised."""

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.PROTECT, related_name="visits", verbose_name=_("contact point")
    )
    visited_on = models.DateField(_("date"))
    people_met = models.TextField(_("people met"))
    raised = models.TextField(_("what was raised"), blank=True)
    # Opinions given anonymously during the visit are counted here and not linked: a link would tie them to
    # the list of people met (docs/adr/0080).
    anonymous_opinions = models.PositiveIntegerField(_("anonymous opinions"), default=0, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ("-visited_on", "-id")
        indexes: ClassVar = [models.Index(fields=("contact_point", "visited_on"), name="visit_point_date")]

    def __str__(self) -> str:
        return f"{self.contact_point} · {self.visited_on:%Y-%m-%d}"


class VisitOpinion(models.Model):
    """An opinion raised during a visit and entered from it (see docs/adr/0080: a link table, not a column
    on intake.Opinion). One opinion comes from at most one visit."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="opinion_links")
    opinion = models.OneToOneField("intake.Opinion", on_delete=models.PROTECT, related_name="visit_link")
    linked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opinion raised during a visit")
        verbose_name_plural = _("opinions raised during visits")
        ordering = ("visit", "linked_at", "id")

    def __str__(self) -> str:
        return f"{self.visit} · {self.opinion_id}"


# --- study (学习教育) --------------------------------------------------------------------------------------


class StudyKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", _("Central group study (中心组学习)")
    TRAINING = "training", _("Concentrated training (集中培训)")
    LECTURE = "lecture", _("Special lecture (专题辅导)")
    DISCUSSION = "discussion", _("Discussion (讨论交流)")
    TOUR = "tour", _("Touring talks (巡回宣讲)")
    FILM = "film", _("Film or documentary (观看影片)")
    SELF = "self", _("Self-study (自学)")


class StudySession(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="study_sessions", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="study_sessions", verbose_name=_("organised by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StudyKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("date"))
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="study_sessions", verbose_name=_("attendees")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ("-held_on", "-id")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=StudyKind.values), name="study_known_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class Reflection(models.Model):
    """A member's written reflection on the study (学习体会). `unit` is the author's unit when it was written,
    so counts per unit stay true when people move."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="reflections", verbose_name=_("campaign")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reflections",
        verbose_name=_("author"),
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="reflections")
    session = models.ForeignKey(
        StudySession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reflections",
        verbose_name=_("study session"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    written_on = models.DateField(_("written"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ("-written_on", "-id")

    def __str__(self) -> str:
        return f"{self.author} · {self.title}"


# --- meetings (专题民主生活会, 组织生活会, ordinary meetings) ------------------------------------------


class MeetingKind(models.TextChoices):
    DEMOCRATIC_LIFE = "democratic_life", _("Democratic-life meeting (专题民主生活会)")
    ORGANISATIONAL_LIFE = "organisational_life", _("Organisational-life meeting (专题组织生活会)")
    CONFERENCE = "conference", _("Mobilisation or summary conference (动员会/总结会)")
    FORUM = "forum", _("Forum with employees (座谈会)")
    OFFICE = "office", _("Office meeting (办公会)")
    DISPATCH = "dispatch", _("Production dispatch meeting (调度会)")
    OTHER = "other", _("Other meeting")


#: The kinds whose items are criticisms and self-criticisms (批评和自我批评).
LIFE_MEETINGS = frozenset({MeetingKind.DEMOCRATIC_LIFE, MeetingKind.ORGANISATIONAL_LIFE})


class Meeting(models.Model):
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("campaign"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("held by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings", verbose_name=_("attendees")
    )
    guests = models.TextField(
        _("other attendees"),
        blank=True,
        help_text=_("People without a login who attended, e.g. the higher supervision group."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("-held_on", "-id")
        indexes: ClassVar = [models.Index(fields=("held_on", "unit"), name="meeting_date_unit")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_known_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def is_life_meeting(self) -> bool:
        return self.kind in LIFE_MEETINGS


class ItemKind(models.TextChoices):
    SELF_CRITICISM = "self_criticism", _("Self-criticism")
    CRITICISM = "criticism", _("Criticism")
    SUGGESTION = "suggestion", _("Suggestion")


class MeetingItem(models.Model):
    """One criticism, self-criticism or suggestion recorded at a meeting; it may become a problem on the
    list (`problem`), which the ledger then works like any other."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker"),
    )
    speaker_name = models.CharField(_("speaker (no login)"), max_length=100, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressed to"),
    )
    text = models.TextField(_("text"))
    problem = models.ForeignKey(
        "ledger.Problem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_items",
        verbose_name=_("problem"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("meeting item")
        verbose_name_plural = _("meeting items")
        ordering = ("meeting", "created_at", "id")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="meeting_item_known_kind"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def speaker_label(self) -> str:
        return self.speaker.display_name if self.speaker is not None else self.speaker_name


# --- check materials and other documents (对照检查材料, 几易其稿) --------------------------------------


class DocumentKind(models.TextChoices):
    CHECK_MATERIAL = "check_material", _("Self-examination material (对照检查材料)")
    SUMMARY = "summary", _("Campaign summary (活动总结)")
    OTHER = "other", _("Other document")


class Document(models.Model):
    """A document written, reviewed and rewritten: its text lives in its revisions, numbered 1, 2, 3 …

    Approval names the revision approved; approval is final (a later rewrite is a new document).
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="documents", verbose_name=_("campaign")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="documents")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents", verbose_name=_("author")
    )
    created_at = models.DateTimeField()
    approved_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("-created_at", "-id")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_known_kind"),
            models.CheckConstraint(
                condition=Q(
                    approved_revision__isnull=True, approved_by__isnull=True, approved_at__isnull=True
                )
                | Q(approved_revision__isnull=False, approved_by__isnull=False, approved_at__isnull=False),
                name="document_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_approved(self) -> bool:
        return self.approved_revision_id is not None


class Revision(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    text = models.TextField(_("text"))
    note = models.TextField(_("what changed"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ("document", "number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("document", "number"), name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.document} · {self.number}"


class ReviewComment(models.Model):
    """A reviewer's comment on one revision (the supervision group's 修改意见)."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="comments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ("revision", "created_at", "id")

    def __str__(self) -> str:
        return self.text[:40]
