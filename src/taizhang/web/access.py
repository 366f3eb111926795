"""Who may use each page and API operation: one table, the source of docs/permissions.md and the access test.

Every URL pattern of the project (and every operation of the JSON API) has a row here; a test resolves all URL
patterns and fails when one has no row, so a new view cannot escape the table. The same test requests each row
as every persona (anonymous, a plain employee, the raiser, handler, leader, supervisor, administrator) and as
the same roles in a sibling unit, and checks that exactly the roles listed get through and that nobody outside
the object's scope sees it.

The rules themselves live in the code they describe (`ledger/permissions.py`, `ledger/workflow.py`,
`campaigns/permissions.py`, the selectors' scoping); this table states what they add up to, per URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from taizhang.ledger.workflow import TRANSITIONS, Action, Actor


class Who(StrEnum):
    ANYONE = "anyone"  # no sign-in needed
    EMPLOYEE = "employee"  # any signed-in person (群众)
    RAISER = "raiser"  # the person who raised the opinion / problem in question
    HANDLER = "handler"  # 经办人 over the object's unit
    LEADER = "leader"  # 责任领导 over the object's unit
    SUPERVISOR = "supervisor"  # 督导组 over the object's unit
    ADMIN = "admin"  # administrator


STAFF = frozenset({Who.HANDLER, Who.LEADER, Who.SUPERVISOR, Who.ADMIN})
EVERYONE = frozenset(Who)
SIGNED_IN = frozenset(Who) - {Who.ANYONE}
OVERSIGHT = frozenset({Who.SUPERVISOR, Who.ADMIN})
INVOLVED = STAFF | {Who.RAISER}
READERS = frozenset({Who.LEADER, Who.SUPERVISOR, Who.ADMIN})  # personal writings: see campaigns/permissions
OPINION_READERS = frozenset({Who.RAISER}) | OVERSIGHT  # an opinion not yet on the ledger: intake/selectors
NOBODY: frozenset[Who] = frozenset()

_PHOTO_NOTE = "an opinion's photo: its raiser and 督导组 (handlers see it once the opinion is on the ledger)"


@dataclass(frozen=True)
class Rule:
    """One page or API operation.

    `key`: the URL name (`namespace:name`) or, for the JSON API, `api:METHOD /path`. `who`: the roles that
    may use it. `scoped`: the object in the URL (or every row listed) must lie in the person's unit scope;
    anyone else gets 403/404 and never sees it. `obj`: what the URL's arguments name. `method`: how the
    test probes it (POST-only views are probed with an empty form and must answer with a form error, not
    a denial). `note`: what the row means in words. `action`: the workflow action the operation performs; its
    roles then come from the transition table (`ledger/workflow.py`), which also refuses it in the wrong
    state (409) — the table here only adds that nobody outside the problem's scope learns it exists.
    """

    key: str
    who: frozenset[Who]
    scoped: bool = False
    obj: str = ""
    method: str = "GET"
    note: str = ""
    action: Action | None = None

    @property
    def is_public(self) -> bool:
        return Who.ANYONE in self.who

    @property
    def is_api(self) -> bool:
        return self.key.startswith("api:")


def _r(
    key: str,
    who: frozenset[Who],
    *,
    scoped: bool = False,
    obj: str = "",
    method: str = "GET",
    note: str = "",
    action: Action | None = None,
) -> Rule:
    return Rule(key=key, who=who, scoped=scoped, obj=obj, method=method, note=note, action=action)


# What each workflow actor is among the personas. An "employee" actor is anyone who can see the problem:
# for a problem that is not public, its raisers and the staff over its unit. Admins act as supervisors.
_ACTOR_WHO: dict[Actor, frozenset[Who]] = {
    Actor.EMPLOYEE: INVOLVED,
    Actor.RAISER: frozenset({Who.RAISER}),
    Actor.HANDLER: frozenset({Who.HANDLER}),
    Actor.LEADER: frozenset({Who.LEADER}),
    Actor.SUPERVISOR: OVERSIGHT,
    Actor.ASSISTANT: frozenset(),  # handlers and leaders of an assisting unit: not among the personas
    Actor.SYSTEM: frozenset(),
}


def from_workflow(action: Action) -> frozenset[Who]:
    """The roles the transition table allows to perform `action`, in any state."""
    found: set[Who] = set()
    for row in TRANSITIONS:
        if row.action == action:
            for actor in row.actors:
                found |= _ACTOR_WHO[actor]
    return frozenset(found)


#: The JSON API's workflow operations: (HTTP method, URL name, workflow action).
WORKFLOW_OPERATIONS: tuple[tuple[str, str, Action], ...] = (
    ("PATCH", "api:problem_edit_api", Action.EDIT),
    ("POST", "api:problem_start_api", Action.START),
    ("POST", "api:problem_return_api", Action.RETURN),
    ("POST", "api:problem_reassign_api", Action.REASSIGN),
    ("POST", "api:problem_progress_api", Action.PROGRESS),
    ("POST", "api:problem_request_extension_api", Action.REQUEST_EXTENSION),
    ("POST", "api:problem_approve_extension_api", Action.APPROVE_EXTENSION),
    ("POST", "api:problem_reject_extension_api", Action.REJECT_EXTENSION),
    ("POST", "api:problem_request_closeout_api", Action.REQUEST_CLOSEOUT),
    ("POST", "api:problem_sign_api", Action.SIGN),
    ("POST", "api:problem_reject_api", Action.REJECT),
    ("POST", "api:problem_verify_api", Action.VERIFY),
    ("POST", "api:problem_object_api", Action.OBJECT),
    ("POST", "api:problem_uphold_objection_api", Action.UPHOLD_OBJECTION),
    ("POST", "api:problem_dismiss_objection_api", Action.DISMISS_OBJECTION),
    ("POST", "api:problem_conclude_notice_api", Action.CONCLUDE_NOTICE),
    ("POST", "api:problem_look_back_api", Action.LOOK_BACK_HOLD),
    ("POST", "api:problem_reopen_api", Action.REOPEN),
    ("POST", "api:problem_cancel_api", Action.CANCEL),
    ("POST", "api:problem_urge_api", Action.URGE),
    ("POST", "api:problem_rate_api", Action.RATE),
)


# Everything Django's admin site serves: its own staff check (is_staff) guards every page.
ADMIN_NAMESPACE = "admin"

RULES: tuple[Rule, ...] = (
    # --- web: board, sign-in, inbox, language
    _r("web:home", EVERYONE, note="public board: only public problems"),
    _r("web:login", EVERYONE),
    _r("web:logout", EVERYONE, method="POST"),
    _r("web:my_work", SIGNED_IN, note="the person's own inbox"),
    _r("set_language", EVERYONE, method="POST"),
    _r("admin:index", frozenset({Who.ADMIN}), note="and every other page of Django's admin site"),
    # --- intake: submitting, receipts, triage, QR places
    _r("intake:submit", EVERYONE),
    _r("intake:suggest", EVERYONE, note="suggestions come from public problems only"),
    _r("intake:lookup", EVERYONE),
    _r("intake:receipt", EVERYONE, obj="receipt", note="the receipt code is the key"),
    _r("intake:receipt_add", EVERYONE, obj="receipt", method="POST", note="the receipt code is the key"),
    _r("intake:receipt_withdraw", EVERYONE, obj="receipt", method="POST", note="the receipt code is the key"),
    _r("intake:receipt_rate", EVERYONE, obj="receipt", method="POST", note="the receipt code is the key"),
    _r("intake:receipt_object", EVERYONE, obj="receipt", method="POST", note="the receipt code is the key"),
    _r("intake:receipt_photo", EVERYONE, obj="receipt_photo", note="the receipt code is the key"),
    _r("intake:receipt_thumb", EVERYONE, obj="receipt_photo", note="the receipt code is the key"),
    _r("intake:photo", OPINION_READERS, scoped=True, obj="photo", note=_PHOTO_NOTE),
    _r("intake:thumb", OPINION_READERS, scoped=True, obj="photo", note=_PHOTO_NOTE),
    _r("intake:mine", SIGNED_IN, note="the person's own opinions"),
    _r("intake:me_too", EVERYONE, scoped=True, obj="public_problem", method="POST", note="public problems"),
    _r("intake:triage", OVERSIGHT),
    _r("intake:triage_opinion", OVERSIGHT, scoped=True, obj="opinion"),
    _r("intake:reassign", OVERSIGHT, scoped=True, obj="problem", method="POST"),
    _r("intake:place_qr", EVERYONE, obj="place", note="posted on the wall"),
    _r("intake:place_poster", EVERYONE, obj="place_poster", note="posted on the wall"),
    # --- ledger
    _r("ledger:ledger", STAFF, note="rows in the person's scope"),
    _r("ledger:problem", INVOLVED, scoped=True, obj="problem"),
    _r("ledger:support", SIGNED_IN, scoped=True, obj="public_problem", method="POST", note="public problems"),
    _r("ledger:evidence", INVOLVED, scoped=True, obj="evidence"),
    # --- supervision
    _r("supervision:urge_desk", OVERSIGHT),
    _r("supervision:urge_issue", OVERSIGHT, scoped=True, obj="problem", method="POST"),
    _r("supervision:notices", STAFF, note="notices on problems in scope"),
    _r("supervision:notice", STAFF, scoped=True, obj="notice"),
    _r("supervision:extensions", OVERSIGHT),
    _r(
        "supervision:extension_request",
        from_workflow(Action.REQUEST_EXTENSION),
        scoped=True,
        obj="problem",
        note="the form of the workflow action",
    ),
    _r("supervision:extension_decide", OVERSIGHT, scoped=True, obj="problem", method="POST"),
    _r("supervision:look_backs", OVERSIGHT),
    _r("supervision:look_back_record", OVERSIGHT, scoped=True, obj="look_back", method="POST"),
    _r("supervision:notifications", SIGNED_IN, note="the person's own notifications"),
    _r("supervision:notification_read", SIGNED_IN, method="POST", note="the person's own notifications"),
    # --- reports
    _r("reports:dashboard", STAFF),
    _r("reports:kpis", STAFF),
    _r("reports:chart", STAFF, obj="chart"),
    _r("reports:ranking", STAFF),
    _r("reports:expenses", STAFF),
    _r("reports:expense_enter", STAFF),
    _r("reports:expense_import", STAFF),
    _r("reports:report", STAFF, obj="report"),
    # --- Excel
    _r("excel:export", STAFF),
    _r("excel:export_job", STAFF, scoped=True, obj="export_job", note="the person's own export"),
    _r("excel:export_progress", STAFF, scoped=True, obj="export_job", note="the person's own export"),
    _r("excel:export_download", STAFF, scoped=True, obj="export_job", note="the person's own export"),
    _r("excel:import", OVERSIGHT),
    _r("excel:import_job", OVERSIGHT, scoped=True, obj="import_job", note="the person's own import"),
    _r("excel:import_progress", OVERSIGHT, scoped=True, obj="import_job", note="the person's own import"),
    _r("excel:import_opinions", OVERSIGHT, note="rows only for the units the person supervises"),
    # --- search
    _r("search:results", EVERYONE, note="finds only what the person may see"),
    _r("search:similar", EVERYONE, note="finds only what the person may see"),
    # --- smart dispatch (the suggestion itself is on the triage page, for those who may triage the opinion)
    _r("dispatch:status", frozenset({Who.ADMIN}), note="model versions and how often triage kept them"),
    # --- operations
    _r("healthz", EVERYONE, note="database reachable or not, and the version; nothing else"),
    # --- privacy
    _r("privacy:my_data", SIGNED_IN, note="the person's own data"),
    _r("privacy:download", SIGNED_IN, note="the person's own data"),
    _r("privacy:erase", SIGNED_IN, method="POST", note="the person's own data"),
    # --- campaigns
    _r("campaigns:list", SIGNED_IN),
    _r("campaigns:home", SIGNED_IN, obj="campaign"),
    _r("campaigns:contact_points", SIGNED_IN, obj="campaign"),
    _r(
        "campaigns:visit_new",
        frozenset({Who.LEADER}) | OVERSIGHT,
        obj="campaign",
        note="leaders with a contact point in the campaign (offered only theirs); 督导组: any point",
    ),
    _r("campaigns:study", SIGNED_IN, obj="campaign"),
    _r("campaigns:reflection_new", SIGNED_IN, obj="campaign"),
    _r("campaigns:meetings", SIGNED_IN, obj="campaign"),
    _r("campaigns:documents", SIGNED_IN, obj="campaign"),
    _r("campaigns:visit", STAFF, scoped=True, obj="visit"),
    _r("campaigns:study_session", STAFF, scoped=True, obj="study_session"),
    _r(
        "campaigns:reflection",
        READERS,
        scoped=True,
        obj="reflection",
        note="and its author",
    ),
    _r("campaigns:meeting", STAFF, scoped=True, obj="meeting"),
    _r("campaigns:item_problem", OVERSIGHT, scoped=True, obj="meeting_item", method="POST"),
    _r("campaigns:document", READERS, scoped=True, obj="document", note="and its author"),
    _r(
        "campaigns:document_diff",
        READERS,
        scoped=True,
        obj="document",
        note="and its author",
    ),
    # --- Open311 GeoReport v2: public by the standard; a request shows only what the public board shows
    _r("open311:discovery", EVERYONE, obj="format"),
    _r("open311:services", EVERYONE, obj="format"),
    _r("open311:service", EVERYONE, obj="service"),
    _r("open311:requests", EVERYONE, obj="format"),
    _r("open311:request", EVERYONE, obj="open311_request"),
    _r(
        "open311:token",
        NOBODY,
        obj="open311_token",
        note="no tokens are issued: an Open311 404 for everybody",
    ),
    _r("open311:unknown", NOBODY, note="anything else: an Open311 error (404) for everybody"),
    # --- JSON API (/api/v1/): `api:<operation>`; the method and path are in docs/api.md
    _r("api:api-root", NOBODY, note="django-ninja's placeholder: a 404 for everybody; the index is the docs"),
    _r("api:openapi-json", EVERYONE, note="the schema"),
    _r("api:openapi-view", EVERYONE, note="the schema's browser"),
    _r("api:me_api", SIGNED_IN),
    _r("api:token_list_api", SIGNED_IN, note="the person's own tokens"),
    _r("api:token_create_api", SIGNED_IN, method="POST", note="signed in with the session"),
    _r("api:token_revoke_api", SIGNED_IN, scoped=True, obj="token", method="DELETE", note="own tokens"),
    _r("api:unit_list_api", EVERYONE),
    _r("api:category_list_api", EVERYONE),
    _r("api:opinion_create_api", EVERYONE, method="POST"),
    _r("api:opinion_by_receipt_api", EVERYONE, obj="api_receipt", note="the receipt code is the key"),
    _r("api:problem_list_api", SIGNED_IN, note="rows the person may see"),
    _r("api:problem_detail_api", INVOLVED, scoped=True, obj="problem"),
    *(
        _r(name, from_workflow(action), scoped=True, obj="problem", method=method, action=action)
        for method, name, action in WORKFLOW_OPERATIONS
    ),
    _r("api:problem_support_api", SIGNED_IN, scoped=True, obj="public_problem", method="POST"),
    _r("api:problem_ratings_api", INVOLVED, scoped=True, obj="problem"),
    _r("api:problem_events_api", INVOLVED, scoped=True, obj="problem"),
    _r("api:event_feed_api", SIGNED_IN, note="events of problems the person may see"),
    _r("api:measures_api", STAFF),
)

BY_KEY: dict[str, Rule] = {rule.key: rule for rule in RULES}


def rule_for(key: str) -> Rule | None:
    """The row for a URL name or API operation; any admin page falls under `admin:index`."""
    if key in BY_KEY:
        return BY_KEY[key]
    if key.split(":", 1)[0] == ADMIN_NAMESPACE:
        return BY_KEY["admin:index"]
    return None
