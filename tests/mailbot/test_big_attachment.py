"""Big-attachment notices (超大附件, 云附件, 网盘, 文件中转站) with a link on any host: recognised, never fetched."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from sqlalchemy import select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow
from tests.support.corpus.clients import XLSX, Quoted, message

ZWFW = "xamzfw@126.com"
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test (the robot never fetches a link)."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield calls
    assert calls == []


def run(app, raw: bytes) -> dict:
    when = dt.datetime(2023, 1, 10, 10, tzinfo=app.campaign.timezone)
    pipeline = app.pipeline()
    pipeline.now = lambda: when
    return pipeline.process(delivery_from_bytes(raw, ZWFW, received_at=when))


def reply(app) -> str:
    with app.ledger.session() as s:
        return s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first().body


@pytest.mark.parametrize("client", ["qq", "126", "foxmail", "outlook"])
@pytest.mark.parametrize("text", [
    "附件较大，已通过超大附件发送：\nhttps://files.example.cn/d/8f3a2c\n请查收。",
    "从QQ邮箱发来的云附件\n附件3.xlsx (2.1M, 2023年1月24日 10:00 到期)\n进入下载页面：https://qy.example.net/ftn/abc?k=1",
    "清单已上传网盘附件，下载地址 http://pan.example.org/s/1AbC 提取码：x7k2",
    "通过文件中转站发送：https://transfer.example.com/f/123",
])
def test_big_attachment_wording_with_a_link_on_an_unknown_host_asks_for_normal_attachments(app, no_network, client, text):
    verdict = run(app, message(client, "jyj@example.com", ZWFW, "附件3", dt.datetime(2023, 1, 10, 9, tzinfo=TZ), text))
    # It was "邮件没有附件，也未识别出报送材料" (the generic no-forms reply) before.
    assert (verdict["outcome"], verdict["reason"]) == ("unsupported", "big-attachment-link")
    body = reply(app)
    assert "超大附件" in body and "不从外部链接下载" in body and "普通附件" in body


def test_the_wording_without_any_link_is_recognised_too(app, no_network):
    raw = message("qq", "jyj@example.com", ZWFW, "附件3", dt.datetime(2023, 1, 10, 9, tzinfo=TZ), "附件太大，用超大附件发的，请查收。")
    assert run(app, raw)["reason"] == "big-attachment-link"


def test_the_wording_beside_a_real_form_does_not_stop_it_being_read(app, no_network):
    a3 = form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3())
    raw = message("126", "jyj@example.com", ZWFW, "附件3", dt.datetime(2023, 1, 10, 9, tzinfo=TZ),
                  "附件3见附件；原表较大的扫描件已用超大附件发送 https://files.example.cn/d/1", files=[("附件3.xlsx", a3, XLSX)])
    assert run(app, raw)["outcome"] == "accepted"


def test_the_wording_only_in_quoted_mail_is_not_the_senders(app, no_network):
    earlier = Quoted("jyj@example.com", "教育局", dt.datetime(2023, 1, 9, 9, tzinfo=TZ), "附件3", "已用超大附件发送：https://files.example.cn/d/1")
    raw = message("qq", "jyj@example.com", ZWFW, "回复：附件3", dt.datetime(2023, 1, 10, 9, tzinfo=TZ), "好的", quote=earlier)
    assert run(app, raw)["outcome"] == "ignored"
