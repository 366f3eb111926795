"""Personas, the same in every test file (see STYLE.md):

- 郑喜康 `employee`    — works in 原料车间 (under 第一氧化铝厂); raises problems
- 侯同义 `handler`     — handler over 第一氧化铝厂
- 原卫平 `leader`      — leader over 第一氧化铝厂
- 李庆红 `leader2`     — a second leader over 第一氧化铝厂 (to sign what the first one requested)
- 杨朝晖 `supervisor`  — 纪检监察工作部, supervisor over the whole enterprise
- 樊军   `outsider`    — handler and leader over 第二氧化铝厂, a sibling unit
- 郭顺喜 `admin`       — administrator (superuser)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from taizhang.org import services as org
from taizhang.org.models import Person, Role, Unit

PASSWORD = "correct horse battery staple"


@dataclass
class Org:
    root: Unit
    plant: Unit  # 第一氧化铝厂
    workshop: Unit  # 原料车间, inside plant
    sibling: Unit  # 第二氧化铝厂
    office: Unit  # 纪检监察工作部


@pytest.fixture
def units(db: None) -> Org:
    root = org.unit_create(name="山西铝厂", code="sxlc", kind=Unit.Kind.ENTERPRISE)
    plant = org.unit_create(name="第一氧化铝厂", code="yhl1", parent=root, kind=Unit.Kind.BRANCH)
    workshop = org.unit_create(name="原料车间", code="yhl1-yl", parent=plant)
    sibling = org.unit_create(name="第二氧化铝厂", code="yhl2", parent=root, kind=Unit.Kind.BRANCH)
    office = org.unit_create(name="纪检监察工作部", code="jjjc", parent=root, kind=Unit.Kind.OFFICE)
    return Org(root=root, plant=plant, workshop=workshop, sibling=sibling, office=office)


def _person(
    username: str, name: str, unit: Unit, *roles: tuple[Role, Unit], superuser: bool = False
) -> Person:
    person = org.person_create(
        username=username, name=name, unit=unit, password=PASSWORD, is_superuser=superuser
    )
    for role, scope in roles:
        org.role_grant(person=person, role=role, unit=scope)
    return person


@pytest.fixture
def employee(units: Org) -> Person:
    return _person("zheng", "郑喜康", units.workshop)


@pytest.fixture
def handler(units: Org) -> Person:
    return _person("hou", "侯同义", units.workshop, (Role.HANDLER, units.plant))


@pytest.fixture
def leader(units: Org) -> Person:
    return _person("yuan", "原卫平", units.plant, (Role.LEADER, units.plant))


@pytest.fixture
def leader2(units: Org) -> Person:
    return _person("liqh", "李庆红", units.plant, (Role.LEADER, units.plant))


@pytest.fixture
def supervisor(units: Org) -> Person:
    return _person("yang", "杨朝晖", units.office, (Role.SUPERVISOR, units.root))


@pytest.fixture
def outsider(units: Org) -> Person:
    return _person("fan", "樊军", units.sibling, (Role.HANDLER, units.sibling), (Role.LEADER, units.sibling))


@pytest.fixture
def admin_user(units: Org) -> Person:
    return _person("guo", "郭顺喜", units.root, (Role.ADMIN, units.root), superuser=True)


@pytest.fixture(autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory, settings: object) -> None:
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]  # pytest-django settings fixture


@pytest.fixture
def workflow_people(
    employee: Person,
    handler: Person,
    leader: Person,
    supervisor: Person,
    outsider: Person,
    admin_user: Person,
) -> dict[str, Person]:
    """The cast of tests/workflows.py: the usual people and a leader of the sibling plant."""
    sibling = Unit.objects.get(code="yhl2")
    sibling_leader = org.person_create(username="sib", name="二厂厂长", unit=sibling, password=PASSWORD)
    org.role_grant(person=sibling_leader, role=Role.LEADER, unit=sibling)
    return {
        "sibling_leader": sibling_leader,
        "employee": employee,
        "handler": handler,
        "leader": leader,
        "supervisor": supervisor,
        "outsider": outsider,
        "admin": admin_user,
    }
