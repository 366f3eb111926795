"""Reads of campaigns, each list starting from a scoping selector below (the table in docs/campaigns.md).

- campaigns and their phases: every signed-in person;
- contact points and visits: the leader, and staff (handler, leader, supervisor, admin) over the unit;
- study sessions and meetings: their attendees, and staff over the unit;
- reflections and documents: their author, and leaders, supervisors and administrators over the unit.

Figures (per phase, per leader, per unit) count only rows the person may see.
`meeting_counts` and `meetings_per_month` alone are unscoped: they are the reports' input, and their
callers check the units are in scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    Meeting,
    MeetingItem,
    Phase,
    Reflection,
    ReviewComment,
    Revision,
    StudySession,
    Visit,
    VisitOpinion,
)
from taizhang.campaigns.permissions import READING_ROLES, RECORDING_ROLES, person_of
from taizhang.core import clock
from taizhang.core.errors import NotFound
from taizhang.intake.models import Opinion
from taizhang.intake.selectors import opinions_visible_to
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import problems_in_scope
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser


def _uid(user: AnyUser) -> int:
    """The person's id, or 0 (no row has it) for anonymous visitors."""
    person = person_of(user)
    return person.pk if person is not None else 0


def _nothing() -> Q:
    return Q(pk__in=[])


def _units_q(user: AnyUser, roles: tuple[Role, ...], path_field: str) -> Q | None:
    """Rows whose unit lies in the person's subtrees for `roles`; None means everything (superuser)."""
    person = person_of(user)
    if person is None:
        return _nothing()
    scope = scope_of(person)
    if scope.is_superuser:
        return None
    return scope.unit_q(roles, path_field)


def _scoped[M: (ContactPoint, Visit, StudySession, Reflection, Meeting, Document)](
    queryset: QuerySet[M], user: AnyUser, roles: tuple[Role, ...], path_field: str, own: Q
) -> QuerySet[M]:
    units = _units_q(user, roles, path_field)
    if units is None:
        return queryset
    if person_of(user) is None:
        return queryset.none()
    return queryset.filter(units | own)


# --- scoping selectors ----------------------------------------------------------------------------------


def campaigns_visible_to(user: AnyUser) -> QuerySet[Campaign]:
    if person_of(user) is None:
        return Campaign.objects.none()
    return Campaign.objects.select_related("organiser").prefetch_related("phases")


def contact_points_visible_to(user: AnyUser) -> QuerySet[ContactPoint]:
    return _scoped(
        ContactPoint.objects.all(),
        user,
        RECORDING_ROLES,
        "unit__path",
        Q(leader_id=_uid(user)),
    )


def visits_visible_to(user: AnyUser) -> QuerySet[Visit]:
    return _scoped(
        Visit.objects.all(),
        user,
        RECORDING_ROLES,
        "contact_point__unit__path",
        Q(contact_point__leader_id=_uid(user)),
    )


def study_sessions_visible_to(user: AnyUser) -> QuerySet[StudySession]:
    attended = StudySession.attendees.through.objects.filter(
        studysession_id=OuterRef("pk"), person_id=_uid(user)
    )
    return _scoped(StudySession.objects.all(), user, RECORDING_ROLES, "unit__path", Q(Exists(attended)))


def reflections_visible_to(user: AnyUser) -> QuerySet[Reflection]:
    return _scoped(Reflection.objects.all(), user, READING_ROLES, "unit__path", Q(author_id=_uid(user)))


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    attended = Meeting.attendees.through.objects.filter(meeting_id=OuterRef("pk"), person_id=_uid(user))
    return _scoped(Meeting.objects.all(), user, RECORDING_ROLES, "unit__path", Q(Exists(attended)))


def documents_visible_to(user: AnyUser) -> QuerySet[Document]:
    return _scoped(Document.objects.all(), user, READING_ROLES, "unit__path", Q(author_id=_uid(user)))


def recordable_contact_points(user: AnyUser, campaign: Campaign) -> QuerySet[ContactPoint]:
    """Contact points the person may record visits to: their own, and all those of units they supervise."""
    person = person_of(user)
    if person is None:
        return ContactPoint.objects.none()
    supervised = _units_q(person, (Role.SUPERVISOR, Role.ADMIN), "unit__path")
    points = ContactPoint.objects.filter(campaign=campaign).select_related("leader", "unit")
    if supervised is None:
        return points.order_by("leader__name", "unit__path")
    return points.filter(supervised | Q(leader_id=person.pk)).order_by("leader__name", "unit__path")


