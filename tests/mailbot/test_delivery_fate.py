"""Every receipt goes out once: over an SMTP server on loopback that misbehaves after the final dot.

A late 250, a connection dropped after the dot and a server that dies at the dot leave the row uncertain, never
requeued; a person resolves it (`mailbot outbox`), with the office's Sent folder searched before any resend. A
passing spam refusal (554 5.7.1) is retried over hours in plainer variants; a given-up receipt alerts the
coordinator once, shows in `mailbot status` (the account row no longer says 正常) and on the dashboard.
"""

from __future__ import annotations

import datetime as dt
import email
import re
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from mailbot.app import App
from mailbot.clock import SHANGHAI
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.poll import poll_all
from mailbot.ledger.models import OutboxAttachmentRow, OutboxRow, OutboxState, UnitRow
from mailbot.outbox.send import drain
from mailbot.outbox.variants import NOTE_NO_COPY, NOTE_RESENT, NOTE_SHORT
from tests.support.desk import OFFICES, Desk, password_of, settings_text
from tests.support.servers import SmtpSink

pytestmark = pytest.mark.imap
ROOT = Path(__file__).resolve().parent.parent.parent
ZWFW = OFFICES["zwfw"]
SMTP_TIMEOUT = 2  # seconds the robot waits for a reply; a "late" 250 comes after it
SPAM = "554 5.7.1 Message content considered spam, rejected"
T0 = dt.datetime(2023, 1, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    for address in OFFICES.values():
        dovecot.add_user(address)
    sink = SmtpSink(dovecot=dovecot, users={a: password_of(a) for a in OFFICES.values()}, save_sent=True)
    sink.start()
    text = settings_text(dovecot, sink, tmp_path, "[sending]\nmin_interval = 0\nper_recipient = 0\n")
    text = re.sub(r"(\[offices\.\w+\.smtp\]\n)", rf"\1timeout = {SMTP_TIMEOUT}\n", text)
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    made = Desk(dovecot, sink, App(db=db_url, settings_file=str(path)), path)
    yield made
    sink.stop()
    made.app.ledger.dispose()


def departments(desk, count: int) -> list[tuple[str, str]]:
    """(unit, address) of government units with an address, each a dovecot user."""
    with desk.app.ledger.session() as s:
        units = [(u.name, u.emails[0]) for u in s.scalars(select(UnitRow).where(UnitRow.category == "政府").order_by(UnitRow.id)) if u.emails]
    for _, address in units[:count]:
        desk.dovecot.add_user(address)
    return units[:count]


def returns_registered(desk, count: int) -> list[str]:
    """``count`` units each send a 附件3; one intake pass registers them; their addresses."""
    spec = desk.app.campaign.form("attachment3")
    units = departments(desk, count)
    for n, (unit, address) in enumerate(units):
        desk.send(_mail(address, ZWFW, f"附件3（{unit}）", T0 + dt.timedelta(minutes=n), "请查收。",
                        [("附件3.xlsx", form_xlsx(spec, unit, rows_attachment3()), XLSX)]), ZWFW)
    assert sum(r.processed for r in poll_all(desk.app)) == count
    return [address for _, address in units]


def receipts_of(desk, address: str) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(raw, policy=policy.default) for raw in desk.mailbox_of(address)]


def rows(desk, **where) -> list[OutboxRow]:
    with desk.app.ledger.session() as s:
        query = select(OutboxRow).order_by(OutboxRow.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxRow, name) == value)
        return list(s.scalars(query))


