from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "taizhang.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from taizhang.core import hooks  # noqa: PLC0415
        from taizhang.reports import tally  # noqa: PLC0415

        hooks.subscribe("event_recorded", tally.on_event_recorded)
        hooks.subscribe("problem_saved", tally.on_problem_saved)
        hooks.subscribe("opinion_saved", tally.on_opinion_saved)
        hooks.subscribe("batch_ended", tally.on_batch_ended)
