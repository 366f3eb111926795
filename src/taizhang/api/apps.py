from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class APIConfig(AppConfig):
    name = "taizhang.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from taizhang.api import webhooks  # noqa: PLC0415  # models are ready only now
        from taizhang.core import hooks  # noqa: PLC0415

        hooks.subscribe("event_recorded", webhooks.on_event_recorded)
        hooks.subscribe("opinion_saved", webhooks.on_opinion_saved)
