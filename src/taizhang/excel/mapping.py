"""The ledger's columns: the fields an import fills, the names each goes by (synonyms), and the layout an
export writes. Column names are data, in Chinese, as ledgers write them; labels for people are gettext."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Field(StrEnum):
    SEQ = "seq"
    CODE = "code"
    SOURCE = "source"
    TITLE = "title"
    DESCRIPTION = "description"
    CATEGORY = "category"
    MEASURES = "measures"
    UNIT = "unit"
    ASSISTING = "assisting_units"
    LEADER = "leader"
    OWNER = "owner"
    DEADLINE = "deadline"
    PROGRESS = "progress"
    QUANTITY = "quantity"
    TARGET = "target_quantity"
    STATE = "state"
    CLOSED_AT = "closed_at"
    SATISFACTION = "satisfaction"


FIELD_LABELS: dict[Field, Promise] = {
    Field.SEQ: _("Number (序号)"),
    Field.CODE: _("Problem code"),
    Field.SOURCE: _("Source"),
    Field.TITLE: _("Title"),
    Field.DESCRIPTION: _("Problem description"),
    Field.CATEGORY: _("Category"),
    Field.MEASURES: _("Measures"),
    Field.UNIT: _("Responsible unit"),
    Field.ASSISTING: _("Assisting units"),
    Field.LEADER: _("Responsible leader"),
    Field.OWNER: _("Responsible person"),
    Field.DEADLINE: _("Deadline"),
    Field.PROGRESS: _("Progress"),
    Field.QUANTITY: _("Quantity done"),
    Field.TARGET: _("Target quantity"),
    Field.STATE: _("State"),
    Field.CLOSED_AT: _("Closed out on"),
    Field.SATISFACTION: _("Satisfaction"),
}

#: The names each field goes by, the conventional one first. Matching ignores spaces, full-width forms,
#: bracketed remarks ("责任单位（部门）") and a trailing colon or asterisk.
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.SEQ: ("序号", "编号", "序", "顺序号", "no", "no.", "序列号"),
    Field.CODE: ("问题编号", "台账编号", "问题编码", "清单编号"),
    Field.SOURCE: ("问题来源", "来源", "反映渠道", "意见来源", "问题出处", "发现途径", "来源渠道"),
    Field.TITLE: ("问题标题", "标题", "问题名称", "事项名称"),
    Field.DESCRIPTION: (
        "问题描述",
        "存在问题",
        "问题内容",
        "问题表现",
        "具体问题",
        "主要问题",
        "突出问题",
        "查摆问题",
        "存在的问题",
        "问题清单",
        "问题及表现",
        "反映问题",
        "意见建议",
        "问题",
    ),
    Field.CATEGORY: ("问题类别", "问题分类", "问题类型", "类别", "分类", "类型", "问题性质"),
    Field.MEASURES: (
        "整改措施",
        "整改举措",
        "具体措施",
        "整改办法",
        "整改任务",
        "整改方案",
        "措施",
        "整改目标及措施",
    ),
    Field.UNIT: (
        "责任单位",
        "责任部门",
        "牵头单位",
        "牵头部门",
        "主责单位",
        "主责部门",
        "承办单位",
        "主办单位",
        "责任主体",
        "整改单位",
    ),
    Field.ASSISTING: ("协办单位", "配合单位", "协办部门", "配合部门", "参与单位"),
    Field.LEADER: ("责任领导", "分管领导", "牵头领导", "包保领导", "主管领导", "督办领导", "领导"),
    Field.OWNER: ("责任人", "具体责任人", "直接责任人", "经办人", "联系人", "承办人"),
    Field.DEADLINE: (
        "完成时限",
        "整改时限",
        "完成时间",
        "整改期限",
        "完成期限",
        "办结时限",
        "时限",
        "时间节点",
        "整改完成时限",
    ),
    Field.PROGRESS: (
        "整改进展",
        "进展情况",
        "整改情况",
        "完成情况",
        "整改进度",
        "落实情况",
        "整改落实情况",
        "整改完成情况",
        "进展",
    ),
    Field.QUANTITY: ("完成数量", "已完成数量", "完成量", "数量"),
    Field.TARGET: ("目标数量", "计划数量", "整改数量", "任务数量"),
    Field.STATE: ("整改状态", "状态", "完成状态", "办理状态", "是否完成", "是否销号", "整改结果"),
    Field.CLOSED_AT: ("销号时间", "销号日期", "办结时间", "实际完成时间", "办结日期"),
    Field.SATISFACTION: ("群众满意度", "满意度", "群众评价", "满意度测评"),
}

#: The conventional layout every export writes, in order; the last column carries the problem code so that
#: importing an export updates the same items.
EXPORT_COLUMNS: tuple[tuple[str, Field], ...] = (
    ("序号", Field.SEQ),
    ("问题来源", Field.SOURCE),
    ("问题描述", Field.DESCRIPTION),
    ("问题类别", Field.CATEGORY),
    ("整改措施", Field.MEASURES),
    ("责任单位", Field.UNIT),
    ("责任领导", Field.LEADER),
    ("责任人", Field.OWNER),
    ("完成时限", Field.DEADLINE),
    ("整改进展", Field.PROGRESS),
    ("完成数量", Field.QUANTITY),
    ("整改状态", Field.STATE),
    ("销号时间", Field.CLOSED_AT),
    ("群众满意度", Field.SATISFACTION),
    ("问题编号", Field.CODE),
)

_BRACKETS = re.compile(r"[(\[【<《].*?[)\]】>》]")


def header_key(text: object) -> str:
    """A header cell as compared: NFKC, no whitespace, no bracketed remark, no trailing ':' or '*'."""
    if text is None:
        return ""
    plain = unicodedata.normalize("NFKC", str(text))
    plain = _BRACKETS.sub("", re.sub(r"\s+", "", plain))
    return plain.strip("*:：").lower()


_EXACT: dict[str, Field] = {header_key(name): field for field, names in SYNONYMS.items() for name in names}
# Prefix matches ("整改措施及完成标准" → 整改措施) only for names long enough not to be vague.
_PREFIXES = sorted(
    ((key, field) for key, field in _EXACT.items() if len(key) >= 3), key=lambda item: -len(item[0])
)


def match_header(text: object) -> Field | None:
    key = header_key(text)
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    for prefix, field in _PREFIXES:
        if key.startswith(prefix):
            return field
    return None


def propose_mapping(headers: list[str]) -> dict[int, Field]:
    """Column index → field, by name. The first column of a field wins; the rest stay unmapped."""
    mapping: dict[int, Field] = {}
    taken: set[Field] = set()
    for index, text in enumerate(headers):
        field = match_header(text)
        if field is not None and field not in taken:
            mapping[index] = field
            taken.add(field)
    return mapping


def validate_mapping(mapping: dict[int, Field]) -> list[str]:
    """What is wrong with a (corrected) mapping, for the person correcting it."""
    problems: list[str] = []
    fields = list(mapping.values())
    for field in sorted(set(fields)):
        if fields.count(field) > 1:
            problems.append(
                str(_("“%(field)s” is mapped from more than one column.") % {"field": FIELD_LABELS[field]})
            )
    if Field.DESCRIPTION not in fields and Field.TITLE not in fields:
        problems.append(str(_("Map a column to the problem description.")))
    if Field.UNIT not in fields:
        problems.append(str(_("Map a column to the responsible unit.")))
    if Field.DEADLINE not in fields:
        problems.append(str(_("Map a column to the deadline.")))
    return problems


class FileState(StrEnum):
    """What a ledger's 整改状态 column says, before it is mapped onto the workflow (docs/excel.md)."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REVIEW = "review"
    NOTICE = "notice"
    DONE = "done"
    RETURNED = "returned"
    CANCELLED = "cancelled"


