"""The index follows every write, inside the writer's transaction; `taizhang reindex` rebuilds it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from taizhang.intake import services as intake
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from taizhang.search.models import SearchEntry
from taizhang.search.selectors import problems_matching, search
from tests.conftest import Org
from tests.factories import make_opinion, make_problem, raised_problem

pytestmark = pytest.mark.django_db


def test_a_submitted_opinion_is_found_at_once(units: Org, employee: Person) -> None:
    opinion = make_opinion(user=employee, unit=units.workshop, text="2号宿舍楼门口的路灯坏了")
    entry = SearchEntry.objects.get(opinion=opinion)
    assert entry.is_open and entry.unit_id == units.workshop.pk
    assert [h.pk for h in search(employee, "路灯")] == [opinion.pk]
    # segmented differently from the text, still found: 灯 in 路灯, 二号 as 2号
    assert [h.pk for h in search(employee, "二号楼 灯")] == [opinion.pk]
    assert search(employee, "澡堂") == []


def test_a_rolled_back_write_leaves_no_entry(units: Org, employee: Person) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        make_opinion(user=employee, unit=units.workshop, text="食堂饭菜太咸")
        raise RuntimeError
    assert not SearchEntry.objects.exists()
    assert search(employee, "食堂") == []


def test_editing_a_problem_reindexes_it(units: Org, supervisor: Person) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, title="澡堂热水不够")
    everything = Problem.objects.all()
    assert list(problems_matching(everything, "热水")) == [problem]
    ledger.problem_edit(
        user=supervisor, problem_id=problem.pk, version=problem.version, changes={"title": "食堂窗口太少"}
    )
    assert list(problems_matching(everything, "热水")) == []
    assert list(problems_matching(everything, "窗口")) == [problem]


def test_handled_items_are_no_longer_open(units: Org, supervisor: Person, employee: Person) -> None:
    problem, opinion = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    assert not SearchEntry.objects.get(opinion=opinion).is_open
    assert SearchEntry.objects.get(problem=problem).is_open
    ledger.problem_cancel(user=supervisor, problem_id=problem.pk, reason="重复立项")
    assert not SearchEntry.objects.get(problem=problem).is_open


def test_an_addition_is_searchable_after_the_next_save(units: Org, employee: Person) -> None:
    opinion = make_opinion(user=employee, unit=units.workshop, text="澡堂热水不够")
    opinion.additions.create(text="尤其是夜班下班的时候", created_at=opinion.created_at)
    intake.opinion_withdraw(user=employee, opinion_id=opinion.pk)
    assert [h.pk for h in search(employee, "夜班")] == [opinion.pk]


def test_reindex_rebuilds_everything_with_progress(units: Org, supervisor: Person, employee: Person) -> None:
    make_opinion(user=employee, unit=units.workshop, text="职工食堂菜价太贵")
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="修复东门路灯")
    SearchEntry.objects.all().delete()
    assert search(supervisor, "食堂") == []
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "2/2" in out.getvalue() and "Indexed 2 items" in out.getvalue()
    assert len(search(supervisor, "食堂")) == 1 and len(search(supervisor, "路灯")) == 1


def test_a_renamed_place_is_segmented_whole_after_the_dictionary_refresh(
    units: Org, employee: Person
) -> None:
    from taizhang.search import services, text

    units.workshop.name = "赤泥堆场"
    units.workshop.save()
    assert services.refresh_dictionary(force=True)
    assert "赤泥堆场" in text.dictionary().words
    assert text.dictionary().cut("赤泥堆场扬尘") == ["赤泥堆场", "扬尘"]
