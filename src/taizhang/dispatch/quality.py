"""How good the suggestions are, on a labelled set: top-1 and top-3 accuracy for category and lead unit on a
fixed held-out fifth, against the majority class and against the keyword rules alone (what an administrator
would configure without a model). Used by tests/dispatch/test_quality.py and bench/dispatch_bench.py; the
labelled set and the rules are described in docs/dispatch.md.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from taizhang.dispatch import engine
from taizhang.intake.suggest import category_words
from taizhang.ledger.models import Category
from taizhang.search.text import OrgDictionary, normalise

TARGETS = ("category", "unit")


@dataclass(frozen=True)
class KeywordRules:
    """Category keywords (as in Category.keywords) and keyword → unit rules (as in DispatchRule)."""

    categories: dict[str, str]
    units: list[tuple[str, str]]

    def rank_categories(self, text: str) -> list[str]:
        """The categories whose words occur, best first, scored as intake.suggest scores them."""
        scores: dict[str, int] = {}
        for name, keywords in self.categories.items():
            # An unsaved Category: the same words intake.suggest reads from the database.
            words = category_words(Category(name=name, keywords=keywords))
            score = sum(len(word) for word in words if word in text)
            if score:
                scores[name] = score
        return sorted(scores, key=lambda name: -scores[name])

    def rank_units(self, text: str) -> list[str]:
        scores: Counter[str] = Counter()
        for keyword, unit in self.units:
            if keyword in text:
                scores[unit] += len(keyword)
        return [unit for unit, _score in scores.most_common()]


@dataclass(frozen=True)
class Scores:
    top1: float
    top3: float


@dataclass(frozen=True)
class Report:
    train: int
    held_out: int
    model: dict[str, Scores]
    majority: dict[str, Scores]
    keywords: dict[str, Scores]


def load_labelled(path: Path) -> list[engine.Sample]:
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            samples.append(
                engine.Sample(
                    text=row["text"],
                    place=row.get("place", ""),
                    channel=row.get("channel", ""),
                    category=row["category"],
                    unit=row["unit"],
                    ref=str(row["id"]),
                )
            )
    return samples


def load_rules(path: Path) -> KeywordRules:
    data = json.loads(path.read_text(encoding="utf-8"))
    return KeywordRules(categories=dict(data["categories"]), units=[(k, u) for k, u in data["units"]])


def _scores(truth: Sequence[str], ranked: Sequence[Sequence[str]]) -> Scores:
    return Scores(engine.top_k_accuracy(truth, ranked, 1), engine.top_k_accuracy(truth, ranked, 3))


def segmenter(samples: Sequence[engine.Sample]) -> OrgDictionary:
    """A segmenter of its own (not the process's, which other work changes), knowing the set's unit,
    category and place names as production's knows the organisation's."""
    places = {s.place for s in samples if s.place} | {s.unit for s in samples}
    dictionary = OrgDictionary()
    dictionary.use({s.category for s in samples} | places, places)
    return dictionary


def evaluate(samples: Sequence[engine.Sample], rules: KeywordRules) -> Report:
    cut = segmenter(samples).cut
    train, held_out = engine.split(samples)
    bundle = engine.fit(train, cut=cut)
    predictions = [engine.predict(bundle, s.text, s.place, s.channel, cut=cut) for s in held_out]
    model, majority, keywords = {}, {}, {}
    for target in TARGETS:
        truth = [getattr(s, target) for s in held_out]
        ranked = [[r.label for r in (p.categories if target == "category" else p.units)] for p in predictions]
        model[target] = _scores(truth, ranked)
        common = [label for label, _n in Counter(getattr(s, target) for s in train).most_common(3)]
        majority[target] = _scores(truth, [common] * len(held_out))
        rank = rules.rank_categories if target == "category" else rules.rank_units
        keywords[target] = _scores(truth, [rank(normalise(f"{s.text} {s.place}")) for s in held_out])
    return Report(train=len(train), held_out=len(held_out), model=model, majority=majority, keywords=keywords)
