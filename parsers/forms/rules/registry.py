"""The rule vocabulary as a registry: a form's rules in the campaign file name a kind and its settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from parsers.forms.rules import basic as rules_basic
from parsers.forms.rules import groups as rules_groups
from parsers.forms.rules import numbers as rules_numbers
from parsers.forms.rules.context import Rule, RuleContext
from parsers.forms.spec import FormBook, FormSpec
from parsers.problems import Problem
from parsers.returns import ParsedReturn

RULE_KINDS: dict[str, Callable[[Rule, RuleContext], Iterator[Problem]]] = {
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

    The loader refuses such a file (routing.model.campaign_check); a campaign built by hand that slips past it stops
    the message here, so it is held for a person instead of answered.
    """


def apply_rules(spec: FormSpec, ret: ParsedReturn, campaign: FormBook) -> list[Problem]:
    """Every problem the form's rules find in the return's rows, row by row in rule order."""
    ctx = RuleContext(spec=spec, ret=ret, marks=campaign.ticks)
    found: list[Problem] = []
    for rule in spec.rules:
        check = RULE_KINDS.get(rule.get("kind", ""))
        if check is None:
            raise UnknownRule(f"活动配置中材料“{spec.kind}”使用了未知的规则类型“{rule.get('kind')}”")
        found.extend(check(rule, ctx))
    return sorted(found, key=lambda p: p.row or 0)
