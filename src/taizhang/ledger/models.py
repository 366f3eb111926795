"""The problem list and its rectification ledger: categories, problems, the event chain, ratings, evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.core.loaded import RemembersLoadedValues
from taizhang.core.uploads import dated_name
from taizhang.ledger.workflow import ACTIVE_STATES, STATE_LABELS, State

GENESIS_HASH = "0" * 64


def chain_key() -> bytes:
    """TAIZHANG_CHAIN_KEY, or one derived from SECRET_KEY. Changing it makes every chain fail `verify`."""
    configured: str = settings.TAIZHANG_CHAIN_KEY
    return hashlib.sha256(f"taizhang.ledger.chain:{configured}".encode()).digest()


class Category(models.Model):
    """What a problem is about; its verb and measure word make the achievement line (修复 路灯 698 盏)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    group = models.CharField(_("group"), max_length=50, blank=True, help_text=_("e.g. 民生设施, 作风建设"))
    achievement_noun = models.CharField(
        _("achievement noun"),
        max_length=20,
        blank=True,
        help_text=_("What the achievement line counts, e.g. 路灯 (default: the name)"),
    )
    achievement_verb = models.CharField(
        _("achievement verb"), max_length=10, blank=True, help_text=_("e.g. 修复, 整修, 规划")
    )
    measure_word = models.CharField(
        _("measure word"), max_length=10, blank=True, help_text=_("e.g. 盏, 间, 个")
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Words that suggest this category when people write them, separated by commas or spaces."
        ),
    )
    evidence_required = models.BooleanField(
        _("evidence required for close-out"),
        default=True,
        help_text=_("Whether a close-out request needs before/after photos or a document."),
    )
    deadline_days = models.PositiveSmallIntegerField(_("default time allowed (days)"), default=30)
    working_days = models.BooleanField(
        _("count working days"),
        default=False,
        help_text=_(
            "Count the time allowed in working days (mainland China calendar) instead of calendar days."
        ),
    )
    look_back_days = models.PositiveSmallIntegerField(_("look back after (days)"), default=90)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("sort_order", "name")

    def __str__(self) -> str:
        return self.name


