"""Receipts are append-only, and `mailbot audit` proves what a receipt covered (files, SHA-256, time, unit)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.append_only import ReceiptRewritten
from mailbot.ledger.models import OutboxRow, OutboxState

ZWFW = "xamzfw@126.com"


def a3_mail(app, subject="附件3") -> tuple[bytes, bytes]:
    data = form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3())
    when = dt.datetime(2023, 1, 10, 9, tzinfo=app.campaign.timezone)
    return _mail("jyj@example.com", ZWFW, subject, when, "请查收。", [("附件3-教育局.xlsx", data, XLSX)]), data


def process(app, raw: bytes) -> dict:
    return app.pipeline().process(delivery_from_bytes(raw, ZWFW))


def test_audit_prints_the_files_hashes_time_and_unit_of_a_receipt(app, capsys):
    raw, data = a3_mail(app)
    receipt_no = process(app, raw)["receipt_no"]
    assert main(["--db", app.ledger.url, "audit", receipt_no]) == 0
    out = capsys.readouterr().out
    assert f"收件编号：{receipt_no}" in out and "报送单位：兴安盟教育局" in out and "2023年1月10日 09:00" in out
    assert f"附件3-教育局.xlsx，工作表“附件3”：attachment3 第1版，SHA-256 {hashlib.sha256(data).hexdigest()}" in out


def test_audit_of_a_classified_refusal_names_no_file_and_no_hash(app, capsys):
    raw, data = a3_mail(app, subject="【涉密】附件3")
    receipt_no = process(app, raw)["receipt_no"]
    assert main(["--db", app.ledger.url, "audit", receipt_no]) == 0
    out = capsys.readouterr().out
    assert "涉密拒收" in out and hashlib.sha256(data).hexdigest() not in out and "附件3-教育局" not in out


def test_audit_of_an_unknown_receipt_number(app, capsys):
    assert main(["--db", app.ledger.url, "audit", "政务服务局〔2023〕收字第9999号"]) == 2
    assert "没有收件编号" in capsys.readouterr().err


def test_a_receipt_covers_every_attachment_even_an_unreadable_one(app, capsys):
    data = form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3())
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    when = dt.datetime(2023, 1, 10, 9, tzinfo=app.campaign.timezone)
    raw = _mail("jyj@example.com", ZWFW, "附件3", when, "请查收。", [("附件3.xlsx", data, XLSX), ("说明.doc", junk, "application/msword")])
    receipt_no = process(app, raw)["receipt_no"]
    with app.ledger.session() as s:
        covers = s.scalars(select(OutboxRow)).one().covers
    assert covers == [{"file": "附件3.xlsx", "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)},
                      {"file": "说明.doc", "sha256": hashlib.sha256(junk).hexdigest(), "bytes": len(junk)}]
    assert main(["--db", app.ledger.url, "audit", receipt_no]) == 0
    assert f"说明.doc（{len(junk)}字节）：SHA-256 {hashlib.sha256(junk).hexdigest()}" in capsys.readouterr().out


def test_a_classified_refusal_covers_nothing(app):
    process(app, a3_mail(app, subject="【涉密】附件3")[0])
    with app.ledger.session() as s:
        assert [r.covers for r in s.scalars(select(OutboxRow).where(OutboxRow.kind.like("reply:%")))] == [[]]


@pytest.mark.parametrize("field, value", [("body", "改过的回执"), ("subject", "改过"), ("to_addr", "other@example.com"), ("covers", [])])
def test_a_receipt_is_never_rewritten(app, field, value):
    process(app, a3_mail(app)[0])
    with pytest.raises(ReceiptRewritten, match="不得修改"):
        with app.ledger.transaction() as s:
            setattr(s.scalars(select(OutboxRow)).one(), field, value)
    with app.ledger.session() as s:
        assert getattr(s.scalars(select(OutboxRow)).one(), field) != value


def test_a_receipt_is_never_deleted_but_its_delivery_state_moves_on(app):
    process(app, a3_mail(app)[0])
    with pytest.raises(ReceiptRewritten, match="不得删除"):
        with app.ledger.transaction() as s:
            s.delete(s.scalars(select(OutboxRow)).one())
    with app.ledger.transaction() as s:
        row = s.scalars(select(OutboxRow)).one()
        row.state, row.attempts = OutboxState.SENT, 1  # sending is not rewriting
        s.add(OutboxRow(message_ref=row.message_ref, kind="reply:correction", office=row.office, to_addr=row.to_addr,
                        subject="更正：" + row.subject, body="更正说明", headers={}, created_at=row.created_at,
                        next_attempt_at=row.created_at))
    with app.ledger.session() as s:
        assert [r.kind for r in s.scalars(select(OutboxRow).order_by(OutboxRow.id))] == ["reply:accepted", "reply:correction"]
