"""Rule kinds across column groups: any-group, group-complete, set-consistency."""

from __future__ import annotations

from collections.abc import Iterator

from parsers.forms.rules.context import Rule, RuleContext
from parsers.forms.text import clean, items
from parsers.problems import Problem


def _members(ctx: RuleContext, group: str) -> list[str]:
    return [c.name for c in ctx.spec.columns if c.group == group and ctx.present(c.name)]


def any_group(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """At least one of the listed column groups has something filled in."""
    groups = rule["groups"]
    for i in range(len(ctx.ret.rows)):
        if not any(ctx.text(i, c) for g in groups for c in _members(ctx, g)):
            first = next((m[0] for g in groups if (m := _members(ctx, g))), None)
            yield ctx.emit(rule, i, None, cell_of=first, value="", options="”“".join(groups))


def group_complete(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """A group that is started must be complete: every column of it filled.

    A cell holding only a word for "nothing" (/, 无, 不涉及) does not start a group: "/" under 原材料名称
    and 现所需要的材料名称 says the row reduces no materials.
    """
    nothing = {clean(w) for w, v in ctx.sentinels(rule).items() if v is None}
    for group in rule["groups"]:
        members = _members(ctx, group)
        for i in range(len(ctx.ret.rows)):
            if any(ctx.text(i, c) and clean(ctx.text(i, c)) not in nothing for c in members):
                yield from (ctx.emit(rule, i, c, group=group) for c in members if not ctx.text(i, c))


def set_consistency(rule: Rule, ctx: RuleContext) -> Iterator[Problem]:
    """The items listed in ``column`` number as many as ``minuend`` lists beyond ``subtrahend``."""
    for i in range(len(ctx.ret.rows)):
        listed = items(ctx.text(i, rule["column"]))
        high, low = items(ctx.text(i, rule["minuend"])), items(ctx.text(i, rule["subtrahend"]))
        if listed and high and low and len(listed) != len(high) - len(low):
            yield ctx.emit(rule, i, rule["column"], count=len(listed), expected=len(high) - len(low))
