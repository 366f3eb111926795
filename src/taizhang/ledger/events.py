"""How each kind of event reads in a problem's history."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.workflow import TRANSITIONS

EVENT_LABELS: dict[str, str | Promise] = {
    "problem.created": _("Put on the problem list"),
    "problem.opinion_attached": _("An opinion was attached"),
    "problem.raiser_joined": _("Someone else raised it too"),
    "problem.opinion_added": _("A raiser added to their opinion"),
    "problem.started": _("Work started"),
    "problem.returned": _("Returned: not the unit's"),
    "problem.reassigned": _("Reassigned to another unit"),
    "problem.edited": _("Ledger entry edited"),
    "problem.progress": _("Progress"),
    "problem.extension_requested": _("Extension requested"),
    "problem.extension_approved": _("Extension approved"),
    "problem.extension_rejected": _("Extension rejected"),
    "problem.closeout_requested": _("Close-out request submitted"),
    "problem.signed": _("Signed by the leader"),
    "problem.rejected": _("Close-out rejected"),
    "problem.verified": _("Verified"),
    "problem.objection_raised": _("Objection raised"),
    "problem.objection_upheld": _("Objection upheld"),
    "problem.objection_dismissed": _("Objection dismissed"),
    "problem.closed": _("Closed out"),
    "problem.look_back_held": _("Look-back: the fix holds"),
    "problem.reopened": _("Reopened"),
    "problem.cancelled": _("Cancelled"),
    "problem.urged": _("Urged (督办)"),
    "problem.rated": _("Rated by a raiser"),
}


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def missing_labels() -> set[str]:
    """Event kinds of the workflow table without a label here (a test keeps this empty)."""
    return {row.event_kind for row in TRANSITIONS} - set(EVENT_LABELS)
