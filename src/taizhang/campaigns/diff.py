"""A readable diff between two revisions of a document, for Chinese text.

Paragraphs are matched first (difflib on lines); within a changed paragraph the difference is by character,
because Chinese has no spaces to split words on and a whole changed paragraph hides the one phrase that was
rewritten. Runs of Latin letters and digits stay whole (a changed "2014" is one change, not four), and
one-character islands of sameness between two changes are folded into the change, so common characters such
as 的 or 了 do not shred a rewritten phrase into confetti.

Pure Python, no HTML: the template renders the segments and escapes every character of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

type RowKind = Literal["equal", "replace", "delete", "insert", "skip"]

#: Paragraph pairs less similar than this are shown as one removed and one added, not as an edit.
PAIRING_THRESHOLD = 0.35
#: Paragraphs shorter than this (headings such as “四、”) pair by ratio alone.
MIN_KEPT = 6
#: Unchanged paragraphs kept around a change; longer unchanged stretches are folded.
CONTEXT = 2

_TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.DOTALL)


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class DiffRow:
    kind: RowKind
    old_number: int | None = None  # paragraph numbers, from 1
    new_number: int | None = None
    old: tuple[Segment, ...] = ()
    new: tuple[Segment, ...] = ()
    skipped: int = 0  # for "skip" rows: how many unchanged paragraphs are folded


@dataclass(frozen=True)
class Diff:
    rows: tuple[DiffRow, ...]
    added: int  # characters
    removed: int

    @property
    def changed(self) -> bool:
        return self.added > 0 or self.removed > 0


def paragraphs(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.rstrip() for line in lines if line.strip()]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].changed == segment.changed:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.changed)
        else:
            merged.append(segment)
    return tuple(merged)


def char_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both sides of one changed paragraph as segments, the changed ones marked."""
    a, b = tokens(old), tokens(new)
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    changed = [tag != "equal" for tag, *_ in opcodes]
    # A one-character island of sameness between two changes reads better as part of the change.
    for index in range(1, len(opcodes) - 1):
        _tag, i1, i2, _j1, _j2 = opcodes[index]
        if not changed[index] and len("".join(a[i1:i2])) == 1 and changed[index - 1] and changed[index + 1]:
            changed[index] = True
    left: list[Segment] = []
    right: list[Segment] = []
    for (_tag, i1, i2, j1, j2), is_changed in zip(opcodes, changed, strict=True):
        left.append(Segment("".join(a[i1:i2]), changed=is_changed))
        right.append(Segment("".join(b[j1:j2]), changed=is_changed))
    return _merge(left), _merge(right)


def similarity(old: str, new: str) -> float:
    """How alike two paragraphs are: difflib's ratio, or, when one paragraph was kept and extended (a short
    sentence rewritten into a long one), how much of the shorter survives, discounted a little."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    ratio = 2 * matched / (len(old) + len(new)) if old or new else 1.0
    shorter = min(len(old), len(new))
    kept = matched / shorter - 0.2 if shorter >= MIN_KEPT else 0.0
    return max(ratio, kept)


def _changed_block(old: list[str], new: list[str], old_start: int, new_start: int) -> list[DiffRow]:
    """Pair the paragraphs of a changed block in order (each old one with the most similar new one still
    ahead); unpaired ones are removed or added."""
    rows: list[DiffRow] = []
    j = 0
    for i, paragraph in enumerate(old):
        scores = [(similarity(paragraph, new[k]), k) for k in range(j, len(new))]
        best = max(scores, default=(0.0, -1))
        if best[0] < PAIRING_THRESHOLD:
            rows.append(
                DiffRow("delete", old_number=old_start + i + 1, old=(Segment(paragraph, changed=True),))
            )
            continue
        k = best[1]
        for skipped in range(j, k):
            rows.append(
                DiffRow(
                    "insert", new_number=new_start + skipped + 1, new=(Segment(new[skipped], changed=True),)
                )
            )
        left, right = char_diff(paragraph, new[k])
        rows.append(
            DiffRow(
                "replace", old_number=old_start + i + 1, new_number=new_start + k + 1, old=left, new=right
            )
        )
        j = k + 1
    for rest in range(j, len(new)):
        rows.append(
            DiffRow("insert", new_number=new_start + rest + 1, new=(Segment(new[rest], changed=True),))
        )
    return rows


def _fold(rows: list[DiffRow], context: int) -> list[DiffRow]:
    """Keep `context` unchanged paragraphs around each change; fold longer unchanged stretches."""
    folded: list[DiffRow] = []
    index = 0
    while index < len(rows):
        if rows[index].kind != "equal":
            folded.append(rows[index])
            index += 1
            continue
        end = index
        while end < len(rows) and rows[end].kind == "equal":
            end += 1
        run = rows[index:end]
        head = context if index > 0 else 0
        tail = context if end < len(rows) else 0
        if len(run) > head + tail + 1:
            folded.extend(run[:head])
            folded.append(DiffRow("skip", skipped=len(run) - head - tail))
            folded.extend(run[len(run) - tail :] if tail else [])
        else:
            folded.extend(run)
        index = end
    return folded


def diff_texts(old: str, new: str, *, context: int | None = CONTEXT) -> Diff:
    """The difference from `old` to `new`; `context=None` keeps every unchanged paragraph."""
    a, b = paragraphs(old), paragraphs(new)
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                same = (Segment(a[i1 + offset], changed=False),)
                rows.append(DiffRow("equal", i1 + offset + 1, j1 + offset + 1, same, same))
        elif tag == "delete":
            rows.extend(
                DiffRow("delete", old_number=i + 1, old=(Segment(a[i], changed=True),)) for i in range(i1, i2)
            )
        elif tag == "insert":
            rows.extend(
                DiffRow("insert", new_number=j + 1, new=(Segment(b[j], changed=True),)) for j in range(j1, j2)
            )
        else:
            rows.extend(_changed_block(a[i1:i2], b[j1:j2], i1, j1))
    removed = sum(len(s.text) for row in rows for s in row.old if s.changed and row.kind != "equal")
    added = sum(len(s.text) for row in rows for s in row.new if s.changed and row.kind != "equal")
    # Nothing changed: show the text whole rather than fold all of it away.
    shown = _fold(rows, context) if context is not None and (added or removed) else rows
    return Diff(rows=tuple(shown), added=added, removed=removed)
