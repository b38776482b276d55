"""The 涉密 gate end to end: on a marking nothing of the content is kept anywhere, and the sender is told to use CD."""

from __future__ import annotations

import datetime as dt
import io
import logging

import docx
import pytest
from sqlalchemy import select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import DOCX, XLSX, _mail, rows_attachment2
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import MessageRow, OutboxRow, SubmissionRow
from tests.support.canary import find_canary, in_database, make_canary

ZWFW = "xamzfw@126.com"


def marked_docx(canary: str) -> bytes:
    document = docx.Document()
    document.add_paragraph("秘密★1年")
    document.add_paragraph(f"关于{canary}的情况报告")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plain_docx(canary: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(f"内容{canary}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def process(app, raw: bytes, tmp_path, monkeypatch, caplog) -> dict:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    caplog.set_level(logging.DEBUG)
    when = dt.datetime(2023, 1, 10, 9, tzinfo=app.campaign.timezone)
    return app.pipeline().process(delivery_from_bytes(raw, ZWFW, received_at=when))


def everything_written(app, tmp_path, caplog, verdict) -> list:
    with app.ledger.session() as s:
        rows = [repr(r.__dict__) for model in (MessageRow, OutboxRow, SubmissionRow) for r in s.scalars(select(model))]
    app.ledger.dispose()
    return [tmp_path, caplog.text, repr(verdict), *rows]


@pytest.mark.parametrize("where", ["document", "subject", "filename", "body"])
def test_a_marked_message_leaves_no_trace(app, tmp_path, monkeypatch, caplog, where):
    canary = make_canary()
    subject = f"【涉密】{canary}" if where == "subject" else f"材料{canary}"
    body = f"秘密★长期\n{canary}" if where == "body" else f"正文{canary}"
    name = f"（涉密）{canary}.docx" if where == "filename" else f"{canary}.docx"
    data = marked_docx(canary) if where == "document" else plain_docx(canary)
    raw = _mail("jyj@example.com", ZWFW, subject, dt.datetime(2023, 1, 10, 9), body, [(name, data, DOCX)])
    verdict = process(app, raw, tmp_path, monkeypatch, caplog)
    assert verdict["outcome"] == "refused_classified"
    assert in_database(canary, app.ledger.engine) == []  # every table, found by reflection
    assert find_canary(canary, *everything_written(app, tmp_path, caplog, verdict)) == []
    with app.ledger.session() as s:
        message = s.scalars(select(MessageRow)).one()
        reply = s.scalars(select(OutboxRow).where(OutboxRow.kind.like("reply:%"))).one()
        alert = s.scalars(select(OutboxRow).where(OutboxRow.kind == "alert")).one()
    assert message.reason == "classified" and message.sender == "jyj@example.com"  # the rule's name (mailbot rules)
    assert alert.to_addr == "xamzfw@126.com" and alert.priority == 0 and "jyj@example.com" in alert.body and message.receipt_no in alert.body
    assert "光盘" in reply.body and "盟政务服务中心四楼403室" in reply.body and "0482-8288095" in reply.body


def test_an_ordinary_return_mentioning_secrets_is_processed(app, tmp_path, monkeypatch, caplog):
    rows = rows_attachment2()
    rows[0]["事项名称"] = "涉密信息系统集成资质审批"
    rows[1]["取消和下放的依据或理由"] = "不涉及商业秘密，属于工作秘密以外的公开事项"
    f2 = app.campaign.form("attachment2")
    raw = _mail("czj@example.com", ZWFW, "附件2（非涉密）", dt.datetime(2023, 1, 10, 9), "本材料不涉密。做好保密工作。", [("附件2.xlsx", form_xlsx(f2, "兴安盟财政局", rows), XLSX)])
    verdict = process(app, raw, tmp_path, monkeypatch, caplog)
    assert verdict["outcome"] == "accepted" and verdict["forms"][0]["kind"] == "attachment2"
