"""The search page and the similar-items fragment."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.intake.models import Place
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import make_opinion, make_problem

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_the_search_page_shows_ranked_highlighted_hits(units: Org, supervisor: Person) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯<b>不亮</b>")
    page = logged_in(supervisor).get(reverse("search:results"), {"q": "路灯"})
    assert page.status_code == 200
    html = page.content.decode()
    assert problem.code in html and "<mark>路灯</mark>" in html
    assert "<b>不亮</b>" not in html and "&lt;b&gt;" in html
    assert reverse("ledger:problem", args=[problem.pk]) in html


def test_htmx_gets_only_the_list(units: Org, supervisor: Person) -> None:
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    page = logged_in(supervisor).get(reverse("search:results"), {"q": "路灯"}, headers={"HX-Request": "true"})
    html = page.content.decode()
    assert "<mark>路灯</mark>" in html and "<html" not in html


def test_anonymous_visitors_search_the_public_board_only(
    units: Org, supervisor: Person, employee: Person, client: Client
) -> None:
    public = make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    hidden = make_problem(supervisor=supervisor, lead_unit=units.plant, title="西门路灯不亮", is_public=False)
    opinion = make_opinion(user=employee, unit=units.plant, text="北门路灯不亮")
    html = client.get(reverse("search:results"), {"q": "路灯"}).content.decode()
    assert public.code in html and hidden.code not in html and opinion.receipt_display not in html


def test_the_search_page_query_count_does_not_grow_with_hits(
    units: Org, supervisor: Person, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(supervisor)
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="路灯不亮")
    client.get(reverse("search:results"), {"q": "路灯"})
    with django_assert_max_num_queries(12) as few:  # the page with its menu (counts of waiting work)
        client.get(reverse("search:results"), {"q": "路灯"})
    for n in range(15):
        make_problem(supervisor=supervisor, lead_unit=units.plant, title=f"{n}号楼路灯不亮")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("search:results"), {"q": "路灯"})


def test_the_similar_fragment_for_the_submit_form(units: Org, supervisor: Person, client: Client) -> None:
    place = Place.objects.create(name="职工澡堂", code="bath", unit=units.plant)
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, title="职工澡堂热水不够用")
    fragment = client.get(
        reverse("search:similar"),
        {"text": "澡堂洗澡没有热水", "place": str(place.pk), "unit": str(units.plant.pk)},
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200 and problem.code in html and f'data-pk="{problem.pk}"' in html
    assert "<html" not in html
    assert client.get(reverse("search:similar"), {"text": "路灯"}).content.decode().strip() == ""


def test_the_submit_form_names_its_place_by_code(units: Org, supervisor: Person, employee: Person) -> None:
    place = Place.objects.create(name="职工澡堂", code="bath", unit=units.plant)
    mine = make_opinion(user=employee, unit=units.plant, text="职工澡堂热水不够用", place=place)
    html = logged_in(employee).get(reverse("search:similar"), {"text": "澡堂洗澡没有热水", "place": "bath"})
    assert f'data-pk="{mine.pk}"' in html.content.decode() and "同一地点" in html.content.decode()


def test_the_similar_fragment_ignores_bad_numbers(units: Org, supervisor: Person, client: Client) -> None:
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="职工澡堂热水不够用")
    response = client.get(reverse("search:similar"), {"text": "澡堂没有热水", "place": "x", "unit": "9999"})
    assert response.status_code == 200 and "热水" in response.content.decode()


def test_the_triage_desk_leaves_out_the_opinion_on_the_desk(
    units: Org, supervisor: Person, employee: Person
) -> None:
    first = make_opinion(user=employee, unit=units.plant, text="职工澡堂热水不够用")
    second = make_opinion(user=employee, unit=units.plant, text="澡堂洗澡没有热水")
    html = (
        logged_in(supervisor)
        .get(reverse("search:similar"), {"text": second.text, "exclude": str(second.pk)})
        .content.decode()
    )
    assert f'data-pk="{first.pk}"' in html and f'data-pk="{second.pk}"' not in html


def test_the_highlight_filter_escapes_and_marks() -> None:
    from django.template import Context, Template

    rendered = Template("{% load search %}{{ title|highlight:q }}").render(
        Context({"title": "<i>东门</i>路灯不亮", "q": "路灯"})
    )
    assert rendered == "&lt;i&gt;东门&lt;/i&gt;<mark>路灯</mark>不亮"
    assert (
        Template("{% load search %}{{ title|highlight:q }}").render(Context({"title": "a<b", "q": ""}))
        == "a&lt;b"
    )
