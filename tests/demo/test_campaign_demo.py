"""The campaign in the demo follows the article: the February start, leaders visiting their contact points,
study and the members' reflections, the June democratic-life meeting with the supervision group, the meetings
of 7 July – 10 August, check materials rewritten again and again, and the October summary.

Loaded once for the module inside a transaction rolled back at the end (as tests/demo/test_demo.py does).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from taizhang.campaigns import selectors
from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    DocumentKind,
    ItemKind,
    Meeting,
    MeetingKind,
    Reflection,
    StudyKind,
    StudySession,
    Visit,
    VisitOpinion,
)
from taizhang.demo import campaign_data as cdata
from taizhang.demo import data
from taizhang.demo.loader import DemoSummary, load_demo
from taizhang.intake.models import Channel, Opinion
from taizhang.ledger.models import Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope
from taizhang.reports.selectors import expenses_year_on_year

pytestmark = pytest.mark.django_db

LIFE_MEETINGS = (MeetingKind.DEMOCRATIC_LIFE, MeetingKind.ORGANISATIONAL_LIFE)


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSummary]:
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        summary = load_demo()
        assert summary.created
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def campaign(demo: DemoSummary) -> Campaign:
    return Campaign.objects.get(code=data.CAMPAIGN.code)


def person(name: str) -> Person:
    return Person.objects.get(name=name)


def test_the_campaign_starts_in_february_in_three_phases(campaign: Campaign) -> None:
    assert campaign.starts_on == dt.date(2014, 2, 14)
    assert list(campaign.phases.values_list("name", flat=True)) == [
        "学习教育、听取意见",
        "查摆问题、开展批评",
        "整改落实、建章立制",
    ]
    assert selectors.current_phase(campaign, dt.date(2014, 7, 10)).name == "查摆问题、开展批评"  # type: ignore[union-attr]


def test_each_phase_produced_what_the_article_says(campaign: Campaign) -> None:
    figures = {
        f.phase.order: f for f in selectors.phase_figures(person("杨朝晖"), campaign, dt.date(2014, 10, 27))
    }
    study, criticism, rectification = figures[1], figures[2], figures[3]
    # 学习教育、听取意见: study, the members' reflections, leaders' visits and the opinions they gathered.
    assert (
        study.study_sessions >= 5 and study.reflections >= 15 and study.visits >= 10 and study.opinions >= 100
    )
    # 查摆问题、开展批评: the democratic-life meetings and the check materials rewritten for them.
    assert criticism.meetings >= 10 and criticism.revisions >= 15
    # 整改落实、建章立制: items closed out, and the summary.
    assert rectification.closed > 0 and rectification.is_current
    # The phases cover the campaign day after day: every problem listed in it falls in one of them.
    assert sum(f.problems for f in figures.values()) == Problem.objects.filter(campaign=campaign).count()


def test_leaders_visit_their_contact_points_and_enter_what_they_heard(campaign: Campaign) -> None:
    leaders = {
        point.leader.name for point in ContactPoint.objects.filter(campaign=campaign).select_related("leader")
    }
    assert {"郭顺喜", "原卫平", "李庆红", "陈军红"} <= leaders
    for point in ContactPoint.objects.filter(campaign=campaign).select_related("leader"):
        assert scope_of(point.leader).has_role(Role.LEADER)
        assert point.visits.exists(), point
    # What was raised on a visit entered from it: the 13号大圆仓 opinion on 原卫平's visit of 20 March.
    water = Problem.objects.get(title__contains="13号大圆仓")
    from_visit = VisitOpinion.objects.get(opinion__problem=water)
    assert from_visit.visit.contact_point.leader.name == "原卫平"
    assert from_visit.visit.visited_on == dt.date(2014, 3, 20)
    assert from_visit.opinion.channel == Channel.VISIT and from_visit.opinion.submitter is None
    # Every visit opinion came from a visit; the anonymous one is counted on its visit, not linked.
    visit_opinions = Opinion.objects.filter(campaign=campaign, channel=Channel.VISIT)
    assert visit_opinions.filter(is_anonymous=False).count() == VisitOpinion.objects.count()
    anonymous = visit_opinions.filter(is_anonymous=True).count()
    assert anonymous >= 1 and sum(Visit.objects.values_list("anonymous_opinions", flat=True)) == anonymous


def test_per_leader_figures_count_visits_opinions_and_problems_fixed(campaign: Campaign) -> None:
    months = selectors.campaign_months(campaign, dt.date(2014, 10, 27))
    rows = {row.leader.name: row for row in selectors.leader_figures(person("杨朝晖"), campaign, months)}
    yuan = rows["原卫平"]
    assert yuan.visits == Visit.objects.filter(contact_point__leader__name="原卫平").count() >= 5
    assert yuan.visits_by_month[months.index(dt.date(2014, 3, 1))] == 2
    assert yuan.opinions >= 4 and yuan.problems_fixed >= 1
    closed_from_chen = rows["陈军红"].problems_fixed
    assert closed_from_chen == (
        Problem.objects.filter(
            state=State.CLOSED, opinions__visit_link__visit__contact_point__leader__name="陈军红"
        )
        .distinct()
        .count()
    )
    # A leader sees only their own units' figures.
    theirs = {row.leader.name for row in selectors.leader_figures(person("李庆红"), campaign, months)}
    assert theirs == {"李庆红", "郭顺喜"}  # 郭顺喜's contact point 第二氧化铝厂 lies in her unit


def test_study_sessions_and_every_cadres_reflection(campaign: Campaign) -> None:
    sessions = StudySession.objects.filter(campaign=campaign)
    assert sessions.filter(kind=StudyKind.CENTRAL_GROUP).count() >= 3
    film = sessions.get(kind=StudyKind.FILM, topic__contains="《焦裕禄》")
    assert film.attendees.count() >= 20
    li = Reflection.objects.get(author__name="李庆红")
    assert "我是谁、为了谁、依靠谁" in li.text and li.unit.name == "第二氧化铝厂"
    assert "让群众来评判党员干部的工作" in Reflection.objects.get(author__name="杨朝晖").text
    counts = {row.unit.name: row.count for row in selectors.reflection_counts(person("杨朝晖"), campaign)}
    assert (
        counts["山西铝厂"]
        == Reflection.objects.filter(unit__path__startswith=Unit.objects.get(code="sxlc").path).count()
    )
    assert counts["山西铝厂"] > 10 and counts["山西分公司"] >= 2


def test_the_june_democratic_life_meeting_with_the_supervision_group(campaign: Campaign) -> None:
    june = Meeting.objects.get(campaign=campaign, kind=MeetingKind.DEMOCRATIC_LIFE, held_on__month=6)
    assert dt.date(2014, 6, 21) <= june.held_on <= dt.date(2014, 6, 30)  # 6月下旬
    for name in ("胡振民", "熊维平", "敖宏", "第三督导组"):
        assert name in june.guests
    supervisors = [p for p in june.attendees.all() if scope_of(p).has_role(Role.SUPERVISOR)]
    assert {p.name for p in supervisors} >= {"杨朝晖"}
    assert "有深度、有辣味" in june.minutes
    kinds = set(june.items.values_list("kind", flat=True))
    assert {ItemKind.SELF_CRITICISM, ItemKind.CRITICISM} <= kinds
    listed = june.items.get(problem__isnull=False)
    assert listed.problem is not None and listed.problem.state == State.CLOSED
    assert listed.problem.campaign_id == campaign.pk


def test_the_meetings_of_7_july_to_10_august_in_the_second_level_units(campaign: Campaign) -> None:
    summer = Meeting.objects.filter(
        campaign=campaign, kind__in=LIFE_MEETINGS, held_on__gte=dt.date(2014, 7, 1)
    )
    assert summer.exists()
    assert all(
        dt.date(2014, 7, 7) <= day <= dt.date(2014, 8, 10) for day in summer.values_list("held_on", flat=True)
    )
    second_level = {"第一氧化铝厂", "第二氧化铝厂", "热电分厂", "生活服务中心", "山西分公司"}
    democratic = set(summer.filter(kind=MeetingKind.DEMOCRATIC_LIFE).values_list("unit__name", flat=True))
    assert democratic == second_level
    branches = summer.filter(kind=MeetingKind.ORGANISATIONAL_LIFE)
    assert branches.count() >= 5 and all(m.unit.depth >= 2 for m in branches.select_related("unit"))
    assert "蜻蜓点水" in summer.get(unit__name="第一氧化铝厂").minutes


def test_check_materials_were_rewritten_reviewed_and_approved_before_their_meeting(
    campaign: Campaign,
) -> None:
    chen = Document.objects.get(title__startswith="陈军红")
    revisions = list(chen.revisions.order_by("number"))
    assert len(revisions) == 5  # 几易其稿
    assert "一次灵魂的洗涤" in revisions[-1].note
    assert all(revision.comments.exists() for revision in revisions[:-1])
    assert chen.approved_revision == revisions[-1]
    materials = Document.objects.filter(campaign=campaign, kind=DocumentKind.CHECK_MATERIAL)
    assert materials.count() >= 4
    for document in materials.select_related("author", "approved_by"):
        assert document.is_approved and document.approved_by != document.author
        assert scope_of(document.approved_by).has_role(Role.SUPERVISOR)  # type: ignore[arg-type]
        assert document.revisions.count() >= 3
        meeting = Meeting.objects.filter(
            campaign=campaign, kind=MeetingKind.DEMOCRATIC_LIFE, attendees=document.author
        ).first() or Meeting.objects.get(
            campaign=campaign, kind=MeetingKind.DEMOCRATIC_LIFE, unit=document.unit
        )
        assert document.approved_at is not None and document.approved_at.date() < meeting.held_on


def test_the_october_summary(campaign: Campaign) -> None:
    summary = Document.objects.get(campaign=campaign, kind=DocumentKind.SUMMARY)
    assert summary.approved_at is not None and summary.approved_at.month == 10
    final = summary.revisions.order_by("-number").first()
    assert final is not None and "公车运行费用降低40%" in final.text and "698" in final.text
    conference = Meeting.objects.get(campaign=campaign, kind=MeetingKind.CONFERENCE, held_on__month=10)
    assert "作风建设无尽期" in conference.minutes


def test_fewer_meetings_than_a_year_earlier(demo: DemoSummary) -> None:
    enterprise = Unit.objects.get(code="zlsx")
    this_year = selectors.meeting_counts(enterprise, dt.date(2014, 1, 1), dt.date(2014, 8, 31))
    last_year = selectors.meeting_counts(enterprise, dt.date(2013, 1, 1), dt.date(2013, 8, 31))
    assert sum(this_year.values()) < sum(last_year.values())
    assert this_year[dt.date(2014, 1, 1)] == last_year[dt.date(2013, 1, 1)]  # the cuts began in March
    assert this_year[dt.date(2014, 5, 1)] < last_year[dt.date(2013, 5, 1)]


def test_the_reports_meeting_count_reads_the_demos_meetings(campaign: Campaign) -> None:
    """会议次数 year on year is counted from the meeting records: June's democratic-life meeting and those of
    7 July – 10 August count with the six units' office and dispatch meetings, and 2014 still has fewer."""

    def meetings(period: Period) -> tuple[int, int]:
        lines = expenses_year_on_year(scope=UnitScope(paths=(), everything=True), period=period)
        line = next(line for line in lines if line.kind == "会议次数")
        assert line.current == int(line.current) and line.previous == int(line.previous)
        return int(line.current), int(line.previous)

    ordinary = len(cdata.ORDINARY_UNITS)
    in_june = Meeting.objects.filter(campaign=campaign, held_on__year=2014, held_on__month=6).count()
    assert meetings(Period.month(2014, 6)) == (ordinary * 3 + in_june, ordinary * 5)
    summer = Meeting.objects.filter(campaign=campaign, kind__in=LIFE_MEETINGS, held_on__month__in=(7, 8))
    assert summer.count() >= 10
    in_july_august = Meeting.objects.filter(campaign=campaign, held_on__range=("2014-07-01", "2014-08-31"))
    assert in_july_august.count() >= summer.count()
    summer_figures = (ordinary * 3 * 2 + in_july_august.count(), ordinary * 5 * 2)
    assert meetings(Period.months(2014, 7, 8)) == summer_figures
    current, previous = meetings(Period.months(2014, 1, 8))
    assert current == Meeting.objects.filter(held_on__range=("2014-01-01", "2014-08-31")).count()
    assert current < previous == ordinary * 5 * 8


def test_loading_again_adds_no_campaign_records(demo: DemoSummary) -> None:
    models = (ContactPoint, Visit, VisitOpinion, StudySession, Reflection, Meeting, Document)
    before = [model.objects.count() for model in models]
    assert not load_demo().created
    assert [model.objects.count() for model in models] == before
