"""The Chinese catalogue is complete, compiled, and covers every string the code marks for translation."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PACKAGE = Path(settings.PACKAGE_DIR)
ZH = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"


def msgids(po: Path) -> set[str]:
    """The msgids of a catalogue, joined across continuation lines, without the header."""
    found: set[str] = set()
    current: list[str] | None = None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgid "):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        else:
            if current is not None:
                text = "".join(part.strip()[1:-1] for part in current)
                if text:
                    found.add(text)
            current = None
    return found


def test_every_chinese_message_is_translated_and_none_is_fuzzy() -> None:
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(ZH / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_compiled_catalogue_is_up_to_date(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(ZH / "django.po")], check=True)
    assert compiled.read_bytes() == (ZH / "django.mo").read_bytes(), "run `make messages`"


@pytest.mark.slow
def test_the_catalogue_has_every_string_of_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "taizhang"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "migrations"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "taizhang.config.cli",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "-v0",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    missing = fresh - msgids(ZH / "django.po")
    assert not missing, f"not in the catalogue (run `make messages` and translate): {sorted(missing)[:10]}"
    assert re.search("Plural-Forms: nplurals=1", (ZH / "django.po").read_text(encoding="utf-8"))
