"""Every write to the ledger. One transaction each; the row locked; the person checked against the workflow
table; the change written; an Event appended to the problem's hash chain.

Services take the acting person (`user`) and, for edits made from a form, the `version` the person saw: a
different current version means someone else saved in between, and the service refuses with Conflict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core import clock, hooks
from taizhang.core.errors import Conflict, DomainError, InvalidInput, NotFound, NotPermitted
from taizhang.core.options import current_options, options_override
from taizhang.core.uploads import strip_metadata, validate_upload
from taizhang.intake.models import Opinion, normalise_receipt
from taizhang.ledger import workflow
from taizhang.ledger.models import (
    GENESIS_HASH,
    Category,
    CodeSequence,
    DeadlineExtension,
    Event,
    Evidence,
    Priority,
    Problem,
    Rating,
    Support,
    Verdict,
)
from taizhang.ledger.permissions import actors_on, is_outside_unit
from taizhang.ledger.workflow import Action, Actor, State, Transition, WorkflowError
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser | None

#: Which actor's name goes on the event when a person is several things at once.
_ROLE_PRECEDENCE = (
    Actor.SYSTEM,
    Actor.SUPERVISOR,
    Actor.LEADER,
    Actor.HANDLER,
    Actor.ASSISTANT,
    Actor.RAISER,
    Actor.EMPLOYEE,
)


def rules() -> workflow.Rules:
    options = current_options()
    return workflow.Rules(
        rating_quorum=options.rating_quorum,
        unsatisfied_max_share=options.unsatisfied_max_share,
        notice_days=options.notice_days,
    )


def _person(user: AnyUser) -> Person | None:
    return user if isinstance(user, Person) and user.is_authenticated else None


# --- the event chain ------------------------------------------------------------------------------------


def record_event(
    *,
    problem: Problem,
    kind: str,
    actor: Person | None,
    actor_role: str = "",
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    payload: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the problem's chain. The caller holds the problem's row lock and saves it."""
    event = Event(
        problem=problem,
        seq=problem.event_count + 1,
        kind=kind,
        actor=actor,
        actor_role=actor_role,
        at=clock.now(),
        from_state=from_state,
        to_state=to_state or from_state,
        note=note,
        payload=payload or {},
        prev_hash=problem.head_hash,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    problem.event_count = event.seq
    problem.head_hash = event.hash
    hooks.event_recorded(event)
    return event


def _save(problem: Problem) -> None:
    problem.version += 1
    problem.updated_at = clock.now()
    problem.save()
    hooks.problem_saved(problem)


def lock_problem(problem_id: int, version: int | None = None) -> Problem:
    """Lock the row for the rest of the transaction and check the caller's version."""
    try:
        problem = Problem.objects.select_for_update().get(pk=problem_id)
    except Problem.DoesNotExist:
        raise NotFound(_("No such problem.")) from None
    if version is not None and version != problem.version:
        raise Conflict(
            _(
                "Someone else changed this item since you opened it (your version %(mine)d, now "
                "%(now)d). Reload it, check their change, and try again."
            )
            % {"mine": version, "now": problem.version}
        )
    return problem


# --- facts for the workflow -----------------------------------------------------------------------------


def raiser_count(problem: Problem) -> int:
    """Distinct raisers: each signed-in person once, each anonymous or offline opinion once."""
    opinions = Opinion.objects.filter(problem=problem)
    named = opinions.filter(submitter__isnull=False).values("submitter").distinct().count()
    return named + opinions.filter(submitter__isnull=True).count()


def _rating_window_ends(problem: Problem) -> dt.datetime | None:
    if problem.closeout_requested_at is None:
        return None
    return problem.closeout_requested_at + dt.timedelta(days=current_options().rating_window_days)


def _facts(problem: Problem, user: AnyUser, actors: frozenset[Actor], **request: Any) -> workflow.Facts:
    person = _person(user)
    current = Rating.objects.filter(problem=problem, round=problem.closeout_round)
    category: Category = problem.category
    window_ends = _rating_window_ends(problem)
    return workflow.Facts(
        state=State(problem.state),
        actors=actors,
        # Local time: deadlines are local dates, and messages show local times.
        now=timezone.localtime(clock.now()),
        rules=rules(),
        actor_id=person.pk if person else None,
        deadline=problem.deadline,
        is_long_term=problem.is_long_term,
        open_children=problem.milestones.exclude(state__in=[State.CLOSED, State.CANCELLED]).count(),
        evidence_count=problem.evidence.count() + int(request.pop("new_evidence", 0)),
        evidence_required=category.evidence_required,
        signed=problem.signed_at is not None,
        closeout_requested_by=problem.closeout_requested_by_id,
        pending_extension=problem.extensions.filter(status=DeadlineExtension.Status.PENDING).exists(),
        objection_pending=problem.objection_pending,
        notice_ends_at=timezone.localtime(problem.notice_ends_at) if problem.notice_ends_at else None,
        rating_window_ends_at=timezone.localtime(window_ends) if window_ends else None,
        verifier_outside_unit=is_outside_unit(person, problem) if person else False,
        raisers=raiser_count(problem),
        ratings=current.count(),
        unsatisfied=current.filter(verdict=Verdict.UNSATISFIED).count(),
        **request,
    )


def _authorize(
    problem: Problem, user: AnyUser, action: Action, *, actors: frozenset[Actor] | None = None, **request: Any
) -> Transition:
    if actors is None:
        actors = actors_on(user, problem) if user is not None else frozenset()
    try:
        return workflow.check(action, _facts(problem, user, actors, **request))
    except WorkflowError as refusal:
        error = NotPermitted if refusal.code == "not_permitted" else DomainError
        raise error(refusal.message, code=refusal.code) from None


def _role_label(row: Transition, actors: frozenset[Actor]) -> str:
    for actor in _ROLE_PRECEDENCE:
        if actor in row.actors and actor in actors:
            return actor.value
    return ""


def _apply(
    *,
    problem: Problem,
    user: AnyUser,
    action: Action,
    note: str = "",
    payload: dict[str, Any] | None = None,
    change: Callable[[Problem, Transition], None] | None = None,
    actors: frozenset[Actor] | None = None,
    **request: Any,
) -> Event:
    """Check `action`, run `change`, move the state, append the event, save. The heart of every service."""
    if actors is None:
        actors = actors_on(user, problem) if user is not None else frozenset()
    row = _authorize(problem, user, action, actors=actors, **request)
    from_state = problem.state
    problem.state = row.target_for(State(problem.state))
    if change is not None:
        change(problem, row)
    event = record_event(
        problem=problem,
        kind=row.event_kind,
        actor=_person(user),
        actor_role=_role_label(row, actors),
        from_state=from_state,
        to_state=problem.state,
        note=note,
        payload=payload,
    )
    _save(problem)
    return event


# --- evidence -------------------------------------------------------------------------------------------


def _store_evidence(
    problem: Problem, files: Sequence[UploadedFile[Any]], kind: str, user: AnyUser
) -> list[Evidence]:
    """Save the files (images stripped of EXIF/GPS) under random names; their SHA-256 enters the chain."""
    stored = []
    for upload in files:
        file_type = validate_upload(upload)
        content: File[Any] = strip_metadata(upload, file_type) if file_type.is_image else upload
        digest = hashlib.sha256()
        for chunk in content.chunks():
            digest.update(chunk)
        content.seek(0)
        evidence = Evidence(
            problem=problem,
            kind=kind,
            original_name=(upload.name or "")[:200],
            content_type=file_type.content_type,
            size=content.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=_person(user),
            created_at=clock.now(),
        )
        evidence.file.save(f"{uuid.uuid4().hex}{file_type.extensions[0]}", content, save=False)
        evidence.save()
        stored.append(evidence)
    return stored


def _evidence_payload(items: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [
        {"id": item.pk, "kind": item.kind, "sha256": item.sha256, "name": item.original_name}
        for item in items
    ]


def _validate_files(files: Sequence[UploadedFile[Any]]) -> None:
    for upload in files:
        validate_upload(upload)


# --- creating and editing -------------------------------------------------------------------------------


def next_problem_code(year: int) -> str:
    prefix = current_options().problem_code_prefix
    sequence, _created = CodeSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    sequence.last = F("last") + 1
    sequence.save(update_fields=["last"])
    sequence.refresh_from_db(fields=["last"])
    return f"{prefix}-{year}-{sequence.last:04d}"


@dataclass(frozen=True)
class ProblemDraft:
    """The ledger fields of a new problem (from the triage desk, an import, or the demo)."""

    title: str
    category: Category
    lead_unit: Unit
    description: str = ""
    source: str = ""
    assisting_units: tuple[Unit, ...] = ()
    leader: Person | None = None
    owner: Person | None = None
    measures: str = ""
    deadline: dt.date | None = None
    is_long_term: bool = False
    target_quantity: int | None = None
    measure_word: str | None = None
    priority: int = Priority.NORMAL
    is_public: bool = True
    campaign_id: int | None = None
    parent: Problem | None = None
    weight: int = 1
    #: Count the time allowed in working days; None takes the category's setting.
    working_days: bool | None = None


def _validate_draft(draft: ProblemDraft) -> None:
    errors: dict[str, list[Any]] = {}
    if not draft.title.strip():
        errors.setdefault("title", []).append(_("A problem needs a title."))
    if len(draft.title) > 200:
        errors.setdefault("title", []).append(_("The title is longer than 200 characters."))
    if draft.deadline is None and not draft.is_long_term:
        errors.setdefault("deadline", []).append(_("Give a deadline, or mark the item long-term (长期坚持)."))
    if draft.target_quantity is not None and draft.target_quantity < 0:
        errors.setdefault("target_quantity", []).append(_("The target quantity cannot be negative."))
    if draft.lead_unit in draft.assisting_units:
        errors.setdefault("assisting_units", []).append(_("The lead unit cannot also be an assisting unit."))
    if not draft.lead_unit.is_active:
        errors.setdefault("lead_unit", []).append(_("That unit is no longer active."))
    if draft.weight < 1:
        errors.setdefault("weight", []).append(_("The weight must be at least 1."))
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)


def may_create_problem(user: AnyUser, lead_unit: Unit) -> bool:
    person = _person(user)
    return person is not None and scope_of(person).covers(Role.SUPERVISOR, lead_unit.path)


@transaction.atomic
def problem_create(*, user: AnyUser, draft: ProblemDraft, note: str = "", system: bool = False) -> Problem:
    """Put a problem on the list (立项). Supervisors of the lead unit do this; imports run as `system`."""
    if not system and not may_create_problem(user, draft.lead_unit):
        raise NotPermitted(
            _("Only the supervision group over %(unit)s may put problems on its list.")
            % {"unit": draft.lead_unit.name}
        )
    _validate_draft(draft)
    now = clock.now()
    problem = Problem(
        code=next_problem_code(clock.today().year),
        title=draft.title.strip(),
        description=draft.description.strip(),
        category=draft.category,
        source=draft.source,
        lead_unit=draft.lead_unit,
        leader=draft.leader,
        owner=draft.owner,
        measures=draft.measures.strip(),
        deadline=draft.deadline,
        working_days=draft.category.working_days if draft.working_days is None else draft.working_days,
        is_long_term=draft.is_long_term,
        parent=draft.parent,
        weight=draft.weight,
        target_quantity=draft.target_quantity,
        measure_word=draft.measure_word if draft.measure_word is not None else draft.category.measure_word,
        priority=draft.priority,
        is_public=draft.is_public,
        campaign_id=draft.campaign_id,
        state=State.OPEN,
        created_at=now,
        updated_at=now,
        created_by=_person(user),
    )
    problem.save(force_insert=True)
    if draft.assisting_units:
        problem.assisting_units.set(draft.assisting_units)
    record_event(
        problem=problem,
        kind="problem.created",
        actor=_person(user),
        actor_role=Actor.SYSTEM.value if system else Actor.SUPERVISOR.value,
        to_state=State.OPEN,
        note=note,
        payload=_ledger_snapshot(problem),
    )
    problem.save(update_fields=["event_count", "head_hash"])
    hooks.problem_saved(problem)
    return problem


@dataclass(frozen=True)
class ImportedProblem:
    """A ledger row from a file, as an import puts it on the list (see `taizhang.excel.services`)."""

    draft: ProblemDraft
    external_ref: str
    started: bool = False  # the file says the work is under way: the system starts it
    progress_note: str = ""  # the file's 整改进展, recorded as the system's progress note
    done_quantity: int | None = None
    cancel_reason: str = ""  # the file says 中止: the importing supervisor cancels it
    provenance: dict[str, Any] = field(default_factory=dict)  # file, row: into every event's payload


def _simulate(
    problem: Problem, action: Action, actors: frozenset[Actor], now: dt.datetime, **request: Any
) -> Transition:
    """Check a transition of a problem that exists only in memory: a new problem has no evidence, ratings,
    milestones or extension requests, so the facts need no query."""
    facts = workflow.Facts(
        state=State(problem.state),
        actors=actors,
        now=timezone.localtime(now),
        rules=rules(),
        deadline=problem.deadline,
        is_long_term=problem.is_long_term,
        evidence_required=problem.category.evidence_required,
        **request,
    )
    try:
        return workflow.check(action, facts)
    except WorkflowError as refusal:
        raise DomainError(refusal.message, code=refusal.code) from None


def _chain(problem: Problem, events: list[Event]) -> None:
    previous = GENESIS_HASH
    for seq, event in enumerate(events, start=1):
        event.problem = problem
        event.seq = seq
        event.prev_hash = previous
        event.hash = event.compute_hash()
        previous = event.hash
    problem.event_count = len(events)
    problem.head_hash = previous


@transaction.atomic
def problems_import(*, user: Person, items: Sequence[ImportedProblem]) -> list[Problem]:  # noqa: PLR0915  # one pass, in order
    """Put many problems from a ledger file on the list at once: the same rows and event chains as
    `problem_create` followed by `problem_start`, `problem_record_progress` or `problem_cancel`, checked
    against the same transition table, written with a handful of bulk statements instead of some twenty
    queries per problem. The importing person must supervise every lead unit; the state moves are the
    system's (start, progress) or the supervisor's (cancel), never a close-out.
    """
    for item in items:
        if not may_create_problem(user, item.draft.lead_unit):
            raise NotPermitted(
                _("Only the supervision group over %(unit)s may put problems on its list.")
                % {"unit": item.draft.lead_unit.name}
            )
        _validate_draft(item.draft)
        _check_quantity(item.done_quantity)
    if not items:
        return []
    now = clock.now()
    options = current_options()
    year = clock.today().year
    sequence, _created = CodeSequence.objects.select_for_update().get_or_create(
        prefix=options.problem_code_prefix, year=year
    )
    first = sequence.last + 1
    sequence.last += len(items)
    sequence.save(update_fields=["last"])
    system = frozenset({Actor.SYSTEM})
    supervisor = frozenset({Actor.SUPERVISOR})
    problems: list[Problem] = []
    chains: list[list[Event]] = []
    for number, item in enumerate(items, start=first):
        draft = item.draft
        problem = Problem(
            code=f"{options.problem_code_prefix}-{year}-{number:04d}",
            external_ref=item.external_ref,
            title=draft.title.strip(),
            description=draft.description.strip(),
            category=draft.category,
            source=draft.source,
            lead_unit=draft.lead_unit,
            leader=draft.leader,
            owner=draft.owner,
            measures=draft.measures.strip(),
            deadline=draft.deadline,
            is_long_term=draft.is_long_term,
            parent=draft.parent,
            weight=draft.weight,
            target_quantity=draft.target_quantity,
            measure_word=draft.measure_word
            if draft.measure_word is not None
            else draft.category.measure_word,
            priority=draft.priority,
            is_public=draft.is_public,
            campaign_id=draft.campaign_id,
            state=State.OPEN,
            created_at=now,
            updated_at=now,
            created_by=user,
        )
        snapshot = {
            "title": problem.title,
            "category": draft.category.pk,
            "lead_unit": draft.lead_unit.pk,
            "assisting_units": sorted(unit.pk for unit in draft.assisting_units),
            "leader": draft.leader.pk if draft.leader else None,
            "owner": draft.owner.pk if draft.owner else None,
            "deadline": problem.deadline.isoformat() if problem.deadline else None,
            "is_long_term": problem.is_long_term,
            "target_quantity": problem.target_quantity,
            "parent": draft.parent.pk if draft.parent else None,
        }
        events = [
            Event(
                kind="problem.created",
                actor=user,
                actor_role=Actor.SYSTEM.value,
                at=now,
                to_state=State.OPEN,
                payload={**snapshot, "imported": item.provenance},
            )
        ]

        def move(
            action: Action, actors: frozenset[Actor], note: str, payload: dict[str, Any], **request: Any
        ) -> None:
            row = _simulate(problem, action, actors, now, **request)  # noqa: B023  # used at once
            before = problem.state  # noqa: B023
            problem.state = row.target_for(State(before))  # noqa: B023
            events.append(  # noqa: B023
                Event(
                    kind=row.event_kind,
                    actor=user,
                    actor_role=_role_label(row, actors),
                    at=now,
                    from_state=before,
                    to_state=problem.state,  # noqa: B023
                    note=note,
                    payload=payload,
                )
            )

        if item.started or item.progress_note.strip() or item.done_quantity:
            move(Action.START, system, "", {"imported": item.provenance})
            problem.started_at = now
            if item.progress_note.strip() or item.done_quantity:
                payload: dict[str, Any] = {"evidence": [], "imported": item.provenance}
                if item.done_quantity is not None:
                    payload["done_quantity"] = [0, item.done_quantity]
                    problem.done_quantity = item.done_quantity
                move(Action.PROGRESS, system, item.progress_note.strip(), payload)
        if item.cancel_reason.strip():
            move(
                Action.CANCEL,
                supervisor,
                item.cancel_reason.strip(),
                {"imported": item.provenance},
                reason=item.cancel_reason,
            )
            problem.cancelled_at = now
        problems.append(problem)
        chains.append(events)
    Problem.objects.bulk_create(problems)
    through = Problem.assisting_units.through
    through.objects.bulk_create(
        [
            through(problem_id=problem.pk, unit_id=unit.pk)
            for problem, item in zip(problems, items, strict=True)
            for unit in item.draft.assisting_units
        ]
    )
    all_events: list[Event] = []
    for problem, events in zip(problems, chains, strict=True):
        _chain(problem, events)
        all_events.extend(events)
    Event.objects.bulk_create(all_events)
    # Each chain's anchor, known only now that the problems have ids. One prepared statement run for every
    # row: Django's bulk_update builds a CASE expression per row and costs more than the inserts.
    table = connection.ops.quote_name(Problem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET event_count = %s, head_hash = %s WHERE id = %s",  # noqa: S608  # names, not input
            [(problem.event_count, problem.head_hash, problem.pk) for problem in problems],
        )
    with hooks.batch():
        for event in all_events:
            hooks.event_recorded(event)
        for problem in problems:
            hooks.problem_saved(problem)
    return problems


@transaction.atomic
def category_create(
    *, name: str, group: str = "", measure_word: str = "", evidence_required: bool = True
) -> Category:
    """A new category (an import may create the ones its file names, when the person asked for that)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("A category needs a name."), field="name")
    if len(name) > 50:
        raise InvalidInput(_("A category name is at most 50 characters."), field="name")
    base = "c-" + hashlib.sha256(name.encode()).hexdigest()[:10]
    code, suffix = base, 1
    while Category.objects.filter(code=code).exists():
        suffix += 1
        code = f"{base}-{suffix}"
    return Category.objects.create(
        name=name, code=code, group=group, measure_word=measure_word, evidence_required=evidence_required
    )


def _ledger_snapshot(problem: Problem) -> dict[str, Any]:
    return {
        "title": problem.title,
        "category": problem.category_id,
        "lead_unit": problem.lead_unit_id,
        "assisting_units": sorted(problem.assisting_units.values_list("pk", flat=True)) if problem.pk else [],
        "leader": problem.leader_id,
        "owner": problem.owner_id,
        "deadline": problem.deadline.isoformat() if problem.deadline else None,
        "is_long_term": problem.is_long_term,
        "target_quantity": problem.target_quantity,
        "parent": problem.parent_id,
    }


_EDIT_FIELD_ATTRIBUTES = {
    "category": "category_id",
    "leader": "leader_id",
    "owner": "owner_id",
    "campaign": "campaign_id",
}


def _field_names(names: Iterable[str]) -> list[str]:
    """The fields as people know them (their verbose names, in the request's language)."""
    return [str(getattr(Problem._meta.get_field(name), "verbose_name", name)) for name in names]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def problem_edit(
    *, user: AnyUser, problem_id: int, version: int | None, changes: dict[str, Any], note: str = ""
) -> Problem:
    """Change ledger fields. Which fields each actor may change is `workflow.EDITABLE_FIELDS`."""
    unknown = sorted(set(changes) - set().union(*workflow.EDITABLE_FIELDS.values()))
    if unknown:
        raise InvalidInput(_("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(unknown)})
    problem = lock_problem(problem_id, version)
    actors = actors_on(user, problem) if user is not None else frozenset()
    allowed: set[str] = set()
    for actor in actors:
        allowed |= workflow.EDITABLE_FIELDS.get(actor, frozenset())
    refused = sorted(set(changes) - allowed)
    if refused and allowed:
        raise NotPermitted(
            _("You may not change: %(fields)s.") % {"fields": ", ".join(_field_names(refused))}
        )
    before = {name: _plain(getattr(problem, name)) for name in changes}
    diff = {
        name: [before[name], _plain(value)]
        for name, value in changes.items()
        if before[name] != _plain(value)
    }
    if not diff:
        raise InvalidInput(_("Nothing was changed."), code="no_change")

    def change(target: Problem, _row: Transition) -> None:
        for name, value in changes.items():
            setattr(target, name, value.strip() if isinstance(value, str) else value)
        if target.deadline is None and not target.is_long_term:
            raise InvalidInput(_("Give a deadline, or mark the item long-term (长期坚持)."), field="deadline")
        if not target.title.strip():
            raise InvalidInput(_("A problem needs a title."), field="title")

    _apply(
        problem=problem,
        user=user,
        action=Action.EDIT,
        note=note,
        payload={"changes": diff},
        change=change,
        actors=actors,
    )
    return problem


# --- the close-out workflow -----------------------------------------------------------------------------


@transaction.atomic
def problem_start(
    *,
    user: AnyUser,
    problem_id: int,
    version: int | None = None,
    note: str = "",
    system: bool = False,
    payload: dict[str, Any] | None = None,
) -> Problem:
    """Start the work. `system`: an import records that its file says the work is under way; the caller has
    checked that `user` supervises the problem's unit."""
    problem = lock_problem(problem_id, version)

    def change(target: Problem, _row: Transition) -> None:
        target.started_at = target.started_at or clock.now()

    _apply(
        problem=problem,
        user=user,
        action=Action.START,
        note=note,
        change=change,
        payload=payload,
        actors=frozenset({Actor.SYSTEM}) if system else None,
    )
    return problem


@transaction.atomic
def problem_return(*, user: AnyUser, problem_id: int, reason: str, version: int | None = None) -> Problem:
    """退回: the unit says the problem is not its own; a supervisor reassigns it."""
    problem = lock_problem(problem_id, version)
    _apply(
        problem=problem,
        user=user,
        action=Action.RETURN,
        note=reason,
        reason=reason,
        payload={"lead_unit": problem.lead_unit_id},
    )
    return problem


@transaction.atomic
def problem_reassign(
    *,
    user: AnyUser,
    problem_id: int,
    lead_unit: Unit,
    leader: Person | None = None,
    owner: Person | None = None,
    deadline: dt.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Problem:
    problem = lock_problem(problem_id, version)
    if lead_unit.pk == problem.lead_unit_id:
        raise InvalidInput(
            _("Choose a different unit than the one that returned the item."), field="lead_unit"
        )
    if not lead_unit.is_active:
        raise InvalidInput(_("That unit is no longer active."), field="lead_unit")
    old_unit = problem.lead_unit_id

    def change(target: Problem, _row: Transition) -> None:
        target.lead_unit = lead_unit
        target.leader = leader
        target.owner = owner
        if deadline is not None:
            target.deadline = deadline

    _apply(
        problem=problem,
        user=user,
        action=Action.REASSIGN,
        note=note,
        change=change,
        payload={
            "from_unit": old_unit,
            "to_unit": lead_unit.pk,
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    return problem


def _check_quantity(done_quantity: int | None) -> None:
    if done_quantity is not None and done_quantity < 0:
        raise InvalidInput(_("The quantity done cannot be negative."), field="done_quantity")


@transaction.atomic
def problem_record_progress(
    *,
    user: AnyUser,
    problem_id: int,
    note: str,
    done_quantity: int | None = None,
    photos: Sequence[UploadedFile[Any]] = (),
    version: int | None = None,
    system: bool = False,
    extra: dict[str, Any] | None = None,
) -> Problem:
    """整改进展: a note, optionally the quantity done so far and progress photos. `system`: an import records
    its file's progress column (the caller has checked that `user` supervises the problem's unit)."""
    problem = lock_problem(problem_id, version)
    _check_quantity(done_quantity)
    if not note.strip() and done_quantity is None and not photos:
        raise InvalidInput(_("Describe the progress."), field="note")
    _validate_files(photos)
    payload: dict[str, Any] = dict(extra or {})
    if done_quantity is not None:
        payload["done_quantity"] = [problem.done_quantity, done_quantity]

    def change(target: Problem, _row: Transition) -> None:
        payload["evidence"] = _evidence_payload(_store_evidence(target, photos, Evidence.Kind.PROGRESS, user))
        if done_quantity is not None:
            target.done_quantity = done_quantity

    _apply(
        problem=problem,
        user=user,
        action=Action.PROGRESS,
        note=note.strip(),
        payload=payload,
        change=change,
        actors=frozenset({Actor.SYSTEM}) if system else None,
    )
    return problem


@transaction.atomic
def problem_request_extension(
    *, user: AnyUser, problem_id: int, new_deadline: dt.date, reason: str, version: int | None = None
) -> DeadlineExtension:
    problem = lock_problem(problem_id, version)
    person = _person(user)
    created: list[DeadlineExtension] = []

    def change(target: Problem, _row: Transition) -> None:
        if target.deadline is None or person is None:  # the workflow refuses these before this point
            raise DomainError(_("A long-term item has no deadline to extend."))
        created.append(
            DeadlineExtension.objects.create(
                problem=target,
                requested_by=person,
                requested_at=clock.now(),
                old_deadline=target.deadline,
                new_deadline=new_deadline,
                reason=reason.strip(),
            )
        )

    _apply(
        problem=problem,
        user=user,
        action=Action.REQUEST_EXTENSION,
        note=reason,
        reason=reason,
        new_deadline=new_deadline,
        change=change,
        payload={
            "old_deadline": problem.deadline.isoformat() if problem.deadline else None,
            "new_deadline": new_deadline.isoformat(),
        },
    )
    return created[0]


@transaction.atomic
def problem_decide_extension(
    *, user: AnyUser, problem_id: int, approve: bool, note: str = "", version: int | None = None
) -> Problem:
    problem = lock_problem(problem_id, version)
    extension = problem.extensions.filter(status=DeadlineExtension.Status.PENDING).first()
    action = Action.APPROVE_EXTENSION if approve else Action.REJECT_EXTENSION
    payload: dict[str, Any] = {}
    if extension is not None:
        payload = {
            "extension": extension.pk,
            "old_deadline": extension.old_deadline.isoformat(),
            "new_deadline": extension.new_deadline.isoformat(),
        }

    def change(target: Problem, _row: Transition) -> None:
        if extension is None:  # EXTENSION_PENDING refuses this before this point
            raise DomainError(_("There is no extension request to decide."))
        extension.status = DeadlineExtension.Status.APPROVED if approve else DeadlineExtension.Status.REJECTED
        extension.decided_by = _person(user)
        extension.decided_at = clock.now()
        extension.decision_note = note.strip()
        extension.save()
        if approve:
            target.deadline = extension.new_deadline

    _apply(problem=problem, user=user, action=action, note=note, reason=note, payload=payload, change=change)
    return problem


@transaction.atomic
def problem_request_closeout(
    *,
    user: AnyUser,
    problem_id: int,
    completion_note: str,
    done_quantity: int | None = None,
    evidence: Sequence[UploadedFile[Any]] = (),
    evidence_kind: str = Evidence.Kind.AFTER,
    version: int | None = None,
) -> Problem:
    """申请销号: what was done, with evidence; opens a new rating round for the raisers."""
    problem = lock_problem(problem_id, version)
    _check_quantity(done_quantity)
    _validate_files(evidence)
    payload: dict[str, Any] = {"round": problem.closeout_round + 1}
    if done_quantity is not None:
        payload["done_quantity"] = [problem.done_quantity, done_quantity]

    def change(target: Problem, _row: Transition) -> None:
        payload["evidence"] = _evidence_payload(_store_evidence(target, evidence, evidence_kind, user))
        target.completion_note = completion_note.strip()
        target.closeout_round += 1
        target.closeout_requested_at = clock.now()
        target.closeout_requested_by = _person(user)
        _clear_review(target)
        if done_quantity is not None:
            target.done_quantity = done_quantity

    _apply(
        problem=problem,
        user=user,
        action=Action.REQUEST_CLOSEOUT,
        note=completion_note.strip(),
        payload=payload,
        change=change,
        completion_note=completion_note,
        new_evidence=len(evidence),
    )
    return problem


@transaction.atomic
def problem_sign(*, user: AnyUser, problem_id: int, note: str = "", version: int | None = None) -> Problem:
    """审签: the responsible leader signs the unit's close-out request."""
    problem = lock_problem(problem_id, version)

    def change(target: Problem, _row: Transition) -> None:
        target.signed_by = _person(user)
        target.signed_at = clock.now()

    _apply(problem=problem, user=user, action=Action.SIGN, note=note, change=change)
    return problem


def _clear_review(problem: Problem) -> None:
    problem.signed_by = None
    problem.signed_at = None


@transaction.atomic
def problem_reject(*, user: AnyUser, problem_id: int, reason: str, version: int | None = None) -> Problem:
    problem = lock_problem(problem_id, version)
    _apply(
        problem=problem,
        user=user,
        action=Action.REJECT,
        note=reason,
        reason=reason,
        change=lambda target, _row: _clear_review(target),
    )
    return problem


@transaction.atomic
def problem_verify(
    *,
    user: AnyUser,
    problem_id: int,
    note: str = "",
    version: int | None = None,
    notice_days: int | None = None,
) -> Problem:
    """验收: a supervisor outside the unit confirms the fix; public notice follows, or close-out at once.

    `notice_days` sets this item's public notice (公示) period; by default the organisation's.
    """
    if notice_days is not None and notice_days < 0:
        raise InvalidInput(_("The notice period cannot be negative."), field="notice_days")
    problem = lock_problem(problem_id, version)
    current = Rating.objects.filter(problem=problem, round=problem.closeout_round)
    payload = {
        "round": problem.closeout_round,
        "ratings": {verdict: current.filter(verdict=verdict).count() for verdict in Verdict.values},
    }

    def change(target: Problem, row: Transition) -> None:
        now = clock.now()
        if row.target == State.NOTICE:
            target.notice_ends_at = now + dt.timedelta(days=rules().notice_days)
        else:
            target.closed_at = now

    with options_override(notice_days=notice_days) if notice_days is not None else contextlib.nullcontext():
        _apply(problem=problem, user=user, action=Action.VERIFY, note=note, payload=payload, change=change)
    return problem


def _receipt_opinion(problem: Problem, receipt_code: str) -> Opinion:
    opinion = Opinion.objects.filter(problem=problem, receipt_code=normalise_receipt(receipt_code)).first()
    if opinion is None:
        raise NotPermitted(
            _("That receipt code does not belong to a raiser of this problem."), code="not_a_raiser"
        )
    return opinion


@dataclass(frozen=True)
class _Raiser:
    """Who acts as a raiser. Through a receipt code nobody is recorded, even when someone is signed in:
    recording them would unmask the anonymous opinion the code belongs to."""

    user: AnyUser
    actors: frozenset[Actor]
    opinions: list[Opinion]


def _as_raiser(user: AnyUser, problem: Problem, receipt_code: str | None) -> _Raiser:
    if receipt_code:
        opinion = _receipt_opinion(problem, receipt_code)
        return _Raiser(user=None, actors=frozenset({Actor.RAISER}), opinions=[opinion])
    person = _person(user)
    actors = actors_on(user, problem) if user is not None else frozenset()
    opinions = (
        list(Opinion.objects.filter(problem=problem, submitter=person).order_by("created_at", "pk"))
        if person
        else []
    )
    return _Raiser(user=user, actors=actors, opinions=opinions)


@transaction.atomic
def problem_object(
    *, user: AnyUser, problem_id: int, reason: str, receipt_code: str | None = None
) -> Problem:
    """An objection during the public notice, by a raiser (also through a receipt code) or an employee."""
    problem = lock_problem(problem_id)
    raiser = _as_raiser(user, problem, receipt_code)

    def change(target: Problem, _row: Transition) -> None:
        target.objection_pending = True

    _apply(
        problem=problem,
        user=raiser.user,
        action=Action.OBJECT,
        note=reason,
        reason=reason,
        change=change,
        actors=raiser.actors,
    )
    return problem


@transaction.atomic
def problem_decide_objection(
    *, user: AnyUser, problem_id: int, uphold: bool, reason: str, version: int | None = None
) -> Problem:
    problem = lock_problem(problem_id, version)

    def change(target: Problem, _row: Transition) -> None:
        target.objection_pending = False
        if uphold:
            target.notice_ends_at = None
            _clear_review(target)

    _apply(
        problem=problem,
        user=user,
        action=Action.UPHOLD_OBJECTION if uphold else Action.DISMISS_OBJECTION,
        note=reason,
        reason=reason,
        change=change,
    )
    return problem


@transaction.atomic
def problem_conclude_notice(*, user: AnyUser, problem_id: int, note: str = "") -> Problem:
    """Close out after the notice period; run by a supervisor, or by the scheduler as the system."""
    problem = lock_problem(problem_id)
    actors = frozenset({Actor.SYSTEM}) if user is None else None

    def change(target: Problem, _row: Transition) -> None:
        target.closed_at = clock.now()

    _apply(problem=problem, user=user, action=Action.CONCLUDE_NOTICE, note=note, change=change, actors=actors)
    return problem


class ReopenCause:
    REGRESSED = "regressed"
    UNSATISFIED = "unsatisfied"
    VALUES = (REGRESSED, UNSATISFIED)


@transaction.atomic
def problem_look_back(
    *,
    user: AnyUser,
    problem_id: int,
    holds: bool,
    note: str,
    photos: Sequence[UploadedFile[Any]] = (),
    version: int | None = None,
) -> Problem:
    """回头看: a closed item re-checked. Holding is recorded; a regression reopens it (and is counted)."""
    if not holds:
        return problem_reopen(
            user=user,
            problem_id=problem_id,
            reason=note,
            cause=ReopenCause.REGRESSED,
            photos=photos,
            version=version,
        )
    problem = lock_problem(problem_id, version)
    _validate_files(photos)
    payload: dict[str, Any] = {}

    def change(target: Problem, _row: Transition) -> None:
        payload["evidence"] = _evidence_payload(_store_evidence(target, photos, Evidence.Kind.AFTER, user))

    _apply(
        problem=problem, user=user, action=Action.LOOK_BACK_HOLD, note=note, payload=payload, change=change
    )
    return problem


@transaction.atomic
def problem_reopen(
    *,
    user: AnyUser,
    problem_id: int,
    reason: str,
    cause: str = ReopenCause.REGRESSED,
    photos: Sequence[UploadedFile[Any]] = (),
    version: int | None = None,
) -> Problem:
    if cause not in ReopenCause.VALUES:
        raise InvalidInput(_("Unknown reason for reopening."), field="cause")
    problem = lock_problem(problem_id, version)
    _validate_files(photos)
    payload: dict[str, Any] = {"cause": cause}

    def change(target: Problem, _row: Transition) -> None:
        payload["evidence"] = _evidence_payload(_store_evidence(target, photos, Evidence.Kind.PROGRESS, user))
        target.reopen_count += 1
        target.closed_at = None
        target.notice_ends_at = None
        _clear_review(target)

    _apply(
        problem=problem,
        user=user,
        action=Action.REOPEN,
        note=reason,
        reason=reason,
        change=change,
        payload=payload,
    )
    return problem


@transaction.atomic
def problem_cancel(*, user: AnyUser, problem_id: int, reason: str, version: int | None = None) -> Problem:
    problem = lock_problem(problem_id, version)

    def change(target: Problem, _row: Transition) -> None:
        target.cancelled_at = clock.now()
        target.objection_pending = False

    _apply(problem=problem, user=user, action=Action.CANCEL, note=reason, reason=reason, change=change)
    return problem


@transaction.atomic
def problem_urge(
    *, user: AnyUser, problem_id: int, note: str, payload: dict[str, Any] | None = None, system: bool = False
) -> Event:
    """督办: recorded on the problem; supervision builds the three-colour notices on top of this."""
    problem = lock_problem(problem_id)
    return _apply(
        problem=problem,
        user=user,
        action=Action.URGE,
        note=note,
        payload=payload or {},
        actors=frozenset({Actor.SYSTEM}) if system else None,
    )


@transaction.atomic
def problem_reply_urge(
    *, user: AnyUser, problem_id: int, reply: str, urge_waiting: bool, payload: dict[str, Any] | None = None
) -> Event:
    """The unit answers an urge notice (supervision keeps the notice; `urge_waiting`: still unanswered)."""
    problem = lock_problem(problem_id)
    return _apply(
        problem=problem,
        user=user,
        action=Action.REPLY_URGE,
        note=reply.strip(),
        reason=reply,
        payload=payload or {},
        urge_waiting=urge_waiting,
    )


@transaction.atomic
def problem_escalate_urge(
    *, problem_id: int, note: str, urge_waiting: bool, payload: dict[str, Any] | None = None
) -> Event:
    """The scheduler escalates an unanswered urge notice (recorded on the problem as the system)."""
    problem = lock_problem(problem_id)
    return _apply(
        problem=problem,
        user=None,
        action=Action.ESCALATE_URGE,
        note=note,
        payload=payload or {},
        actors=frozenset({Actor.SYSTEM}),
        urge_waiting=urge_waiting,
    )


@transaction.atomic
def problem_rate(
    *, user: AnyUser, problem_id: int, verdict: str, comment: str = "", receipt_code: str | None = None
) -> Rating:
    """A raiser rates the fix (满意 / 基本满意 / 不满意), once per close-out round.

    Signed-in raisers rate as themselves; anonymous raisers through their receipt code, which records no
    identity.
    """
    if verdict not in Verdict.values:
        raise InvalidInput(_("Choose 满意, 基本满意 or 不满意."), field="verdict")
    problem = lock_problem(problem_id)
    raiser = _as_raiser(user, problem, receipt_code)
    already = Rating.objects.filter(
        problem=problem, round=problem.closeout_round, opinion__in=raiser.opinions
    ).exists()
    created: list[Rating] = []

    def change(target: Problem, _row: Transition) -> None:
        created.append(
            Rating.objects.create(
                problem=target,
                opinion=raiser.opinions[0],
                round=target.closeout_round,
                verdict=verdict,
                comment=comment.strip(),
                created_at=clock.now(),
            )
        )

    _apply(
        problem=problem,
        user=raiser.user,
        action=Action.RATE,
        note=comment.strip(),
        payload={"verdict": verdict, "round": problem.closeout_round},
        change=change,
        actors=raiser.actors,
        already_rated=already,
    )
    return created[0]


# --- supports (点赞) --------------------------------------------------------------------------------------


@transaction.atomic
def problem_support(*, user: AnyUser, problem_id: int, support: bool) -> Problem:
    """One 点赞 per person; pressing again withdraws it."""
    person = _person(user)
    if person is None:
        raise NotPermitted(_("Log in to support an item."))
    problem = lock_problem(problem_id)
    if not problem.is_public:
        raise NotFound(_("No such problem."))
    if support:
        try:
            with transaction.atomic():
                Support.objects.create(problem=problem, person=person, created_at=clock.now())
        except IntegrityError:
            return problem
        problem.support_count += 1
    else:
        deleted, _counts = Support.objects.filter(problem=problem, person=person).delete()
        if not deleted:
            return problem
        problem.support_count -= 1
    problem.save(update_fields=["support_count"])
    return problem
