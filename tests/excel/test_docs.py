"""docs/excel.md lists exactly the synonyms and state words the code knows."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from taizhang.excel.mapping import EXPORT_COLUMNS, EXPORT_STATE_WORDS, SYNONYMS, Field

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
