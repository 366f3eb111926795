"""Chinese (and English) text into search tokens: normalisation, segmentation, the organisation's dictionary.

Segmentation is rjieba (the Rust port of jieba, same dictionary and algorithm; see ADR 0030). The index stores
the segmented words *and* the single characters of every Chinese word, so a query segmented differently from
the document ("灯" against "路灯", "氧化铝厂" against "第一氧化铝厂") still finds it; whole-word matches rank
higher because they match more tokens.

Pure Python apart from `OrgDictionary.refresh`, which reads the organisation's words from the database.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import rjieba

from taizhang.search import vocabulary

# Numbers spelt in Chinese before a place word become digits, so "二号楼" and "2号楼" are one token.
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_PLACE_SUFFIX = "号楼|号院|号门|号线|号|栋|幢|楼|层|单元|车间|分厂|区|排|期|组|班|门|站|路"
# Fewer suffixes for spelt numbers: "一排路灯", "一层灰", "一路上" are not places.
_CN_NUMBER_BEFORE_PLACE = re.compile(r"([零〇一二两三四五六七八九十百]+)(?=号|栋|幢|楼|单元|车间|分厂|区)")
# "3号楼", "12栋", "2车间", "a区": kept whole, never split by the segmenter.
PLACE_CODE = re.compile(rf"(?<![0-9a-z])(?:[0-9]+|[a-z])(?:{_PLACE_SUFFIX})")
_WORD = re.compile(r"[^\W_]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

#: Words that say nothing about which problem it is. They are indexed (a quoted search may need them) but
#: dropped from queries and from similarity.
_STOPWORDS = """
的 了 是 在 有 和 与 及 或 也 都 很 太 还 就 又 再 才 把 被 让 给 对 向 从 到 为 以 于 而 但
并 等 着 过 得 地 吗 呢 吧 啊 呀 哦 嘛 么 啦 个 这 那 这个 那个 这些 那些 这里 那里 这边 那边
里 上 下 中 内 外 前 后 边 旁 我 我们 你 你们 他 他们 她 它 大家 咱们 自己 人 有人 一些 一点
一下 一直 已经 经常 总是 老是 常常 好 好多 多 不少 很多 非常 特别 比较 实在 真的 真是 严重
有些 有点 几天 好几天 天 最近 现在 目前 今天 昨天 每天 每次 时候 时 时间 一 个月 月 年 好久
长期 长时间 一段 段 问题 情况 反映 反应 建议 希望 要求 请 请求 麻烦 恳请 能否 能不能 是否 可以
能 能够 应该 需要 要 想 尽快 及时 马上 赶紧 早日 解决 处理 重视 关注 领导 相关 部门 有关 单位
一下子 职工 员工 同事 师傅 大伙 群众 谢谢 感谢 影响 导致 造成 因为 所以 如果 虽然 但是 而且
然后 还是 没 没有 不 无 已 未 又是 依然 仍然 一样 一次 多次 几次 次 一个 两个 几个 怎么 什么
为什么 如何 哪里 谁 啥 看看 看 说 知道 觉得 感觉 发现 出现 存在 进行 给予 希望能 帮忙 帮助
改善 改进 整改 修 维修 修理 修一修 修好 换 更换 安排 落实
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, Chinese numbers before place words as digits."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _CN_NUMBER_BEFORE_PLACE.sub(lambda m: str(chinese_number(m.group(1))), folded)


