from __future__ import annotations

from pathlib import Path

from django.conf import settings

from taizhang.ledger.workflow import TRANSITIONS
from taizhang.ledger.workflow_doc import render


def test_docs_workflow_md_is_generated_from_the_table() -> None:
    document = (Path(settings.REPO_DIR) / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert document == render(), "docs/workflow.md is stale: run `taizhang workflow_doc`"
    for row in TRANSITIONS:
        assert f"`{row.event_kind}`" in document
