"""Segmentation and normalisation, without a database."""

from __future__ import annotations

import pytest

from taizhang.search import text


@pytest.mark.parametrize(
    ("spelt", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("二〇一四", 2014),
    ],
)
def test_chinese_numbers(spelt: str, value: int) -> None:
    assert text.chinese_number(spelt) == value


def test_numbers_before_place_words_become_digits_and_stay_whole() -> None:
    assert text.normalise("二号宿舍楼，十二栋三单元") == "2号宿舍楼,12栋3单元"
    assert "2号" in text.dictionary().cut(text.normalise("二号宿舍楼"))
    assert "12栋" in text.dictionary().cut("12栋3单元")
    # not a place: "一排路灯" is a row of lamps
    assert text.normalise("一排路灯") == "一排路灯"


def test_full_width_and_case_are_folded() -> None:
    assert text.normalise("ＷＩＦＩ　３号楼") == "wifi 3号楼"


def test_the_domain_fixes_of_the_dictionary() -> None:
    assert text.dictionary().cut("路灯不亮") == ["路灯", "不亮"]


def test_the_index_holds_words_and_their_characters() -> None:
    tokens = text.index_tokens("职工澡堂热水不够")
    assert {"澡堂", "热水", "澡", "堂", "热", "水"} <= set(tokens)
    assert len(tokens) == len(set(tokens)) or tokens.count("澡") == 1


def test_queries_drop_stopwords_unless_nothing_else_is_left() -> None:
    assert [t.word for t in text.query_terms("希望尽快解决路灯的问题")] == ["路灯"]
    assert [t.word for t in text.query_terms("的")] == ["的"]
    assert text.query_terms("路灯")[0].parts == ()  # a two-character word is cut the same way in a text
    assert text.query_terms("氧化铝")[0].parts == ("氧化", "化铝")
    assert text.query_terms("宿舍楼")[0].parts == ("宿", "舍", "楼")  # 宿舍 alone does not cover it
    assert text.query_terms("二号楼")[0].parts == ("2号", "楼")


def test_the_organisations_words_are_segmented_whole_and_can_be_withdrawn() -> None:
    dictionary = text.OrgDictionary()
    assert "第一氧化铝厂" not in dictionary.cut("第一氧化铝厂原料车间")
    assert dictionary.use(["第一氧化铝厂"], ["原料车间"])
    assert dictionary.cut("第一氧化铝厂原料车间") == ["第一氧化铝厂", "原料车间"]
    assert dictionary.place_words == {"原料车间"}
    assert not dictionary.use(["第一氧化铝厂"], ["原料车间"])  # unchanged: nothing rebuilt
    assert dictionary.use([], [])
    assert "第一氧化铝厂" not in dictionary.cut("第一氧化铝厂原料车间")


def test_the_dictionary_is_read_again_only_after_its_ttl() -> None:
    dictionary = text.OrgDictionary(ttl=3600)
    calls: list[int] = []

    def load() -> tuple[list[str], list[str]]:
        calls.append(1)
        return ["氧化铝厂"], []

    assert dictionary.refresh(load)
    assert not dictionary.refresh(load)
    assert len(calls) == 1
    dictionary.refresh(load, force=True)
    assert len(calls) == 2
