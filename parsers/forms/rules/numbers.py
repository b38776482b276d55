"""Rule kinds over numbers and durations: number, duration, compare, equals-difference."""

from __future__ import annotations

import operator
from collections.abc import Iterator

from parsers.forms.rules.context import Rule, RuleContext
from parsers.forms.values import Duration, parse_duration, parse_number
from parsers.problems import Problem

_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq}
_OP_TEXT = {"<=": "不大于", "<": "小于", ">=": "不小于", ">": "大于", "==": "等于"}


def read(ctx: RuleContext, rule: Rule, i: int, column: str) -> Duration | None:
    """A cell as a quantity (``as`` = number or duration); None when blank, a none-word, or unreadable."""
    text = ctx.text(i, column)
    if rule.get("as", "duration") == "number":
        sentinels = ctx.sentinels(rule)
        if text in sentinels:
            return Duration(sentinels[text]) if sentinels[text] is not None else None
        number = parse_number(text)
        return Duration(number) if number is not None else None
    return parse_duration(text, ctx.sentinels(rule))


def number(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """A filled cell must be a number or one of the sentinel words (such as 无)."""
    sentinels = ctx.sentinels(rule)
    words = "或“" + "”“".join(sentinels) + "”" if sentinels else ""
    for i in range(len(ctx.ret.rows)):
        text = ctx.text(i, rule["column"])
        if text and text not in sentinels and parse_number(text) is None:
            yield ctx.emit(rule, i, rule["column"], sentinels=words)


def duration(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """A filled cell must read as a number of days ("20个工作日", "20天", "即办") or a none-word."""
    sentinels = ctx.sentinels(rule)
    for i in range(len(ctx.ret.rows)):
        text = ctx.text(i, rule["column"])
        if text and text not in sentinels and parse_duration(text, sentinels) is None:
            yield ctx.emit(rule, i, rule["column"])


def compare(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """Column ``column`` must stand in relation ``op`` to column ``other`` when both are readable."""
    test = _OPS[rule.get("op", "<=")]
    for i in range(len(ctx.ret.rows)):
        left, right = read(ctx, rule, i, rule["column"]), read(ctx, rule, i, rule["other"])
        if left and right and _same_unit(left, right) and not test(left.days, right.days):
            other_value = ctx.text(i, rule["other"])
            yield ctx.emit(rule, i, rule["column"], other_value=other_value, op_text=_OP_TEXT[rule.get("op", "<=")])


def equals_difference(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """Column ``column`` must equal ``minuend`` − ``subtrahend`` when all three are readable."""
    for i in range(len(ctx.ret.rows)):
        got = read(ctx, rule, i, rule["column"])
        high, low = read(ctx, rule, i, rule["minuend"]), read(ctx, rule, i, rule["subtrahend"])
        if got and high and low and _same_unit(high, low) and _same_unit(got, high):
            expected = high.days - low.days
            if abs(got.days - expected) > 1e-9:
                yield ctx.emit(rule, i, rule["column"], expected=_plain(expected))


def _same_unit(a: Duration, b: Duration) -> bool:
    # 20个工作日 and 28天 cannot be compared; an unstated unit (即办, a bare number) goes with either.
    return a.unit is None or b.unit is None or a.unit == b.unit


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"
