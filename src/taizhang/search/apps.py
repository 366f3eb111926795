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
        # The organisation's words: units, places and categories are saved by services and by the admin
        # alike; a signal is the one place that sees both. It only expires a cache, nothing else.
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from taizhang.intake.models import Place  # noqa: PLC0415
        from taizhang.ledger.models import Category  # noqa: PLC0415
        from taizhang.org.models import Unit  # noqa: PLC0415

        for sender in (Unit, Place, Category):
            uid = f"search-vocabulary-{sender._meta.label}"
            post_save.connect(services.on_vocabulary_changed, sender=sender, dispatch_uid=uid)
            post_delete.connect(services.on_vocabulary_changed, sender=sender, dispatch_uid=uid)
        # The ledger table's and the triage desk's search boxes (they do not import this app).
        from taizhang.search import selectors  # noqa: PLC0415

        hooks.provide_text_matcher(
            "ledger.Problem", lambda items, text, user: selectors.problems_matching(items, text)
        )
        hooks.provide_text_matcher(
            "intake.Opinion", lambda items, text, user: selectors.opinions_matching(items, text, user=user)
        )
