"""The rule vocabulary as a registry: a form's rules in the campaign file name a kind and its settings."""

from __future__ import annotations

from typing import Callable, Iterator

from routing.campaign import Campaign, FormSpec

from parsers import rules_basic, rules_groups, rules_numbers
from parsers.problems import Problem
from parsers.returns import ParsedReturn
from parsers.rulectx import Context, Rule

RULE_KINDS: dict[str, Callable[[Rule, Context], Iterator[Problem]]] = {
    "required": rules_basic.required,
    "exactly-one-ticked": rules_basic.exactly_one_ticked,
    "one-of": rules_basic.one_of,
    "required-if": rules_basic.required_if,
    "pattern": rules_basic.pattern,
    "number": rules_numbers.number,
    "duration": rules_numbers.duration,
    "compare": rules_numbers.compare,
    "equals-difference": rules_numbers.equals_difference,
    "any-group": rules_groups.any_group,
    "group-complete": rules_groups.group_complete,
    "set-consistency": rules_groups.set_consistency,
}


class UnknownRule(Exception):
    """A rule kind this version does not know: a configuration mistake, never a problem told to the sender.

    The loader refuses such a file (routing.campaign_check); a campaign built by hand that slips past it stops
    the message here, so it is held for a person instead of answered.
    """


def apply_rules(spec: FormSpec, ret: ParsedReturn, campaign: Campaign) -> list[Problem]:
    """Every problem the form's rules find in the return's rows, row by row in rule order."""
    ctx = Context(spec=spec, ret=ret, marks=campaign.ticks)
    found: list[Problem] = []
    for rule in spec.rules:
        check = RULE_KINDS.get(rule.get("kind", ""))
        if check is None:
            raise UnknownRule(f"活动配置中材料“{spec.kind}”使用了未知的规则类型“{rule.get('kind')}”")
        found.extend(check(rule, ctx))
    return sorted(found, key=lambda p: p.row or 0)
