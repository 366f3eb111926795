"""The ledger table's filters (category, overdue, campaign), its pages and its traffic lights, on a ledger
whose right answers are known from how it was built:

- 53 lamp items (路灯, campaign 群众路线), listed on DAY, due DAY+1 … DAY+53 → green;
- 4 lamp items (campaign 群众路线) listed 30 days before DAY, due DAY-1 … DAY-4, started → overdue, red;
- 3 toilet items (no campaign) listed 30 days before DAY, due DAY-1 … DAY-3 → overdue, red;
- 1 toilet item (no campaign) listed 50 days before DAY, due DAY+50, 36 of 100 done → 14 points behind,
  yellow.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.campaigns.models import Campaign
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.ledger.views import PAGE_SIZE
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import make_category, make_problem
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 7, 7)


@dataclass
class Ledger:
    lamp: Category
    toilet: Category
    campaign: Campaign
    lamps: list[Problem]  # due after DAY, in deadline order
    late_lamps: list[Problem]
    late_toilets: list[Problem]
    behind: Problem


def build_ledger(units: Org, supervisor: Person, handler: Person) -> Ledger:
    """The ledger of the module docstring; shared with the browser test."""
    lamp = make_category(name="路灯照明", measure_word="盏")
    toilet = make_category(name="卫生间", measure_word="间")
    campaign = Campaign.objects.create(
        name="群众路线教育实践活动",
        code="mass-line",
        starts_on=DAY - dt.timedelta(days=200),
        organiser=units.root,
    )

    def listed(category: Category, deadline: dt.date, **fields: Any) -> Problem:
        return make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=category,
            deadline=deadline,
            working_days=False,
            **fields,
        )

    with on(DAY):
        lamps = [
            listed(lamp, DAY + dt.timedelta(days=n), campaign_id=campaign.pk, title=f"路灯{n}号")
            for n in range(1, 54)
        ]
    with on(DAY - dt.timedelta(days=30)):
        late_lamps = [
            listed(lamp, DAY - dt.timedelta(days=n), campaign_id=campaign.pk, title=f"超期路灯{n}号")
            for n in range(1, 5)
        ]
        for problem in late_lamps:
            ledger.problem_start(user=handler, problem_id=problem.pk)
        late_toilets = [
            listed(toilet, DAY - dt.timedelta(days=n), title=f"超期卫生间{n}号") for n in range(1, 4)
        ]
    with on(DAY - dt.timedelta(days=50)):
        behind = listed(toilet, DAY + dt.timedelta(days=50), title="滞后卫生间", target_quantity=100)
        ledger.problem_start(user=handler, problem_id=behind.pk)
        ledger.problem_record_progress(user=handler, problem_id=behind.pk, note="进展", done_quantity=36)
    return Ledger(lamp, toilet, campaign, lamps, late_lamps, late_toilets, behind)


@pytest.fixture
def book(units: Org, supervisor: Person, handler: Person) -> Ledger:
    return build_ledger(units, supervisor, handler)


@dataclass
class Table:
    count: str
    rows: dict[str, str]  # code → the row's markup, in the order shown
    next_page: str | None


def table(client: Client, **query: Any) -> Table:
    with on(DAY):
        response = client.get(reverse("ledger:ledger"), query)
    assert response.status_code == 200
    page = response.content.decode()
    count = re.search(r'data-testid="ledger-count">([^<]*)<', page)
    assert count is not None
    rows = dict(re.findall(r'<tr data-code="([^"]+)">(.*?)</tr>', page, re.DOTALL))
    pager = re.search(r'<nav class="pager".*?</nav>', page, re.DOTALL)
    following = re.search(r'href="\?([^"]*)">下一页</a>', pager.group(0)) if pager else None
    return Table(
        count=" ".join(count.group(1).split()),
        rows=rows,
        next_page=html.unescape(following.group(1)) if following else None,
    )


def follow(client: Client, query: str) -> Table:
    params = dict(part.split("=", 1) for part in query.split("&"))
    return table(client, **params)


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


@pytest.fixture
def desk(supervisor: Person) -> Client:
    client = Client()
    assert client.login(username=supervisor.username, password=PASSWORD)
    return client


def test_the_category_filter_and_its_two_pages(book: Ledger, desk: Client) -> None:
    first = table(desk, category=book.lamp.pk)
    assert first.count == "共 57 项"
    # sorted by deadline: the four late lamps, then the lamps due DAY+1 … DAY+46
    assert list(first.rows) == codes(book.late_lamps[::-1]) + codes(book.lamps[: PAGE_SIZE - 4])
    assert first.next_page is not None and f"category={book.lamp.pk}" in first.next_page
    second = follow(desk, first.next_page)
    assert second.count == "共 57 项"
    assert list(second.rows) == codes(book.lamps[PAGE_SIZE - 4 :])  # the next seven, nothing repeated
    assert second.next_page is None


def test_the_overdue_filter_lists_only_late_open_items_with_red_lights(book: Ledger, desk: Client) -> None:
    late = table(desk, overdue="on")
    assert late.count == "共 7 项"
    assert set(late.rows) == set(codes(book.late_lamps + book.late_toilets))
    for row in late.rows.values():
        assert '<span class="light light-red" title="严重滞后">严重滞后</span>' in row
    assert late.next_page is None


def test_the_campaign_filter(book: Ledger, desk: Client) -> None:
    listed = table(desk, campaign=book.campaign.pk)
    assert listed.count == "共 57 项"
    assert not set(listed.rows) & set(codes([*book.late_toilets, book.behind]))
    everything = table(desk)
    assert everything.count == "共 61 项"


def test_filters_combine(book: Ledger, desk: Client) -> None:
    late_toilets = table(desk, category=book.toilet.pk, overdue="on")
    assert (late_toilets.count, set(late_toilets.rows)) == ("共 3 项", set(codes(book.late_toilets)))
    late_in_campaign = table(desk, campaign=book.campaign.pk, overdue="on")
    assert set(late_in_campaign.rows) == set(codes(book.late_lamps))
    nothing = table(desk, category=book.toilet.pk, campaign=book.campaign.pk)
    assert (nothing.count, nothing.rows) == ("共 0 项", {})


def test_the_table_shows_each_items_light(book: Ledger, desk: Client) -> None:
    toilets = table(desk, category=book.toilet.pk).rows
    assert 'class="light light-yellow" title="进度滞后"' in toilets[book.behind.code]
    assert "36/100 间" in toilets[book.behind.code]
    assert 'class="light light-red"' in toilets[book.late_toilets[0].code]
    lamps = table(desk, category=book.lamp.pk).rows
    assert 'class="light light-green" title="进度正常"' in lamps[book.lamps[0].code]


def test_a_filter_that_is_not_valid_lists_nothing_and_says_why(book: Ledger, desk: Client) -> None:
    wrong = {"category": "999999", "state": "no-such-state"}
    listed = table(desk, **wrong)
    assert (listed.count, listed.rows) == ("共 0 项", {})
    with on(DAY):
        text = desk.get(reverse("ledger:ledger"), wrong).content.decode()
    assert text.count('data-testid="filter-error"') == 2