def units_in_charge(user: AnyUser, roles: tuple[Role, ...]) -> QuerySet[Unit]:
    """Active units the person holds one of `roles` over (for the unit choices of a form)."""
    units = _units_q(user, roles, "path")
    active = Unit.objects.filter(is_active=True).order_by("path")
    return active if units is None else active.filter(units)


# --- fetch one, or NotFound (never revealing that it exists) --------------------------------------------


def access_campaign(user: AnyUser, code: str) -> Campaign:
    campaign = campaigns_visible_to(user).filter(code=code).first()
    if campaign is None:
        raise NotFound(_("No such campaign."))
    return campaign


def access_contact_point(user: AnyUser, point_id: int) -> ContactPoint:
    point = (
        contact_points_visible_to(user)
        .select_related("leader", "unit", "campaign")
        .filter(pk=point_id)
        .first()
    )
    if point is None:
        raise NotFound(_("No such contact point."))
    return point


def access_visit(user: AnyUser, visit_id: int) -> Visit:
    visit = (
        visits_visible_to(user)
        .select_related(
            "contact_point", "contact_point__leader", "contact_point__unit", "contact_point__campaign"
        )
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound(_("No such visit."))
    return visit


def access_study_session(user: AnyUser, session_id: int) -> StudySession:
    session = study_sessions_visible_to(user).select_related("unit", "campaign").filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("No such study session."))
    return session


