"""A verdict's reason is the name of the rule that gave it, exactly as `mailbot rules` prints it."""

from __future__ import annotations

import dataclasses
import re

import pytest

from mailbot.cli.main import main
from mailbot.config import DEFAULT_ROSTER
from mailbot.ledger.roster_io import read_roster_file
from routing.chain import CHAIN, reasons, run_chain
from routing.model.roster import Roster
from routing.stages.prepare import Prepared
from tests.routing.test_chain import a3, ctx, delivery


def printed_rules(capsys) -> set[str]:
    assert main(["rules"]) == 0
    return set(re.findall(r"^\s*(?:\d+\.)?\s*([a-z][a-z-]+)\s", capsys.readouterr().out, re.M))


def test_mailbot_rules_prints_every_reason_a_verdict_may_carry(capsys):
    assert printed_rules(capsys) == reasons()
    assert len({link.name for link in CHAIN}) == len(CHAIN)


def test_every_deciding_link_declares_its_outcomes():
    deciding = [link for link in CHAIN if link.outcomes]
    assert {link.name for link in CHAIN if not link.outcomes} == {"read-forms", "identify-unit", "route", "overdue"}
    assert len(deciding) == len(CHAIN) - 4


def no_attachment():
    return delivery(subject="请问附件3怎么填", body="请问保留职权事项清单中的事项类别应如何勾选？"), ctx()


def unit_ambiguous():
    # A banner has both a 旗委 and a 政府 in the shipped roster: the bare place name fits two units.
    shipped = dataclasses.replace(ctx(), roster=Roster(read_roster_file(DEFAULT_ROSTER)))
    return delivery(sender="wang@mail.example.net", files=[a3("科右前旗")]), shipped


def parser_failure():
    d = delivery(files=[a3()])
    d.prepared = Prepared(failure="解析超时")  # the parse child hung on it
    return d, ctx()


@pytest.mark.parametrize("make, expected", [(no_attachment, "no-attachment"), (unit_ambiguous, "unit-ambiguous"),
                                            (parser_failure, "parser-failure")], ids=["no-attachment", "unit-ambiguous", "parser-failure"])
def test_the_reasons_that_drifted_are_rule_names(make, expected, capsys):
    d, context = make()
    run_chain(d, context)
    assert d.reason == expected and expected in printed_rules(capsys)
