"""The learned part of smart dispatch, pure Python over scikit-learn: no ORM, so the quality measure and the
benchmark run it on the labelled set exactly as production runs it on the triaged history.

An opinion becomes tokens (its segmented words without stopwords, its place's words, its channel); TF-IDF
weighs them; one logistic regression per target (category, lead unit) ranks the labels. The reasons are the
tokens that pushed the chosen label most, and the past opinions nearest by cosine on the same vectors.
"""

from __future__ import annotations

import io
import pickle  # only ever loads bytes this module wrote into the project's own database
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from taizhang.search import text as segmentation

PLACE_PREFIX = "@"
CHANNEL_PREFIX = "#"
BIGRAM_PREFIX = "~"
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
FORMAT = 1  # bumped when the pickled bundle changes shape; older bundles are refused, not misread

type Cut = Callable[[str], list[str]]


def _default_cut(value: str) -> list[str]:
    return segmentation.dictionary().cut(value)


def tokens(text: str, place: str = "", channel: str = "", *, cut: Cut = _default_cut) -> list[str]:
    """The features of one opinion. Words are the search app's segmentation (with the organisation's
    dictionary) and the character pairs of its Chinese (for what the segmenter cuts otherwise: "盏灯");
    a place's words are prefixed so "食堂" in the place and in the text count apart."""
    normalised = segmentation.normalise(text)
    words = [w for w in cut(normalised) if _meaningful(w)]
    pairs = [
        BIGRAM_PREFIX + run[i : i + 2] for run in _HAN_RUN.findall(normalised) for i in range(len(run) - 1)
    ]
    place_words = [PLACE_PREFIX + w for w in cut(segmentation.normalise(place)) if _meaningful(w)]
    return [*words, *pairs, *place_words, *([CHANNEL_PREFIX + channel] if channel else [])]


def _meaningful(word: str) -> bool:
    return word not in segmentation.STOPWORDS and (len(word) > 1 or segmentation.is_han(word))


def _identity(items: list[str]) -> list[str]:
    return items


@dataclass(frozen=True)
class Sample:
    """One triaged opinion: what it said, where, by which channel; which category and lead unit it got."""

    text: str
    place: str
    channel: str
    category: str
    unit: str
    ref: str = ""  # the opinion's id (production) or line number (labelled set), for "similar past items"


@dataclass(frozen=True)
class Ranked:
    label: str
    probability: float


@dataclass(frozen=True)
class Prediction:
    categories: list[Ranked]
    units: list[Ranked]
    category_words: list[tuple[str, float]]
    unit_words: list[tuple[str, float]]
    neighbours: list[tuple[str, float]]


