"""Search where people work: the ledger table's and the triage desk's search boxes, and the similar items
on the submit form ("me too") and on the triage desk (attach, merge)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from taizhang.intake.models import Channel, Opinion
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import make_opinion, make_problem


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_the_ledger_search_box_ranks_highlights_and_combines_with_the_filters(
    units: Org, supervisor: Person, outsider: Person
) -> None:
    lamp = make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    lamp_other = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="西门路灯坏了")
    make_problem(supervisor=supervisor, lead_unit=units.plant, title="澡堂热水不够用")
    client = logged_in(supervisor)
    html = client.get(reverse("ledger:ledger"), {"q": "路灯"}).content.decode()
    assert lamp.code in html and lamp_other.code in html and "澡堂" not in html
    assert "<mark>路灯</mark>" in html
    narrowed = client.get(
        reverse("ledger:ledger"), {"q": "路灯", "unit": str(units.plant.pk)}
    ).content.decode()
    assert lamp.code in narrowed and lamp_other.code not in narrowed
    in_other_state = client.get(reverse("ledger:ledger"), {"q": "路灯", "state": State.IN_PROGRESS})
    assert lamp.code not in in_other_state.content.decode()  # both are open, none in progress
    # a person of the sibling unit finds only what is in their scope
    theirs = logged_in(outsider).get(reverse("ledger:ledger"), {"q": "路灯"}).content.decode()
    assert lamp_other.code in theirs and lamp.code not in theirs


def test_the_ledger_search_lists_the_best_match_first_unless_an_order_is_chosen(
    units: Org, supervisor: Person
) -> None:
    weak = make_problem(supervisor=supervisor, lead_unit=units.plant, title="食堂门口", description="路灯")
    strong = make_problem(supervisor=supervisor, lead_unit=units.plant, title="路灯不亮，路灯杆歪了")
    client = logged_in(supervisor)
    html = client.get(reverse("ledger:ledger"), {"q": "路灯"}).content.decode()
    assert html.index(strong.code) < html.index(weak.code)
    by_code = client.get(reverse("ledger:ledger"), {"q": "路灯", "sort": "code"}).content.decode()
    assert by_code.index(weak.code) < by_code.index(strong.code)


def test_the_triage_desk_search_finds_opinions_by_meaning_and_marks_them(
    units: Org, supervisor: Person, employee: Person
) -> None:
    lamp = make_opinion(user=employee, unit=units.workshop, text="宿舍楼下的路灯一到晚上就不亮")
    make_opinion(user=employee, unit=units.workshop, text="澡堂的热水不够用")
    html = logged_in(supervisor).get(reverse("intake:triage"), {"q": "路灯"}).content.decode()
    assert reverse("intake:triage_opinion", args=[lamp.pk]) in html
    assert "<mark>路灯</mark>" in html and "澡堂" not in html


def test_the_triage_desk_search_combines_with_its_filters_within_the_persons_scope(
    units: Org, supervisor: Person, employee: Person, outsider: Person
) -> None:
    from taizhang.intake.models import Place
    from taizhang.org import services as org
    from taizhang.org.models import Role
    from tests.factories import make_category

    lamps, baths = make_category(name="路灯照明"), make_category(name="澡堂浴室")
    dorm = Place.objects.create(name="2号宿舍楼", code="dorm2", unit=units.plant)
    plant_supervisor = org.person_create(
        username="plant-sup", name="厂督导", unit=units.plant, password=PASSWORD
    )
    org.role_grant(person=plant_supervisor, role=Role.SUPERVISOR, unit=units.plant)
    lamp_at_dorm = make_opinion(
        user=employee, unit=units.workshop, text="宿舍楼下的路灯一到晚上就不亮", category=lamps, place=dorm
    )
    lamp_by_phone = make_opinion(
        user=employee, unit=units.workshop, text="车间门口路灯杆歪了", category=baths,
        channel=Channel.HOTLINE,
    )  # fmt: skip
    bath_at_dorm = make_opinion(user=employee, unit=units.plant, text="澡堂热水不够用", place=dorm)
    elsewhere = make_opinion(
        user=outsider, unit=units.sibling, text="二氧厂门口的路灯也不亮", category=lamps,
        channel=Channel.HOTLINE,
    )  # fmt: skip
    everything = {lamp_at_dorm, lamp_by_phone, bath_at_dorm, elsewhere}
    client = logged_in(plant_supervisor)

    def desk(**query: str | int) -> set[Opinion]:
        page = client.get(reverse("intake:triage"), {k: str(v) for k, v in query.items()})
        assert page.status_code == 200
        html = page.content.decode()
        shown = {o for o in everything if reverse("intake:triage_opinion", args=[o.pk]) in html}
        assert elsewhere not in shown  # whatever the filters, never outside the person's scope
        return shown

    assert desk() == {lamp_at_dorm, lamp_by_phone, bath_at_dorm}
    assert desk(q="路灯") == {lamp_at_dorm, lamp_by_phone}
    assert desk(place=dorm.pk) == {lamp_at_dorm, bath_at_dorm}
    assert desk(q="路灯", place=dorm.pk) == {lamp_at_dorm}
    assert desk(q="热水", place=dorm.pk) == {bath_at_dorm}
    assert desk(category=lamps.pk) == {lamp_at_dorm}
    assert desk(q="路灯", category=baths.pk) == {lamp_by_phone}
    assert desk(q="路灯", channel=Channel.HOTLINE) == {lamp_by_phone}
    assert desk(q="热水", channel=Channel.HOTLINE) == set()
    assert desk(unit=units.workshop.pk) == {lamp_at_dorm, lamp_by_phone}
    assert desk(q="路灯", unit=units.sibling.pk, category=lamps.pk, channel=Channel.HOTLINE) == set()
    # A unit outside the person's scope is not offered, and asked for, it is an error that lists nothing.
    outside = client.get(reverse("intake:triage"), {"unit": units.sibling.pk}).content.decode()
    assert 'data-testid="filter-error"' in outside and "第二氧化铝厂" not in outside
    # The filters are the page's own, in the person's language, and kept when paging.
    html = client.get(reverse("intake:triage"), {"q": "路灯", "channel": Channel.HOTLINE}).content.decode()
    assert 'data-testid="triage-filters"' in html and "全部渠道" in html
    assert f'<option value="{Channel.HOTLINE}" selected>' in html
    # The enterprise's supervisor does find the other branch's opinion through the same filters.
    theirs = logged_in(supervisor).get(
        reverse("intake:triage"),
        {"q": "路灯", "unit": str(units.sibling.pk), "category": str(lamps.pk), "channel": "hotline"},
    )
    assert reverse("intake:triage_opinion", args=[elsewhere.pk]) in theirs.content.decode()


def test_while_typing_an_opinion_a_listed_problem_is_offered_for_me_too(
    units: Org, supervisor: Person, employee: Person
) -> None:
    lamp = make_problem(supervisor=supervisor, lead_unit=units.plant, title="2号宿舍楼路灯不亮")
    client = logged_in(employee)
    typed = "2号宿舍楼门口的路灯坏了好几天"
    fragment = client.get(reverse("search:similar"), {"text": typed, "for": "submit"}).content.decode()
    me_too = reverse("intake:me_too", args=[lamp.pk])
    assert lamp.code in fragment and f'action="{me_too}"' in fragment
    assert f'value="{typed}"' in fragment  # the words typed so far go with the "me too"
    response = client.post(me_too, {"text": typed})
    assert response.status_code == 302
    joined = Opinion.objects.get(problem=lamp, submitter=employee)
    assert joined.text == typed and joined.channel == Channel.ME_TOO


def test_anonymous_visitors_are_offered_public_problems_only_and_follow_by_receipt(
    units: Org, supervisor: Person, client: Client
) -> None:
    public = make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯不亮")
    hidden = make_problem(supervisor=supervisor, lead_unit=units.plant, title="东门路灯坏了", is_public=False)
    fragment = client.get(reverse("search:similar"), {"text": "东门的路灯不亮了", "for": "submit"})
    html = fragment.content.decode()
    assert public.code in html and hidden.code not in html
    assert "anonymous" not in html  # a visitor is anonymous anyway: one button
    response = client.post(reverse("intake:me_too", args=[public.pk]), {"text": "东门的路灯不亮了"})
    assert response.status_code == 302 and response["Location"].startswith("/r/")
    joined = Opinion.objects.get(problem=public, channel=Channel.ME_TOO)
    assert joined.submitter is None and joined.is_anonymous


def test_the_triage_desk_attaches_or_merges_from_the_similar_items(
    units: Org, supervisor: Person, employee: Person, handler: Person
) -> None:
    lamp = make_problem(supervisor=supervisor, lead_unit=units.plant, title="2号宿舍楼路灯不亮")
    earlier = make_opinion(user=handler, unit=units.workshop, text="澡堂的热水总是不够用，洗到一半就凉了")
    on_desk = make_opinion(user=employee, unit=units.workshop, text="2号宿舍楼的路灯晚上不亮")
    repeat = make_opinion(user=employee, unit=units.workshop, text="澡堂热水不够，洗一半就没了")
    client = logged_in(supervisor)
    desk = client.get(reverse("intake:triage_opinion", args=[on_desk.pk])).content.decode()
    assert "for=triage" in desk and f"exclude={on_desk.pk}" in desk  # the desk loads the fragment
    fragment = client.get(
        reverse("search:similar"),
        {"text": on_desk.text, "for": "triage", "exclude": str(on_desk.pk), "unit": str(units.workshop.pk)},
    ).content.decode()
    assert 'name="decision" value="attach"' in fragment and f'value="{lamp.code}"' in fragment
    desk_url = reverse("intake:triage_opinion", args=[on_desk.pk])
    client.post(desk_url, {"decision": "attach", "attach-problem": lamp.code})
    on_desk.refresh_from_db()
    assert on_desk.problem == lamp and on_desk.state == Opinion.State.TRIAGED

    fragment = client.get(
        reverse("search:similar"), {"text": repeat.text, "for": "triage", "exclude": str(repeat.pk)}
    ).content.decode()
    assert 'value="merge"' in fragment and earlier.receipt_display in fragment
    client.post(
        reverse("intake:triage_opinion", args=[repeat.pk]),
        {"decision": "merge", "merge-into": earlier.receipt_display},
    )
    repeat.refresh_from_db()
    assert repeat.state == Opinion.State.MERGED and repeat.merged_into == earlier
