"""Writes of the api app: tokens, webhook subscriptions; and the one check of answers to extra questions."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from taizhang.api.models import TOKEN_PREFIX, ApiToken, ServiceAttribute, WebhookSubscription, hash_token
from taizhang.core import clock
from taizhang.core.errors import InvalidInput, Message, NotFound, NotPermitted
from taizhang.ledger.models import Category
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser | None


def _person(user: AnyUser) -> Person | None:
    return user if isinstance(user, Person) and user.is_authenticated else None


# --- tokens ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """A token as made: `raw` is shown once and never stored."""

    token: ApiToken
    raw: str


def _may_issue_open311_keys(person: Person) -> bool:
    return scope_of(person).has_role(Role.ADMIN)


@transaction.atomic
def token_create(*, user: AnyUser, name: str, kind: str = ApiToken.Kind.PERSONAL) -> IssuedToken:
    """A personal token for oneself, or (administrators only) an Open311 api_key for an integrating system."""
    person = _person(user)
    if person is None:
        raise NotPermitted(_("Sign in to make an API token."))
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(_("Name the token (1 to 100 characters)."), field="name")
    if kind not in ApiToken.Kind.values:
        raise InvalidInput(_("Unknown kind of token."), field="kind")
    if kind == ApiToken.Kind.OPEN311 and not _may_issue_open311_keys(person):
        raise NotPermitted(_("Only administrators issue Open311 keys."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        kind=kind,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(raw),
        created_at=clock.now(),
    )
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def token_revoke(*, user: AnyUser, token_id: int) -> ApiToken:
    """Revoke one's own token (administrators: anyone's). Revoking twice changes nothing."""
    person = _person(user)
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if person is None or token is None:
        raise NotFound(_("No such token."))
    if token.person_id != person.pk and not scope_of(person).has_role(Role.ADMIN):
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_lookup(raw: str, kind: str) -> ApiToken | None:
    """The active token of that kind, or None. Records the day it was last used.

    Only the day (local midnight), written once a day: enough to show a token is alive, it spares a write per
    request, and an anonymous opinion sent with the token cannot be matched to it by the minute."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=hash_token(raw), kind=kind, revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    today = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    if token.last_used_at is None or token.last_used_at < today:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=today)
        token.last_used_at = today
    return token


# --- extra questions (Open311 service attributes) -------------------------------------------------------

type Answer = str | list[str]


def _check_multi(attribute: ServiceAttribute, value: Answer) -> tuple[Answer | None, Message | None]:
    values = [value] if isinstance(value, str) else list(value)
    values = [item.strip() for item in values if item.strip()]
    unknown = [item for item in values if item not in attribute.value_keys()]
    if unknown:
        return None, _("“%(value)s” is not one of the choices.") % {"value": unknown[0]}
    return (values or None), None


def _single_problem(attribute: ServiceAttribute, value: str) -> Message | None:
    kind = ServiceAttribute.Datatype
    if attribute.datatype == kind.SINGLE and value not in attribute.value_keys():
        return _("“%(value)s” is not one of the choices.") % {"value": value}
    if attribute.datatype == kind.NUMBER:
        try:
            finite = Decimal(value).is_finite()
        except InvalidOperation:
            finite = False
        return None if finite else _("Give a number.")
    if attribute.datatype == kind.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        return None if moment else _("Give a date and time (ISO 8601, e.g. 2014-05-01T08:00:00+08:00).")
    if attribute.datatype == kind.STRING and ("\n" in value or "\r" in value):
        return _("Give one line of text.")
    if len(value) > 1000:
        return _("The answer is longer than 1000 characters.")
    return None


def _check_answer(attribute: ServiceAttribute, value: Answer) -> tuple[Answer | None, Message | None]:
    """The cleaned answer (None: not answered), or an error message."""
    if attribute.datatype == ServiceAttribute.Datatype.MULTI:
        return _check_multi(attribute, value)
    if isinstance(value, list):
        if len(value) > 1:
            return None, _("Give one value.")
        value = value[0] if value else ""
    value = value.strip()
    if not value:
        return None, None
    problem = _single_problem(attribute, value)
    return (None, problem) if problem else (value, None)


def clean_attribute_answers(category: Category | None, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """Check answers against the category's questions: known codes, required ones given, values of the right
    datatype and among the choices. Every interface (JSON API, Open311, forms) calls this one function."""
    questions = {a.code: a for a in ServiceAttribute.objects.filter(category=category)} if category else {}
    errors: dict[str, list[Message]] = {}
    cleaned: dict[str, Answer] = {}
    for code, value in answers.items():
        attribute = questions.get(code)
        if attribute is None:
            errors.setdefault(code, []).append(
                _("This category has no question “%(code)s”.") % {"code": code}
            )
            continue
        if not attribute.variable:
            continue  # information only: nothing to answer
        answer, error = _check_answer(attribute, value)
        if error is not None:
            errors.setdefault(code, []).append(error)
        elif answer is not None:
            cleaned[code] = answer
    for code, attribute in questions.items():
        if attribute.variable and attribute.required and code not in cleaned and code not in errors:
            errors.setdefault(code, []).append(
                _("Answer “%(question)s”; it is required.") % {"question": attribute.description}
            )
    if errors:
        raise InvalidInput(next(iter(errors.values()))[0], errors=errors, code="invalid_attribute")
    return cleaned


# --- webhook subscriptions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSubscription:
    subscription: WebhookSubscription
    secret: str


def _require_admin(user: AnyUser) -> Person:
    person = _person(user)
    if person is None or not scope_of(person).has_role(Role.ADMIN):
        raise NotPermitted(_("Only administrators manage webhooks."))
    return person


@transaction.atomic
def subscription_create(
    *,
    user: AnyUser,
    name: str,
    target_url: str,
    unit: Unit | None = None,
    category: Category | None = None,
    event_kinds: list[str] | None = None,
) -> IssuedSubscription:
    person = _require_admin(user)
    if not name.strip():
        raise InvalidInput(_("Name the subscription."), field="name")
    if not target_url.startswith(("http://", "https://")):
        raise InvalidInput(_("The target must be an http:// or https:// URL."), field="target_url")
    kinds = sorted({kind.strip() for kind in event_kinds or [] if kind.strip()})
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscription = WebhookSubscription.objects.create(
        name=name.strip(),
        target_url=target_url,
        secret=secret,
        unit=unit,
        category=category,
        event_kinds=kinds,
        created_by=person,
        created_at=clock.now(),
    )
    return IssuedSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_rotate_secret(*, user: AnyUser, subscription_id: int) -> IssuedSubscription:
    _require_admin(user)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    subscription.secret = "whsec_" + secrets.token_urlsafe(32)
    subscription.save(update_fields=["secret"])
    return IssuedSubscription(subscription=subscription, secret=subscription.secret)