def mailbot(desk, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mailbot", "--db", desk.app.ledger.url, "--settings", str(desk.settings_file), *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def drain_turns(desk, turns: int = 3) -> None:
    """The worker's outbox turns, now and hours later (past every retry delay and lease): nothing may go twice."""
    for _ in range(turns):
        drain(desk.app)
    with time_machine.travel(dt.datetime.now(SHANGHAI) + dt.timedelta(hours=2), tick=True):
        for _ in range(turns):
            drain(desk.app)


# ---------------------------------------------------------------- unknown outcomes: never requeued, resolved by a person

@pytest.mark.parametrize("fault", ["!late 4", "!drop"])
def test_a_mail_the_server_took_without_a_timely_250_is_delivered_once_and_shown(desk, fault):
    addresses = returns_registered(desk, 5)
    desk.sink.fail_next("DATA", fault)  # the first receipt: accepted at the dot, but no reply reaches the robot
    drain_turns(desk)
    assert sorted(len(receipts_of(desk, a)) for a in addresses) == [1] * 5  # 5 deliveries for 5 receipts
    [unknown] = rows(desk, state=OutboxState.UNCERTAIN)
    assert len(rows(desk, state=OutboxState.SENT)) == 4 and "可能已送达" in unknown.last_error

    status = mailbot(desk, "status")
    assert status.returncode == 0, status.stderr
    line = next(line for line in status.stdout.splitlines() if line.strip().startswith(("│ 政务服务局", "┃ 政务服务局")) or "政务服务局" in line and "结果不明" in line)
    assert "1 封结果不明" in line and "正常" not in line
    assert f"mailbot outbox mark-sent {unknown.id}" in status.stdout.replace("\n", "")

    # The provider kept a copy in the Sent folder: a resend finds it there and sends nothing.
    resend = mailbot(desk, "outbox", "resend", str(unknown.id))
    assert resend.returncode == 0 and "已发送”文件夹中找到" in resend.stdout, resend.stdout + resend.stderr
    drain_turns(desk, 2)
    assert [r.state for r in rows(desk, id=unknown.id)] == [OutboxState.SENT]
    assert sorted(len(receipts_of(desk, a)) for a in addresses) == [1] * 5
    assert "1 封结果不明" not in mailbot(desk, "status").stdout


def test_a_mail_lost_at_the_dot_is_resent_once_after_the_sent_folder_is_searched(desk):
    [address] = returns_registered(desk, 1)
    desk.sink.fail_next("DATA", "!lost")  # the server died at the dot: nothing delivered, nothing in Sent
    drain_turns(desk)
    [unknown] = rows(desk, state=OutboxState.UNCERTAIN)
    assert receipts_of(desk, address) == []
    listing = mailbot(desk, "outbox")
    assert listing.returncode == 0 and f"[{unknown.id}] 结果不明" in listing.stdout
    resend = mailbot(desk, "outbox", "resend", str(unknown.id))
    assert resend.returncode == 0 and "重新排入发件队列" in resend.stdout, resend.stdout + resend.stderr
    drain_turns(desk)
    assert len(receipts_of(desk, address)) == 1 and [r.state for r in rows(desk, id=unknown.id)] == [OutboxState.SENT]
    assert "没有未能送达或结果不明的邮件" in mailbot(desk, "outbox").stdout


def test_an_uncertain_mail_is_not_resent_blind_and_can_be_marked_sent(desk):
    [address] = returns_registered(desk, 1)
    desk.sink.fail_next("DATA", "!drop")
    drain_turns(desk)
    [unknown] = rows(desk, state=OutboxState.UNCERTAIN)
    with time_machine.travel(dt.datetime.now(SHANGHAI) + dt.timedelta(hours=6), tick=True):
        drain_turns(desk, 2)  # long past any lease: still not sent again
    assert len(receipts_of(desk, address)) == 1 and rows(desk, id=unknown.id)[0].state is OutboxState.UNCERTAIN
    done = mailbot(desk, "outbox", "mark-sent", str(unknown.id))
    assert done.returncode == 0 and rows(desk, id=unknown.id)[0].state is OutboxState.SENT
    again = mailbot(desk, "outbox", "resend", str(unknown.id))
    assert again.returncode != 0 and "无需处理" in again.stderr


# ---------------------------------------------------------------- content judged spam: retried over hours, plainer each time

def queue_receipt(desk, to: str, n: int, attached: bool = True) -> int:
    with desk.app.ledger.transaction() as s:
        row = OutboxRow(kind="reply:invalid", office="zwfw", to_addr=to, subject=f"回复：附件3（{n}）",
                        body=f"兴安盟单位{n}：\n\n您好！邮件已收到并登记，收件编号：{n}。经检查，部分材料需要修改。\n\n1. 附件3：第2行事项依据未填写。\n\n"
                             "如有疑问，请联系盟行政审批和政务服务局，电话：0482-0000000。\n\n盟行政审批和政务服务局\n2023年1月10日",
                        headers={}, priority=1, created_at=T0, next_attempt_at=T0)
        if attached:
            row.attachments = [OutboxAttachmentRow(filename="附件3（标注）.xlsx", content_type=XLSX, data=b"PK-annotated")]
        s.add(row)
        s.flush()
        return row.id


def test_a_passing_spam_refusal_is_retried_without_the_annotated_copy(desk):
    addresses = [a for _, a in departments(desk, 5)]
    ids = [queue_receipt(desk, a, n) for n, a in enumerate(addresses)]
    with time_machine.travel(T0, tick=True):
        desk.sink.fail_next("DATA", SPAM, times=5)  # twenty seconds of "spam" for everything
        report = drain(desk.app)
        assert (report.sent, report.given_up, report.deferred) == (0, 0, 5)
        assert {r.state for r in rows(desk) if r.id in ids} == {OutboxState.QUEUED}
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=True):
        assert drain(desk.app).sent == 5
    for address in addresses:
        [receipt] = receipts_of(desk, address)
        assert NOTE_NO_COPY in receipt.get_body().get_content() and not list(receipt.iter_attachments())


