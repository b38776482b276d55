"""Rule kinds over single cells and ticks: required, exactly-one-ticked, one-of, required-if, pattern."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parsers.forms.rules.conditions import holds
from parsers.forms.rules.context import Rule, RuleContext
from parsers.forms.values import is_ticked
from parsers.problem_texts import DEFAULTS
from parsers.problems import Problem

# Named text patterns a campaign file may refer to instead of writing a regular expression.
PATTERNS = {
    "phone": r"^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|(?:0\d{2,3}[- ]?)?[2-9]\d{6,7}(?:[-转]\d{1,5})?)$",
    # The same, but a landline must carry its area code (0482-8267388, not 8267388), as some notices require.
    "phone-strict": r"^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}[- ]?[2-9]\d{6,7}(?:[-转]\d{1,5})?)$",
    "document-title": r"《[^》]+》",
    "document-number-or-clause": r"[\[(〔【]\s*\d{4}\s*[\])〕】]\s*第?\s*\d+\s*号|第[\d一二三四五六七八九十百零〇]+条",
}


def required(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """Each listed column must be filled."""
    for i in range(len(ctx.ret.rows)):
        for column in rule["columns"]:
            if ctx.present(column) and not ctx.text(i, column):
                yield ctx.emit(rule, i, column)


def exactly_one_ticked(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """Exactly one of the listed columns carries a tick mark."""
    columns = [c for c in rule["columns"] if ctx.present(c)]
    for i in range(len(ctx.ret.rows)):
        count = sum(is_ticked(ctx.text(i, c), ctx.marks) for c in columns)
        if count != 1 and columns:
            value = "；".join(f"{c}：{ctx.text(i, c) or '空'}" for c in columns)
            yield ctx.emit(rule, i, None, cell_of=columns[0], value=value, count=count, options="”或“".join(columns))


def one_of(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """A filled cell must hold one of a fixed list of values."""
    allowed = [str(v) for v in rule["values"]]
    for i in range(len(ctx.ret.rows)):
        text = ctx.text(i, rule["column"])
        if text and text not in allowed:
            yield ctx.emit(rule, i, rule["column"], options="、".join(allowed))


def required_if(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """A column must be filled when a condition on the row holds."""
    for i, row in enumerate(ctx.ret.rows):
        if ctx.present(rule["column"]) and not ctx.text(i, rule["column"]) and holds(rule["when"], row, ctx.marks):
            yield ctx.emit(rule, i, rule["column"])


def pattern(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """A filled cell must match every listed pattern (a name from PATTERNS or a regular expression)."""
    names = rule.get("all", [rule.get("pattern", "")])
    regexes = [PATTERNS.get(p, p) for p in names]
    for i in range(len(ctx.ret.rows)):
        text = ctx.text(i, rule["column"])
        if text and not all(re.search(rx, text) for rx in regexes):
            yield ctx.emit(_area_code_told(rule, names, text), i, rule["column"])


def _area_code_told(rule: Rule, names: list[str], text: str) -> Rule:
    # phone-strict refusing a landline that only lacks its area code says so, unless the rule has its own words.
    if "phone-strict" in names and not rule.get("message") and re.search(PATTERNS["phone"], text):
        return {**rule, "message": DEFAULTS["phone-no-area-code"]}
    return rule
