"""How alike two opinions are, 0..1 (pure Python; the index only finds the candidates). See docs/search.md.

A text becomes a `Profile`: its meaningful words (stopwords dropped, synonyms mapped to their group, each
weighted by how informative it is: rare words in jieba's dictionary count more than common ones, the things
reported about most), its character bigrams (for paraphrases the segmenter cuts differently), the things it is
about, and the places it names ("3号楼", the organisation's place and unit names).

    score = 0.7 · cosine(weighted words) + 0.3 · dice(character bigrams)
            × 0.35 when both are about things and share none (a lamp is not a toilet)
            × 0.5 when both name places and share none (the lamp at 2号楼 is not the lamp at 5号楼)
            + 0.10 for the same registered place, + 0.05 for the same unit (capped at 1)
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from taizhang.search import text as segmentation
from taizhang.search.text import STOPWORDS, is_han, normalise
from taizhang.search.vocabulary import aspect_of_word, concept_of_word

WORDS_WEIGHT = 0.7
BIGRAMS_WEIGHT = 0.3
OTHER_THING = 0.35
OTHER_PLACE = 0.5
OTHER_ASPECT = 0.5
ASPECT_WEIGHT = 2.0
SAME_PLACE_BOOST = 0.10
SAME_UNIT_BOOST = 0.05
CONCEPT_WEIGHT = 2.5
PLACE_WEIGHT = 2.0
_DICTIONARY_TOTAL = 60_000_000  # about the sum of jieba's dictionary frequencies


@dataclass(frozen=True)
class Profile:
    weights: dict[str, float]
    bigrams: frozenset[str]
    things: frozenset[str]
    aspects: frozenset[str]
    places: frozenset[str]
    place_id: int | None = None
    unit_id: int | None = None

    @property
    def norm(self) -> float:
        return math.sqrt(sum(w * w for w in self.weights.values()))


@cache
def _concepts() -> dict[str, str]:
    return concept_of_word()


@cache
def _aspects() -> dict[str, str]:
    return aspect_of_word()


def _information(word: str) -> float:
    """Rare words say more: 路灯 (447 in jieba's dictionary) counts about 2, 问题 (55,564) about 1."""
    frequency = segmentation.word_frequency(word)
    weight = (math.log(_DICTIONARY_TOTAL / (frequency + 1)) - 4) / 4
    weight = min(2.0, max(0.3, weight))
    return weight * 0.5 if len(word) == 1 else weight


def is_place_code(word: str) -> bool:
    return bool(segmentation.PLACE_CODE.fullmatch(word))


def profile(
    text: str, *, place_name: str = "", place_id: int | None = None, unit_id: int | None = None
) -> Profile:
    concepts = _concepts()
    aspect_words = _aspects()
    place_words = segmentation.dictionary().place_words
    words = [w for w in segmentation.dictionary().cut(normalise(text)) if w not in STOPWORDS]
    weights: defaultdict[str, float] = defaultdict(float)
    things: set[str] = set()
    aspects: set[str] = set()
    places: set[str] = set()
    for word in words:
        if word in concepts:
            things.add(concepts[word])
            weights["@" + concepts[word]] += CONCEPT_WEIGHT
        elif word in aspect_words:
            aspects.add(aspect_words[word])
            weights["!" + aspect_words[word]] += ASPECT_WEIGHT
        elif is_place_code(word) or word in place_words:
            places.add(word)
            weights[word] += PLACE_WEIGHT
        else:
            weights[word] += _information(word)
    if place_name:
        places.add(normalise(place_name))
    joined = "".join(w for w in words if is_han(w) or w.isdigit())
    bigrams = frozenset(joined[i : i + 2] for i in range(len(joined) - 1))
    return Profile(
        weights=dict(weights),
        bigrams=bigrams,
        things=frozenset(things),
        aspects=frozenset(aspects),
        places=frozenset(places),
        place_id=place_id,
        unit_id=unit_id,
    )


def cosine(a: Profile, b: Profile) -> float:
    if not a.weights or not b.weights:
        return 0.0
    dot = sum(weight * b.weights.get(word, 0.0) for word, weight in a.weights.items())
    return dot / (a.norm * b.norm)


def dice(a: Profile, b: Profile) -> float:
    if not a.bigrams or not b.bigrams:
        return 0.0
    return 2 * len(a.bigrams & b.bigrams) / (len(a.bigrams) + len(b.bigrams))


def score(a: Profile, b: Profile) -> float:
    value = WORDS_WEIGHT * cosine(a, b) + BIGRAMS_WEIGHT * dice(a, b)
    if a.things and b.things and not a.things & b.things:
        value *= OTHER_THING
    if a.aspects and b.aspects and not a.aspects & b.aspects:
        value *= OTHER_ASPECT
    if a.places and b.places and places_conflict(a.places, b.places):
        value *= OTHER_PLACE
    if a.place_id is not None and a.place_id == b.place_id:
        value += SAME_PLACE_BOOST
    if a.unit_id is not None and a.unit_id == b.unit_id:
        value += SAME_UNIT_BOOST
    return min(1.0, value)


_NUMBERED = re.compile(r"(\d+)(\D+)")


def places_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two numbers of the same kind of place ("2号" and "5号") contradict each other even when the floor is
    the same; otherwise places conflict when neither text's places name the other's ("2号" is in
    "2号宿舍楼")."""
    numbered_a = {m.group(2): m.group(1) for m in map(_NUMBERED.match, a) if m}
    numbered_b = {m.group(2): m.group(1) for m in map(_NUMBERED.match, b) if m}
    if any(numbered_b.get(kind, number) != number for kind, number in numbered_a.items()):
        return True
    return not any(x in y or y in x for x in a for y in b)
