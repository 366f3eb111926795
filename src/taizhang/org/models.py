"""Units (a tree), people, and roles scoped to a unit subtree."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A node of the organisation: enterprise → branch/factory → workshop/department → team.

    `path` is the materialised path of ids ("/1/4/9/"), so a subtree is one indexed prefix match.
    It is maintained by `org.services.unit_create` / `unit_move`, never by hand.
    """

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        BRANCH = "branch", _("Branch / factory")
        DEPARTMENT = "department", _("Workshop / department")
        TEAM = "team", _("Team")
        OFFICE = "office", _("Office / supervision group")

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True, help_text=_("Short stable identifier."))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ("path",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("parent", "name"), name="unit_name_unique_among_siblings"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Unit) -> bool:
        """True when this unit is `other` or lies in its subtree."""
        return self.path.startswith(other.path)


class PersonManager(UserManager["Person"]):
    pass


class Person(AbstractUser):
    """Everyone who logs in. Chinese names are not split, so `name` replaces first/last name."""

    name = models.CharField(_("name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("unit"),
    )
    title = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("username",)

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username


class Role(models.TextChoices):
    """Roles a person holds over a unit subtree. Every person who logs in is also an employee (群众)."""

    HANDLER = "handler", _("Handler")
    LEADER = "leader", _("Unit leader")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("scope (unit subtree)"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=("person", "role", "unit"), name="role_assignment_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="role_assignment_known_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.unit}"