def chinese_number(spelt: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits spelt one by one (二〇一四) read as digits."""
    if "十" not in spelt and "百" not in spelt:
        return int("".join(str(_CN_DIGITS[ch]) for ch in spelt))
    total, current = 0, 0
    for ch in spelt:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def is_han(token: str) -> bool:
    return bool(_HAN.search(token))


class OrgDictionary:
    """The segmenter, with the organisation's own words (units, places, categories) added to jieba's.

    Each process keeps one. `refresh()` reads the words (one small query) at most every `ttl` seconds and
    rebuilds the segmenter only when they changed, so a renamed place reaches every worker within `ttl`.
    """

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._jieba = _base_segmenter()
        self._words: frozenset[str] = frozenset()
        self._places: frozenset[str] = frozenset()
        self._checked_at = float("-inf")

    @property
    def words(self) -> frozenset[str]:
        return self._words

    @property
    def place_words(self) -> frozenset[str]:
        """The names of places and units: similarity tells places apart by them."""
        return self._places

    def use(self, words: Iterable[str], places: Iterable[str] = ()) -> bool:
        """Segment with these words (and place names) from now on; returns whether anything changed."""
        places = frozenset(_clean(places))
        wanted = frozenset(_clean(words)) | places
        with self._lock:
            self._places = places
            if wanted == self._words:
                return False
            # Words can only be added to a segmenter; one that lost words is built afresh (≈0.3 s, rare).
            segmenter = self._jieba if wanted >= self._words else _base_segmenter()
            for word in sorted(wanted - self._words if segmenter is self._jieba else wanted):
                segmenter.add_word(word, None, None)
            self._jieba, self._words = segmenter, wanted
            self.frequency.cache_clear()
            return True

    def expire(self) -> None:
        """Read the words again on the next `refresh()`, whatever the ttl: this process saved a unit, place or
        category, so its new name is one word at once here (other processes follow within `ttl`)."""
        self._checked_at = float("-inf")

    def refresh(
        self, load: Callable[[], tuple[Iterable[str], Iterable[str]]], *, force: bool = False
    ) -> bool:
        """`load` returns (words, place names); it is called at most every `ttl` seconds unless forced."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.ttl:
            return False
        self._checked_at = now
        words, places = load()
        return self.use(words, places)

    @functools.lru_cache(maxsize=65536)  # noqa: B019  # one long-lived instance per process
    def frequency(self, word: str) -> int:
        """The word's frequency in the dictionary (for an unknown word, what jieba would suggest)."""
        return int(self._jieba.suggest_freq(word))

    def cut(self, text: str) -> list[str]:
        """Precise-mode words of normalised text, place codes ("3号楼") kept whole; punctuation dropped."""
        return self._cut(text, search=False)

    def cut_for_search(self, text: str) -> list[str]:
        """Words plus the shorter dictionary words inside long ones (宿舍楼 → 宿舍, 宿舍楼)."""
        return self._cut(text, search=True)

    def _cut(self, text: str, *, search: bool) -> list[str]:
        tokens: list[str] = []
        position = 0
        for match in PLACE_CODE.finditer(text):
            tokens += self._segment(text[position : match.start()], search=search)
            tokens.append(match.group())
            position = match.end()
        tokens += self._segment(text[position:], search=search)
        return tokens

    def _segment(self, text: str, *, search: bool) -> list[str]:
        if not text:
            return []
        jieba = self._jieba
        pieces = jieba.cut_for_search(text, False) if search else jieba.cut(text, False)
        return [word for piece in pieces for word in _WORD.findall(piece)]


def _clean(words: Iterable[str]) -> list[str]:
    return [w for w in (normalise(word).strip() for word in words) if len(w) > 1]


def _base_segmenter() -> rjieba.Jieba:
    """jieba's dictionary with this domain's fixes (vocabulary.py)."""
    segmenter = rjieba.Jieba()
    for word in vocabulary.SPLIT:
        segmenter.add_word(word, 0, None)
    for word in vocabulary.dictionary_words():
        segmenter.add_word(word, None, None)
    return segmenter


_dictionary = OrgDictionary()


def dictionary() -> OrgDictionary:
    return _dictionary


def word_frequency(word: str) -> int:
    return _dictionary.frequency(word)


def index_tokens(text: str) -> list[str]:
    """What the index stores for `text`: search-mode words, then each Chinese character once."""
    words = _dictionary.cut_for_search(normalise(text))
    characters = dict.fromkeys(ch for word in words if len(word) > 1 for ch in word if is_han(ch))
    return words + [ch for ch in characters if ch not in words]


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query and what may stand for it in a document: the word itself, or all of `parts`."""

    word: str
    parts: tuple[str, ...]


def query_terms(query: str) -> list[QueryTerm]:
    """The words of a search, stopwords dropped (unless nothing else is left), at most 12."""
    words = list(dict.fromkeys(_dictionary.cut(normalise(query))))
    meaningful = [w for w in words if w not in STOPWORDS] or words
    return [QueryTerm(word=w, parts=_parts(w)) for w in meaningful[:12]]


def _parts(word: str) -> tuple[str, ...]:
    """What stands for a long word in a text segmented otherwise ("氧化铝厂" in "第一氧化铝厂"): the shorter
    dictionary words inside it, as the index has them, else its characters; for "2号楼", 2号 and 楼.

    Two-character words need none (a text containing them is cut the same way, or means something else:
    "路灯" is not in "马路灯光"), which keeps single characters, the longest posting lists, out of most
    queries."""
    if PLACE_CODE.fullmatch(word):
        number, separator, rest = word.partition("号")
        return (number + "号", *rest) if rest and separator else ()
    if len(word) < 3 or not is_han(word):
        return ()
    inner = [w for w in _dictionary.cut_for_search(word) if w != word and len(w) > 1]
    if inner and set("".join(inner)) >= set(word):
        return tuple(dict.fromkeys(inner))
    return tuple(dict.fromkeys(word))


def highlight_terms(query: str) -> list[str]:
    """Strings to mark in a snippet: the query's words, longest first."""
    return sorted({t.word for t in query_terms(query)}, key=len, reverse=True)
