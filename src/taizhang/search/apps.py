from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "taizhang.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Inside the writer's transaction (core.hooks): a rolled-back write leaves no index entry.
        from taizhang.core import hooks  # noqa: PLC0415  # apps are not ready at import time
        from taizhang.search import services  # noqa: PLC0415

        hooks.subscribe("opinion_saved", services.on_opinion_saved)
        hooks.subscribe("problem_saved", services.on_problem_saved)
        # The ledger table's and the triage desk's search boxes (they do not import this app).
        from taizhang.search import selectors  # noqa: PLC0415

        hooks.provide_text_matcher(
            "ledger.Problem", lambda items, text, user: selectors.problems_matching(items, text)
        )
        hooks.provide_text_matcher(
            "intake.Opinion", lambda items, text, user: selectors.opinions_matching(items, text, user=user)
        )
