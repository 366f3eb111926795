"""`taizhang dispatch-train`: learn a new dispatch model version from the triaged history and activate it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.core.errors import DomainError
from taizhang.dispatch import services


class Command(BaseCommand):
    help = "Train a new smart-dispatch model version from the triaged opinions and make it active."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--note", default="", help="A note kept with the version.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = services.model_train(note=options["note"] or "command")
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"dispatch model v{model.version} active: {model.sample_count} triaged opinions, "
            f"{model.category_count} categories, {model.unit_count} units; held-out accuracy "
            f"category {model.category_accuracy:.1%}, unit {model.unit_accuracy:.1%} "
            f"({model.held_out_count} held out)"
        )