def test_a_lasting_spam_refusal_gives_up_after_hours_alerts_once_and_is_explained(desk):
    [(_, address)] = departments(desk, 1)
    row_id = queue_receipt(desk, address, 1)
    moment, delivered = T0, []
    for wait in (dt.timedelta(0), dt.timedelta(minutes=15), dt.timedelta(hours=1), dt.timedelta(hours=3)):
        moment += wait + dt.timedelta(minutes=1)  # the retry is due a little after the wait, counted from the refusal
        with time_machine.travel(moment, tick=True):
            desk.sink.fail_next("DATA", SPAM)
            drain(desk.app)
            delivered.append(rows(desk, id=row_id)[0])
    assert [r.state for r in delivered] == [OutboxState.QUEUED] * 3 + [OutboxState.GIVEN_UP]
    assert [r.content_rejections for r in delivered] == [1, 2, 3, 4]
    assert receipts_of(desk, address) == []
    alerts = rows(desk, kind="undelivered")
    assert len(alerts) == 1 and alerts[0].to_addr == ZWFW and address in alerts[0].subject  # the coordinator (here the inbox)
    assert "垃圾邮件" in alerts[0].body and "mailbot" not in alerts[0].body and "reply:" not in alerts[0].body  # words, not codes
    with time_machine.travel(moment + dt.timedelta(hours=1), tick=True):
        drain(desk.app)
        drain(desk.app)
    assert len(rows(desk, kind="undelivered")) == 1  # one alert, however often the outbox turns
    assert [m["Subject"] for m in receipts_of(desk, ZWFW)] == [alerts[0].subject]

    page = dashboard_page(desk)
    assert 'id="undelivered"' in page and f'data-outbox="{row_id}"' in page and address in page and "垃圾邮件" in page

    status = mailbot(desk, "status").stdout
    assert "1 封未能送达" in status and "4次认为内容像垃圾邮件" in status.replace("\n", "").replace(" ", "")
    assert f"mailbot outbox resend {row_id}" in status.replace("\n", "").replace(" ", "").replace("mailbotoutboxresend", "mailbot outbox resend ")


def dashboard_page(desk) -> str:
    """The zwfw coordinator's ledger page, logged in through the real login form."""
    from mailbot.web import create_app
    from mailbot.web.users import add_user

    with desk.app.ledger.transaction() as s:
        add_user(s, desk.app.campaign, "zwfw", "zwfw", "zwfw-pass-1", T0)
    client = create_app(desk.app, secret="test-secret-0123456789", session_hours=8).test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "zwfw", "password": "zwfw-pass-1", "csrf_token": token})
    return client.get("/").text


def test_each_retry_after_a_spam_refusal_is_plainer(desk):
    [(_, address)] = departments(desk, 1)
    row_id = queue_receipt(desk, address, 1)
    moment = T0
    for wait in (dt.timedelta(0), dt.timedelta(minutes=15), dt.timedelta(hours=1)):
        moment += wait + dt.timedelta(minutes=1)
        with time_machine.travel(moment, tick=True):
            desk.sink.fail_next("DATA", SPAM)
            drain(desk.app)
    sent = [email.message_from_bytes(r.data, policy=policy.default) for r in desk.sink.received]
    assert sent == []  # the refused ones never reached the department
    with time_machine.travel(moment + dt.timedelta(hours=3, minutes=1), tick=True):
        drain(desk.app)
    [receipt] = receipts_of(desk, address)
    text = receipt.get_body().get_content()
    assert NOTE_RESENT in text and NOTE_SHORT in text and "0482-0000000" in text and "第2行" not in text
    assert not list(receipt.iter_attachments()) and rows(desk, id=row_id)[0].state is OutboxState.SENT


def test_receipts_merged_into_one_mail_share_its_unknown_fate_and_its_resolution(desk):
    [(_, address)] = departments(desk, 1)
    ids = []
    with desk.app.ledger.transaction() as s:
        for n in range(3):
            row = OutboxRow(kind="reply:accepted", office="zwfw", to_addr=address, subject=f"回复：附件3（{n}）", body=f"回执{n}",
                            headers={"In-Reply-To": f"<m{n}@example.org>"}, priority=2, created_at=T0, next_attempt_at=T0)
            s.add(row)
            s.flush()
            ids.append(row.id)
    desk.sink.fail_next("DATA", "!late 4")
    drain_turns(desk)
    assert len(receipts_of(desk, address)) == 1  # one mail carried the three receipts, and went once
    assert [r.state for r in rows(desk) if r.id in ids] == [OutboxState.UNCERTAIN] * 3
    lead, first_rider, second_rider = ids
    # A receipt that rode in another's mail is looked for in Sent under that mail's Message-ID.
    found = mailbot(desk, "outbox", "resend", str(first_rider))
    assert found.returncode == 0 and "已发送”文件夹中找到" in found.stdout, found.stdout + found.stderr
    assert mailbot(desk, "outbox", "mark-sent", str(lead)).returncode == 0  # the lead settles the rest of its mail
    assert {r.id: r.state for r in rows(desk) if r.id in ids} == {i: OutboxState.SENT for i in ids}
    drain_turns(desk, 1)
    assert len(receipts_of(desk, address)) == 1 and second_rider in ids
