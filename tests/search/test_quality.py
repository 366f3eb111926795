"""Quality measured, not assumed: precision and recall of the duplicate suggestions on the labelled set
(tests/search/data/, docs/search.md). The floors are the figures BENCHMARKS.md reports; a change that makes
suggestions worse fails here."""

from __future__ import annotations

import pytest

from taizhang.intake import services as intake
from taizhang.intake.models import Place
from taizhang.org import services as org
from taizhang.org.models import Person
from taizhang.search import services
from taizhang.search.selectors import SIMILAR_THRESHOLD, similar_items
from tests.conftest import Org
from tests.search import quality

# Committed figures (BENCHMARKS.md, "Search"): a test fails below them.
PAIRS_PRECISION, PAIRS_RECALL = 0.931, 0.951
HOLDOUT_PRECISION, HOLDOUT_RECALL = 0.708, 0.850
RETRIEVAL_PRECISION, RETRIEVAL_RECALL, RETRIEVAL_FIRST_RIGHT = 0.794, 0.913, 0.945


def test_the_labelled_set_is_big_enough_and_balanced() -> None:
    pairs = quality.pairs()
    assert len(pairs) >= 200
    kinds = {p.kind for p in pairs}
    assert {"paraphrase", "same_place_other_problem", "same_problem_other_place", "unrelated"} <= kinds
    assert all(p.duplicate == (p.a.cluster == p.b.cluster) for p in pairs)


def test_pairs_meet_the_committed_precision_and_recall() -> None:
    found = quality.figures(quality.pairs(), SIMILAR_THRESHOLD)
    assert found.precision >= PAIRS_PRECISION and found.recall >= PAIRS_RECALL, quality.report(
        "labelled set", found
    )


def test_the_held_out_pairs_meet_their_committed_figures() -> None:
    found = quality.figures(quality.holdout_pairs(), SIMILAR_THRESHOLD)
    assert found.precision >= HOLDOUT_PRECISION and found.recall >= HOLDOUT_RECALL, quality.report(
        "held-out set", found
    )


@pytest.mark.django_db
def test_suggestions_through_the_index_find_the_duplicates(units: Org, admin_user: Person) -> None:
    """End to end: every labelled opinion submitted, then each one's suggestions (top 5, itself left out)
    compared with its paraphrases. The other 180 opinions include every look-alike."""
    unit_of = {"plant1": units.plant, "plant2": units.sibling} | {
        code: org.unit_create(name=name, code=code, parent=units.root)
        for code, name in quality.UNITS.items()
        if code not in ("plant1", "plant2")
    }
    place_of = {
        code: Place.objects.create(name=name, code=code, unit=unit_of[unit])
        for code, (name, unit) in quality.PLACES.items()
    }
    services.refresh_dictionary(force=True)
    items = quality.opinions()
    submitted = {}
    for item in items.values():
        place = place_of[item.place] if item.place else None
        submitted[item.id] = intake.opinion_submit(
            user=admin_user, data=intake.OpinionInput(text=item.text, unit=unit_of[item.unit], place=place)
        )
    cluster_of = {submitted[i].pk: item.cluster for i, item in items.items()}
    suggested = correct = wanted = retrieved = first_right = asked = 0
    for item_id, item in items.items():
        opinion = submitted[item_id]
        found = similar_items(
            item.text,
            unit=unit_of[item.unit],
            place=place_of[item.place] if item.place else None,
            user=admin_user,
            exclude_opinion=opinion.pk,
        )
        mates = sum(1 for other in items.values() if other.cluster == item.cluster) - 1
        hits = sum(1 for s in found if cluster_of[s.pk] == item.cluster)
        suggested += len(found)
        asked += 1 if found else 0
        first_right += 1 if found and cluster_of[found[0].pk] == item.cluster else 0
        correct += hits
        wanted += min(mates, 5)
        retrieved += hits
    precision, recall = correct / suggested, retrieved / wanted
    print(
        f"retrieval: {suggested} suggestions, precision {precision:.4f}, recall {recall:.4f}, "
        f"first suggestion right {first_right}/{asked}"
    )
    assert precision >= RETRIEVAL_PRECISION and recall >= RETRIEVAL_RECALL, (precision, recall)
    assert first_right / asked >= RETRIEVAL_FIRST_RIGHT
