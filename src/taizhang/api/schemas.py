"""What the JSON API reads and writes. Output is built by the `*_out` functions from rows the selectors
returned, so what a caller sees is decided by the selectors, not here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from taizhang.api.models import ApiToken, ServiceAttribute
from taizhang.intake.models import Opinion
from taizhang.ledger.models import Category, Event, Problem, Rating
from taizhang.org.models import Person, Unit

Answer = str | list[str]

#: Row ids and counts within what the databases store (a larger number is a 400, not an overflow).
MAX_ID = 2**63 - 1
MAX_COUNT = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]

# --- references -----------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    name: str


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class PersonRef(Schema):
    id: int
    name: str


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.pk, name=unit.name)


def category_ref(category: Category | None) -> CategoryRef | None:
    return CategoryRef(id=category.pk, code=category.code, name=category.name) if category else None


def person_ref(person: Person | None) -> PersonRef | None:
    return PersonRef(id=person.pk, name=person.display_name) if person else None


# --- units, categories ----------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    parent_id: int | None
    path: str
    depth: int


def unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=unit.pk,
        name=unit.name,
        code=unit.code,
        kind=unit.kind,
        parent_id=unit.parent_id,
        path=unit.path,
        depth=unit.depth,
    )


class ChoiceOut(Schema):
    key: str
    name: str


class AttributeOut(Schema):
    code: str
    variable: bool
    datatype: str
    required: bool
    datatype_description: str
    order: int
    description: str
    values: list[ChoiceOut]


def attribute_out(attribute: ServiceAttribute) -> AttributeOut:
    return AttributeOut(
        code=attribute.code,
        variable=attribute.variable,
        datatype=attribute.datatype,
        required=attribute.required,
        datatype_description=attribute.datatype_description,
        order=attribute.order,
        description=attribute.description,
        values=[
            ChoiceOut(key=str(item.get("key", "")), name=str(item.get("name", "")))
            for item in attribute.values
            if isinstance(item, dict)
        ],
    )


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    group: str
    achievement_verb: str
    measure_word: str
    evidence_required: bool
    deadline_days: int
    attributes: list[AttributeOut]


def category_out(category: Category) -> CategoryOut:
    return CategoryOut(
        id=category.pk,
        code=category.code,
        name=category.name,
        group=category.group,
        achievement_verb=category.achievement_verb,
        measure_word=category.measure_word,
        evidence_required=category.evidence_required,
        deadline_days=category.deadline_days,
        attributes=[attribute_out(a) for a in category.service_attributes.all()],
    )


# --- tokens ---------------------------------------------------------------------------------------------


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    kind: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. It is shown this once and cannot be read again.")


def token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        kind=token.kind,
        prefix=token.prefix,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


class RoleOut(Schema):
    role: str
    unit: UnitRef


class MeOut(Schema):
    id: int
    username: str
    name: str
    unit: UnitRef | None
    roles: list[RoleOut]


# --- opinions -------------------------------------------------------------------------------------------


class OpinionIn(Schema):
    text: str = Field(max_length=4000)
    unit_id: Id | None = None
    category_id: Id | None = None
    place_code: str | None = Field(default=None, max_length=50)
    place_text: str = Field(default="", max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    anonymous: bool = False
    contact_name: str = Field(default="", max_length=50)
    contact_phone: str = Field(default="", max_length=30)
    attributes: dict[str, Answer] = Field(default_factory=dict)
    media_url: str = Field(default="", max_length=500)


class ProblemBrief(Schema):
    id: int
    code: str
    title: str
    state: str
    state_label: str
    deadline: dt.date | None


def problem_brief(problem: Problem) -> ProblemBrief:
    return ProblemBrief(
        id=problem.pk,
        code=problem.code,
        title=problem.title,
        state=problem.state,
        state_label=problem.state_label,
        deadline=problem.deadline,
    )


class OpinionOut(Schema):
    receipt_code: str = Field(description="Keep it: it is the only way to follow an anonymous opinion.")
    channel: str
    text: str
    state: str
    state_label: str
    anonymous: bool
    unit: UnitRef
    category: CategoryRef | None
    place: str
    latitude: float | None
    longitude: float | None
    attributes: dict[str, Answer]
    media_url: str
    response: str
    responded_at: dt.datetime | None
    created_at: dt.datetime
    problem: ProblemBrief | None


def opinion_out(opinion: Opinion) -> OpinionOut:
    return OpinionOut(
        receipt_code=opinion.receipt_display,
        channel=opinion.channel,
        text=opinion.text,
        state=opinion.state,
        state_label=str(opinion.get_state_display()),
        anonymous=opinion.is_anonymous,
        unit=unit_ref(opinion.unit),
        category=category_ref(opinion.category),
        place=opinion.place_label,
        latitude=float(opinion.latitude) if opinion.latitude is not None else None,
        longitude=float(opinion.longitude) if opinion.longitude is not None else None,
        attributes=dict(opinion.attributes or {}),
        media_url=opinion.media_url,
        response=opinion.response,
        responded_at=opinion.responded_at,
        created_at=opinion.created_at,
        problem=problem_brief(opinion.problem) if opinion.problem else None,
    )


# --- problems -------------------------------------------------------------------------------------------


class ProblemOut(Schema):
    id: int
    code: str
    title: str
    state: str
    state_label: str
    category: CategoryRef
    lead_unit: UnitRef
    leader: PersonRef | None
    owner: PersonRef | None
    deadline: dt.date | None
    is_long_term: bool
    target_quantity: int | None
    done_quantity: int
    measure_word: str
    priority: int
    is_public: bool
    support_count: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None


class ProblemDetailOut(ProblemOut):
    description: str
    measures: str
    source: str
    assisting_units: list[UnitRef]
    completion_note: str
    signed: bool
    reopen_count: int
    actions: list[str] = Field(
        description="Workflow actions offered to the caller (guards are checked on use)."
    )


def _problem_fields(problem: Problem) -> dict[str, object]:
    return {
        "id": problem.pk,
        "code": problem.code,
        "title": problem.title,
        "state": problem.state,
        "state_label": problem.state_label,
        "category": category_ref(problem.category),
        "lead_unit": unit_ref(problem.lead_unit),
        "leader": person_ref(problem.leader),
        "owner": person_ref(problem.owner),
        "deadline": problem.deadline,
        "is_long_term": problem.is_long_term,
        "target_quantity": problem.target_quantity,
        "done_quantity": problem.done_quantity,
        "measure_word": problem.measure_word,
        "priority": problem.priority,
        "is_public": problem.is_public,
        "support_count": problem.support_count,
        "version": problem.version,
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "closed_at": problem.closed_at,
    }


def problem_out(problem: Problem) -> ProblemOut:
    return ProblemOut(**_problem_fields(problem))  # type: ignore[arg-type]  # the dict is typed by the schema


def problem_detail_out(problem: Problem, actions: list[str]) -> ProblemDetailOut:
    return ProblemDetailOut(
        **_problem_fields(problem),  # type: ignore[arg-type]
        description=problem.description,
        measures=problem.measures,
        source=problem.source,
        assisting_units=[unit_ref(u) for u in problem.assisting_units.all()],
        completion_note=problem.completion_note,
        signed=problem.signed_at is not None,
        reopen_count=problem.reopen_count,
        actions=actions,
    )


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class VersionIn(Schema):
    version: int | None = Field(
        default=None,
        ge=1,
        le=MAX_COUNT,
        description="The version you read; or send If-Match. A stale one gets 409.",
    )


class NoteIn(VersionIn):
    note: str = Field(default="", max_length=4000)


class ReasonIn(VersionIn):
    reason: str = Field(max_length=4000)


class ReassignIn(VersionIn):
    lead_unit_id: Id
    leader_id: Id | None = None
    owner_id: Id | None = None
    deadline: dt.date | None = None
    note: str = Field(default="", max_length=4000)


class EditIn(VersionIn):
    """Only the fields sent are changed."""

    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=10000)
    category_id: Id | None = None
    measures: str | None = Field(default=None, max_length=10000)
    deadline: dt.date | None = None
    is_long_term: bool | None = None
    leader_id: Id | None = None
    owner_id: Id | None = None
    target_quantity: Count | None = None
    measure_word: str | None = Field(default=None, max_length=10)
    priority: int | None = Field(default=None, ge=1, le=4)
    is_public: bool | None = None
    note: str = Field(default="", max_length=4000)


class ProgressIn(VersionIn):
    note: str = Field(default="", max_length=4000)
    done_quantity: Count | None = None


class ExtensionIn(VersionIn):
    new_deadline: dt.date
    reason: str = Field(max_length=4000)


class CloseoutIn(VersionIn):
    completion_note: str = Field(max_length=4000)
    done_quantity: Count | None = None
    evidence_kind: Literal["before", "after", "progress", "document"] = "after"


class LookBackIn(VersionIn):
    holds: bool
    note: str = Field(max_length=4000)


class ReopenIn(VersionIn):
    reason: str = Field(max_length=4000)
    cause: Literal["regressed", "unsatisfied"] = "regressed"


class RaiserIn(Schema):
    receipt_code: str | None = Field(
        default=None,
        max_length=20,
        description="An anonymous raiser acts through the opinion's receipt code.",
    )


class RateIn(RaiserIn):
    verdict: Literal["satisfied", "basically_satisfied", "unsatisfied"]
    comment: str = Field(default="", max_length=4000)


class ObjectIn(RaiserIn):
    reason: str = Field(max_length=4000)


class UrgeIn(Schema):
    note: str = Field(max_length=4000)


class SupportIn(Schema):
    support: bool = True


# --- events, ratings, measures --------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    problem_id: int
    seq: int
    kind: str
    at: dt.datetime
    actor: PersonRef | None = Field(description="Shown to those who work on the problem only.")
    actor_role: str
    from_state: str
    to_state: str
    note: str


def event_out(event: Event, *, internals: bool) -> EventOut:
    return EventOut(
        id=event.pk,
        problem_id=event.problem_id,
        seq=event.seq,
        kind=event.kind,
        at=event.at,
        actor=person_ref(event.actor) if internals else None,
        actor_role=event.actor_role,
        from_state=event.from_state,
        to_state=event.to_state,
        note=event.note,
    )


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


class RatingOut(Schema):
    id: int
    problem_id: int
    round: int
    verdict: str
    comment: str
    created_at: dt.datetime


def rating_out(rating: Rating) -> RatingOut:
    return RatingOut(
        id=rating.pk,
        problem_id=rating.problem_id,
        round=rating.round,
        verdict=rating.verdict,
        comment=rating.comment,
        created_at=rating.created_at,
    )


class MeasuresOut(Schema):
    unit: UnitRef | None
    start: dt.date
    end: dt.date
    measures: dict[str, float | int | None]
