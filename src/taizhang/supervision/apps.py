from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "taizhang.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from taizhang.core import hooks  # noqa: PLC0415  # apps are loaded only now
        from taizhang.supervision.services import on_event_recorded  # noqa: PLC0415

        hooks.subscribe("event_recorded", on_event_recorded)
