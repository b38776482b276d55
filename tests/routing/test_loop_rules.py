"""The loop guard's decision, pure: what counts as our mail coming back, the same text again, or too much chatter."""

from __future__ import annotations

import datetime as dt

from parsers.mail.attachment import Attachment
from routing.delivery import Delivery
from routing.rules.loop import LoopFacts, LoopPolicy, echoes, fingerprint, loop_reason

RECEIPT = "兴安盟教育局：\n\n您好！2023年1月10日发送至 xamzfw@126.com 的邮件已收到并登记，收件编号：政务服务局〔2023〕收字第0007号。\n本次收到的材料：\n1. 附件3（文件：附件3.xlsx）：合格。\n如有疑问，请联系盟行政审批和政务服务局齐丹丹同志，电话：0482-8288095。\n"
POLICY = LoopPolicy()


def mail(body: str = "请查收。", files: tuple[bytes, ...] = ()) -> Delivery:
    d = Delivery(raw=b"x", mailbox="xamzfw@126.com", received_at=dt.datetime(2023, 1, 10, tzinfo=dt.UTC), sender="jyj@example.com", body_text=body)
    d.attachments = [Attachment(f"f{n}.xlsx", "application/octet-stream", data) for n, data in enumerate(files)]
    return d


def test_the_fingerprint_ignores_numbers_spacing_width_and_the_quoted_original():
    first = mail("您好，来信已收悉（2023-01-10 10:00:01，第1次）。\n\n------------------ 原始邮件 ------------------\n> 回执一")
    again = mail("您好，来信已收悉（２０２３-01-10  10:05:17，第2次）。\n\n------------------ 原始邮件 ------------------\n> 回执二")
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(mail("您好，来信已收悉。请问附件2怎么填？"))
    assert fingerprint(mail("请查收。", (b"a",))) != fingerprint(mail("请查收。", (b"b",)))


def test_our_receipt_sent_back_is_an_echo_a_reply_quoting_it_is_not():
    assert echoes(RECEIPT.replace("0007", "0008"), RECEIPT, 0.6)
    assert not echoes("您好，附件3已修改，请查收。", RECEIPT, 0.6)
    assert loop_reason(mail(RECEIPT), LoopFacts(our_bodies=(RECEIPT,)), POLICY).startswith("正文为本系统")
    quoted = "您好，附件已修改，请查收。\n\n发件人：盟行政审批和政务服务局\n发送时间：2023年1月10日(星期二) 上午10:05\n" + RECEIPT
    assert loop_reason(mail(quoted), LoopFacts(our_bodies=(RECEIPT,)), POLICY) == ""


def test_our_own_files_coming_back_are_a_loop_new_files_never():
    ours = Attachment("批注-附件3.xlsx", "x", b"annotated").sha256
    assert loop_reason(mail("", (b"annotated",)), LoopFacts(our_files=frozenset({ours})), POLICY).startswith("附件均为本系统")
    assert loop_reason(mail("", (b"annotated", b"new return")), LoopFacts(our_files=frozenset({ours})), POLICY) == ""


def test_a_busy_unit_is_never_a_loop():
    busy = LoopFacts(bare_answered=50)  # fifty answers this hour to its mails without attachments
    assert loop_reason(mail("请查收。", (b"return 51",)), busy, POLICY) == ""
    assert loop_reason(mail("请问附件2怎么填？"), busy, POLICY).startswith("同一地址一小时内")
    assert loop_reason(mail("请问附件2怎么填？"), LoopFacts(bare_answered=4), POLICY) == ""


def test_the_same_text_again_after_an_answer():
    assert loop_reason(mail("您好，来信已收悉。"), LoopFacts(same_text_answered=True), POLICY).startswith("同一地址短时间内重复")
