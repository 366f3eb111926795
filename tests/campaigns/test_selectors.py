"""Campaign reads: who sees which records (the sibling unit sees none of them), and the figures, which count
only what the person may see."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.campaigns import selectors
from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    DocumentKind,
    MeetingKind,
    Reflection,
    StudyKind,
    Visit,
)
from taizhang.intake import services as intake
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from tests.campaigns.conftest import close_out, days, no_evidence_category
from tests.conftest import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(
    campaign: Campaign,
    units: Org,
    visit: Visit,
    leader: Person,
    handler: Person,
    employee: Person,
    supervisor: Person,
) -> dict[str, object]:
    """One of each record in 第一氧化铝厂, made by the people who would make them."""
    session = campaigns.study_session_record(
        user=handler,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant,
            kind=StudyKind.FILM,
            topic="《焦裕禄》",
            held_on=days(-70),
            attendees=(employee,),
        ),
    )
    reflection = campaigns.reflection_write(
        user=employee,
        campaign_id=campaign.pk,
        title="观后感",
        text="焦裕禄精神深深打动了我。",
        written_on=days(-69),
    )
    meeting = campaigns.meeting_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.MeetingInput(
            unit=units.plant,
            kind=MeetingKind.DEMOCRATIC_LIFE,
            title="专题民主生活会",
            held_on=days(-10),
            attendees=(leader, supervisor),
        ),
    )
    document = campaigns.document_start(
        user=leader,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title="对照检查材料",
        unit=units.plant,
        text="第一稿",
    )
    return {
        "visit": visit,
        "session": session,
        "reflection": reflection,
        "meeting": meeting,
        "document": document,
    }


def visible(person: Person) -> dict[str, set[int]]:
    return {
        "visit": set(selectors.visits_visible_to(person).values_list("pk", flat=True)),
        "session": set(selectors.study_sessions_visible_to(person).values_list("pk", flat=True)),
        "reflection": set(selectors.reflections_visible_to(person).values_list("pk", flat=True)),
        "meeting": set(selectors.meetings_visible_to(person).values_list("pk", flat=True)),
        "document": set(selectors.documents_visible_to(person).values_list("pk", flat=True)),
    }


def seen(person: Person, records: dict[str, object]) -> set[str]:
    found = visible(person)
    return {name for name, record in records.items() if getattr(record, "pk", None) in found[name]}


def test_the_sibling_unit_sees_none_of_it(records: dict[str, object], outsider: Person) -> None:
    assert seen(outsider, records) == set()


def test_each_person_sees_what_their_role_and_unit_allow(
    records: dict[str, object],
    employee: Person,
    handler: Person,
    leader: Person,
    leader2: Person,
    supervisor: Person,
    admin_user: Person,
) -> None:
    # The employee attended the film and wrote the reflection; nothing else is theirs.
    assert seen(employee, records) == {"session", "reflection"}
    # Handlers record the unit's work, but members' writings are for those who lead or supervise.
    assert seen(handler, records) == {"visit", "session", "meeting"}
    everything = {"visit", "session", "reflection", "meeting", "document"}
    assert seen(leader, records) == everything
    assert seen(leader2, records) == everything
    assert seen(supervisor, records) == everything
    assert seen(admin_user, records) == everything


def test_anonymous_visitors_see_nothing(records: dict[str, object]) -> None:
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert not selectors.campaigns_visible_to(nobody).exists()
    assert not selectors.visits_visible_to(nobody).exists()
    assert not selectors.documents_visible_to(nobody).exists()


def test_a_leader_sees_their_own_contact_point_outside_their_units(
    campaign: Campaign, units: Org, supervisor: Person, outsider: Person, leader: Person
) -> None:
    point = campaigns.contact_point_assign(
        user=supervisor, campaign_id=campaign.pk, leader=outsider, unit=units.workshop, since=days(-80)
    )
    visit = campaigns.visit_record(
        user=outsider,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(visited_on=days(-3), people_met="班组"),
    )
    assert selectors.access_visit(outsider, visit.pk) == visit
    assert visit in selectors.visits_visible_to(leader)  # the unit's own leader sees visits to it


def test_the_current_phase_follows_the_clock(campaign: Campaign) -> None:
    phase = selectors.current_phase(campaign)
    assert phase is not None and phase.order == 2
    assert selectors.current_phase(campaign, days(-60)).order == 1  # type: ignore[union-attr]
    assert selectors.current_phase(campaign, days(200)) is None


def test_phase_figures_count_what_each_phase_produced(
    records: dict[str, object], campaign: Campaign, leader: Person, outsider: Person
) -> None:
    figures = {f.phase.order: f for f in selectors.phase_figures(leader, campaign)}
    assert (figures[1].visits, figures[1].study_sessions, figures[1].reflections) == (1, 1, 1)
    assert (figures[2].meetings, figures[2].revisions) == (1, 1)
    assert figures[2].is_current and not figures[1].is_current
    assert figures[3].meetings == 0
    theirs = selectors.phase_figures(outsider, campaign)
    assert all(
        (f.visits, f.meetings, f.study_sessions, f.reflections, f.revisions) == (0, 0, 0, 0, 0)
        for f in theirs
    )


def test_phase_figures_count_opinions_problems_and_closed_items(
    campaign: Campaign,
    visit: Visit,
    units: Org,
    leader: Person,
    handler: Person,
    supervisor: Person,
    outsider: Person,
) -> None:
    opinion = campaigns.visit_opinion_add(
        user=leader,
        visit_id=visit.pk,
        data=campaigns.VisitOpinionInput(text="路灯不亮", contact_name="白志刚"),
    )
    problem = intake.opinion_triage(
        user=supervisor,
        opinion_id=opinion.pk,
        draft=ledger.ProblemDraft(
            title="路灯",
            category=no_evidence_category(),
            lead_unit=units.workshop,
            deadline=days(20),
            campaign_id=campaign.pk,
        ),
    )
    close_out(problem, supervisor=supervisor, handler=handler, leader=leader)
    current = next(f for f in selectors.phase_figures(supervisor, campaign) if f.is_current)
    assert (current.opinions, current.problems, current.closed) == (1, 1, 1)
    # The leader sees the opinion through their own visit, and the problem through their unit.
    mine = next(f for f in selectors.phase_figures(leader, campaign) if f.is_current)
    assert (mine.opinions, mine.problems) == (1, 1)
    theirs = next(f for f in selectors.phase_figures(outsider, campaign) if f.is_current)
    assert (theirs.opinions, theirs.problems, theirs.closed) == (0, 0, 0)


def test_the_timeline_groups_what_happened_by_phase(
    records: dict[str, object], campaign: Campaign, leader: Person
) -> None:
    groups = selectors.campaign_timeline(leader, campaign)
    assert [group.phase.order for group in groups if group.phase] == [1, 2]
    first = [entry.kind for entry in groups[0].entries]
    assert first == ["study", "visit"]
    kinds = {entry.kind for entry in groups[1].entries}
    assert {"meeting", "revision"} <= kinds
    days_in_order = [entry.day for group in groups for entry in group.entries]
    assert days_in_order == sorted(days_in_order)


def test_leader_figures_count_visits_per_month_opinions_and_problems_fixed(
    campaign: Campaign,
    point: ContactPoint,
    units: Org,
    leader: Person,
    handler: Person,
    supervisor: Person,
    outsider: Person,
) -> None:
    first = campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(visited_on=days(-60), people_met="职工"),
    )
    campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(visited_on=days(-2), people_met="班组长"),
    )
    fixed = campaigns.visit_opinion_add(
        user=leader,
        visit_id=first.pk,
        data=campaigns.VisitOpinionInput(text="仓顶没水", contact_name="李建民"),
    )
    campaigns.visit_opinion_add(
        user=leader, visit_id=first.pk, data=campaigns.VisitOpinionInput(text="再提一条", anonymous=True)
    )
    problem = intake.opinion_triage(
        user=supervisor,
        opinion_id=fixed.pk,
        draft=ledger.ProblemDraft(
            title="吃水难", category=no_evidence_category(), lead_unit=units.workshop, deadline=days(9)
        ),
    )
    close_out(problem, supervisor=supervisor, handler=handler, leader=leader)
    months = selectors.campaign_months(campaign)
    [figures] = selectors.leader_figures(supervisor, campaign, months)
    assert figures.leader == leader and figures.contact_points == ("原料车间",)
    assert (figures.visits, figures.opinions, figures.problems_fixed) == (2, 2, 1)
    assert sum(figures.visits_by_month) == 2
    assert figures.visits_by_month[months.index(days(-60).replace(day=1))] >= 1
    assert selectors.leader_figures(outsider, campaign, months) == []


def test_meeting_counts_are_per_month_over_a_subtree_with_empty_months(
    units: Org, handler: Person, outsider: Person
) -> None:
    def meeting(unit: object, day: dt.date, kind: str = MeetingKind.OFFICE) -> None:
        person = outsider if unit == units.sibling else handler
        campaigns.meeting_record(
            user=person,
            data=campaigns.MeetingInput(unit=unit, kind=kind, title="会", held_on=day),  # type: ignore[arg-type]
        )

    meeting(units.plant, dt.date(2013, 1, 10))
    meeting(units.workshop, dt.date(2013, 1, 31))
    meeting(units.workshop, dt.date(2013, 3, 1), MeetingKind.DISPATCH)
    meeting(units.sibling, dt.date(2013, 1, 15))  # another subtree
    meeting(units.plant, dt.date(2013, 4, 1))  # after the range
    counts = selectors.meeting_counts(units.plant, dt.date(2013, 1, 1), dt.date(2013, 3, 31))
    assert counts == {dt.date(2013, 1, 1): 2, dt.date(2013, 2, 1): 0, dt.date(2013, 3, 1): 1}
    assert list(counts) == sorted(counts)
    offices = selectors.meeting_counts(
        units.plant, dt.date(2013, 1, 1), dt.date(2013, 3, 31), kinds=[MeetingKind.OFFICE]
    )
    assert offices[dt.date(2013, 3, 1)] == 0
    assert sum(selectors.meeting_counts(units.root, dt.date(2013, 1, 1), dt.date(2013, 12, 31)).values()) == 5


def test_meeting_counts_by_unit_compare_with_last_year_within_scope(
    units: Org, handler: Person, supervisor: Person, outsider: Person
) -> None:
    for day in (dt.date(2013, 2, 1), dt.date(2013, 3, 1), dt.date(2014, 3, 1)):
        campaigns.meeting_record(
            user=handler,
            data=campaigns.MeetingInput(
                unit=units.workshop, kind=MeetingKind.OFFICE, title="会", held_on=day
            ),
        )
    rows = {
        row.unit: row
        for row in selectors.meeting_counts_by_unit(supervisor, dt.date(2014, 1, 1), dt.date(2014, 8, 31))
    }
    assert (rows[units.plant].count, rows[units.plant].previous) == (1, 2)
    assert (rows[units.sibling].count, rows[units.sibling].previous) == (0, 0)
    theirs = selectors.meeting_counts_by_unit(outsider, dt.date(2014, 1, 1), dt.date(2014, 8, 31))
    assert all(row.count == 0 and row.previous == 0 for row in theirs)


def test_reflections_are_counted_per_unit(
    campaign: Campaign, units: Org, employee: Person, handler: Person, outsider: Person, supervisor: Person
) -> None:
    for person in (employee, handler, outsider):
        campaigns.reflection_write(
            user=person,
            campaign_id=campaign.pk,
            title="学习体会",
            text="进一步明白了我是谁、为了谁、依靠谁。",
        )
    rows = {row.unit: row.count for row in selectors.reflection_counts(supervisor, campaign)}
    assert rows[units.plant] == 2 and rows[units.sibling] == 1
    assert Reflection.objects.count() == 3


def test_unit_breakdowns_start_with_the_whole_scope_so_nothing_at_its_top_is_lost(
    campaign: Campaign, units: Org, employee: Person, leader: Person
) -> None:
    for person in (employee, leader):  # the leader belongs to the plant itself, the employee to its workshop
        campaigns.reflection_write(
            user=person, campaign_id=campaign.pk, title="体会", text="进一步明白了我是谁、为了谁。"
        )
    rows = selectors.reflection_counts(leader, campaign)
    assert [(row.unit, row.count, row.is_total) for row in rows] == [
        (units.plant, 2, True),
        (units.workshop, 1, False),
    ]


def test_access_never_reveals_what_the_person_may_not_see(
    records: dict[str, object], outsider: Person
) -> None:
    from taizhang.core.errors import NotFound

    for access, record in (
        (selectors.access_visit, records["visit"]),
        (selectors.access_study_session, records["session"]),
        (selectors.access_meeting, records["meeting"]),
        (selectors.access_document, records["document"]),
        (selectors.access_reflection, records["reflection"]),
    ):
        with pytest.raises(NotFound):
            access(outsider, record.pk)  # type: ignore[attr-defined]