@dataclass
class Bundle:
    """What training produces and the database stores (pickled)."""

    vectorizer: TfidfVectorizer
    category_model: LogisticRegression | None
    unit_model: LogisticRegression | None
    category_only: str | None  # a target with a single label is that label, no model needed
    unit_only: str | None
    matrix: Any  # scipy CSR, one L2-normalised row per training sample
    refs: list[str]
    format: int = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        pickle.dump(self, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        return buffer.getvalue()

    @staticmethod
    def loads(data: bytes) -> Bundle:
        try:
            bundle = pickle.loads(data)  # noqa: S301  # see the import
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
            raise ValueError("not a dispatch model") from error
        if not isinstance(bundle, Bundle) or getattr(bundle, "format", None) != FORMAT:
            raise ValueError("not a dispatch model of this version")
        if bundle.extra.get("sklearn") != sklearn.__version__:
            raise ValueError(f"trained with scikit-learn {bundle.extra.get('sklearn')}; retrain")
        return bundle


def _classifier(labels: list[str]) -> LogisticRegression | None:
    return None if len(set(labels)) < 2 else LogisticRegression(C=10.0, max_iter=2000)


def fit(samples: Sequence[Sample], *, cut: Cut = _default_cut) -> Bundle:
    # One BLAS thread: the fit is small, and several threads on a shared 2-core machine are 40× slower.
    with threadpool_limits(limits=1):
        return _fit(samples, cut=cut)


def _fit(samples: Sequence[Sample], *, cut: Cut) -> Bundle:
    documents = [tokens(s.text, s.place, s.channel, cut=cut) for s in samples]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(documents).tocsr()
    targets: dict[str, LogisticRegression | None] = {}
    for name in ("category", "unit"):
        labels = [getattr(s, name) for s in samples]
        model = _classifier(labels)
        if model is not None:
            model.fit(matrix, labels)
        targets[name] = model
    return Bundle(
        vectorizer=vectorizer,
        category_model=targets["category"],
        unit_model=targets["unit"],
        category_only=samples[0].category if targets["category"] is None else None,
        unit_only=samples[0].unit if targets["unit"] is None else None,
        matrix=matrix,
        refs=[s.ref for s in samples],
        # Names computed once (slow to build per call); the library version, since a pickle from another is
        # not to be trusted to behave the same.
        extra={"names": vectorizer.get_feature_names_out(), "sklearn": sklearn.__version__},
    )


def _rank(model: LogisticRegression | None, only: str | None, row: Any, top: int) -> list[Ranked]:
    if model is None:
        return [Ranked(only or "", 1.0)]
    probabilities = model.predict_proba(row)[0]
    order = np.argsort(-probabilities)[:top]
    return [Ranked(str(model.classes_[i]), float(probabilities[i])) for i in order]


def _words(
    model: LogisticRegression | None, label: str, row: Any, names: Any, top: int
) -> list[tuple[str, float]]:
    """The tokens of this text that weigh most for `label`: coefficient × the token's TF-IDF value."""
    if model is None or row.nnz == 0:
        return []
    classes = list(model.classes_)
    coefficients = model.coef_[classes.index(label)] if len(classes) > 2 else model.coef_[0]
    if len(classes) == 2 and label == classes[0]:
        coefficients = -coefficients
    contributions = [
        (str(names[j]), float(coefficients[j] * v)) for j, v in zip(row.indices, row.data, strict=True)
    ]
    return sorted((c for c in contributions if c[1] > 0), key=lambda c: -c[1])[:top]


def predict(
    bundle: Bundle, text: str, place: str = "", channel: str = "", *, cut: Cut = _default_cut, top: int = 3
) -> Prediction:
    row = bundle.vectorizer.transform([tokens(text, place, channel, cut=cut)]).tocsr()
    categories = _rank(bundle.category_model, bundle.category_only, row, top)
    units = _rank(bundle.unit_model, bundle.unit_only, row, top)
    names = bundle.extra["names"]
    neighbours: list[tuple[str, float]] = []
    if row.nnz:
        similarity = np.asarray((bundle.matrix @ row.T).todense()).ravel()
        for i in np.argsort(-similarity)[:top]:
            if similarity[i] >= 0.2:
                neighbours.append((bundle.refs[i], float(similarity[i])))
    return Prediction(
        categories=categories,
        units=units,
        category_words=_words(bundle.category_model, categories[0].label, row, names, 12),
        unit_words=_words(bundle.unit_model, units[0].label, row, names, 12),
        neighbours=neighbours,
    )


def split(
    samples: Sequence[Sample], *, held_out: float = 0.2, seed: int = 0
) -> tuple[list[Sample], list[Sample]]:
    """A fixed, shuffled train/held-out split (the same seed gives the same split)."""
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)  # noqa: S311  # a reproducible split, not a secret
    cut_at = max(1, round(len(samples) * held_out))
    test = sorted(order[:cut_at])
    train = sorted(order[cut_at:])
    return [samples[i] for i in train], [samples[i] for i in test]


def top_k_accuracy(truth: Sequence[str], ranked: Sequence[Sequence[str]], k: int) -> float:
    if not truth:
        return 0.0
    return sum(1 for t, r in zip(truth, ranked, strict=True) if t in r[:k]) / len(truth)
