"""Administration: Open311 keys, extra questions, webhook subscriptions, and the delivery log (with replay).

Secrets are shown once, in the message after they are made; the admin never shows them again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.api import services, webhooks
from taizhang.api.models import (
    ApiToken,
    ServiceAttribute,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from taizhang.core import clock
from taizhang.org.models import Person


def _person(request: HttpRequest) -> Person:
    user = request.user
    if not isinstance(user, Person):
        raise TypeError("admin users are people")
    return user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Administrators issue Open311 keys here; people make their own personal tokens through the API."""

    list_display = ("name", "kind", "prefix", "person", "created_at", "last_used_at", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("name", "prefix", "person__username")
    fields = ("name",)
    actions = ("revoke",)

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: ApiToken, form: ModelForm[ApiToken], change: bool
    ) -> None:
        issued = services.token_create(user=_person(request), name=obj.name, kind=ApiToken.Kind.OPEN311)
        for field in ("pk", "person_id", "kind", "prefix", "key_hash", "created_at"):
            setattr(obj, field, getattr(issued.token, field))
        obj._state.adding = False
        messages.warning(
            request,
            _("The Open311 api_key (copy it now, it is not shown again): %(key)s") % {"key": issued.raw},
        )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.token_revoke(user=_person(request), token_id=token.pk)
        messages.success(request, _("Revoked."))


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin[ServiceAttribute]):
    list_display = ("category", "order", "code", "datatype", "required", "variable", "description")
    list_filter = ("category", "datatype")
    search_fields = ("code", "description")


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    list_display = ("name", "target_url", "unit", "category", "event_kinds", "is_active", "created_at")
    list_filter = ("is_active",)
    fields = ("name", "target_url", "unit", "category", "event_kinds", "is_active")
    actions = ("rotate_secret",)

    def save_model(
        self,
        request: HttpRequest,
        obj: WebhookSubscription,
        form: ModelForm[WebhookSubscription],
        change: bool,
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = services.subscription_create(
            user=_person(request),
            name=obj.name,
            target_url=obj.target_url,
            unit=obj.unit,
            category=obj.category,
            event_kinds=list(obj.event_kinds or []),
        )
        obj.pk = issued.subscription.pk
        obj.secret = issued.secret
        obj.created_at = issued.subscription.created_at
        obj._state.adding = False
        if not obj.is_active:
            WebhookSubscription.objects.filter(pk=obj.pk).update(is_active=False)
        messages.warning(
            request,
            _("The signing secret (copy it now, it is not shown again): %(secret)s")
            % {"secret": issued.secret},
        )

    @admin.action(description=gettext_lazy("Make a new signing secret"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[WebhookSubscription]) -> None:
        for subscription in queryset:
            issued = services.subscription_rotate_secret(
                user=_person(request), subscription_id=subscription.pk
            )
            messages.warning(
                request,
                _("New secret for %(name)s (shown once): %(secret)s")
                % {"name": subscription.name, "secret": issued.secret},
            )


class WebhookAttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    fields = ("at", "response_code", "error", "response_excerpt", "duration_ms", "replay")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """The delivery log: read it, and replay what a receiver missed."""

    list_display = (
        "event_id",
        "kind",
        "subscription",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
    )
    list_filter = ("status", "kind", "subscription")
    search_fields = ("event_id",)
    readonly_fields = (
        "subscription",
        "event_id",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "response_code",
        "last_error",
        "created_at",
        "delivered_at",
        "body",
    )
    inlines = (WebhookAttemptInline,)
    actions = ("replay",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: WebhookDelivery | None = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Replay (send again now)"))
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        delivered = webhooks.replay(list(queryset))
        messages.info(
            request,
            _("%(ok)d of %(all)d delivered at %(at)s.")
            % {"ok": delivered, "all": queryset.count(), "at": clock.now().isoformat(timespec="seconds")},
        )
