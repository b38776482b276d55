"""One message that breaks the pipeline in an unforeseen way: rolled back, held for a person, the batch goes on."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

import mailbot.intake.pipeline
import mailbot.ledger.record
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.intake.poll import poll_all
from mailbot.ledger.models import HeldRawRow, MessageRow, OutboxRow, SubmissionRow
from routing.chain import CHAIN, run_chain
from tests.support.desk import make_desk

ZWFW = "xamzfw@126.com"
UNITS = [("jyj@example.com", "兴安盟教育局"), ("czj@example.com", "兴安盟财政局"), ("mzj@example.com", "兴安盟民政局")]


def a3_mail(app, sender: str, unit: str, day: int = 10) -> bytes:
    data = form_xlsx(app.campaign.form("attachment3"), unit, rows_attachment3())
    when = dt.datetime(2023, 1, day, 9, tzinfo=app.campaign.timezone)
    return _mail(sender, ZWFW, f"{unit}附件3", when, "请查收。", [("附件3.xlsx", data, XLSX)])


def failing_for(sender: str, rule: str):
    """The chain with ``rule`` raising for one sender's message only."""
    def broken(link):
        def check(delivery, ctx):
            if delivery.sender == sender:
                raise RuntimeError("injected failure")
            return link.check(delivery, ctx)
        return dataclasses.replace(link, check=check)
    return tuple(broken(link) if link.name == rule else link for link in CHAIN)


def rows_by_sender(app) -> dict[str, tuple]:
    with app.ledger.session() as s:
        messages = s.scalars(select(MessageRow).order_by(MessageRow.id)).all()
        return {m.sender: (m.outcome, m.reason, m.receipt_no,
                           len(s.scalars(select(SubmissionRow).where(SubmissionRow.message_id == m.id)).all()),
                           [o.kind for o in s.scalars(select(OutboxRow).where(OutboxRow.message_ref == m.id))],
                           s.get(HeldRawRow, m.id) is not None)
                for m in messages}


@pytest.mark.imap
def test_a_rule_failing_on_one_message_of_a_batch_holds_it_and_the_batch_goes_on(dovecot, tmp_path, db_url, monkeypatch, caplog):
    desk = make_desk(dovecot, tmp_path, db_url)
    try:
        for sender, unit in UNITS:
            desk.send(a3_mail(desk.app, sender, unit), ZWFW)
        chain = failing_for("czj@example.com", "route")  # after read-forms and identify-unit have enriched it
        monkeypatch.setattr(mailbot.intake.pipeline, "run_chain", lambda d, ctx: run_chain(d, ctx, chain))
        [report] = [r for r in poll_all(desk.app) if r.inbox == ZWFW]
        found = rows_by_sender(desk.app)
        assert report.processed == 3 and report.error == ""
        assert found["czj@example.com"][:2] == ("held_for_review", "pipeline-error")
        assert found["czj@example.com"][3:] == (0, ["reply:held_for_review"], True)  # nothing half-registered
        assert [found[s][0] for s in ("jyj@example.com", "mzj@example.com")] == ["accepted", "accepted"]
        assert len(desk.mailbox_of(ZWFW, "需人工处理")) == 1 and len(desk.mailbox_of(ZWFW, "已处理")) == 2
        assert "injected failure" in caplog.text and "message_id=" in caplog.text
    finally:
        desk.sink.stop()
        desk.app.ledger.dispose()


def test_a_failure_while_recording_rolls_back_and_holds_the_message(app, monkeypatch):
    real = mailbot.ledger.record.register_returns

    def half_then_fail(session, d, message, campaign):
        real(session, d, message, campaign)  # rows written in this transaction must vanish
        if d.sender == "czj@example.com":
            raise KeyError("injected after writing submissions")
        return {}, {}
    monkeypatch.setattr(mailbot.ledger.record, "register_returns", half_then_fail)
    pipeline = app.pipeline()
    for day, (sender, unit) in enumerate(UNITS, start=10):
        pipeline.process(delivery_from_bytes(a3_mail(app, sender, unit, day), ZWFW))
    found = rows_by_sender(app)
    assert found["czj@example.com"][:2] == ("held_for_review", "pipeline-error")
    assert found["czj@example.com"][3:5] == (0, ["reply:held_for_review"])
    assert [found[s][3] for s in ("jyj@example.com", "mzj@example.com")] == [1, 1]
    # The rolled-back attempt used no receipt number: the register has no gap.
    assert [found[s][2][-6:] for s, _ in UNITS] == ["第0001号", "第0002号", "第0003号"]
