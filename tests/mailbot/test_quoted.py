"""Quoted mail is never read as the sender's: QQ, Coremail (126/163), Foxmail, Outlook, '>' lines, <blockquote>.

The 涉密 gate still reads the whole message; only the readers of returns read the sender's own words.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow, SubmissionRow
from parsers.mail.acks import is_acknowledgement
from parsers.mail.decode import decode_message
from parsers.mail.quoted import html_own_text, own_text
from tests.support.corpus.clients import CLIENTS, PNG, Quoted, message, reminder_text

TZ = dt.timezone(dt.timedelta(hours=8))
ZWFW = "xamzfw@126.com"
REMINDER = Quoted(ZWFW, "盟行政审批和政务服务局", dt.datetime(2023, 1, 3, 9, 0, tzinfo=TZ), "【催报】请于2023年1月4日前报送实施方案、联络人",
                  reminder_text("兴安盟司法局"))


# ---------------------------------------------------------------- plain text, each client's quote header

@pytest.mark.parametrize("quote", [
    "------------------ 原始邮件 ------------------\n发件人: \"政务服务局\"<xamzfw@126.com>;\n发送时间: 2023年1月3日(星期二) 上午9:00\n",
    "------------------\xa0Original\xa0------------------\nFrom: xamzfw <xamzfw@126.com>\nDate: Tue,Jan 3,2023 9:00 AM\n",
    "在 2023-01-03 09:00:00，\"盟行政审批和政务服务局\" <xamzfw@126.com> 写道：\n>您好！\n",
    "---- 回复的原邮件 ----\n| 发件人 | 政务服务局<xamzfw@126.com> |\n| 日期 | 2023年01月03日 09:00 |\n",
    "-------- 原始邮件 --------\n发件人：政务服务局\n时间：2023年1月3日 09:00\n",
    "-----Original Message-----\nFrom: 政务服务局 [mailto:xamzfw@126.com]\nSent: Tuesday, January 3, 2023 9:00 AM\n",
    "________________________________\nFrom: 政务服务局 <xamzfw@126.com>\nSent: 2023年1月3日 9:00\nTo: dept\n",
    "-----邮件原件-----\n发件人: 政务服务局 <xamzfw@126.com>\n发送时间: 2023年1月3日 9:00\n",
    "dept@example.com\n\xa0\n发件人：\xa0政务服务局\n发送时间：\xa02023-01-03 09:00\n收件人：\xa0dept\n",
    "On Tue, Jan 3, 2023 at 9:00 AM 政务服务局 <xamzfw@126.com> wrote:\n> 您好！\n",
    "在 2023/1/3 9:00, 政务服务局 写道:\n",
    "-------- 转发邮件信息 --------\n发件人：\"政务服务局\" <xamzfw@126.com>\n发送日期：2023-01-03 09:00:00\n",
])
def test_the_quoted_original_is_cut_whatever_the_client(quote):
    body = f"收到，谢谢！\n\n{quote}联系人：盟行政审批和政务服务局齐丹丹同志，电话：0482-8288095。\n请报送联络人、职务、电话。"
    assert own_text(body).replace("dept@example.com", "").strip() == "收到，谢谢！"


def test_quoted_lines_are_dropped_and_the_answers_between_them_kept():
    body = "> 请报送联络人\n联络人：王五\n> 职务？\n职务：办公室主任\n＞ 电话？\n电话：0482-8261234"
    assert own_text(body) == "联络人：王五\n职务：办公室主任\n电话：0482-8261234"


def test_a_from_line_of_the_senders_own_is_not_a_quote():
    body = "发件人：兴安盟司法局办公室\n现将联络人报送如下：王五，办公室主任，0482-8261234"
    assert own_text(body) == body


@pytest.mark.parametrize("markup", [
    '<div>好的</div><blockquote type="cite"><div>联系人：齐丹丹，电话：0482-8288095</div></blockquote>',
    '<div>好的</div><includetail><div>联系人：齐丹丹，电话：0482-8288095</div></includetail>',
    '<div>好的</div><div id="isReplyContent"><div>联系人：齐丹丹</div></div>',
    '<div>好的</div><div class="gmail_quote"><div>联系人：齐丹丹</div></div>',
    '<div>好的</div><div id="divRplyFwdMsg"><b>From:</b> x</div><div>联系人：齐丹丹</div>',
    '<p>好的</p><div style="border-top:solid #E1E1E1 1.0pt"><p><b>发件人:</b> 政务服务局<br><b>发送时间:</b> 2023年1月3日</p></div><p>联系人：齐丹丹</p>',
])
def test_html_quotes_are_dropped(markup):
    assert html_own_text(markup) == "好的"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("unit", ["-", " ", "-- 原始", "发件人:\n", ">", "在 " * 50 + "\n", "(", "0" * 9 + " "])
def test_a_hostile_body_is_cut_in_linear_time(unit):
    body = unit * (2_000_000 // len(unit))
    own_text(body)
    html_own_text("<div>" + body[:200_000] + "</div>")


# ---------------------------------------------------------------- decoded messages from each client

@pytest.mark.parametrize("client", CLIENTS)
def test_each_clients_reply_decodes_to_the_senders_own_words(client):
    raw = message(client, "sfj@example.com", ZWFW, f"回复：{REMINDER.subject}", dt.datetime(2023, 1, 3, 10, tzinfo=TZ), "收到",
                  quote=REMINDER)
    decoded = decode_message(raw)
    assert decoded.own_text.replace("dept@example.com", "").strip() == "收到"
    assert "齐丹丹" in decoded.body_text  # the gate and the record of the message still see all of it


# ---------------------------------------------------------------- acknowledgements

@pytest.mark.parametrize("text", ["收到", "好的，谢谢！", "收到，辛苦了", "已收到。\n\n兴安盟司法局 李明\n13800000000", "OK", "收悉",
                                  "好的\n发自我的iPhone", "收到！\n联系人：李明 13800000000", ""])
def test_acknowledgements(text):
    assert is_acknowledgement(text)


@pytest.mark.parametrize("text", ["收到，请问附件3的事项依据怎么填？", "好的，附件为我局实施方案", "收到\n请问截止时间是哪天？",
                                  "谢谢！" + "我局将按要求认真落实。" * 20])
def test_not_acknowledgements(text):
    assert not is_acknowledgement(text)


# ---------------------------------------------------------------- through the pipeline

def run(app, raw: bytes, day: int = 3) -> dict:
    pipeline = app.pipeline()
    when = dt.datetime(2023, 1, day, 10, tzinfo=app.campaign.timezone)
    pipeline.now = lambda: when
    return pipeline.process(delivery_from_bytes(raw, ZWFW, received_at=when))


def queued(app) -> list[OutboxRow]:
    with app.ledger.session() as s:
        return s.scalars(select(OutboxRow)).all()


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("words", ["收到", "好的，谢谢！"])
def test_a_bare_acknowledgement_quoting_our_reminder_gets_no_reply_and_registers_nothing(app, client, words):
    # The reminder quoted below mentions 联络人 and a 联系人 with a phone: it was read as an invalid contact return.
    raw = message(client, "sfj@example.com", ZWFW, f"回复：{REMINDER.subject}", dt.datetime(2023, 1, 3, 10, tzinfo=TZ), words,
                  quote=REMINDER, name="兴安盟司法局")
    verdict = run(app, raw)
    assert (verdict["outcome"], verdict["forms"], verdict["reply"]) == ("ignored", [], None)
    assert queued(app) == []
    with app.ledger.session() as s:
        assert s.scalars(select(SubmissionRow)).all() == []


def test_an_acknowledgement_with_a_signature_picture_gets_no_reply(app):
    raw = message("outlook", "sfj@example.com", ZWFW, "RE: 【催报】", dt.datetime(2023, 1, 3, 10, tzinfo=TZ),
                  "收到，谢谢！\n\n李明\n兴安盟司法局办公室", quote=REMINDER, files=[("image001.png", b"\x89PNG\r\n\x1a\n", PNG)])
    verdict = run(app, raw)
    assert (verdict["outcome"], verdict["file_problems"]) == ("ignored", []) and queued(app) == []


def test_a_marking_in_the_quoted_part_still_refuses_the_message(app):
    marked = Quoted(ZWFW, "某单位", REMINDER.when, "秘密★1年 关于某事项", "秘密★1年\n正文")
    raw = message("qq", "sfj@example.com", ZWFW, "回复：关于某事项", dt.datetime(2023, 1, 3, 10, tzinfo=TZ), "收到", quote=marked)
    assert run(app, raw)["outcome"] == "refused_classified"
