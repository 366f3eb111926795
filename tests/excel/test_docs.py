"""docs/excel.md lists exactly the synonyms and state words the code knows, for ledgers and for opinions."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from taizhang.excel.mapping import EXPORT_COLUMNS, EXPORT_STATE_WORDS, SYNONYMS, Field
from taizhang.excel.opinion_import import SYNONYMS as OPINION_SYNONYMS

DOC = (Path(settings.REPO_DIR) / "docs" / "excel.md").read_text(encoding="utf-8")


def test_the_synonym_table_is_the_code() -> None:
    rows = {}
    for line in DOC.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 2 and cells[0].split(" ")[0] in Field:
            rows[Field(cells[0].split(" ")[0])] = [name.strip().lower() for name in cells[1].split(",")]
    assert rows == {field: list(names) for field, names in SYNONYMS.items()}  # names match case-blind


def test_every_export_column_and_state_word_is_documented() -> None:
    for name, _field in EXPORT_COLUMNS:
        assert f"| {name} |" in DOC
    for word in EXPORT_STATE_WORDS.values():
        assert word in DOC


def test_the_opinion_import_columns_are_the_code() -> None:
    section = DOC.split("## Importing opinions", 1)[1]
    documented: set[str] = set()
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not set(cells[1]) <= {"-", " "}:
            documented.update(name.strip() for name in cells[1].replace(";", ",").split(",") if name.strip())
    english = section.split("English headers work too (", 1)[1].split(")", 1)[0]
    documented.update(name.strip(" `\n") for name in english.split(","))
    documented.discard("names it goes by")
    assert documented == {name for names in OPINION_SYNONYMS.values() for name in names}
