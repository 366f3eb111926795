"""The labelled set (tests/search/data/, described in docs/search.md) and how suggestions are scored on it.

python -m tests.search.quality      # prints the figures BENCHMARKS.md reports (needs no database)
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from taizhang.search import similarity, text

DATA = Path(__file__).parent / "data"

#: The places and units the labelled opinions refer to (code → name), as an organisation would have them.
PLACES = {
    "dorm2": ("2号宿舍楼", "logistics"),
    "dorm5": ("5号宿舍楼", "logistics"),
    "canteen": ("职工食堂", "logistics"),
    "bath": ("职工澡堂", "logistics"),
    "office": ("办公楼", "hq"),
    "gate": ("厂区东大门", "security"),
    "yl": ("原料车间", "plant1"),
    "yhl2": ("第二氧化铝厂", "plant2"),
    "parking": ("办公楼停车场", "hq"),
    "court": ("职工篮球场", "union"),
    "silo13": ("13号大圆仓", "plant1"),
}
UNITS = {
    "plant1": "第一氧化铝厂",
    "plant2": "第二氧化铝厂",
    "logistics": "后勤服务中心",
    "hq": "综合办公室",
    "security": "保卫部",
    "union": "工会",
}


@dataclass(frozen=True)
class Labelled:
    id: str
    cluster: str
    unit: str
    place: str | None
    text: str


@dataclass(frozen=True)
class Pair:
    a: Labelled
    b: Labelled
    duplicate: bool
    kind: str


@dataclass(frozen=True)
class Figures:
    pairs: int
    positives: int
    precision: float
    recall: float
    false_positives: Counter[str]
    negatives: Counter[str]

    @property
    def f1(self) -> float:
        return 2 * self.precision * self.recall / (self.precision + self.recall)


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def opinions() -> dict[str, Labelled]:
    return {
        row["id"]: Labelled(
            id=row["id"],
            cluster=row["cluster"],
            unit=row["unit"],
            place=None if row["place"] == "-" else row["place"],
            text=row["text"],
        )
        for row in _read("opinions.tsv")
    }


def pairs() -> list[Pair]:
    items = opinions()
    return [
        Pair(a=items[row["a"]], b=items[row["b"]], duplicate=row["duplicate"] == "1", kind=row["kind"])
        for row in _read("pairs.tsv")
    ]


def holdout_pairs() -> list[Pair]:
    """Pairs written after the vocabulary and weights were chosen, never tuned on."""
    found = []
    for n, row in enumerate(_read("holdout.tsv")):
        sides = []
        for side in ("a", "b"):
            place = None if row[f"place_{side}"] == "-" else row[f"place_{side}"]
            unit = PLACES[place][1] if place else "hq"
            sides.append(Labelled(f"h{n}{side}", f"h{n}", unit, place, row[f"text_{side}"]))
        found.append(Pair(a=sides[0], b=sides[1], duplicate=row["duplicate"] == "1", kind=row["kind"]))
    return found


def use_organisation_words() -> None:
    text.dictionary().use([], [name for name, _unit in PLACES.values()] + list(UNITS.values()))


def profile(item: Labelled) -> similarity.Profile:
    places, units = sorted(PLACES), sorted(UNITS)
    return similarity.profile(
        item.text,
        place_name=PLACES[item.place][0] if item.place else "",
        place_id=places.index(item.place) if item.place else None,
        unit_id=units.index(item.unit),
    )


def figures(labelled: list[Pair], threshold: float) -> Figures:
    use_organisation_words()
    said = [(similarity.score(profile(p.a), profile(p.b)) >= threshold, p) for p in labelled]
    true_positives = sum(1 for yes, p in said if yes and p.duplicate)
    predicted = sum(1 for yes, _p in said if yes)
    positives = sum(1 for p in labelled if p.duplicate)
    return Figures(
        pairs=len(labelled),
        positives=positives,
        precision=true_positives / predicted if predicted else 1.0,
        recall=true_positives / positives,
        false_positives=Counter(p.kind for yes, p in said if yes and not p.duplicate),
        negatives=Counter(p.kind for p in labelled if not p.duplicate),
    )


def report(name: str, found: Figures) -> str:
    lines = [
        f"{name}: {found.pairs} pairs ({found.positives} duplicates): precision {found.precision:.3f}, "
        f"recall {found.recall:.3f}, F1 {found.f1:.3f}"
    ]
    for kind, count in sorted(found.negatives.items()):
        lines.append(f"  {kind}: {found.false_positives[kind]} of {count} wrongly suggested")
    return "\n".join(lines)


if __name__ == "__main__":
    from taizhang.search.selectors import SIMILAR_THRESHOLD

    print(report("labelled set", figures(pairs(), SIMILAR_THRESHOLD)))
    print(report("held-out set", figures(holdout_pairs(), SIMILAR_THRESHOLD)))
