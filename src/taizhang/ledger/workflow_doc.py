"""docs/workflow.md, generated from the transition table so the document cannot drift from the code."""

from __future__ import annotations

from django.utils import translation

from taizhang.ledger.workflow import ACTOR_LABELS, EDITABLE_FIELDS, STATE_LABELS, TRANSITIONS, Transition

HEADER = """# The close-out workflow (销号管理)

Generated from `src/taizhang/ledger/workflow.py` by `taizhang workflow_doc`; a test fails when this file and
the table differ. Services (`ledger/services.py`) are the only code that changes a problem's state: each one
locks the row, checks the person and the guards below, writes, and appends an event to the problem's hash
chain.

Separation of duties: the unit that did the work asks (handler or leader), its leader signs (another leader
than the one who asked), a supervisor from outside the unit verifies, and the raisers' ratings can stop the
verification.

"""


def _target(row: Transition) -> str:
    return "(unchanged)" if row.target is None else f"`{row.target}`"


def render() -> str:
    with translation.override("en"):
        lines = [HEADER, "## States\n", "| state | meaning |", "| --- | --- |"]
        lines += [f"| `{state}` | {label} |" for state, label in STATE_LABELS.items()]
        lines += ["", "## Who is who to a problem\n", "| actor | who |", "| --- | --- |"]
        lines += [f"| `{actor}` | {label} |" for actor, label in ACTOR_LABELS.items()]
        lines += [
            "",
            "## Transitions\n",
            "| action | from | to | who | guards | event |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in TRANSITIONS:
            sources = ", ".join(f"`{s}`" for s in sorted(row.sources))
            actors = ", ".join(sorted(str(a) for a in row.actors))
            guards = "<br>".join(f"{g.name}: {g.description}" for g in row.guards) or "—"
            when = (
                " (when a notice period is set)"
                if row.target == "notice"
                else (" (when no notice period is set)" if row.when is not None else "")
            )
            lines.append(
                f"| `{row.action}`{when} | {sources} | {_target(row)} | {actors} | {guards} | "
                f"`{row.event_kind}` |"
            )
        lines += ["", "## Fields each actor may edit (`edit`)\n"]
        lines += [f"- `{actor}`: {', '.join(sorted(fields))}" for actor, fields in EDITABLE_FIELDS.items()]
        lines.append("")
        return "\n".join(lines)
