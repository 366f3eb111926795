from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "taizhang.dispatch"
    label = "dispatch"
    verbose_name = _("Smart dispatch")

    def ready(self) -> None:
        # After the search app's subscriber: an opinion moved by auto-apply is indexed again under its unit.
        from taizhang.core import hooks  # noqa: PLC0415  # apps are not ready at import time
        from taizhang.dispatch import services  # noqa: PLC0415

        hooks.subscribe("opinion_saved", services.on_opinion_saved)
