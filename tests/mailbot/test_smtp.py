"""The SMTP transport against a real aiosmtpd server on loopback that delivers into dovecot."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from mailbot.mail.smtp import (
    SmtpAuthFailed,
    SmtpConnection,
    SmtpPermanent,
    SmtpRateLimited,
    SmtpTemporary,
    classify,
    send_message,
)
from mailbot.settings import Server

pytestmark = pytest.mark.imap

OFFICE = "794605082@qq.com"
CODE = "abcdefghijklmnop"


def receipt(to: str, sender: str = OFFICE) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, "回复：报送材料"
    msg["Message-ID"], msg["Auto-Submitted"] = "<r1@example.test>", "auto-replied"
    msg.set_content("您好，材料已收到，登记号：编办〔2023〕收字第0001号。")
    return msg


def server_of(sink) -> Server:
    return Server(sink.host, sink.port, "plain", timeout=10)


def test_receipt_reaches_the_departments_mailbox(smtp_auth_sink, dovecot_server, imap_user):
    user, _ = imap_user
    assert send_message(server_of(smtp_auth_sink), OFFICE, CODE, receipt(user)) == {}
    assert smtp_auth_sink.received[-1].login == OFFICE
    [raw] = dovecot_server.read_mailbox(user).values()
    assert b"Auto-Submitted: auto-replied" in raw and b"<r1@example.test>" in raw


def test_several_messages_on_one_connection(smtp_sink, imap_user):
    user, _ = imap_user
    with SmtpConnection(server_of(smtp_sink), OFFICE, None) as connection:
        connection.send(receipt(user))
        connection.send(receipt(user))
    assert len(smtp_sink.received) == 2


def test_wrong_authorization_code_is_an_auth_failure(smtp_auth_sink, imap_user):
    with pytest.raises(SmtpAuthFailed) as caught:
        send_message(server_of(smtp_auth_sink), OFFICE, "wrong", receipt(imap_user[0]))
    assert caught.value.code == 535 and smtp_auth_sink.received == []


def test_from_must_be_the_login_address(smtp_auth_sink, imap_user):
    with pytest.raises(SmtpPermanent, match="不一致"):
        send_message(server_of(smtp_auth_sink), OFFICE, CODE, receipt(imap_user[0], sender="other@qq.com"))
    assert smtp_auth_sink.received == []


@pytest.mark.parametrize("stage, reply, kind", [
    ("RCPT", "550 5.1.1 mailbox unavailable", SmtpPermanent),
    ("MAIL", "450 4.2.1 mailbox busy, try later", SmtpTemporary),
    ("RCPT", "550 Mail content denied. frequency limited", SmtpRateLimited),
    ("DATA", "554 DT:SPM 163 smtp3, mail content judged as spam", SmtpRateLimited),
    ("MAIL", "451 MI:SFQ 163 smtp3, sender frequency limited", SmtpRateLimited),
    ("MAIL", "421 HL:ICC 163 smtp3, too many connections", SmtpRateLimited),
])
def test_server_replies_are_classified(smtp_sink, imap_user, stage, reply, kind):
    smtp_sink.fail_next(stage, reply)
    with pytest.raises(SmtpTemporary if kind is SmtpRateLimited else kind) as caught:
        send_message(server_of(smtp_sink), OFFICE, None, receipt(imap_user[0]))
    assert type(caught.value) is kind
    assert caught.value.code == int(reply[:3]) and caught.value.text == reply[4:]
    assert smtp_sink.received == []


def test_refused_connection_is_temporary(smtp_sink, imap_user):
    smtp_sink.stop()
    with pytest.raises(SmtpTemporary) as caught:
        send_message(server_of(smtp_sink), OFFICE, None, receipt(imap_user[0]))
    assert caught.value.code is None and type(caught.value) is SmtpTemporary


def test_gbk_auth_reply_is_decoded():
    error = smtplib.SMTPAuthenticationError(535, "登录失败，请使用授权码登录".encode("gbk"))
    classified = classify(error)
    assert isinstance(classified, SmtpAuthFailed) and classified.text == "登录失败，请使用授权码登录"