def access_reflection(user: AnyUser, reflection_id: int) -> Reflection:
    found = (
        reflections_visible_to(user)
        .select_related("author", "unit", "campaign", "session")
        .filter(pk=reflection_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such reflection."))
    return found


def access_meeting(user: AnyUser, meeting_id: int) -> Meeting:
    meeting = meetings_visible_to(user).select_related("unit", "campaign").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    return meeting


def access_meeting_item(user: AnyUser, item_id: int) -> MeetingItem:
    item = (
        MeetingItem.objects.select_related("meeting", "meeting__unit", "meeting__campaign")
        .filter(pk=item_id, meeting__in=meetings_visible_to(user))
        .first()
    )
    if item is None:
        raise NotFound(_("No such meeting item."))
    return item


def access_document(user: AnyUser, document_id: int) -> Document:
    document = (
        documents_visible_to(user)
        .select_related("unit", "author", "campaign", "approved_revision", "approved_by")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("No such document."))
    return document


def access_revision(user: AnyUser, revision_id: int) -> Revision:
    revision = (
        Revision.objects.select_related("document", "document__unit")
        .filter(pk=revision_id, document__in=documents_visible_to(user))
        .first()
    )
    if revision is None:
        raise NotFound(_("No such revision."))
    return revision


# --- lists ----------------------------------------------------------------------------------------------


def meeting_list(user: AnyUser, campaign: Campaign) -> QuerySet[Meeting]:
    return (
        meetings_visible_to(user)
        .filter(campaign=campaign)
        .select_related("unit")
        .annotate(
            item_count=Count("items", distinct=True),
            listed_count=Count("items", filter=Q(items__problem__isnull=False), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


def document_list(user: AnyUser, campaign: Campaign) -> QuerySet[Document]:
    return (
        documents_visible_to(user)
        .filter(campaign=campaign)
        .select_related("unit", "author", "approved_revision")
        .annotate(revision_count=Count("revisions", distinct=True))
        .order_by("kind", "unit__path", "pk")
    )


def document_revisions(document: Document) -> QuerySet[Revision]:
    """The document's revisions in order, with their comments (the caller checked the document is visible)."""
    return (
        document.revisions.select_related("author")
        .prefetch_related(Prefetch("comments", queryset=ReviewComment.objects.select_related("reviewer")))
        .order_by("number")
    )


# --- the campaign's home page ---------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


def current_phase(campaign: Campaign, today: dt.date | None = None) -> Phase | None:
    today = today or clock.today()
    for phase in campaign.phases.all():
        if phase.starts_on <= today <= phase.ends_on:
            return phase
    return None


@dataclass(frozen=True)
class PhaseFigures:
    """What one phase produced, counted over what the person may see."""

    phase: Phase
    is_current: bool
    opinions: int
    visits: int
    problems: int
    closed: int
    meetings: int
    study_sessions: int
    reflections: int
    revisions: int


def _per_phase(
    queryset: QuerySet[Any],
    phases: list[Phase],
    *,
    date_field: str | None = None,
    at_field: str | None = None,
) -> dict[int, int]:
    """One query: the rows of each phase, by a date field or (at local midnight bounds) a datetime field."""
    aggregates = {}
    for phase in phases:
        if date_field is not None:
            condition = Q(**{f"{date_field}__range": (phase.starts_on, phase.ends_on)})
        else:
            condition = Q(
                **{
                    f"{at_field}__gte": day_start(phase.starts_on),
                    f"{at_field}__lt": day_start(phase.ends_on + dt.timedelta(days=1)),
                }
            )
        aggregates[f"phase_{phase.pk}"] = Count("pk", filter=condition, distinct=True)
    if not aggregates:
        return {}
    counted = queryset.aggregate(**aggregates)
    return {phase.pk: int(counted[f"phase_{phase.pk}"] or 0) for phase in phases}


def campaign_opinions(user: AnyUser, campaign: Campaign) -> QuerySet[Opinion]:
    """The campaign's opinions the person may see: intake's rule, plus those entered from visits they see."""
    from_visits = VisitOpinion.objects.filter(
        opinion_id=OuterRef("pk"), visit__in=visits_visible_to(user).values("pk")
    )
    return Opinion.objects.filter(campaign=campaign).filter(
        Q(pk__in=opinions_visible_to(user).values("pk")) | Q(Exists(from_visits))
    )


def phase_figures(user: AnyUser, campaign: Campaign, today: dt.date | None = None) -> list[PhaseFigures]:
    phases = list(campaign.phases.all())
    current = current_phase(campaign, today)
    problems = problems_in_scope(user).filter(campaign=campaign)
    columns = {
        "opinions": _per_phase(campaign_opinions(user, campaign), phases, at_field="created_at"),
        "visits": _per_phase(
            visits_visible_to(user).filter(contact_point__campaign=campaign),
            phases,
            date_field="visited_on",
        ),
        "problems": _per_phase(problems, phases, at_field="created_at"),
        "closed": _per_phase(
            problems.filter(state=State.CLOSED),
            phases,
            at_field="closed_at",
        ),
        "meetings": _per_phase(
            meetings_visible_to(user).filter(campaign=campaign),
            phases,
            date_field="held_on",
        ),
        "study_sessions": _per_phase(
            study_sessions_visible_to(user).filter(campaign=campaign),
            phases,
            date_field="held_on",
        ),
        "reflections": _per_phase(
            reflections_visible_to(user).filter(campaign=campaign),
            phases,
            date_field="written_on",
        ),
        "revisions": _per_phase(
            Revision.objects.filter(document__in=documents_visible_to(user).filter(campaign=campaign)),
            phases,
            at_field="created_at",
        ),
    }
    return [
        PhaseFigures(
            phase=phase,
            is_current=current is not None and current.pk == phase.pk,
            **{name: counts.get(phase.pk, 0) for name, counts in columns.items()},
        )
        for phase in phases
    ]


@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date
    kind: str  # phase | study | meeting | visit | revision | approval
    title: str
    detail: str = ""
    url_name: str = ""
    object_id: int | None = None


@dataclass
class TimelinePhase:
    phase: Phase | None  # None: before the first phase or after the last
    entries: list[TimelineEntry] = field(default_factory=list)


def campaign_timeline(user: AnyUser, campaign: Campaign) -> list[TimelinePhase]:
    """What happened, day by day, grouped by phase: study, visits, meetings, revisions and approvals."""
    entries: list[TimelineEntry] = []
    for session in study_sessions_visible_to(user).filter(campaign=campaign).select_related("unit"):
        entries.append(
            TimelineEntry(
                session.held_on,
                "study",
                session.topic,
                f"{session.unit.name} · {session.get_kind_display()}",
                "campaigns:study_session",
                session.pk,
            )
        )
    for meeting in meetings_visible_to(user).filter(campaign=campaign).select_related("unit"):
        entries.append(
            TimelineEntry(
                meeting.held_on,
                "meeting",
                meeting.title,
                f"{meeting.unit.name} · {meeting.get_kind_display()}",
                "campaigns:meeting",
                meeting.pk,
            )
        )
    visits = visits_visible_to(user).filter(contact_point__campaign=campaign)
    for visit in visits.select_related("contact_point__leader", "contact_point__unit"):
        entries.append(
            TimelineEntry(
                visit.visited_on,
                "visit",
                _("%(leader)s visits %(unit)s")
                % {
                    "leader": visit.contact_point.leader.display_name,
                    "unit": visit.contact_point.unit.name,
                },
                visit.raised[:80],
                "campaigns:visit",
                visit.pk,
            )
        )
    documents = documents_visible_to(user).filter(campaign=campaign)
    revisions = Revision.objects.filter(document__in=documents).select_related("document")
    for revision in revisions:
        entries.append(
            TimelineEntry(
                clock_date(revision.created_at),
                "revision",
                _("%(title)s, revision %(number)d")
                % {"title": revision.document.title, "number": revision.number},
                revision.note[:80],
                "campaigns:document",
                revision.document_id,
            )
        )
    for document in documents.filter(approved_at__isnull=False).select_related("approved_by"):
        assert document.approved_at is not None  # noqa: S101  # filtered above; narrows the type
        entries.append(
            TimelineEntry(
                clock_date(document.approved_at),
                "approval",
                _("%(title)s approved") % {"title": document.title},
                document.approved_by.display_name if document.approved_by else "",
                "campaigns:document",
                document.pk,
            )
        )
    order = {"study": 0, "visit": 1, "meeting": 2, "revision": 3, "approval": 4}
    entries.sort(key=lambda entry: (entry.day, order.get(entry.kind, 9), entry.title))
    phases = list(campaign.phases.all())
    groups: list[TimelinePhase] = []
    for entry in entries:
        phase = next((p for p in phases if p.starts_on <= entry.day <= p.ends_on), None)
        if not groups or groups[-1].phase != phase:
            groups.append(TimelinePhase(phase=phase))
        groups[-1].entries.append(entry)
    return groups


def clock_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(_zone()).date()


# --- contact points: per-leader figures -----------------------------------------------------------------


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from start's month to end's month, inclusive."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def campaign_months(campaign: Campaign, today: dt.date | None = None) -> list[dt.date]:
    today = today or clock.today()
    end = min(campaign.ends_on, today) if campaign.ends_on else today
    return months_between(campaign.starts_on, max(end, campaign.starts_on))


@dataclass(frozen=True)
class LeaderFigures:
    leader: Person
    contact_points: tuple[str, ...]
    visits_by_month: tuple[int, ...]  # aligned with the months given to leader_figures
    visits: int
    opinions: int
    problems_fixed: int


def leader_figures(user: AnyUser, campaign: Campaign, months: list[dt.date]) -> list[LeaderFigures]:
    """Each leader's visits per month, opinions gathered on them, and problems closed out from those opinions.

    A problem counts once per leader however many of their visits' opinions it carries; anonymous opinions
    from a visit count as gathered (they are not linked: see docs/adr/0080).
    """
    points = contact_points_visible_to(user).filter(campaign=campaign).select_related("leader", "unit")
    leaders: dict[int, Person] = {}
    units: dict[int, list[str]] = defaultdict(list)
    for point in points.order_by("leader__name", "unit__path"):
        leaders[point.leader_id] = point.leader
        units[point.leader_id].append(point.unit.name)
    visits = visits_visible_to(user).filter(contact_point__campaign=campaign)
    per_month: dict[tuple[int, dt.date], int] = {}
    for row in (
        visits.annotate(month=TruncMonth("visited_on"))
        .values("contact_point__leader", "month")
        .annotate(count=Count("pk"))
    ):
        month = row["month"]
        key_month = month.date() if isinstance(month, dt.datetime) else month
        per_month[(row["contact_point__leader"], key_month)] = row["count"]
    anonymous = dict(
        visits.values("contact_point__leader")
        .annotate(total=Sum("anonymous_opinions"))
        .values_list("contact_point__leader", "total")
    )
    linked = dict(
        VisitOpinion.objects.filter(visit__in=visits.values("pk"))
        .values("visit__contact_point__leader")
        .annotate(count=Count("pk"))
        .values_list("visit__contact_point__leader", "count")
    )
    fixed = dict(
        Problem.objects.filter(state=State.CLOSED, opinions__visit_link__visit__in=visits.values("pk"))
        .values("opinions__visit_link__visit__contact_point__leader")
        .annotate(count=Count("pk", distinct=True))
        .values_list("opinions__visit_link__visit__contact_point__leader", "count")
    )
    figures = []
    for leader_id, leader in leaders.items():
        by_month = tuple(per_month.get((leader_id, month), 0) for month in months)
        figures.append(
            LeaderFigures(
                leader=leader,
                contact_points=tuple(units[leader_id]),
                visits_by_month=by_month,
                visits=sum(count for (who, _m), count in per_month.items() if who == leader_id),
                opinions=linked.get(leader_id, 0) + int(anonymous.get(leader_id) or 0),
                problems_fixed=fixed.get(leader_id, 0),
            )
        )
    return figures


# --- study: reflections per unit ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCount:
    unit: Unit
    count: int
    previous: int | None = None  # the same period a year earlier, where it is compared
    is_total: bool = False  # the top of the person's scope: its whole subtree, the rows below break it down

    @property
    def change(self) -> int | None:
        """Percent change from a year earlier, rounded; None without a base to compare with."""
        if not self.previous:
            return None
        return round((self.count - self.previous) * 100 / self.previous)


def _roll_up(rows: Iterable[tuple[str, int]], units: list[Unit]) -> dict[int, int]:
    """Counts per unit path rolled up into each given unit's subtree."""
    totals = dict.fromkeys((unit.pk for unit in units), 0)
    for path, count in rows:
        for unit in units:
            if path.startswith(unit.path):
                totals[unit.pk] += count
    return totals


def report_units(user: AnyUser) -> list[Unit]:
    """The units a person's figures are broken down by: the top of each of their subtrees (its whole subtree,
    so records kept at the top unit itself are counted too), then each unit directly under it."""
    person = person_of(user)
    if person is None:
        return []
    scope = scope_of(person)
    if scope.is_superuser:
        tops = list(Unit.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order", "path"))
    else:
        paths = sorted({path for role in RECORDING_ROLES for path in scope.paths.get(role, ())})
        tops = [
            unit
            for unit in Unit.objects.filter(path__in=paths).order_by("sort_order", "path")
            if not any(unit.path != path and unit.path.startswith(path) for path in paths)
        ]
    rows: list[Unit] = []
    children = list(Unit.objects.filter(parent__in=tops, is_active=True).order_by("sort_order", "path"))
    for top in tops:
        rows.append(top)
        rows.extend(child for child in children if child.parent_id == top.pk)
    return rows


def is_top(unit: Unit, units: list[Unit]) -> bool:
    return not any(other.pk == unit.parent_id for other in units)


def reflection_counts(user: AnyUser, campaign: Campaign) -> list[UnitCount]:
    units = report_units(user)
    rows = (
        reflections_visible_to(user)
        .filter(campaign=campaign)
        .values("unit__path")
        .annotate(count=Count("pk"))
        .values_list("unit__path", "count")
    )
    totals = _roll_up(rows, units)
    return [UnitCount(unit=unit, count=totals[unit.pk], is_total=is_top(unit, units)) for unit in units]


# --- meetings -------------------------------------------------------------------------------------------


def meeting_counts(
    unit: Unit, start: dt.date, end: dt.date, *, kinds: Iterable[str] | None = None
) -> dict[dt.date, int]:
    """Meetings held in `unit`'s subtree from `start` to `end` (inclusive), per month.

    Keys are the first day of each month in the range, zero months included, in order. Unscoped: the caller
    makes sure the person may see the unit. `kinds` narrows to some MeetingKind values (default: all).
    This is the input of the reports' "会议次数" (fewer meetings) figure.
    """
    where = Q(unit__path__startswith=unit.path)
    if kinds is not None:
        where &= Q(kind__in=list(kinds))
    return meetings_per_month(where, start, end)


def meetings_per_month(where: Q, start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """Meetings matching `where` (e.g. a unit scope's Q on `unit__path`) held from `start` to `end`
    inclusive, per month as `meeting_counts` gives them. One query; unscoped like it."""
    meetings = Meeting.objects.filter(where, held_on__range=(start, end))
    counts = dict.fromkeys(months_between(start, end), 0)
    rows = meetings.annotate(month=TruncMonth("held_on")).values("month").annotate(count=Count("pk"))
    for row in rows.order_by():
        month = row["month"]
        counts[month.date() if isinstance(month, dt.datetime) else month] = row["count"]
    return counts


def same_period_last_year(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)


def meeting_counts_by_unit(user: AnyUser, start: dt.date, end: dt.date) -> list[UnitCount]:
    """Meetings per unit in the period and in the same period a year earlier, over what the person sees."""
    units = report_units(user)
    visible = meetings_visible_to(user)
    before_start, before_end = same_period_last_year(start, end)

    def rows(first: dt.date, last: dt.date) -> list[tuple[str, int]]:
        return list(
            visible.filter(held_on__range=(first, last))
            .values("unit__path")
            .annotate(count=Count("pk"))
            .values_list("unit__path", "count")
        )

    now = _roll_up(rows(start, end), units)
    then = _roll_up(rows(before_start, before_end), units)
    return [
        UnitCount(unit=unit, count=now[unit.pk], previous=then[unit.pk], is_total=is_top(unit, units))
        for unit in units
    ]
