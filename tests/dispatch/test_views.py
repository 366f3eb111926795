"""The triage page's suggestion: shown with its reasons to who may triage the opinion, to nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.core.options import options_override
from taizhang.dispatch import selectors, services
from taizhang.dispatch.models import DispatchRule, Suggestion
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion, Place
from taizhang.org import services as org
from taizhang.org.models import Person, Role
from tests.dispatch.conftest import Dispatch, build_history, triage

pytestmark = pytest.mark.django_db

BUS = "班车司机开车太快，早上的班车还经常晚点"


def browser(person: Person) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(person)
    return client


def submit(text: str, **fields: Any) -> Opinion:
    return intake.opinion_submit(user=None, data=intake.OpinionInput(text=text, anonymous=True, **fields))


def triage_page(person: Person, opinion: Opinion) -> Any:
    return browser(person).get(reverse("intake:triage_opinion", args=[opinion.pk]))


def test_the_triage_page_shows_the_suggestion_its_confidence_and_why(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    opinion = submit(BUS, place_text="班车站")
    page = triage_page(supervisor, opinion)
    assert page.status_code == 200
    html = page.content.decode()
    bus, fleet = dispatch_org.categories["交通班车"], dispatch_org.units["车队"]
    assert 'data-testid="dispatch-category">交通班车<' in html
    assert 'data-testid="dispatch-unit">车队<' in html
    assert "% confident" in html
    assert f'data-category="{bus.pk}" data-unit="{fleet.pk}"' in html
    view = page.context["dispatch"]
    assert view.category_words and all(f"<mark>{w}</mark>" in html for w in view.category_words)
    assert view.neighbours and 'data-testid="dispatch-neighbours"' in html
    assert view.neighbours[0].opinion.text[:10] in html
    assert "dispatch/suggestion.js" in html


def test_the_triage_page_only_reads_the_suggestion(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    opinion = submit(BUS, place_text="班车站")
    services.model_train()
    stored = Suggestion.objects.get(opinion=opinion)
    assert stored.model_version == 2  # the training made it again
    # One the services left behind (beyond their bound): the page shows the active version's, on sight.
    Suggestion.objects.filter(pk=stored.pk).update(model_version=1, category=None)
    with CaptureQueriesContext(connection) as queries:
        page = triage_page(supervisor, opinion)
    assert page.status_code == 200
    shown = page.context["dispatch"].suggestion
    assert shown.pk is None and shown.model_version == 2
    assert 'data-testid="dispatch-category">交通班车<' in page.content.decode()
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "dispatch_suggestion" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    left = Suggestion.objects.get(pk=stored.pk)
    assert (left.model_version, left.category_id) == (1, None)
    # None stored at all (suggesting failed on arrival): shown all the same, and still nothing written.
    Suggestion.objects.filter(pk=stored.pk).delete()
    assert 'data-testid="dispatch-unit">车队<' in triage_page(supervisor, opinion).content.decode()
    assert not Suggestion.objects.filter(opinion=opinion).exists()


def test_a_place_rule_is_named_on_the_triage_page(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    station = Place.objects.create(name="生活区班车站", code="bus-stop", unit=dispatch_org.org.root)
    DispatchRule.objects.create(place=station, unit=dispatch_org.units["物业公司"], overrides_model=True)
    opinion = submit(BUS, place=station)
    client = Client()  # the page in its default language, Chinese
    client.force_login(supervisor)
    html = client.get(reverse("intake:triage_opinion", args=[opinion.pk])).content.decode()
    assert 'data-testid="dispatch-unit">物业公司<' in html
    assert 'data-testid="dispatch-category">交通班车<' in html
    rule = html[html.index('data-testid="dispatch-rule"') :]
    rule = rule[: rule.index("</li>")]
    assert "由管理员设定的规则决定" in rule and "@生活区班车站" in rule and "物业公司" in rule


def test_the_page_says_when_history_is_too_little(dispatch_org: Dispatch, supervisor: Person) -> None:
    build_history(dispatch_org, supervisor, per_class=3)
    html = triage_page(supervisor, submit(BUS)).content.decode()
    assert 'data-testid="dispatch-refused"' in html
    assert "too little history" in html and "12 triaged opinions" in html
    assert 'data-testid="dispatch-accept"' not in html


def test_an_automatic_application_is_shown_as_such(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    with options_override(dispatch_auto_apply=True, dispatch_auto_apply_threshold=0.3):
        opinion = submit(BUS)
    html = triage_page(supervisor, opinion).content.decode()
    assert 'data-testid="dispatch-applied"' in html
    assert "Applied automatically by model v1" in html
    assert "The unit was 山西铝厂." in html
    # The triage form starts from what was applied.
    assert f'<option value="{dispatch_org.units["车队"].pk}" selected>' in html


def test_who_may_not_triage_sees_no_suggestion(
    dispatch_org: Dispatch,
    history: list[dict[str, Any]],
    outsider: Person,
    handler: Person,
    employee: Person,
) -> None:
    services.model_train()
    opinion = intake.opinion_submit(
        user=employee, data=intake.OpinionInput(text=BUS, unit=dispatch_org.org.workshop)
    )
    for person in (outsider, handler, employee):
        assert selectors.suggestion_for(person, opinion) is None
        assert triage_page(person, opinion).status_code == 404
    mine = browser(employee).get(reverse("intake:mine")).content.decode()
    receipt = browser(employee).get(reverse("intake:receipt", args=[opinion.receipt_code])).content.decode()
    for html in (mine, receipt):
        assert "dispatch-suggestion" not in html and "车队" not in html


def test_similar_opinions_outside_the_supervisor_s_units_are_not_shown(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    fleet = dispatch_org.units["车队"]
    local = org.person_create(username="cdjd", name="车队监督", unit=fleet)
    org.role_grant(person=local, role=Role.SUPERVISOR, unit=fleet)
    opinion = submit(BUS, unit=fleet)
    everyone = selectors.suggestion_for(supervisor, opinion)
    mine = selectors.suggestion_for(local, opinion)
    assert everyone is not None and everyone.neighbours  # the history was filed under 山西铝厂
    assert mine is not None and mine.suggestion.unit == fleet
    assert mine.neighbours == []


def test_the_status_page_is_for_administrators(
    dispatch_org: Dispatch, history: list[dict[str, Any]], admin_user: Person, supervisor: Person
) -> None:
    services.model_train()
    page = browser(admin_user).get(reverse("dispatch:status"))
    assert page.status_code == 200
    assert 'data-testid="dispatch-active"' in page.content.decode()
    assert browser(supervisor).get(reverse("dispatch:status")).status_code == 404


def test_the_status_page_counts_how_often_triage_kept_the_suggestion(
    dispatch_org: Dispatch, history: list[dict[str, Any]], admin_user: Person, supervisor: Person
) -> None:
    services.model_train()
    kept, changed = submit(BUS), submit("班车太挤了，座位不够")
    bus, fleet, hq = (
        dispatch_org.categories["交通班车"],
        dispatch_org.units["车队"],
        dispatch_org.units["后勤服务中心"],
    )
    triage(kept, supervisor=supervisor, category=bus, unit=fleet)
    triage(changed, supervisor=supervisor, category=bus, unit=hq)
    outcomes = {model.version: outcome for model, outcome in selectors.model_versions()}
    assert outcomes[1] is not None
    assert (outcomes[1].triaged, outcomes[1].category_kept, outcomes[1].unit_kept) == (2, 100, 50)
    page = browser(admin_user).get(reverse("dispatch:status")).content.decode()
    assert "100% / 50%" in page


def test_administrators_edit_rules_and_an_empty_rule_is_refused_clearly(
    dispatch_org: Dispatch, admin_user: Person, supervisor: Person
) -> None:
    client = browser(admin_user)
    url = reverse("admin:dispatch_dispatchrule_add")
    empty = client.post(url, {"keyword": "", "is_active": "on"})
    assert empty.status_code == 200
    assert "Give a keyword or a place" in empty.content.decode()
    assert not DispatchRule.objects.exists()
    bus = dispatch_org.categories["交通班车"]
    saved = client.post(
        url, {"keyword": "班车", "category": bus.pk, "overrides_model": "on", "is_active": "on"}
    )
    assert saved.status_code == 302
    assert DispatchRule.objects.get().category == bus
    assert browser(supervisor).get(url).status_code in (302, 403)


def test_the_rule_that_decided_is_named_on_the_triage_page(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    DispatchRule.objects.create(keyword="班车", unit=dispatch_org.units["物业公司"], overrides_model=True)
    page = triage_page(supervisor, submit(BUS))
    html = page.content.decode()
    assert 'data-testid="dispatch-unit">物业公司<' in html
    assert 'data-testid="dispatch-rule"' in html and "An administrator's rule decides" in html
    # The model's words for the unit it would have chosen are not shown as reasons for the rule's unit.
    assert page.context["dispatch"].unit_words == [] and page.context["dispatch"].category_words


def test_a_rule_added_or_removed_in_the_admin_changes_what_the_desk_suggests_for_waiting_opinions(
    dispatch_org: Dispatch, history: list[dict[str, Any]], admin_user: Person, supervisor: Person
) -> None:
    services.model_train()
    waiting = submit(BUS)
    assert Suggestion.objects.get(opinion=waiting).unit == dispatch_org.units["车队"]
    client = browser(admin_user)
    added = client.post(
        reverse("admin:dispatch_dispatchrule_add"),
        {
            "keyword": "班车",
            "unit": dispatch_org.units["物业公司"].pk,
            "overrides_model": "on",
            "is_active": "on",
        },
    )
    assert added.status_code == 302
    assert Suggestion.objects.get(opinion=waiting).unit == dispatch_org.units["物业公司"]
    assert 'data-testid="dispatch-unit">物业公司<' in triage_page(supervisor, waiting).content.decode()
    rule = DispatchRule.objects.get()
    removed = client.post(reverse("admin:dispatch_dispatchrule_delete", args=[rule.pk]), {"post": "yes"})
    assert removed.status_code == 302 and not DispatchRule.objects.exists()
    assert Suggestion.objects.get(opinion=waiting).unit == dispatch_org.units["车队"]
