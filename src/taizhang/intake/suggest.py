"""Which category an opinion's text suggests, from the categories' names and keywords.

A first, transparent rule layer: the smart dispatch (learned from triaged history) builds on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from taizhang.ledger.models import Category

_SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class CategorySuggestion:
    category: Category
    score: int
    matched: tuple[str, ...]


def category_words(category: Category) -> set[str]:
    words = {category.name, category.achievement_noun} | set(_SEPARATORS.split(category.keywords))
    return {word.strip() for word in words if word and len(word.strip()) >= 2}


def suggest_category(text: str, categories: list[Category] | None = None) -> CategorySuggestion | None:
    """The category whose words occur most (longer words weigh more); None when nothing matches."""
    if categories is None:
        categories = list(Category.objects.filter(is_active=True))
    best: CategorySuggestion | None = None
    for category in categories:
        matched = tuple(sorted(word for word in category_words(category) if word in text))
        score = sum(len(word) for word in matched)
        if score and (best is None or score > best.score):
            best = CategorySuggestion(category, score, matched)
    return best
