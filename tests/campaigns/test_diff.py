"""The readable diff between revisions: paragraphs first, characters within a changed paragraph."""

from __future__ import annotations

from taizhang.campaigns.diff import Segment, char_diff, diff_texts, paragraphs, tokens


def changed(segments: tuple[Segment, ...]) -> list[str]:
    return [segment.text for segment in segments if segment.changed]


def test_identical_texts_have_no_change() -> None:
    diff = diff_texts("一、问题\n二、措施", "一、问题\r\n二、措施\n")
    assert not diff.changed
    assert [row.kind for row in diff.rows] == ["equal", "equal"]


def test_a_rewritten_phrase_is_marked_by_character_within_its_paragraph() -> None:
    diff = diff_texts("深入基层不够，听汇报多、到现场少。", "深入基层调研不够，听汇报多、到一线少。")
    [row] = diff.rows
    assert row.kind == "replace"
    assert changed(row.old) == ["现场"]
    assert changed(row.new) == ["调研", "一线"]
    assert "".join(s.text for s in row.old) == "深入基层不够，听汇报多、到现场少。"
    assert "".join(s.text for s in row.new) == "深入基层调研不够，听汇报多、到一线少。"
    assert (diff.added, diff.removed) == (4, 2)


def test_numbers_and_latin_words_change_whole() -> None:
    assert tokens("2014年PPT") == ["2014", "年", "PPT"]
    old, new = char_diff("精简会议2013次", "精简会议2014次")
    assert changed(old) == ["2013"] and changed(new) == ["2014"]


def test_a_one_character_island_between_changes_joins_the_change() -> None:
    old, new = char_diff("甲的乙", "丙的丁")
    assert changed(old) == ["甲的乙"] and changed(new) == ["丙的丁"]


def test_added_and_removed_paragraphs_stand_alone() -> None:
    diff = diff_texts("第一段。\n要删掉的一段话。\n第三段。", "第一段。\n第三段。\n完全新写的一段。")
    kinds = [(row.kind, row.old_number, row.new_number) for row in diff.rows]
    assert kinds == [("equal", 1, 1), ("delete", 2, None), ("equal", 3, 2), ("insert", None, 3)]


def test_an_unrelated_rewrite_is_a_removal_and_an_addition_not_an_edit() -> None:
    diff = diff_texts("天气很好。", "整改措施要具体到人到事。")
    assert [row.kind for row in diff.rows] == ["delete", "insert"]


def test_long_unchanged_stretches_are_folded_with_context() -> None:
    old = "\n".join(f"第{n}段不变。" for n in range(1, 11))
    new = old.replace("第5段不变。", "第5段改了。")
    diff = diff_texts(old, new, context=1)
    kinds = [row.kind for row in diff.rows]
    assert kinds == ["skip", "equal", "replace", "equal", "skip"]
    assert [row.skipped for row in diff.rows if row.kind == "skip"] == [3, 4]
    assert len(diff_texts(old, new, context=None).rows) == 10


def test_markup_in_the_text_stays_text() -> None:
    # The template escapes; the diff must hand the characters over unchanged, not drop or interpret them.
    diff = diff_texts("材料", "材料<script>alert(1)</script>")
    text = "".join(s.text for row in diff.rows for s in row.new)
    assert text == "材料<script>alert(1)</script>"


def test_blank_lines_are_not_paragraphs() -> None:
    assert paragraphs("一\n\n  \n二\r\n") == ["一", "二"]


def test_a_short_sentence_extended_in_place_is_an_edit_of_it() -> None:
    diff = diff_texts(
        "世界观改造抓得不紧。", "世界观改造抓得不紧：把生活服务当成“后勤保障”，没有当成联系职工群众的第一线。"
    )
    [row] = diff.rows
    assert row.kind == "replace"
    assert changed(row.old) == []  # every character of the old sentence is still there
    assert changed(row.new)[0].startswith("：把生活服务")
