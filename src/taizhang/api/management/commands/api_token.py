"""`taizhang api_token create --person USERNAME --name NAME [--kind personal|open311]` prints a token once;
`taizhang api_token revoke ID`; `taizhang api_token list`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from taizhang.api import services
from taizhang.api.models import ApiToken
from taizhang.core.errors import DomainError
from taizhang.org.models import Person


class Command(BaseCommand):
    help = "Make, list or revoke API tokens and Open311 keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--person", required=True, help="Username of the owner.")
        create.add_argument("--name", required=True)
        create.add_argument("--kind", choices=ApiToken.Kind.values, default=ApiToken.Kind.PERSONAL)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("token_id", type=int)
        sub.add_parser("list")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for token in ApiToken.objects.select_related("person"):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.pk}\t{token.kind}\t{token.prefix}…\t{token.person}\t{token.name}\t{state}"
                )
            return
        if options["action"] == "revoke":
            found = ApiToken.objects.filter(pk=options["token_id"]).first()
            if found is None:
                raise CommandError("No such token.")
            services.token_revoke(user=found.person, token_id=found.pk)
            self.stdout.write(f"revoked {found.pk}")
            return
        person = Person.objects.filter(username=options["person"]).first()
        if person is None:
            raise CommandError("No such person.")
        try:
            issued = services.token_create(user=person, name=options["name"], kind=options["kind"])
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{issued.raw}\n(shown once: store it now)")
