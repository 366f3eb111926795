"""The access table (web/access.py) checked against the running app: every URL pattern has a row, and every
row is requested as each persona, in scope and from a sibling unit, and anonymously.

The objects the URLs name all belong to 第一氧化铝厂 and carry the marker MARK in their titles or texts; a
person outside that scope must never get one of them back, nor see the marker anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taizhang.api import services as api_services
from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import DocumentKind, ItemKind, MeetingKind, StudyKind
from taizhang.core import clock
from taizhang.excel import exports
from taizhang.excel.jobs import import_job_create
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, OpinionPhoto, Place
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Evidence, Problem
from taizhang.ledger.workflow import Action
from taizhang.org.models import Person, Role
from taizhang.supervision import services as supervision
from taizhang.supervision.models import Colour, LookBack, UrgeNotice
from taizhang.web.access import RULES, Rule, Who, rule_for
from taizhang.web.access_doc import render
from tests.conftest import Org, _person
from tests.excel.builders import simple_workbook
from tests.factories import jpeg_upload, make_category, make_opinion, raised_problem

MARK = "甲厂机密"

DENIED = (401, 403, 404)
# Query strings that make list and search pages look for the marked objects.
QUERIES: dict[str, dict[str, str]] = {
    # a part of the marker, so that the page echoing the query does not count as showing the marker
    "search:results": {"q": "机密"},
    "search:similar": {"text": MARK + "澡堂热水"},
    "intake:suggest": {"text": MARK + "澡堂热水"},
    "open311:requests": {"status": "open,closed"},
}
# Rows whose in-scope supervisor must find the marked objects (an empty list would prove nothing).
MUST_FIND: frozenset[str] = frozenset({"search:results", "ledger:ledger", "supervision:notices"})
# The receipt code is the key to its opinion: whoever holds it may follow it (anonymous submitters have
# nothing else), so the marked text is shown to anyone who brings the code (a wrong code finds nothing).
# Operations that take a form with files (multipart), not JSON.
MULTIPART: frozenset[Action] = frozenset({Action.PROGRESS, Action.REQUEST_CLOSEOUT, Action.LOOK_BACK_HOLD})
BEARER_OBJECTS: frozenset[str] = frozenset({"receipt", "api_receipt", "receipt_photo"})


# The JSON API's workflow operations: the problem (in a state where the action is possible) and a valid body,
# so that the answer is the access decision and not a 400 for the body.
def _bodies(world: World) -> dict[Action, tuple[str, dict[str, Any]]]:
    later = (clock.today() + dt.timedelta(days=90)).isoformat()
    return {
        Action.EDIT: ("problem", {"measures": MARK + "换热水器"}),  # a field leaders may edit too
        Action.START: ("problem", {}),
        Action.RETURN: ("problem", {"reason": "不归本单位管"}),
        Action.REASSIGN: ("returned_problem", {"lead_unit_id": world.units.workshop.pk}),
        Action.PROGRESS: ("in_progress_problem", {"note": "材料已到"}),
        Action.REQUEST_EXTENSION: ("problem", {"new_deadline": later, "reason": "材料未到"}),
        Action.APPROVE_EXTENSION: ("extension_problem", {}),
        Action.REJECT_EXTENSION: ("extension_problem", {"reason": "不能再拖"}),
        Action.REQUEST_CLOSEOUT: (
            "in_progress_problem",
            {"completion_note": "已修好", "evidence": jpeg_upload("after.jpg")},
        ),
        Action.SIGN: ("review_problem", {}),
        Action.REJECT: ("review_problem", {"reason": "没有修好"}),
        Action.VERIFY: ("signed_problem", {}),
        Action.OBJECT: ("notice_problem", {"reason": "没有修好"}),
        Action.UPHOLD_OBJECTION: ("objection_problem", {"reason": "属实"}),
        Action.DISMISS_OBJECTION: ("objection_problem", {"reason": "不属实"}),
        Action.CONCLUDE_NOTICE: ("notice_problem", {}),
        Action.LOOK_BACK_HOLD: ("closed_problem", {"holds": "true", "note": "没有反弹"}),
        Action.REOPEN: ("closed_problem", {"reason": "又坏了"}),
        Action.CANCEL: ("problem", {"reason": "重复"}),
        Action.URGE: ("problem", {"note": "请抓紧"}),
        Action.RATE: ("review_problem", {"verdict": "satisfied"}),
    }


def walk(resolver: URLResolver, namespace: tuple[str, ...] = ()) -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, (*namespace, entry.namespace) if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield ":".join((*namespace, entry.name))


def test_every_url_pattern_has_a_row_in_the_access_table() -> None:
    missing = sorted({name for name in walk(get_resolver()) if rule_for(name) is None})
    assert not missing, f"add these to src/taizhang/web/access.py: {missing}"


def test_every_row_names_a_url_that_exists() -> None:
    names = set(walk(get_resolver()))
    assert not [rule.key for rule in RULES if rule.key not in names]


def test_scoped_rows_do_not_grant_access_to_every_signed_in_person_by_role_alone() -> None:
    for rule in RULES:
        if rule.scoped and rule.obj not in ("public_problem", "token"):
            assert Who.EMPLOYEE not in rule.who and Who.ANYONE not in rule.who, rule.key


@dataclass
class World:
    units: Org
    people: dict[Who, Person]
    outsiders: dict[Who, Person]
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)


@pytest.fixture
def world(
    units: Org,
    employee: Person,
    handler: Person,
    leader: Person,
    leader2: Person,
    supervisor: Person,
    outsider: Person,
    admin_user: Person,
) -> World:
    bystander = _person("bys", "过路人", units.workshop)
    sibling_employee = _person("sib", "二厂职工", units.sibling)
    sibling_supervisor = _person("sibsup", "二厂督导", units.sibling, (Role.SUPERVISOR, units.sibling))
    people = {
        Who.EMPLOYEE: bystander,
        Who.RAISER: employee,
        Who.HANDLER: handler,
        Who.LEADER: leader,
        Who.SUPERVISOR: supervisor,
        Who.ADMIN: admin_user,
    }
    outsiders = {
        Who.EMPLOYEE: sibling_employee,
        Who.RAISER: sibling_employee,
        Who.HANDLER: outsider,
        Who.LEADER: outsider,
        Who.SUPERVISOR: sibling_supervisor,
    }
    category = make_category(code="lamps", name="路灯照明")
    problem, opinion = raised_problem(
        supervisor=supervisor,
        raiser=employee,
        unit=units.plant,
        title=MARK + "澡堂热水问题",
        is_public=False,
        category=category,
    )
    photo_opinion = intake.opinion_submit(
        user=employee,
        data=intake.OpinionInput(text=MARK + "路灯不亮", unit=units.workshop),
        photos=[jpeg_upload()],
    )
    photo = OpinionPhoto.objects.get(opinion=photo_opinion)
    new_opinion = make_opinion(user=employee, unit=units.workshop, text=MARK + "停车位不够")
    public_problem, _ = raised_problem(
        supervisor=supervisor, raiser=bystander, unit=units.plant, title="公开的路灯问题", is_public=True
    )
    worked, _ = raised_problem(
        supervisor=supervisor, raiser=employee, unit=units.plant, title=MARK + "厕所漏水", is_public=False
    )
    ledger.problem_start(user=handler, problem_id=worked.pk)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=worked.pk,
        completion_note=MARK + "已修好",
        evidence=[jpeg_upload("after.jpg")],
    )
    evidence = Evidence.objects.filter(problem=worked).first()
    assert evidence is not None

    def marked(title: str, **fields: Any) -> Problem:
        return raised_problem(
            supervisor=supervisor,
            raiser=employee,
            unit=units.plant,
            title=MARK + title,
            is_public=False,
            **fields,
        )[0]

    in_progress = marked("食堂排队")
    ledger.problem_start(user=handler, problem_id=in_progress.pk)
    returned = marked("不归本厂")
    ledger.problem_return(user=handler, problem_id=returned.pk, reason="不归本单位管")
    extension = marked("道路维修")
    ledger.problem_start(user=handler, problem_id=extension.pk)
    ledger.problem_request_extension(
        user=handler,
        problem_id=extension.pk,
        new_deadline=clock.today() + dt.timedelta(days=90),
        reason="材料未到",
    )

    def signed_and_rated(title: str) -> Problem:
        found = marked(title, target_quantity=4)
        ledger.problem_start(user=handler, problem_id=found.pk)
        ledger.problem_request_closeout(
            user=handler,
            problem_id=found.pk,
            completion_note="已修好",
            done_quantity=4,
            evidence=[jpeg_upload("after.jpg")],
        )
        ledger.problem_sign(user=leader, problem_id=found.pk)
        ledger.problem_rate(user=employee, problem_id=found.pk, verdict="satisfied")
        return found

    signed = signed_and_rated("更衣柜")
    on_notice = ledger.problem_verify(
        user=supervisor, problem_id=signed_and_rated("饮水机").pk, notice_days=7
    )
    objected = ledger.problem_verify(user=supervisor, problem_id=signed_and_rated("班车").pk, notice_days=7)
    ledger.problem_object(user=employee, problem_id=objected.pk, reason="没有修好")
    closed = ledger.problem_verify(user=supervisor, problem_id=signed_and_rated("澡堂门").pk, notice_days=0)
    supervision.urge_issue(
        user=supervisor, problem_id=problem.pk, colour=Colour.BLUE, message=MARK + "请抓紧"
    )
    notice = UrgeNotice.objects.get(problem=problem)
    last_event = worked.events.order_by("-pk").first()
    assert last_event is not None
    look_back = LookBack.objects.create(
        problem=worked, closed_event=last_event, closed_on=clock.today(), due_on=clock.today()
    )
    open311_opinion = intake.opinion_submit(
        user=AnonymousUser(),
        data=intake.OpinionInput(text="操场路灯坏了", unit=units.workshop, channel=Channel.OPEN311),
    )
    place = Place.objects.create(name=MARK + "十三号大圆仓", code="yc13", unit=units.workshop)
    export_job = exports.export_job_create(user=handler, query={}, fmt="xlsx")
    import_job = import_job_create(
        user=supervisor, upload=SimpleUploadedFile("ledger.xlsx", simple_workbook([]))
    )
    today = clock.today()
    campaign = campaigns.campaign_create(
        user=admin_user,
        code="qzlx",
        name="党的群众路线教育实践活动",
        organiser=units.root,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=60),
        phases=[
            campaigns.PhaseInput(
                "学习教育、听取意见", today - dt.timedelta(days=60), today + dt.timedelta(days=60)
            )
        ],
    )
    point = campaigns.contact_point_assign(
        user=supervisor, campaign_id=campaign.pk, leader=leader, unit=units.workshop, since=today
    )
    visit = campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(visited_on=today, people_met=MARK + "侯同义", raised=MARK + "吃水难"),
    )
    session = campaigns.study_session_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.StudyInput(
            unit=units.plant, kind=StudyKind.LECTURE, topic=MARK + "辅导", held_on=today, attendees=(leader,)
        ),
    )
    author = _person("zuozhe", "普通党员", units.workshop)
    reflection = campaigns.reflection_write(
        user=author, campaign_id=campaign.pk, title=MARK + "体会", text=MARK + "明白了宗旨。"
    )
    meeting = campaigns.meeting_record(
        user=leader,
        campaign_id=campaign.pk,
        data=campaigns.MeetingInput(
            unit=units.plant,
            kind=MeetingKind.DEMOCRATIC_LIFE,
            title=MARK + "生活会",
            held_on=today,
            attendees=(leader,),
        ),
    )
    item = campaigns.meeting_item_add(
        user=leader,
        meeting_id=meeting.pk,
        kind=ItemKind.SELF_CRITICISM,
        text=MARK + "自我批评",
        speaker=leader,
    )
    document = campaigns.document_start(
        user=leader2,
        campaign_id=campaign.pk,
        kind=DocumentKind.CHECK_MATERIAL,
        title=MARK + "对照检查材料",
        unit=units.plant,
        text=MARK + "一稿",
    )
    receipt = opinion.receipt_code
    objects: dict[str, dict[str, Any]] = {
        "problem": {"problem_id": problem.pk},
        "in_progress_problem": {"problem_id": in_progress.pk},
        "returned_problem": {"problem_id": returned.pk},
        "extension_problem": {"problem_id": extension.pk},
        "review_problem": {"problem_id": worked.pk},
        "signed_problem": {"problem_id": signed.pk},
        "notice_problem": {"problem_id": on_notice.pk},
        "objection_problem": {"problem_id": objected.pk},
        "closed_problem": {"problem_id": closed.pk},
        "public_problem": {"problem_id": public_problem.pk},
        "opinion": {"opinion_id": new_opinion.pk},
        "photo": {"photo_id": photo.pk},
        "receipt": {"code": receipt},
        "api_receipt": {"receipt_code": receipt},
        "receipt_photo": {"code": photo_opinion.receipt_code, "photo_id": photo.pk},
        "evidence": {"evidence_id": evidence.pk},
        "notice": {"notice_id": notice.pk},
        "look_back": {"look_back_id": look_back.pk},
        "place": {"code": place.code},
        "place_poster": {"code": place.code, "kind": "png"},
        "export_job": {"job_id": export_job.pk},
        "import_job": {"job_id": import_job.pk},
        "chart": {"key": "funnel"},
        "report": {"fmt": "pdf"},
        "campaign": {"code": campaign.code},
        "visit": {"visit_id": visit.pk},
        "study_session": {"session_id": session.pk},
        "reflection": {"reflection_id": reflection.pk},
        "meeting": {"meeting_id": meeting.pk},
        "meeting_item": {"item_id": item.pk},
        "document": {"document_id": document.pk},
        "format": {"fmt": "json"},
        "service": {"service_code": category.code, "fmt": "json"},
        "open311_request": {"request_id": str(open311_opinion.pk), "fmt": "json"},
        "open311_token": {"token": "nonexistent", "fmt": "json"},
    }
    return World(units=units, people=people, outsiders=outsiders, objects=objects)


def _url(rule: Rule, kwargs: dict[str, Any]) -> str:
    if rule.key == "admin:index":
        return reverse("admin:index")
    if rule.key == "open311:unknown":
        return "/open311/v2/nothing-here.json"
    return reverse(rule.key, kwargs=kwargs)


def _request(rule: Rule, person: Person | None, kwargs: dict[str, Any], world: World) -> HttpResponse:
    """One request, rolled back afterwards: every persona meets the objects in the same state."""
    with transaction.atomic():
        response = _send(rule, person, kwargs, world)
        response.text_for_test = _text(response)  # type: ignore[attr-defined]  # read once, files closed
        transaction.set_rollback(True)
    return response


def _send(rule: Rule, person: Person | None, kwargs: dict[str, Any], world: World) -> HttpResponse:
    client = Client()
    if person is not None:
        client.force_login(person)
    url = _url(rule, kwargs)
    query = QUERIES.get(rule.key, {})
    send: Callable[..., HttpResponse] = getattr(client, rule.method.lower())
    if rule.method == "GET":
        return send(url, query)
    if rule.is_api:
        body = _bodies(world)[rule.action][1] if rule.action else {}
        if rule.action in MULTIPART:
            return send(url, body)
        return send(url, body, content_type="application/json")
    return send(url, {})


def _text(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        # Reading it to the end closes it (the test client's wrapper); closing it again here would send
        # request_finished, which closes a PostgreSQL connection inside the rollback block.
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]  # FileResponse
        return body.decode(errors="replace")
    return response.content.decode(errors="replace")


def _visible(text: str) -> str:
    """The response without its markup: a highlighted match (甲厂<mark>机密</mark>) still shows the marker."""
    return re.sub(r"<[^>]*>", "", text)


def _is_denied(response: HttpResponse) -> bool:
    if response.status_code in DENIED:
        return True
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return reverse("web:login") in location or "/admin/login/" in location


def _own_job(rule: Rule, world: World, person: Person) -> dict[str, Any]:
    """The person's own export (built) or import: "own" rows are tested with a job of the one asking."""
    if rule.obj == "export_job":
        job = exports.export_job_create(user=person, query={}, fmt="xlsx")
        exports.export_job_build(job=job)
        return {"job_id": job.pk}
    upload = SimpleUploadedFile("ledger.xlsx", simple_workbook([]))
    return {"job_id": import_job_create(user=person, upload=upload).pk}


