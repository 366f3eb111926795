"""The `taizhang` command: every Django management command, plus serve, demo and verify."""

from __future__ import annotations

import os
import sys

#: Commands whose Django module name cannot contain the dash people type.
ALIASES = {
    "import-ledger": "import_ledger",
    "import-opinions": "import_opinions",
    "export-ledger": "export_ledger",
    "dispatch-train": "dispatch_train",
    "dispatch-rollback": "dispatch_rollback",
    "measures-rebuild": "measures_rebuild",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.config.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  # after the settings variable

    arguments = list(sys.argv[1:] if argv is None else argv)
    for position in (0, 1) if arguments[:1] == ["help"] else (0,):
        if len(arguments) > position and arguments[position] in ALIASES:
            arguments[position] = ALIASES[arguments[position]]
    execute_from_command_line(["taizhang", *arguments])


if __name__ == "__main__":
    main()
