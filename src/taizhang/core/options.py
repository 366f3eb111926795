"""The organisation's rules, as one typed settings object (settings.TAIZHANG), documented in the README."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Options:
    #: Problem codes: prefix-year-sequence, e.g. ZG-2014-0001.
    problem_code_prefix: str = "ZG"
    #: Days raisers have to rate a fix after close-out is requested; verification waits for the window to pass
    #: unless enough raisers have rated.
    rating_window_days: int = 3
    #: Share of the raisers whose ratings are "enough" to verify before the window ends.
    rating_quorum: float = 0.5
    #: Verification is refused while the share of 不满意 among the ratings exceeds this.
    unsatisfied_max_share: float = 0.5
    #: Days of public notice (公示) after verification; 0 closes out at verification.
    notice_days: int = 0
    #: Traffic lights: yellow from this many points behind schedule …
    light_yellow_behind: float = 10
    #: … red beyond this many (or overdue).
    light_red_behind: float = 30
    # --- supervision (docs/supervision.md) ---
    #: Reminders before a deadline go out this many days ahead; a blue urge notice is issued by rule then.
    remind_before_days: int = 3
    #: The unit has this many days (working days when the problem counts them) to answer an urge notice;
    #: unanswered, the notice escalates and the reply deadline starts again.
    urge_reply_days: int = 3
    #: Issue urge notices by rule (blue near the deadline, yellow behind schedule, red overdue).
    auto_urge: bool = True
    #: Email notifications (to people with an address) besides the in-app list.
    email_notifications: bool = True
    #: Attempts for an email or robot message before it is marked failed for an administrator.
    delivery_max_attempts: int = 6
    #: The first retry waits this long; each further one twice as long.
    delivery_backoff_seconds: int = 60
    #: The site's public address (https://taizhang.example.com), for links in emails and robot posts.
    site_url: str = ""
    #: Personal information (PIPL): photos sent with opinions are deleted this many days after the opinion's
    #: matter is finished (its problem closed or cancelled, or the opinion answered/declined); 0 keeps them.
    retention_photo_days: int = 730
    #: … and the contact name and phone of named opinions are cleared after this many days; 0 keeps them.
    retention_contact_days: int = 365

    # --- Measures (docs/measures.md defines each; every organisation sets its own) ---------------------
    #: 响应率: an opinion counts as answered in time when triaged, merged, answered or declined within this
    #: many days (24-hour periods) of its receipt.
    response_window_days: float = 3
    #: Composite score weights (一 county: response 30 / resolution 35 / satisfaction 35).
    score_weight_response: float = 30
    score_weight_resolution: float = 35
    score_weight_satisfaction: float = 35
    score_weight_on_time: float = 0
    #: How much a 基本满意 counts in the satisfaction rate (1 = as much as 满意, DESIGN.md's definition).
    satisfaction_basic_weight: float = 1
    #: Points taken off the composite score per overdue item, per urge and per reopened item (0 = none).
    score_penalty_overdue: float = 0
    score_penalty_urge: float = 0
    score_penalty_reopen: float = 0
    #: Units with fewer items than this in the period are listed apart, not ranked.
    ranking_min_items: int = 5
    #: Length of the top (红榜) and bottom (黑榜) lists.
    ranking_list_size: int = 5
    # --- smart dispatch (docs/dispatch.md) ---
    #: The model learns only from at least this many triaged opinions (in at least two categories); below it,
    #: the triage page says so and the model suggests nothing.
    dispatch_min_history: int = 30
    #: Apply a suggestion to a new opinion (its category and unit) when its confidence reaches the threshold.
    dispatch_auto_apply: bool = False
    dispatch_auto_apply_threshold: float = 0.9
    #: `taizhang tick` retrains when the active model is older than this many hours and the history grew;
    #: 0: only `taizhang dispatch-train` does.
    dispatch_retrain_hours: int = 24
    #: Trained versions kept for rollback (the active one included).
    dispatch_keep_versions: int = 5
    #: A TrueType (not CFF/OpenType) CJK font for PDF reports and chart images; empty: the first found of the
    #: Debian fonts `scripts/ensure-system-packages` installs.
    report_font: str = ""


_override: ContextVar[Options | None] = ContextVar("taizhang_options_override", default=None)


def current_options() -> Options:
    """settings.TAIZHANG, or the override in effect (a replay of history under its own rules, a test)."""
    overridden = _override.get()
    if overridden is not None:
        return overridden
    configured: Options = settings.TAIZHANG
    return configured


@contextlib.contextmanager
def options_override(**changes: Any) -> Iterator[Options]:
    """Run a block under changed rules, for this thread/task only (unlike override_settings)."""
    token = _override.set(dataclasses.replace(current_options(), **changes))
    try:
        yield _override.get() or current_options()
    finally:
        _override.reset(token)
