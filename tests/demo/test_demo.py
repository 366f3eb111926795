"""`taizhang demo`: the article as data.

The demo is loaded once for the module, inside a transaction rolled back at the end; each test runs in a
savepoint on top of it (pytest-django's pattern for wider-scoped data). The article's figures are the
acceptance test; everything else is counted from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from taizhang.campaigns.models import Campaign
from taizhang.demo import data
from taizhang.demo.loader import DemoSummary, load_demo
from taizhang.dispatch.models import DispatchModel, Suggestion
from taizhang.dispatch.services import history_status
from taizhang.intake.models import Channel, Opinion, OpinionState
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import DeadlineExtension, Event, Problem, Rating, Verdict
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Role, RoleAssignment, Unit
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope
from taizhang.reports.selectors import achievement_lines, expenses_year_on_year

pytestmark = pytest.mark.django_db

#: The 成绩单 exactly as the article's figures read (修复698盏…路灯, 整修217间卫生间, …).
ARTICLE = [
    "修复路灯 698 盏",
    "整修卫生间 217 间",
    "修缮职工澡堂 4 个",
    "规划停车位 446 个",
    "配置健身器材 104 件",
    "整治主干道 4 条",
]

OFFLINE_AND_ONLINE = {
    Channel.WEB,
    Channel.QR,
    Channel.VISIT,
    Channel.TALK,
    Channel.MEETING,
    Channel.HOTLINE,
    Channel.MAILBOX,
    Channel.SUPERVISION,
}


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoSummary]:
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        lines: list[str] = []
        summary = load_demo(progress=lines.append)
        assert summary.created
        assert lines, "the loader reports its progress"
        yield summary
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_the_achievement_lines_are_the_articles(demo: DemoSummary) -> None:
    campaign = Campaign.objects.get(code=data.CAMPAIGN.code)
    assert [str(line) for line in achievement_lines()] == ARTICLE
    assert [str(line) for line in achievement_lines(campaign_id=campaign.pk)] == ARTICLE
    # The cancelled duplicate did some work before it was stopped; the line must not count it.
    cancelled = Problem.objects.filter(state=State.CANCELLED, done_quantity__gt=0)
    assert cancelled.exists()


def test_every_state_channel_and_outcome_is_there(demo: DemoSummary) -> None:
    problems = Problem.objects.all()
    assert set(problems.values_list("state", flat=True)) == {state.value for state in State}
    review = problems.filter(state=State.REVIEW)
    assert review.filter(signed_at__isnull=True).exists() and review.filter(signed_at__isnull=False).exists()
    reopened = problems.filter(reopen_count__gte=1, state=State.CLOSED)
    assert reopened.exists()
    assert Event.objects.filter(problem__in=reopened, kind="problem.reopened").exists()
    statuses = set(DeadlineExtension.objects.values_list("status", flat=True))
    assert {DeadlineExtension.Status.PENDING, DeadlineExtension.Status.APPROVED} <= statuses
    long_term = problems.get(is_long_term=True)
    assert long_term.milestones.count() >= 2
    assert long_term.milestones.filter(state=State.CLOSED).exists()
    assert Event.objects.filter(kind="problem.urged").exists()
    assert set(Rating.objects.values_list("verdict", flat=True)) == set(Verdict.values)
    assert Rating.objects.filter(opinion__is_anonymous=True, problem__state=State.CLOSED).exists()

    opinions = Opinion.objects.all()
    assert opinions.count() >= 150
    assert set(opinions.values_list("channel", flat=True)) >= OFFLINE_AND_ONLINE
    assert set(opinions.values_list("state", flat=True)) == set(OpinionState.values)
    anonymous = opinions.filter(is_anonymous=True)
    assert anonymous.exists() and opinions.filter(is_anonymous=False).exists()
    assert not anonymous.exclude(submitter__isnull=True, contact_name="", contact_phone="").exists()

    # Each unit named in the article, and its people in their roles.
    for name in (
        "山西铝厂",
        "山西分公司",
        "第一氧化铝厂",
        "原料车间",
        "第二氧化铝厂",
        "热电分厂",
        "锅炉二车间",
    ):
        assert Unit.objects.filter(name=name).exists(), name
    assert Unit.objects.get(name="原料车间").parent == Unit.objects.get(name="第一氧化铝厂")
    assert Unit.objects.get(name="锅炉二车间").parent == Unit.objects.get(name="热电分厂")
    assert RoleAssignment.objects.filter(person__name="杨朝晖", role=Role.SUPERVISOR).exists()
    assert RoleAssignment.objects.filter(person__name="郭顺喜", role=Role.LEADER).exists()
    assert RoleAssignment.objects.filter(person__name="侯同义", role=Role.HANDLER).exists()


def test_history_is_chained_and_dated_2014(demo: DemoSummary) -> None:
    assert list(verify_chains()) == []
    zone = ZoneInfo(data.TIME_ZONE)
    start = dt.datetime(2014, 2, 1, tzinfo=zone)
    article = dt.datetime(2014, 10, 28, tzinfo=zone)
    for problem in Problem.objects.all():
        moments = list(problem.events.order_by("seq").values_list("at", flat=True))
        assert moments == sorted(moments), problem.code
        assert start <= moments[0] and moments[-1] < article, problem.code
        assert problem.code.startswith("ZG-2014-")
    received = Opinion.objects.values_list("created_at", flat=True)
    assert start <= min(received) and max(received) < article


def test_expenses_read_as_the_article(demo: DemoSummary) -> None:
    """January–August 2014 against 2013: −40% vehicles, −24% hospitality, −45% training; fewer meetings."""
    everything = UnitScope(paths=(), everything=True)
    period = Period.months(2014, 1, 8)
    lines = {line.kind: line for line in expenses_year_on_year(scope=everything, period=period)}
    costs = ("公车运行费", "公务接待费", "外出培训费")
    assert [lines[kind].change_percent for kind in costs] == [-40, -24, -45]
    assert lines["会议次数"].current < lines["会议次数"].previous
    assert lines["发文数量"].current < lines["发文数量"].previous


def test_the_articles_stories_are_on_the_ledger(demo: DemoSummary) -> None:
    water = Problem.objects.get(title__contains="13号大圆仓")
    assert water.state == State.CLOSED
    assert "水管" in water.completion_note and "70多米" in water.completion_note
    assert water.opinions.filter(submitter__name="郑喜康").exists()

    workshop = Unit.objects.get(name="锅炉二车间")
    boiler = Problem.objects.filter(lead_unit=workshop, state=State.CLOSED)
    assert boiler.filter(title__contains="工作服").exists()
    assert boiler.filter(title__contains="更衣室", completion_note__contains="卫生间").exists()
    assert Opinion.objects.filter(submitter__name="樊军", problem__in=boiler).count() == 2


def test_smart_dispatch_has_learned_from_the_demos_triaged_opinions(demo: DemoSummary) -> None:
    model = DispatchModel.objects.get(is_active=True)
    assert model.sample_count == history_status().samples > 0
    new = Opinion.objects.filter(state="new").first()
    assert new is not None
    # Training made the suggestions of the opinions waiting for triage: the desk shows them.
    assert Suggestion.objects.get(opinion=new).model_version == model.version


def test_loading_again_changes_nothing(demo: DemoSummary) -> None:
    before = _counts()
    again = load_demo()
    assert not again.created
    assert _counts() == before
    assert again.opinions == demo.opinions and again.problems == demo.problems


def test_the_command_prints_where_to_go_and_who_to_be(demo: DemoSummary) -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8000/" in printed
    assert settings.TAIZHANG_DEMO_PASSWORD in printed
    for person in Person.objects.filter(username__in=[spec.username for spec in data.PEOPLE]):
        line = next(line for line in printed.splitlines() if line.startswith(f"{person.username} "))
        assert person.name in line
        assert person.unit is not None and person.unit.name in line
