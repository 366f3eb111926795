"""Administrators configure the group robots and watch deliveries: failures show their last error and can
be retried. Notices, look-backs and notifications are shown read-only: they change through the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from taizhang.core import clock
from taizhang.supervision.models import Delivery, LookBack, Notification, Robot, UrgeNotice
from taizhang.supervision.notify import enqueue_delivery


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin[Robot]):
    list_display = ("name", "unit", "kind", "include_subtree", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "unit__name")


@admin.action(description=_("Retry now"))
def retry_deliveries(
    modeladmin: admin.ModelAdmin[Delivery], request: HttpRequest, queryset: QuerySet[Delivery]
) -> None:
    chosen = list(queryset.exclude(status=Delivery.Status.SENT).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=chosen).update(status=Delivery.Status.PENDING, next_attempt_at=clock.now())
    for delivery_id in chosen:
        enqueue_delivery(delivery_id)
    messages.info(request, _("%(count)d deliveries queued again.") % {"count": len(chosen)})


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = (
        "created_at",
        "channel",
        "target",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("target", "subject", "cause")
    actions = (retry_deliveries,)
    readonly_fields = tuple(field.name for field in Delivery._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class _ReadOnly[M: (UrgeNotice, LookBack, Notification)](admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(UrgeNotice)
class UrgeNoticeAdmin(_ReadOnly[UrgeNotice]):
    list_display = ("problem", "colour", "cause", "level", "issued_at", "reply_due", "replied_at")
    list_filter = ("colour", "cause", "level")


@admin.register(LookBack)
class LookBackAdmin(_ReadOnly[LookBack]):
    list_display = ("problem", "closed_on", "due_on", "status", "checked_by")
    list_filter = ("status",)


@admin.register(Notification)
class NotificationAdmin(_ReadOnly[Notification]):
    list_display = ("recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
