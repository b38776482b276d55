"""The outbox against a real SMTP server on loopback that delivers into dovecot: order, retries, exactly once."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from sqlalchemy import select

from mailbot.ledger.models import OutboxRow, OutboxState
from mailbot.mail.smtp import SmtpConnection
from mailbot.outbox.policy import SendPolicy
from mailbot.outbox.send import claim_next, send_due
from mailbot.settings import Server

pytestmark = pytest.mark.imap

FAST = SendPolicy(min_interval=0, per_recipient=dt.timedelta(0))


@pytest.fixture
def clock(app):
    moment = [dt.datetime(2023, 1, 10, 9, tzinfo=app.campaign.timezone)]
    return moment


def queue(app, clock, to: str, kind: str = "reply:accepted", priority: int = 2, office: str = "bianban") -> int:
    with app.ledger.transaction() as s:
        row = OutboxRow(kind=kind, office=office, to_addr=to, subject=f"回复：{kind}", body="您好！材料已收到。", headers={"In-Reply-To": "<m1@example.test>"},
                        priority=priority, created_at=clock[0], next_attempt_at=clock[0])
        s.add(row)
        s.flush()
        return row.id


def connector(sink):
    return lambda office: SmtpConnection(Server(sink.host, sink.port, "plain", timeout=10), "794605082@qq.com", None)


def run(app, sink, clock, **kw):
    return send_due(app.ledger, ["bianban"], connector(sink), policy=kw.pop("policy", FAST), now=lambda: clock[0], sleep=lambda s: None,
                 senders={"bianban": ("794605082@qq.com", "盟委编办")}, **kw)


def states(app) -> dict[int, str]:
    with app.ledger.session() as s:
        return {r.id: r.state.value for r in s.scalars(select(OutboxRow))}


def test_receipt_reaches_the_department_threaded_and_marked_automatic(app, smtp_sink, dovecot_server, imap_user, clock):
    user, _ = imap_user
    queue(app, clock, user)
    assert run(app, smtp_sink, clock).sent == 1
    [raw] = dovecot_server.read_mailbox(user).values()
    assert b"Auto-Submitted: auto-replied" in raw and b"In-Reply-To: <m1@example.test>" in raw
    assert b"From: =?utf-8?b?" in raw and b"794605082@qq.com" in raw


def test_priority_order_refusals_first(app, smtp_sink, imap_user, clock):
    user, _ = imap_user
    queue(app, clock, user, "reminder", priority=3)
    queue(app, clock, user, "reply:accepted", priority=2)
    queue(app, clock, user, "reply:refused_classified", priority=0)
    run(app, smtp_sink, clock)
    subjects = [email.message_from_bytes(r.data, policy=policy.default)["Subject"] for r in smtp_sink.received]
    assert subjects == ["回复：reply:refused_classified", "回复：reply:accepted", "回复：reminder"]


def test_temporary_refusal_is_retried_later_and_sent_once(app, smtp_sink, imap_user, clock):
    row = queue(app, clock, imap_user[0])
    smtp_sink.fail_next("MAIL", "451 4.3.0 try again later")
    report = run(app, smtp_sink, clock)
    assert report.deferred == 1 and states(app)[row] == "queued" and smtp_sink.received == []
    assert run(app, smtp_sink, clock).sent == 0  # not due yet: backoff
    clock[0] += dt.timedelta(minutes=2)
    assert run(app, smtp_sink, clock).sent == 1 and len(smtp_sink.received) == 1 and states(app)[row] == "sent"


def test_permanent_refusal_is_given_up_with_a_note(app, smtp_sink, imap_user, clock):
    row = queue(app, clock, imap_user[0])
    smtp_sink.fail_next("RCPT", "550 5.1.1 mailbox unavailable")
    assert run(app, smtp_sink, clock).given_up == 1
    with app.ledger.session() as s:
        out = s.get(OutboxRow, row)
    assert out.state is OutboxState.GIVEN_UP and "550" in out.last_error


def test_frequency_limit_pauses_the_account_for_hours(app, smtp_sink, imap_user, clock):
    queue(app, clock, imap_user[0])
    queue(app, clock, imap_user[0])
    smtp_sink.fail_next("MAIL", "451 MI:SFQ 163 smtp3, sender frequency limited")
    report = run(app, smtp_sink, clock)
    assert report.paused and report.sent == 0
    clock[0] += dt.timedelta(hours=1)
    assert run(app, smtp_sink, clock).sent == 0
    clock[0] += dt.timedelta(hours=3)
    report = run(app, smtp_sink, clock)
    assert (report.sent, report.merged) == (1, 1)  # both receipts, in one mail to their one address


def test_refused_connection_leaves_rows_queued(app, smtp_sink, imap_user, clock):
    row = queue(app, clock, imap_user[0])
    smtp_sink.stop()
    report = run(app, smtp_sink, clock)
    assert report.sent == 0 and states(app)[row] == "queued"


def test_a_crash_before_the_commit_sends_nothing_and_the_row_is_sent_later_once(app, smtp_sink, imap_user, clock, monkeypatch):
    row = queue(app, clock, imap_user[0])
    import mailbot.outbox.send as outbox_send

    def die(*args):
        raise KeyboardInterrupt("killed between DATA and the final dot")

    monkeypatch.setattr(outbox_send, "_mark_uncertain", die)  # the commit made just before the final dot
    with pytest.raises(KeyboardInterrupt):
        run(app, smtp_sink, clock)
    monkeypatch.undo()
    assert smtp_sink.received == [] and states(app)[row] == "sending"
    assert run(app, smtp_sink, clock).sent == 0  # still under the dead worker's lease
    clock[0] += dt.timedelta(minutes=6)
    assert run(app, smtp_sink, clock).sent == 1 and len(smtp_sink.received) == 1


def test_per_recipient_pacing_and_daily_cap(app, smtp_sink, imap_user, clock, dovecot_server):
    paced = SendPolicy(min_interval=0, per_recipient=dt.timedelta(minutes=1), daily_cap=2)
    queue(app, clock, imap_user[0])
    assert run(app, smtp_sink, clock, policy=paced).sent == 1
    queue(app, clock, imap_user[0])
    clock[0] += dt.timedelta(seconds=30)
    assert run(app, smtp_sink, clock, policy=paced).sent == 0  # the address got a mail within the minute
    clock[0] += dt.timedelta(minutes=2)
    assert run(app, smtp_sink, clock, policy=paced).sent == 1
    other = f"other-{imap_user[0]}"
    dovecot_server.add_user(other)
    queue(app, clock, other)
    clock[0] += dt.timedelta(minutes=2)
    assert run(app, smtp_sink, clock, policy=paced).sent == 0  # the daily cap of 2 is reached
    with app.ledger.session() as s:
        assert claim_next(app.ledger, "bianban", clock[0] + dt.timedelta(days=1), paced) is not None
