"""The measures' definitions, without a database: counts in, rates and scores out (numbers worked by hand)."""

from __future__ import annotations

import dataclasses

import pytest

from taizhang.core.options import Options
from taizhang.reports.measures import Counts, measures_from, rank_units, total

COUNTY = Options()  # defaults: response 30 / resolution 35 / satisfaction 35, 基本满意 counts fully


def test_each_rate_is_its_documented_fraction() -> None:
    counts = Counts(
        opinions_due_response=8,
        opinions_responded_in_time=6,
        problems_due=10,
        problems_resolved=7,
        problems_on_time=5,
        problems_closed=4,
        close_days_total=50,
        ratings=20,
        ratings_satisfied=12,
        ratings_basic=4,
        ratings_unsatisfied=4,
    )
    measures = measures_from(counts, COUNTY)
    assert measures.response_rate == pytest.approx(0.75)  # 6 / 8
    assert measures.resolution_rate == pytest.approx(0.7)  # 7 / 10
    assert measures.on_time_rate == pytest.approx(0.5)  # 5 / 10
    assert measures.satisfaction_rate == pytest.approx(0.8)  # (12 + 4) / 20
    assert measures.average_days_to_close == pytest.approx(12.5)  # 50 / 4
    # 30 × 0.75 + 35 × 0.7 + 35 × 0.8 = 22.5 + 24.5 + 28 = 75 (of 100)
    assert measures.score == pytest.approx(75)


def test_nothing_to_measure_is_no_rate_and_the_other_weights_count_in_proportion() -> None:
    measures = measures_from(Counts(problems_due=4, problems_resolved=3, ratings=0), COUNTY)
    assert measures.response_rate is None and measures.satisfaction_rate is None
    assert measures.average_days_to_close is None
    # only resolution can be measured: 35 × 0.75 / 35 = 75
    assert measures.score == pytest.approx(75)
    assert measures_from(Counts(), COUNTY).score is None


def test_weights_basic_satisfaction_and_penalties_are_settings() -> None:
    counts = Counts(
        opinions_due_response=4,
        opinions_responded_in_time=4,
        problems_due=4,
        problems_resolved=2,
        problems_on_time=1,
        problems_overdue=2,
        ratings=4,
        ratings_satisfied=1,
        ratings_basic=2,
        ratings_unsatisfied=1,
        urges=3,
        reopens=1,
    )
    rules = dataclasses.replace(
        COUNTY,
        score_weight_response=20,
        score_weight_resolution=30,
        score_weight_satisfaction=30,
        score_weight_on_time=20,
        satisfaction_basic_weight=0.5,
        score_penalty_overdue=2,
        score_penalty_urge=1,
        score_penalty_reopen=5,
    )
    measures = measures_from(counts, rules)
    assert measures.satisfaction_rate == pytest.approx(0.5)  # (1 + 0.5 × 2) / 4
    # 20 × 1 + 30 × 0.5 + 30 × 0.5 + 20 × 0.25 = 20 + 15 + 15 + 5 = 55; less 2×2 + 1×3 + 5×1 = 12 → 43
    assert measures.score == pytest.approx(43)
    harsh = dataclasses.replace(rules, score_penalty_urge=100)
    assert measures_from(counts, harsh).score == 0  # a score stops at 0


def test_counts_add_up_field_by_field() -> None:
    a = Counts(problems_due=2, close_days_total=1.5, urges=1)
    b = Counts(problems_due=3, close_days_total=2.0, reopens=4)
    assert total([a, b]) == Counts(problems_due=5, close_days_total=3.5, urges=1, reopens=4)


def _scored(score_due: int, resolved: int, items: int) -> Counts:
    return Counts(problems_due=score_due, problems_resolved=resolved, items=items)


def test_ranking_lists_small_units_apart_and_never_puts_a_unit_on_both_lists() -> None:
    entries = [
        (1, "甲", measures_from(_scored(10, 9, 10), COUNTY)),  # 90
        (2, "乙", measures_from(_scored(10, 5, 10), COUNTY)),  # 50
        (3, "丙", measures_from(_scored(10, 9, 10), COUNTY)),  # 90, shares rank 1
        (4, "丁", measures_from(_scored(2, 2, 2), COUNTY)),  # 100 but only 2 items
        (5, "戊", measures_from(_scored(10, 7, 10), COUNTY)),  # 70
        (6, "己", measures_from(Counts(items=9), COUNTY)),  # nothing scorable
    ]
    ranked, top, bottom, apart = rank_units(entries, min_items=5, list_size=2)
    assert [(r.name, r.rank) for r in ranked] == [("丙", 1), ("甲", 1), ("戊", 3), ("乙", 4)]
    assert [r.name for r in top] == ["丙", "甲"]
    assert [r.name for r in bottom] == ["乙", "戊"]  # worst first
    assert sorted(r.name for r in apart) == ["丁", "己"] and all(r.rank is None for r in apart)
    _ranked, top, bottom, _apart = rank_units(entries, min_items=5, list_size=3)
    assert [r.name for r in top] == ["丙", "甲", "戊"] and [r.name for r in bottom] == ["乙"]