def _kwargs(rule: Rule, world: World, person: Person | None, *, allowed: bool = False) -> dict[str, Any]:
    """The URL's arguments for `person`; `allowed`: the row lets this persona in (own objects are theirs)."""
    if rule.obj == "token":
        owner = person or world.people[Who.RAISER]
        return {"token_id": api_services.token_create(user=owner, name="t").token.pk}
    if rule.obj in ("export_job", "import_job") and allowed and person is not None:
        return _own_job(rule, world, person)
    if rule.action is not None:
        return dict(world.objects[_bodies(world)[rule.action][0]])
    return dict(world.objects.get(rule.obj, {}))


def _in_scope(who: Who, rule: Rule) -> bool:
    """A persona gets through if the row lists their role (administrators act as supervisors everywhere)."""
    return who in rule.who or Who.EMPLOYEE in rule.who


@pytest.mark.parametrize("rule", [pytest.param(rule, id=rule.key) for rule in RULES])
def test_each_page_and_operation_lets_in_exactly_the_roles_of_the_table(rule: Rule, world: World) -> None:
    failures: list[str] = []
    # anonymous
    response = _request(rule, None, _kwargs(rule, world, None), world)
    if rule.is_public:
        if _is_denied(response):
            failures.append(f"anonymous: denied ({response.status_code}) but the row says public")
    elif not _is_denied(response):
        failures.append(f"anonymous: got {response.status_code}, expected a login redirect, 401, 403 or 404")
    # each persona in scope
    for who, person in world.people.items():
        allowed = _in_scope(who, rule)
        response = _request(rule, person, _kwargs(rule, world, person, allowed=allowed), world)
        if allowed and _is_denied(response):
            failures.append(f"{who} ({person.username}): denied ({response.status_code}) but the row allows")
        if not allowed and not (_is_denied(response) or (rule.action and response.status_code == 409)):
            failures.append(f"{who} ({person.username}): got {response.status_code} but the row denies")
        if who == Who.SUPERVISOR and rule.key in MUST_FIND and MARK not in _visible(response.text_for_test):  # type: ignore[attr-defined]
            failures.append(f"{who} ({person.username}): does not find the marked objects in scope")
    # the same roles in a sibling unit: never another unit's object, never its marked text
    for who, person in world.outsiders.items():
        response = _request(rule, person, _kwargs(rule, world, person), world)
        if rule.scoped and rule.obj not in ("public_problem", "token") and not _is_denied(response):
            failures.append(
                f"{who} outside ({person.username}): got {response.status_code} for another unit's object"
            )
        shown = _visible(response.text_for_test)  # type: ignore[attr-defined]
        if MARK in shown and rule.obj not in BEARER_OBJECTS:
            failures.append(f"{who} outside ({person.username}): the response shows another unit's object")
    assert not failures, "\n".join(failures)


def test_a_wrong_receipt_code_finds_nothing(world: World) -> None:
    for key, code in (("intake:receipt", "code"), ("api:opinion_by_receipt_api", "receipt_code")):
        rule = rule_for(key)
        assert rule is not None
        right = _request(rule, None, world.objects[rule.obj], world)
        assert right.status_code == 200
        assert MARK in _visible(right.text_for_test)  # type: ignore[attr-defined]
        wrong = _request(rule, None, {code: "zzzzzzzzzz"}, world)
        assert wrong.status_code == 404
        assert MARK not in wrong.text_for_test  # type: ignore[attr-defined]


def test_docs_permissions_md_is_generated_from_the_table() -> None:
    document = (Path(settings.REPO_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert document == render(), "docs/permissions.md is stale: run `taizhang permissions_doc`"
    for rule in RULES:
        assert f"`{rule.key}`" in document
