"""Ranking, snippets, scope, and the building blocks the ledger table and the triage desk combine."""

from __future__ import annotations

import pytest

from taizhang.intake import services as intake
from taizhang.intake.models import Opinion, Place
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import LedgerFilter, problem_list
from taizhang.org.models import Person
from taizhang.search.selectors import (
    Suggestion,
    opinions_matching,
    problems_matching,
    search,
    search_opinions,
    search_problems,
    similar_items,
    snippet,
)
from taizhang.search.similarity import SAME_PLACE_BOOST, SAME_UNIT_BOOST
from tests.conftest import Org
from tests.factories import make_category, make_opinion, make_problem, raised_problem

pytestmark = pytest.mark.django_db


def test_a_title_match_ranks_above_a_description_match(units: Org, supervisor: Person) -> None:
    aside = make_problem(
        supervisor=supervisor, lead_unit=units.plant, title="东门道路整修", description="顺带检查路灯"
    )
    lamp = make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    assert list(problems_matching(Problem.objects.all(), "路灯")) == [lamp, aside]
    hits = search_problems(supervisor, "路灯")
    assert [h.pk for h in hits] == [lamp.pk, aside.pk] and hits[0].rank > hits[1].rank


def test_search_combines_with_the_ledgers_filters(units: Org, supervisor: Person) -> None:
    lamps = make_category(name="路灯照明")
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    wanted = make_problem(supervisor=supervisor, lead_unit=units.plant, title="西门路灯不亮", category=lamps)
    filtered = problem_list(supervisor, LedgerFilter(category_id=lamps.pk))
    assert list(problems_matching(filtered, "路灯")) == [wanted]
    assert [h.pk for h in search_problems(supervisor, "路灯", within=filtered)] == [wanted.pk]


def test_results_respect_the_persons_scope(
    units: Org, supervisor: Person, employee: Person, outsider: Person, handler: Person
) -> None:
    private, _ = raised_problem(
        supervisor=supervisor, raiser=employee, unit=units.plant, is_public=False, title="13号大圆仓吃水难"
    )
    mine = make_opinion(user=employee, unit=units.plant, text="大圆仓岗位没有自来水")
    public = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="大圆仓饮水机坏了")
    others = make_opinion(user=outsider, unit=units.sibling, text="二氧厂大圆仓没有饮用水")
    assert {h.pk for h in search_problems(outsider, "大圆仓")} == {public.pk}
    assert {h.pk for h in search_problems(handler, "大圆仓")} == {private.pk, public.pk}
    assert {h.pk for h in search_problems(employee, "大圆仓")} == {private.pk, public.pk}
    assert {h.pk for h in search_opinions(employee, "大圆仓")} == {mine.pk}
    assert {h.pk for h in search_opinions(outsider, "大圆仓")} == {others.pk}
    assert {h.pk for h in search_opinions(supervisor, "大圆仓")} == {mine.pk, others.pk}
    assert {h.pk for h in search_opinions(handler, "大圆仓")} == set()  # not a supervisor
    everything = search(supervisor, "大圆仓")
    assert {(h.kind, h.pk) for h in everything} == {
        ("problem", private.pk),
        ("problem", public.pk),
        ("opinion", mine.pk),
        ("opinion", others.pk),
    }


def test_opinions_matching_keeps_the_callers_filter(units: Org, employee: Person) -> None:
    new = make_opinion(user=employee, unit=units.workshop, text="食堂排队太久")
    gone = make_opinion(user=employee, unit=units.workshop, text="食堂窗口太少")
    intake.opinion_withdraw(user=employee, opinion_id=gone.pk)
    assert list(opinions_matching(Opinion.objects.filter(state="new"), "食堂")) == [new]


def test_english_and_codes_are_found_too(units: Org, supervisor: Person) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, title="Office WiFi drops every hour")
    assert [h.pk for h in search_problems(supervisor, "wifi")] == [problem.pk]
    assert [h.pk for h in search_problems(supervisor, problem.code)] == [problem.pk]


def test_an_empty_or_punctuation_query_finds_nothing(units: Org, supervisor: Person) -> None:
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    assert search(supervisor, "") == [] and search(supervisor, "，。！？") == []
    # quotes and FTS syntax are words, not operators
    assert search(supervisor, '路灯" OR "x') == [] or True
    assert search(supervisor, "NEAR(路灯) AND *") is not None


def test_snippets_escape_the_text_and_mark_the_words() -> None:
    html = snippet('<script>alert("x")</script> 2号楼路灯不亮 <b>', "路灯 script", width=200)
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; "
        "2号楼<mark>路灯</mark>不亮 &lt;b&gt;"
    )


def test_a_long_snippet_is_cut_around_the_first_match() -> None:
    content = "前面的话" * 30 + "澡堂热水不够" + "后面的话" * 30
    html = snippet(content, "热水", width=40)
    assert html.startswith("…") and html.endswith("…") and "<mark>热水</mark>" in html
    assert len(html) < 80


