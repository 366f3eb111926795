"""The engine without the database: features, explanations, the fixed split."""

from __future__ import annotations

import pickle

import pytest

from taizhang.dispatch import engine
from taizhang.dispatch.services import display_words


def test_tokens_mark_place_words_character_pairs_and_the_channel() -> None:
    tokens = engine.tokens("路灯坏了", "家属区", "qr", cut=lambda text: [text[:2], text[2:]])
    assert "路灯" in tokens and "~路灯" in tokens and "~灯坏" in tokens
    assert "@家属" in tokens and "#qr" in tokens
    assert "了" not in tokens  # a stopword


def test_display_words_prefers_words_to_the_pairs_inside_them() -> None:
    weighted = [("~作服", 3.0), ("工作服", 2.0), ("@锅炉", 1.5), ("#web", 1.0), ("~更衣", 0.5), ("~锅", 0.1)]
    assert [word for word, _w in display_words(weighted)] == ["工作服", "锅炉", "更衣"]


def test_the_split_is_fixed_and_disjoint() -> None:
    samples = [engine.Sample(str(i), "", "", "c", "u", str(i)) for i in range(50)]
    train, held_out = engine.split(samples)
    assert len(held_out) == 10 and len(train) == 40
    assert {s.ref for s in train}.isdisjoint({s.ref for s in held_out})
    assert engine.split(samples) == (train, held_out)


def test_a_bundle_survives_storage_and_refuses_foreign_bytes() -> None:
    samples = [
        engine.Sample(text, "", "web", category, unit, str(i))
        for i, (text, category, unit) in enumerate(
            [
                ("路灯不亮", "灯", "物业"),
                ("路灯坏了", "灯", "物业"),
                ("食堂太咸", "饭", "食堂"),
                ("食堂饭冷", "饭", "食堂"),
            ]
        )
    ]
    bundle = engine.Bundle.loads(engine.fit(samples).dumps())
    prediction = engine.predict(bundle, "路灯又不亮了")
    assert prediction.categories[0].label == "灯" and prediction.units[0].label == "物业"
    assert prediction.neighbours and prediction.neighbours[0][0] in {"0", "1"}
    for foreign in (pickle.dumps(None), b"not a pickle"):
        with pytest.raises(ValueError):
            engine.Bundle.loads(foreign)
