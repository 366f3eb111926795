"""The accuracy committed in BENCHMARKS.md ("Smart dispatch"), measured on the labelled set's fixed held-out
fifth: this fails when a change makes the suggestions worse than the floors below."""

from __future__ import annotations

import pytest

from taizhang.dispatch import quality
from tests.dispatch.conftest import DATA

FLOORS = {"category": (0.78, 0.92), "unit": (0.75, 0.90)}
MARGIN_OVER_KEYWORDS = 0.03


@pytest.fixture(scope="module")
def report() -> quality.Report:
    samples = quality.load_labelled(DATA / "labelled.jsonl")
    return quality.evaluate(samples, quality.load_rules(DATA / "keywords.json"))


def test_the_labelled_set_is_large_varied_and_held_out_once(report: quality.Report) -> None:
    samples = quality.load_labelled(DATA / "labelled.jsonl")
    assert len(samples) >= 400
    assert len({s.text for s in samples}) == len(samples)
    assert len({s.category for s in samples}) >= 12 and len({s.unit for s in samples}) >= 12
    assert report.held_out == round(len(samples) * 0.2) and report.train + report.held_out == len(samples)


@pytest.mark.parametrize("target", ["category", "unit"])
def test_the_model_reaches_the_committed_accuracy(report: quality.Report, target: str) -> None:
    top1, top3 = FLOORS[target]
    scores = report.model[target]
    assert scores.top1 >= top1, scores
    assert scores.top3 >= top3, scores


@pytest.mark.parametrize("target", ["category", "unit"])
def test_the_model_beats_the_majority_class_and_the_keyword_rules(
    report: quality.Report, target: str
) -> None:
    model, keywords, majority = report.model[target], report.keywords[target], report.majority[target]
    assert model.top1 >= keywords.top1 + MARGIN_OVER_KEYWORDS, (model, keywords)
    assert model.top3 > keywords.top3
    assert model.top1 > majority.top1 and model.top3 > majority.top3


def test_the_keyword_rules_rank_as_intake_suggest_does() -> None:
    rules = quality.KeywordRules(categories={"路灯照明": "路灯, 灯", "澡堂浴室": "澡堂, 热水"}, units=[])
    assert rules.rank_categories("澡堂门口的路灯坏了，澡堂热水也不够") == ["澡堂浴室", "路灯照明"]
    assert rules.rank_categories("食堂太咸") == []