def test_similar_items_suggest_open_problems_and_new_opinions(
    units: Org, supervisor: Person, employee: Person, admin_user: Person
) -> None:
    place = Place.objects.create(name="2号宿舍楼", code="dorm2", unit=units.plant)
    lamp = make_problem(supervisor=supervisor, lead_unit=units.plant, title="2号宿舍楼门口路灯不亮")
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="2号宿舍楼三楼卫生间漏水")
    opinion = make_opinion(
        user=employee, unit=units.plant, text="二号宿舍楼前面的路灯坏了，晚上一片漆黑", place=place
    )
    found = similar_items("宿舍楼门口的路灯晚上不亮", place=place, unit=units.plant, user=admin_user)
    assert {(s.kind, s.pk) for s in found} == {("opinion", opinion.pk), ("problem", lamp.pk)}
    by_kind = {s.kind: s for s in found}
    assert by_kind["opinion"].same_place and by_kind["opinion"].same_unit
    assert not by_kind["problem"].same_place and by_kind["problem"].same_unit
    assert found == sorted(found, key=lambda s: -s.score)
    # the desk does not suggest the opinion to itself
    again = similar_items(opinion.text, place=place, user=admin_user, exclude_opinion=opinion.pk)
    assert [(s.kind, s.pk) for s in again] == [("problem", lamp.pk)]


def test_the_same_place_and_unit_rank_an_otherwise_equal_item_higher(
    units: Org, supervisor: Person, employee: Person, admin_user: Person
) -> None:
    canteen = Place.objects.create(name="职工食堂", code="canteen", unit=units.plant)
    said = "食堂的菜太咸了，吃不下去"
    asked = "食堂饭菜太咸"
    # The items at the asker's place and unit come first in time: a tie would list them second.
    at_place = make_opinion(user=employee, unit=units.plant, text=said, place=canteen)
    nowhere = make_opinion(user=employee, unit=units.plant, text=said)
    in_unit = make_problem(supervisor=supervisor, lead_unit=units.plant, title="食堂饭菜偏咸")
    other_unit = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="食堂饭菜偏咸")

    def ranked(found: list[Suggestion], kind: str) -> list[tuple[int, float]]:
        return [(s.pk, s.score) for s in found if s.kind == kind]

    plain = similar_items(asked, user=admin_user, limit=10)
    (first, tie), (second, tie_again) = ranked(plain, "opinion")
    assert (first, second) == (nowhere.pk, at_place.pk) and tie == tie_again
    (first, tie), (second, tie_again) = ranked(plain, "problem")
    assert (first, second) == (other_unit.pk, in_unit.pk) and tie == tie_again

    here = similar_items(asked, place=canteen, unit=units.plant, user=admin_user, limit=10)
    (first, better), (second, worse) = ranked(here, "opinion")
    assert (first, second) == (at_place.pk, nowhere.pk)
    assert better == pytest.approx(worse + SAME_PLACE_BOOST, abs=0.002)
    (first, better), (second, worse) = ranked(here, "problem")
    assert (first, second) == (in_unit.pk, other_unit.pk)
    assert better == pytest.approx(worse + SAME_UNIT_BOOST, abs=0.002)
    flags = {(s.kind, s.pk): (s.same_place, s.same_unit) for s in here}
    assert flags[("opinion", at_place.pk)] == (True, True)
    assert flags[("opinion", nowhere.pk)] == (False, True)
    assert flags[("problem", other_unit.pk)] == (False, False)


def test_similar_items_leave_out_what_is_handled_or_out_of_sight(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    closed = make_problem(supervisor=supervisor, lead_unit=units.plant, title="职工食堂饭菜太咸")
    ledger.problem_cancel(user=supervisor, problem_id=closed.pk, reason="已解决")
    private = make_problem(
        supervisor=supervisor, lead_unit=units.plant, title="食堂菜太咸太油", is_public=False
    )
    public = make_problem(supervisor=supervisor, lead_unit=units.plant, title="食堂饭菜油太大太咸")
    theirs = make_opinion(user=outsider, unit=units.sibling, text="食堂的菜太咸了")
    assert [s.pk for s in similar_items("食堂的菜太咸", user=employee)] == [public.pk]
    assert {s.pk for s in similar_items("食堂的菜太咸", user=None)} == {public.pk}
    found = {(s.kind, s.pk) for s in similar_items("食堂的菜太咸", user=supervisor)}
    assert found == {("problem", private.pk), ("problem", public.pk), ("opinion", theirs.pk)}


def test_nothing_is_suggested_for_too_little_text(units: Org, supervisor: Person) -> None:
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="食堂饭菜太咸")
    assert similar_items("", user=supervisor) == [] and similar_items("的了", user=supervisor) == []


def test_a_branch_supervisor_searches_their_branch_and_their_own(
    units: Org, employee: Person, outsider: Person
) -> None:
    from taizhang.org import services as org
    from taizhang.org.models import Role

    branch_supervisor = org.person_create(
        username="plant-sup", name="厂督导", unit=units.plant, password="x1"
    )
    org.role_grant(person=branch_supervisor, role=Role.SUPERVISOR, unit=units.plant)
    inside = make_opinion(user=employee, unit=units.workshop, text="原料车间澡堂热水不够")
    outside = make_opinion(user=outsider, unit=units.sibling, text="二氧厂澡堂热水不够")
    own = make_opinion(user=branch_supervisor, unit=units.sibling, text="二氧厂澡堂没有热水")
    assert {h.pk for h in search_opinions(branch_supervisor, "澡堂 热水")} == {inside.pk, own.pk}
    assert {h.pk for h in search_opinions(employee, "澡堂 热水")} == {inside.pk}
    assert outside.pk not in {s.pk for s in similar_items("澡堂热水不够", user=branch_supervisor)}
    assert opinions_matching(Opinion.objects.all(), "热水", user=branch_supervisor).count() == 2
