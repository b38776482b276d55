"""Precision over the corpus (tests/support/corpus): no error for a correct return, every planted error at its row and column.

Each message goes through the whole pipeline on one ledger, in the order it arrives, as the raw bytes its
client wrote. A wrong "需修改" costs more than a missed warning, so an unexpected error fails the run.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mailbot.intake.inbound import delivery_from_bytes
from tests.support.corpus.cases import corpus
from tests.support.corpus.clients import CLIENTS

MINIMUM = 40
SHAPES = {"xlsx", "docx", "zip", "body-contact", "plan-contact", "contact-table", "signature", "ack", "quoted", "form-contact",
          "header-explanation", "header-alias", "wps", "tick", "date-serial", "date-dots", "blank-rows", "notes-rows", "planted",
          "big-attachment", "hostile", "formula"}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    """Every case's verdict, processed in order on one fresh ledger."""
    from mailbot.app import App

    app = App(db=f"sqlite:///{tmp_path_factory.mktemp('corpus')}/ledger.db")
    cases = corpus(app.campaign)
    found = {}
    for case in cases:
        pipeline = app.pipeline()
        pipeline.now = lambda case=case: case.received + dt.timedelta(minutes=5)
        found[case.name] = pipeline.process(delivery_from_bytes(case.raw, case.mailbox, received_at=case.received))
    app.ledger.dispose()
    return found


def cases():
    from mailbot.config import load_campaign

    return corpus(load_campaign())


def errors_of(verdict: dict) -> set[tuple]:
    """(kind or "file", row, column, code) of every error-severity problem in a verdict."""
    found = {(f["kind"], p["row"], p["column"], p["code"]) for f in verdict["forms"] for p in f["problems"] if p["severity"] == "error"}
    return found | {("file", p["row"], p["column"], p["code"]) for p in verdict["file_problems"] if p["severity"] == "error"}


def test_the_corpus_is_large_and_covers_every_shape_and_client():
    every = cases()
    assert len(every) >= MINIMUM and len({c.name for c in every}) == len(every)
    assert {c.client for c in every} == set(CLIENTS)
    assert SHAPES <= {tag for c in every for tag in c.tags}
    for client in CLIENTS:  # each client sends forms, contact details, quoted replies: not only one kind of mail
        assert {"xlsx", "body-contact", "quoted"} <= {tag for c in every if c.client == client for tag in c.tags}, client


def test_every_reason_is_a_rule_that_mailbot_rules_prints(verdicts, capsys):
    from mailbot.cli.main import main

    assert main(["rules"]) == 0
    printed = capsys.readouterr().out
    assert all(re.search(rf"\s{re.escape(v['reason'])}\s", printed) for v in verdicts.values())


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_each_message_gets_its_verdict(verdicts, case):
    verdict = verdicts[case.name]
    assert verdict["outcome"] == case.outcome, verdict
    if case.reason:
        assert verdict["reason"] == case.reason
    assert {f["kind"]: f["status"] for f in verdict["forms"]} == case.forms, verdict["forms"]
    assert errors_of(verdict) == case.errors, verdict
    if case.contact is not None:
        assert next(f["contact"] for f in verdict["forms"] if f["kind"] == "contact") == case.contact


def test_precision_and_recall_over_the_corpus(verdicts):
    every = cases()
    planted = {(c.name, *e) for c in every for e in c.errors}
    raised = {(c.name, *e) for c in every for e in errors_of(verdicts[c.name])}
    false_errors = raised - planted
    assert false_errors == set()
    assert planted - raised == set()
    correct = [c for c in every if c.outcome == "accepted"]
    assert len(correct) >= 30 and all(verdicts[c.name]["outcome"] == "accepted" for c in correct)
