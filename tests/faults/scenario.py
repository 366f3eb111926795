"""Data for the fault tests' child processes (run inside a `Site`, never inside the test's own database)."""

from __future__ import annotations

from taizhang.api import services as api_services
from taizhang.intake import services as intake
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Verdict
from taizhang.org import services as org
from taizhang.org.models import Person, Role, Unit
from tests.factories import jpeg_upload, raised_problem

PASSWORD = "correct horse battery staple"


def people() -> dict[str, Person]:
    root = org.unit_create(name="山西铝厂", code="sxlc", kind=Unit.Kind.ENTERPRISE)
    plant = org.unit_create(name="第一氧化铝厂", code="yhl1", parent=root, kind=Unit.Kind.BRANCH)
    office = org.unit_create(name="纪检监察工作部", code="jjjc", parent=root, kind=Unit.Kind.OFFICE)

    def person(
        username: str, name: str, unit: Unit, *roles: tuple[Role, Unit], admin: bool = False
    ) -> Person:
        made = org.person_create(
            username=username, name=name, unit=unit, password=PASSWORD, is_superuser=admin
        )
        for role, scope in roles:
            org.role_grant(person=made, role=role, unit=scope)
        return made

    return {
        "employee": person("zheng", "郑喜康", plant),
        "handler": person("hou", "侯同义", plant, (Role.HANDLER, plant)),
        "leader": person("yuan", "原卫平", plant, (Role.LEADER, plant)),
        "supervisor": person("yang", "杨朝晖", office, (Role.SUPERVISOR, root)),
        "admin": person("guo", "郭顺喜", root, (Role.ADMIN, root), admin=True),
    }


def worked_ledger(cast: dict[str, Person], *, problems: int = 3) -> None:
    """Problems at every stage (closed with evidence and ratings, in review, in progress), photos."""
    plant = Unit.objects.get(code="yhl1")
    for index in range(problems):
        problem, _opinion = raised_problem(
            supervisor=cast["supervisor"], raiser=cast["employee"], unit=plant, target_quantity=index + 2
        )
        intake.opinion_submit(
            user=None,
            data=intake.OpinionInput(text=f"匿名：第{index}处路灯不亮", unit=plant, anonymous=True),
            photos=[jpeg_upload(f"dark-{index}.jpg", exif_gps=True)],
        )
        ledger.problem_start(user=cast["handler"], problem_id=problem.pk)
        ledger.problem_record_progress(
            user=cast["handler"], problem_id=problem.pk, note="修了一处", done_quantity=1
        )
        if index == 0:
            continue
        ledger.problem_request_closeout(
            user=cast["handler"],
            problem_id=problem.pk,
            completion_note="全部修好",
            done_quantity=index + 2,
            evidence=[jpeg_upload(f"after-{index}.jpg")],
        )
        ledger.problem_sign(user=cast["leader"], problem_id=problem.pk)
        ledger.problem_rate(user=cast["employee"], problem_id=problem.pk, verdict=Verdict.SATISFIED)
        if index >= 2:
            ledger.problem_verify(user=cast["supervisor"], problem_id=problem.pk)


def populate() -> None:
    worked_ledger(people())


def subscribe_and_work(url: str, *, problems: int = 2) -> None:
    """A webhook subscription to everything, then work that makes events (deliveries stay pending when the
    tasks backend is `dummy`: the worker under test sends them)."""
    cast = people()
    api_services.subscription_create(user=cast["admin"], name="portal", target_url=url)
    worked_ledger(cast, problems=problems)
