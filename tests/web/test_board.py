"""The public board (公示栏): each public problem's progress (done of target) and its deadline light.

The numbers are chosen so the right answers are known without the code under test: on DAY,
- 整修生活区路灯: 120 of 698 done (17 %), 10 of 100 days gone (10 % expected) → green;
- 改造职工卫生间: 180 of 500 done (36 %), 50 of 100 days gone (50 % expected), 14 points behind → yellow;
- 食堂排烟不畅: 5 of 10 done, the deadline was yesterday → red (overdue).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_category, make_problem
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 7, 7)


def worked(
    *,
    supervisor: Person,
    handler: Person,
    units: Org,
    title: str,
    created: dt.date,
    deadline: dt.date,
    target: int,
    done: int,
    measure_word: str,
) -> Problem:
    with on(created):
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=make_category(measure_word=measure_word),
            title=title,
            deadline=deadline,
            target_quantity=target,
            working_days=False,
        )
        ledger.problem_start(user=handler, problem_id=problem.pk)
        ledger.problem_record_progress(user=handler, problem_id=problem.pk, note="进展", done_quantity=done)
    return problem


@pytest.fixture
def board(units: Org, supervisor: Person, handler: Person) -> dict[str, Problem]:
    def made(**problem: Any) -> Problem:
        return worked(supervisor=supervisor, handler=handler, units=units, **problem)

    return {
        "green": made(
            title="整修生活区路灯",
            created=DAY - dt.timedelta(days=10),
            deadline=DAY + dt.timedelta(days=90),
            target=698,
            done=120,
            measure_word="盏",
        ),
        "yellow": made(
            title="改造职工卫生间",
            created=DAY - dt.timedelta(days=50),
            deadline=DAY + dt.timedelta(days=50),
            target=500,
            done=180,
            measure_word="间",
        ),
        "red": made(
            title="食堂排烟不畅",
            created=DAY - dt.timedelta(days=30),
            deadline=DAY - dt.timedelta(days=1),
            target=10,
            done=5,
            measure_word="台",
        ),
    }


def board_items(page: str) -> dict[str, str]:
    """Each board item's markup, keyed by the problem's title."""
    chunks = page.split('data-testid="board-item"')[1:]
    items: dict[str, str] = {}
    for chunk in chunks:
        item = chunk.split("</li>")[0]
        title = re.search(r'<span class="code">[^<]*</span> ([^<]+)</a>', item)
        assert title is not None, item
        items[html.unescape(title.group(1)).strip()] = item
    return items


def text_of(item: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', item, re.DOTALL)
    assert found is not None, f"{testid} not in {item}"
    return " ".join(html.unescape(found.group(1)).split())


def test_the_board_shows_progress_done_of_target_and_the_deadline_light(
    board: dict[str, Problem], client: Client
) -> None:
    with on(DAY):
        page = client.get(reverse("web:home")).content.decode()
    items = board_items(page)
    assert set(items) == {"整修生活区路灯", "改造职工卫生间", "食堂排烟不畅"}

    lamps, toilets, canteen = items["整修生活区路灯"], items["改造职工卫生间"], items["食堂排烟不畅"]
    assert text_of(lamps, "board-progress") == "已完成 120 / 698 盏"
    assert text_of(toilets, "board-progress") == "已完成 180 / 500 间"
    assert text_of(canteen, "board-progress") == "已完成 5 / 10 台"
    assert 'value="17"' in lamps and 'value="36"' in toilets and 'value="50"' in canteen  # the bars

    assert 'data-light="green"' in lamps and text_of(lamps, "board-light") == "进度正常"
    assert 'data-light="yellow"' in toilets and text_of(toilets, "board-light") == "进度滞后"
    assert 'data-light="red"' in canteen and text_of(canteen, "board-light") == "严重滞后"
    assert "时限 2025-07-06" in " ".join(canteen.split())  # the overdue item's deadline is shown


def test_the_light_follows_the_calendar(board: dict[str, Problem], client: Client) -> None:
    """The same lamps item, read 80 days later with nothing more done, is far behind: the light is computed
    on the day the board is read, not stored."""
    with on(DAY + dt.timedelta(days=80)):
        page = client.get(reverse("web:home")).content.decode()
    assert 'data-light="red"' in board_items(page)["整修生活区路灯"]


def test_cancelled_and_private_items_are_not_on_the_board(
    board: dict[str, Problem], units: Org, supervisor: Person, client: Client
) -> None:
    with on(DAY):
        make_problem(supervisor=supervisor, lead_unit=units.plant, title="内部问题", is_public=False)
        ledger.problem_cancel(user=supervisor, problem_id=board["yellow"].pk, reason="并入其他问题")
        page = client.get(reverse("web:home")).content.decode()
    items = board_items(page)
    assert set(items) == {"整修生活区路灯", "食堂排烟不畅"}  # cancelled and private items are not shown
