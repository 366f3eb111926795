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


# Made-up names jieba does not know: cut into pieces until the organisation has them.
NEW_NAMES = {"unit": "砣坪分厂", "place": "翎湖苑", "category": "蔺家垴"}
# The same characters, not as the name: found by a character query, but ranked below the name itself.
SCATTERED = {
    "unit": "分厂的秤砣一直放在坪上没人管",
    "place": "湖边苑子里的翎羽装饰掉了",
    "category": "家里屋后的垴上蔺草长满了",
}


@pytest.mark.parametrize("kind", ["unit", "place", "category"])
def test_a_new_unit_place_or_category_is_one_word_as_soon_as_it_is_saved(
    kind: str, units: Org, employee: Person, supervisor: Person
) -> None:
    from taizhang.intake.models import Place
    from taizhang.org import services as org
    from taizhang.search import services, text

    name = NEW_NAMES[kind]
    sentence = f"{name}附近的路灯晚上不亮"
    services.refresh_dictionary(force=True)  # just read: only the save below can make it read again now
    assert name not in text.dictionary().cut(sentence)
    assert [t.word for t in text.query_terms(name)] != [name]

    if kind == "unit":
        org.unit_create(name=name, code="tpfc", parent=units.plant)
    elif kind == "place":
        Place.objects.create(name=name, code="lhy", unit=units.plant)  # as the admin saves it
    else:
        ledger.category_create(name=name)

    named = make_opinion(user=employee, unit=units.workshop, text=sentence)
    scattered = make_opinion(user=employee, unit=units.workshop, text=SCATTERED[kind])
    assert text.dictionary().cut(sentence)[0] == name
    assert name in SearchEntry.objects.get(opinion=named).head.split()
    assert name not in SearchEntry.objects.get(opinion=scattered).head.split()
    assert [t.word for t in text.query_terms(name)] == [name]
    # The whole word ranks first although the other one is newer (which wins a tie).
    assert [h.pk for h in search(supervisor, name)] == [named.pk, scattered.pk]


def test_deleting_a_place_takes_its_name_out_of_the_dictionary(units: Org) -> None:
    from taizhang.intake.models import Place
    from taizhang.search import services, text

    place = Place.objects.create(name="翎湖苑", code="lhy", unit=units.plant)
    services.refresh_dictionary()
    assert "翎湖苑" in text.dictionary().words
    place.delete()
    services.refresh_dictionary()
    assert "翎湖苑" not in text.dictionary().words


def test_the_full_text_index_is_the_database_s_own(units: Org, employee: Person) -> None:
    """SQLite: an FTS5 table fed by triggers; PostgreSQL: a generated tsvector column with GIN indexes."""
    from django.db import connection

    opinion = make_opinion(user=employee, unit=units.workshop, text="职工食堂菜价太贵")
    entry = SearchEntry.objects.get(opinion=opinion)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=True)
        assert "search_searchentry" in tables and "search_fts" in tables
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            (definition,) = cursor.fetchone()
            assert "VIRTUAL TABLE" in definition and "USING fts5" in definition
            assert "content='search_searchentry'" in definition
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'search_searchentry'"
            )
            assert {name for (name,) in cursor.fetchall()} == {
                "search_fts_ai",
                "search_fts_ad",
                "search_fts_au",
            }
            find = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
            term = '"菜价"'
        else:
            assert connection.vendor == "postgresql"
            cursor.execute(
                "SELECT data_type, is_generated FROM information_schema.columns "
                "WHERE table_name = 'search_searchentry' AND column_name = 'document'"
            )
            assert cursor.fetchone() == ("tsvector", "ALWAYS")
            constraints = connection.introspection.get_constraints(cursor, "search_searchentry")
            for name in ("search_entry_document", "search_entry_document_open"):
                assert constraints[name]["index"] and constraints[name]["type"] == "gin"
                assert constraints[name]["columns"] == ["document"]
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchentry' "
                "AND indexdef LIKE '%%USING gin%%'"
            )
            definitions = dict(cursor.fetchall())
            assert "WHERE" not in definitions["search_entry_document"]
            assert definitions["search_entry_document_open"].endswith("WHERE is_open")
            find = "SELECT id FROM search_searchentry WHERE document @@ %s::tsquery"
            term = "'菜价'"
        cursor.execute(find, [term])
        assert [row[0] for row in cursor.fetchall()] == [entry.pk]
        # Kept in step by the database: a changed entry is found by its new words only.
        ledger_words = "澡堂 热水"
        SearchEntry.objects.filter(pk=entry.pk).update(head=ledger_words)
        cursor.execute(find, [term])
        assert cursor.fetchall() == []
        cursor.execute(find, [term.replace("菜价", "热水")])
        assert [row[0] for row in cursor.fetchall()] == [entry.pk]