#: The words an export writes for each workflow state (data, like the column names, so that an export reads
#: back the same whatever the interface language).
EXPORT_STATE_WORDS: dict[str, str] = {
    "open": "已立项",
    "in_progress": "整改中",
    "review": "申请销号",
    "notice": "公示中",
    "closed": "已销号",
    "returned": "退回",
    "cancelled": "中止",
}

STATE_WORDS: dict[FileState, tuple[str, ...]] = {
    FileState.OPEN: ("已立项", "未启动", "未开始", "尚未启动", "待整改", "未整改", "open"),
    FileState.IN_PROGRESS: (
        "整改中",
        "正在整改",
        "进行中",
        "推进中",
        "在整改",
        "持续整改",
        "未完成",
        "部分完成",
        "基本完成",
        "否",
        "in_progress",
    ),
    FileState.REVIEW: ("申请销号", "已申请销号", "待验收", "验收中", "待销号", "review"),
    FileState.NOTICE: ("公示中", "公示", "notice"),
    FileState.DONE: (
        "已销号",
        "销号",
        "已完成",
        "完成",
        "已整改",
        "整改完成",
        "已办结",
        "办结",
        "已解决",
        "是",
        "closed",
    ),
    FileState.RETURNED: ("退回", "已退回", "returned"),
    FileState.CANCELLED: ("中止", "终止", "取消", "已取消", "撤销", "已撤销", "不再整改", "cancelled"),
}
_STATE_EXACT = {header_key(word): state for state, words in STATE_WORDS.items() for word in words}
_STATE_PREFIXES = sorted(
    ((key, state) for key, state in _STATE_EXACT.items() if len(key) >= 3), key=lambda item: -len(item[0])
)


def match_state(text: str) -> FileState | None:
    """整改状态 as written ("已完成（长期坚持）" → done); None when it is not a known state."""
    key = header_key(text)
    if key in _STATE_EXACT:
        return _STATE_EXACT[key]
    for prefix, state in _STATE_PREFIXES:
        if key.startswith(prefix):
            return state
    return None
