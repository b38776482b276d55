"""The loop guard over real dovecot and SMTP: a busy unit gets every receipt, an auto-responder's loop is stopped."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState, SubmissionRow
from mailbot.web import create_app
from mailbot.web.users import add_user
from tests.mailbot.test_web import login, unit_id
from tests.support.desk import running_desk

pytestmark = pytest.mark.imap
ZWFW, DEPT, UNIT = "xamzfw@126.com", "jyj@example.com", "兴安盟教育局"
RECEIPT_NO = re.compile(r"政务服务局〔\d{4}〕收字第(\d{4})号")


def return_mail(desk, n: int, bad: bool = False) -> bytes:
    rows = rows_attachment3()
    rows[0]["事项名称"] = f"第{n}项审批事项"
    if bad:
        rows[0]["内部管理事项"] = "√"  # both categories ticked: an error, so the receipt carries an annotated copy
    data = form_xlsx(desk.app.campaign.form("attachment3"), UNIT, rows)
    when = dt.datetime(2023, 1, 10, 9, n % 60, tzinfo=desk.app.campaign.timezone)
    return _mail(DEPT, ZWFW, f"附件3（第{n}次）", when, "请查收。", [(f"附件3-{n}.xlsx", data, XLSX)])


def poll_once(desk) -> int:
    return main(["--db", desk.app.ledger.url, "--settings", str(desk.settings_file), "poll", "--once"])


def received(desk) -> list:
    return [email.message_from_bytes(raw, policy=policy.default) for raw in desk.mailbox_of(DEPT)]


def status_text(desk, capsys) -> str:
    capsys.readouterr()
    assert main(["--db", desk.app.ledger.url, "--settings", str(desk.settings_file), "status"]) == 0
    return capsys.readouterr().out


@pytest.fixture
def paced_desk(dovecot, tmp_path, db_url):
    """Both offices on local servers with the shipped pacing per recipient (no wait between an account's mails)."""
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\n") as made:
        made.dovecot.add_user(DEPT)
        yield made


@pytest.fixture
def unpaced_desk(dovecot, tmp_path, db_url):
    """No pacing at all: only the loop guard stands between an auto-responder and an endless exchange."""
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        made.dovecot.add_user(DEPT)
        yield made


def test_a_unit_sending_a_burst_of_returns_gets_every_receipt(paced_desk, capsys):
    desk = paced_desk
    for n in range(1, 13):
        desk.send(return_mail(desk, n), ZWFW)
    assert poll_once(desk) == 0
    mails = received(desk)
    numbers = {int(x) for m in mails for x in RECEIPT_NO.findall(m.get_body().get_content())}
    assert numbers == set(range(1, 13)) and len(mails) <= 2  # every receipt, merged into few mails
    with desk.app.ledger.session() as s:
        assert {r.state for r in s.scalars(select(OutboxRow))} == {OutboxState.SENT}
    assert "（无）" in status_text(desk, capsys).split("未予回复的邮件")[1]
    page = dashboard(desk).get(f"/unit/{unit_id(desk.app, UNIT)}").text
    assert page.count("（与其他回执合并发送）") == 11  # the unit page says how each receipt went out


def test_a_backlog_of_several_units_is_answered_in_full(paced_desk):
    desk = paced_desk
    for n in range(1, 8):
        desk.send(return_mail(desk, n), ZWFW)
    assert poll_once(desk) == 0
    for n in range(8, 11):  # more returns while the address waits: held, then merged, not dropped
        desk.send(return_mail(desk, n), ZWFW)
    assert poll_once(desk) == 0
    with desk.app.ledger.session() as s:
        states = [r.state for r in s.scalars(select(OutboxRow).where(OutboxRow.to_addr == DEPT))]
    assert len(states) == 10 and OutboxState.SUPPRESSED not in states and states.count(OutboxState.SENT) == 7
    with desk.app.ledger.session() as s:
        row = s.scalars(select(OutboxRow).where(OutboxRow.state == OutboxState.QUEUED)).first()
        s.execute(OutboxRow.__table__.update().values(sent_at=None).where(OutboxRow.sent_at.is_not(None)))  # the minute has passed
        s.commit()
    assert row is not None and poll_once(desk) == 0
    numbers = {int(x) for m in received(desk) for x in RECEIPT_NO.findall(m.get_body().get_content())}
    assert numbers == set(range(1, 11))


def quoting_responder(mail) -> EmailMessage:
    """An auto-responder that does not say so (no Auto-Submitted), answering with a fixed line and the quoted mail."""
    reply = EmailMessage()
    reply["From"], reply["To"], reply["Subject"] = DEPT, ZWFW, f"Re: {mail['Subject']}"
    reply["Message-ID"], reply["In-Reply-To"], reply["References"] = make_msgid(domain="example.com"), mail["Message-ID"], mail["Message-ID"]
    quoted = "\n".join(f"> {line}" for line in mail.get_body().get_content().splitlines())
    reply.set_content(f"您好，来信已收悉，我们会尽快处理。\n\n------------------ 原始邮件 ------------------\n{quoted}\n")
    return reply


def bouncing_responder(mail) -> EmailMessage:
    """A forwarding rule gone wrong: our receipt sent straight back, text and annotated copies as they were."""
    reply = EmailMessage()
    reply["From"], reply["To"], reply["Subject"] = DEPT, ZWFW, f"Re: {mail['Subject']}"
    reply["Message-ID"] = make_msgid(domain="example.com")
    reply.set_content(mail.get_body().get_content())
    for part in mail.iter_attachments():
        maintype, subtype = part.get_content_type().split("/", 1)
        reply.add_attachment(part.get_content(), maintype=maintype, subtype=subtype, filename=part.get_filename())
    return reply


@pytest.mark.parametrize("responder", [quoting_responder, bouncing_responder])
def test_an_auto_responder_loop_is_stopped(unpaced_desk, responder, capsys):
    desk = unpaced_desk
    desk.send(return_mail(desk, 1, bad=True), ZWFW)
    answered, sent_per_round = 0, []
    for _ in range(8):
        assert poll_once(desk) == 0
        mails = received(desk)
        sent_per_round.append(len(mails))
        for mail in mails[answered:]:
            desk.send(bytes(responder(mail)), ZWFW)
        answered = len(mails)
    assert sent_per_round[-1] <= 2 and sent_per_round[-4:] == [sent_per_round[-1]] * 4  # stopped, and stays stopped
    with desk.app.ledger.session() as s:
        loops = s.scalars(select(MessageRow).where(MessageRow.reason == "reply-loop")).all()
        versions = s.scalars(select(SubmissionRow).where(SubmissionRow.kind == "attachment3")).all()
    assert loops and len(versions) == 1  # a bounced annotated copy is never registered as a new version
    status = status_text(desk, capsys).split("未予回复的邮件")[1]
    assert DEPT in status and ("回执被退回" in status or "重复发来相同内容" in status)


def dashboard(desk):
    """A logged-in client of the dashboard over the desk's ledger (政务服务局's coordinator)."""
    with desk.app.ledger.transaction() as s:
        add_user(s, desk.app.campaign, "zwfw", "zwfw", "zwfw-pass-1", dt.datetime(2023, 1, 10, tzinfo=dt.UTC))
    client = create_app(desk.app, secret="test-secret-0123456789").test_client()
    assert login(client, "zwfw", "zwfw-pass-1").status_code == 302
    return client


def test_the_dashboard_lists_what_was_not_answered(unpaced_desk):
    desk = unpaced_desk
    desk.send(return_mail(desk, 1, bad=True), ZWFW)
    poll_once(desk)
    for mail in received(desk):
        desk.send(bytes(bouncing_responder(mail)), ZWFW)
    poll_once(desk)
    page = dashboard(desk).get("/review").text
    table = page.split('id="loops"')[1]
    assert DEPT in table and "附件均为本系统此前发给该地址的文件" in table
