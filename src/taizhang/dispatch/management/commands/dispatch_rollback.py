"""`taizhang dispatch-rollback`: make the dispatch model version before the active one active again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.errors import DomainError
from taizhang.dispatch import services


class Command(BaseCommand):
    help = "Activate the smart-dispatch model version before the active one."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = services.model_rollback()
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"dispatch model v{model.version} active again")