class CodeSequence(models.Model):
    """The last number handed out per prefix and year, so problem codes never collide (ZG-2014-0001)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("prefix", "year"), name="code_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Problem(RemembersLoadedValues, models.Model):
    """One row of the rectification ledger (问题清单 / 整改台账).

    Only `ledger.services` writes it. `version` is the optimistic lock; `event_count` and `head_hash` anchor
    the event chain so a removed last event is still detected.
    """

    code = models.CharField(_("code"), max_length=30, unique=True, editable=False)
    # The row's identity in another system (an imported ledger's file and row, an external hotline's id), so
    # a second import or sync updates instead of duplicating.
    external_ref = models.CharField(max_length=200, null=True, blank=True, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="problems", verbose_name=_("category")
    )
    source = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("问题来源, e.g. 职工座谈会")
    )
    lead_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="problems_led", verbose_name=_("lead unit")
    )
    assisting_units = models.ManyToManyField(
        "org.Unit", blank=True, related_name="problems_assisted", verbose_name=_("assisting units")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems_led",
        verbose_name=_("responsible leader"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems_owned",
        verbose_name=_("responsible person"),
    )
    measures = models.TextField(_("measures"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    working_days = models.BooleanField(_("deadline in working days"), default=False)
    is_long_term = models.BooleanField(_("long-term (长期坚持)"), default=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("long-term item"),
    )
    weight = models.PositiveSmallIntegerField(_("weight in the long-term item"), default=1)
    target_quantity = models.PositiveIntegerField(_("target quantity"), null=True, blank=True)
    done_quantity = models.PositiveIntegerField(_("done quantity"), default=0)
    measure_word = models.CharField(_("measure word"), max_length=10, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_public = models.BooleanField(_("public"), default=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("campaign"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=[(s.value, STATE_LABELS[s]) for s in State], default=State.OPEN
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    closeout_round = models.PositiveSmallIntegerField(default=0)
    closeout_requested_at = models.DateTimeField(null=True, blank=True)
    closeout_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(_("completion note"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    notice_ends_at = models.DateTimeField(null=True, blank=True)
    objection_pending = models.BooleanField(default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    event_count = models.PositiveIntegerField(default=0, editable=False)
    head_hash = models.CharField(max_length=64, default=GENESIS_HASH, editable=False)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ("-created_at", "-id")
        indexes: ClassVar = [
            models.Index(fields=("state", "deadline"), name="problem_state_deadline"),
            models.Index(fields=("lead_unit", "state"), name="problem_unit_state"),
            # The menu's counts of waiting work (ledger.selectors.inbox) from the index alone.
            models.Index(
                fields=("state", "lead_unit"),
                include=("signed_at", "objection_pending"),
                name="problem_state_unit",
            ),
            models.Index(fields=("category", "state"), name="problem_category_state"),
            models.Index(fields=("-created_at", "-id"), name="problem_created_desc"),
            # The ledger list's default order (deadline, id) and its unit filter (docs/scale.md).
            models.Index(fields=("deadline", "id"), name="problem_deadline_id"),
            models.Index(fields=("lead_unit", "deadline", "id"), name="problem_unit_deadline"),
            # The traffic lights of the unfinished items (reports.selectors.light_counts) from the index
            # alone: only the unfinished problems, with every column the light depends on.
            models.Index(
                fields=("state", "deadline"),
                include=(
                    "lead_unit",
                    "created_at",
                    "started_at",
                    "target_quantity",
                    "done_quantity",
                    "working_days",
                ),
                condition=Q(state__in=sorted(ACTIVE_STATES)),
                name="problem_unfinished_lights",
            ),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(state__in=State), name="problem_known_state"),
            models.CheckConstraint(
                condition=Q(is_long_term=True) | Q(deadline__isnull=False),
                name="problem_deadline_unless_long_term",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED) | Q(closed_at__isnull=False), name="problem_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(signed_by__isnull=True, signed_at__isnull=True)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="problem_signature_complete",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="problem_version_positive"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="problem_weight_positive"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="problem_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[State(self.state)])

    @property
    def progress(self) -> float | None:
        """Share of the target done (0..1), or None when the item has no target quantity."""
        if not self.target_quantity:
            return None
        return min(1.0, self.done_quantity / self.target_quantity)


class Event(models.Model):
    """One change of a problem, append-only, chained by hash per problem.

    `hash` covers the previous event's hash and every field below, so editing, inserting or removing a row
    breaks the chain (`taizhang verify`). The database refuses UPDATE on this table (see migration 0002).
    Anonymous raisers act with `actor` empty: nothing here identifies them.
    """

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField()
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    # Not indexed: nothing looks an event up by its hash (`verify` recomputes the chains), and a random key's
    # index, written by every event, was the largest and slowest-to-maintain part of the table at scale.
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ("problem_id", "seq")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("problem", "seq"), name="event_seq_unique_per_problem"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="event_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}#{self.seq} {self.kind}"

    def content(self) -> dict[str, Any]:
        """The fields the hash covers, in a form that survives a database round trip."""
        return {
            "problem": self.problem_id,
            "seq": self.seq,
            "kind": self.kind,
            "actor": self.actor_id,
            "actor_role": self.actor_role,
            "at": self.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "from": self.from_state,
            "to": self.to_state,
            "note": self.note,
            "payload": self.payload,
        }

    def compute_hash(self) -> str:
        """HMAC-SHA256 under the chain key, which lives in the server's settings, not in the database: someone
        who can write to the database still cannot forge a chain that verifies."""
        body = json.dumps(
            self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
        )
        message = f"{self.prev_hash}\n{body}".encode()
        return hmac.new(chain_key(), message, hashlib.sha256).hexdigest()


class ChainCheck(Event):
    """No data of its own: the admin's entry for checking the event chains (`taizhang verify` on a page)."""

    class Meta:
        proxy = True
        verbose_name = _("event chain check")
        verbose_name_plural = _("event chain check")


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", _("满意 Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意 Basically satisfied")
    UNSATISFIED = "unsatisfied", _("不满意 Unsatisfied")


class Rating(models.Model):
    """A raiser's verdict on a fix, one per raiser's opinion and close-out round."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="ratings")
    opinion = models.ForeignKey("intake.Opinion", on_delete=models.PROTECT, related_name="ratings")
    round = models.PositiveSmallIntegerField()
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("problem", "opinion", "round"), name="rating_once_per_round"),
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="rating_known_verdict"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.verdict}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return dated_name("evidence", filename)


class Evidence(models.Model):
    """A file proving work: before/after photos or a document. Its SHA-256 goes into the event chain."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")
        PROGRESS = "progress", _("Progress photo")
        DOCUMENT = "document", _("Document")

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class DeadlineExtension(models.Model):
    """A request to move a deadline, made before it passes, decided by a supervisor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    old_deadline = models.DateField()
    new_deadline = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=("problem",), condition=Q(status="pending"), name="extension_one_pending_per_problem"
            ),
            models.CheckConstraint(
                condition=Q(new_deadline__gt=models.F("old_deadline")), name="extension_moves_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.old_deadline} → {self.new_deadline}"


class Support(models.Model):
    """点赞: one per person and problem, undoable."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("problem", "person"), name="support_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.problem_id}"
