"""The rule kinds a form's rules may name: each kind's parameters, message placeholders and an example."""

from __future__ import annotations

from dataclasses import dataclass

from routing.model.campaign_schema import REQUIRED, Key, add_section

SEVERITIES = ("error", "warning")
OPS = ("<=", "<", ">=", ">", "==")


@dataclass(frozen=True)
class RuleKind:
    """One rule kind: what it checks, its own keys, the placeholders its message may use, and an example."""

    kind: str
    doc: str
    params: tuple[Key, ...]
    placeholders: tuple[str, ...]
    example: str
    one_of: tuple[str, ...] = ()  # at least one of these keys must be given


COMMON = add_section(
    "returns[].rules[]", "一条规则：kind 指明规则类型，其余键为该类型的参数（见“规则类型”）。",
    Key("kind", "文本", "规则类型。", REQUIRED),
    Key("code", "文本", "问题代码（稳定，写入台账）；不写则用规则类型的默认代码。", None),
    Key("message", "文本", "告知报送单位的话，可用占位符（见“消息占位符”）；不写则用默认说法。", None),
    Key("severity", "文本", "error（需修改）或 warning（提示，不影响登记）。", "error", choices=SEVERITIES),
    Key("label", "文本", "问题所在列的显示名（如几列合称“事项类别”）；也可作占位符 {label}。", None),
    Key("zero_words", "文本列表", "本规则中表示零天的用语（不写则用材料的 zero_words）。", None),
    Key("none_words", "文本列表", "本规则中表示“无此项”的用语（不写则用材料的 none_words）。", None),
)

_COLUMN = Key("column", "列名", "检查的列。", REQUIRED)
_COLUMNS = Key("columns", "列名列表", "检查的列。", REQUIRED)
_GROUPS = Key("groups", "列组列表", "检查的列组（columns 中的 group）。", REQUIRED)
_AS = Key("as", "文本", "按 duration（天数）还是 number（数字）读取。", "duration", choices=("duration", "number"))
_MINUEND = Key("minuend", "列名", "被减数所在的列。", REQUIRED)
_SUBTRAHEND = Key("subtrahend", "列名", "减数所在的列。", REQUIRED)
BASE = ("row", "column", "value")

RULES: dict[str, RuleKind] = {r.kind: r for r in (
    RuleKind("required", "所列各列必须填写。", (_COLUMNS,), BASE,
             '{ kind = "required", columns = ["事项名称"], message = "第{row}行“{column}”未填写，请补充填写" }'),
    RuleKind("exactly-one-ticked", "所列各列中恰好一列划√。", (_COLUMNS,), BASE + ("count", "options", "label"),
             '{ kind = "exactly-one-ticked", columns = ["权责清单事项", "内部管理事项"], label = "事项类别" }'),
    RuleKind("one-of", "填写的值必须是所列值之一。", (_COLUMN, Key("values", "文本列表", "允许的值。", REQUIRED)),
             BASE + ("options",), '{ kind = "one-of", column = "类型", values = ["嘎查", "村", "社区"] }'),
    RuleKind("required-if", "条件成立时该列必须填写。",
             (_COLUMN, Key("when", "条件", "何时必须填写（见“条件的写法”）。", REQUIRED),
              Key("reason", "文本", "默认说法中说明原因的话（占位符 {reason}）。", None)), BASE + ("reason",),
             '{ kind = "required-if", column = "承接主体", when = { column = "事项名称", matches = \'下放|委托\' } }'),
    RuleKind("pattern", "填写的值必须符合格式（pattern 一个，或 all 中的每一个）。",
             (_COLUMN, Key("pattern", "正则表达式", "命名格式（phone、phone-strict、document-title、"
                           "document-number-or-clause）或正则表达式。", None),
              Key("all", "文本列表", "须全部符合的若干格式（命名格式或正则表达式）。", None)), BASE,
             '{ kind = "pattern", column = "联系电话", pattern = "phone-strict" }', one_of=("pattern", "all")),
    RuleKind("number", "填写的值必须是数字或 none_words/zero_words 中的用语。", (_COLUMN,), BASE + ("sentinels",),
             '{ kind = "number", column = "户数" }'),
    RuleKind("duration", "填写的值必须是天数（如 20个工作日、20天、即办）或 none_words 中的用语。", (_COLUMN,), BASE,
             '{ kind = "duration", column = "原办理时限" }'),
    RuleKind("compare", "两列均可读时，column 与 other 须满足 op 关系。",
             (_COLUMN, Key("other", "列名", "比较的另一列。", REQUIRED),
              Key("op", "文本", "关系。", "<=", choices=OPS), _AS), BASE + ("other", "other_value", "op_text"),
             '{ kind = "compare", column = "现办理时限", op = "<=", other = "原办理时限" }'),
    RuleKind("equals-difference", "三列均可读时，column 须等于 minuend − subtrahend。",
             (_COLUMN, _MINUEND, _SUBTRAHEND, _AS), BASE + ("minuend", "subtrahend", "expected"),
             '{ kind = "equals-difference", column = "压缩自然日/工作日", minuend = "原办理时限", subtrahend = "现办理时限" }'),
    RuleKind("any-group", "所列列组中至少一组有内容。", (_GROUPS,), BASE + ("options",),
             '{ kind = "any-group", groups = ["简化办事程序", "精减办事要件"] }'),
    RuleKind("group-complete", "某列组一旦填写，组内各列都须填写（none_words 中的用语不算开始填写）。", (_GROUPS,),
             BASE + ("group",), '{ kind = "group-complete", groups = ["简化办事程序"] }'),
    RuleKind("set-consistency", "column 列出的项数须等于 minuend 比 subtrahend 多列出的项数。",
             (_COLUMN, _MINUEND, _SUBTRAHEND), BASE + ("count", "expected", "minuend", "subtrahend"),
             '{ kind = "set-consistency", column = "精减的环节名称", minuend = "原办理环节", subtrahend = "现办理环节" }'),
)}

CONDITION_KEYS = {
    "column": "判断的列（列名）", "columns": "判断的若干列（任一列符合即成立）",
    "matches": "正则表达式：某列内容含有匹配", "filled": "true：某列已填写；false：均未填写",
    "ticked": "true：某列划了√", "equals": "某列内容等于该值",
    "any": "若干条件之一成立", "all": "若干条件均成立", "not": "条件不成立",
}
