"""Pacing per recipient and merging, against a real SMTP server on loopback: receipts wait and go out together, none dropped."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from sqlalchemy import select

from mailbot.ledger.models import OutboxAttachmentRow, OutboxRow, OutboxState
from mailbot.outbox.merge import recipient_interval
from mailbot.outbox.policy import SendPolicy
from tests.mailbot.test_outbox_send import clock, queue, run  # noqa: F401  (the clock fixture)

pytestmark = pytest.mark.imap
PACED = SendPolicy(min_interval=0)  # the shipped pacing per recipient, no wait between two mails of the account


def queue_receipt(app, clock, to: str, n: int, kind: str = "reply:accepted", attach: bytes | None = None) -> int:  # noqa: F811
    with app.ledger.transaction() as s:
        row = OutboxRow(kind=kind, office="bianban", to_addr=to, subject=f"回复：第{n}份材料", body=f"您好！第{n}份材料已收到，收件编号第{n:04d}号。\n",
                        headers={"In-Reply-To": f"<m{n}@example.test>"}, priority=2, created_at=clock[0], next_attempt_at=clock[0], dedup_key=f"reply:t{n}")
        if attach is not None:
            row.attachments = [OutboxAttachmentRow(filename="批注-附件3.xlsx", content_type="application/octet-stream", data=attach + bytes([n]))]
        s.add(row)
        s.flush()
        return row.id


def rows(app) -> list[OutboxRow]:
    with app.ledger.session() as s:
        return list(s.scalars(select(OutboxRow).order_by(OutboxRow.id)))


def parsed(sink) -> list:
    return [email.message_from_bytes(r.data, policy=policy.default) for r in sink.received]


def test_a_burst_of_receipts_to_one_address_goes_out_in_one_mail(app, smtp_sink, imap_user, clock):  # noqa: F811
    user = imap_user[0]
    ids = [queue_receipt(app, clock, user, n, attach=b"xlsx") for n in range(1, 13)]
    report = run(app, smtp_sink, clock, policy=PACED)
    assert (report.sent, report.merged) == (1, 11)
    [mail] = parsed(smtp_sink)
    body = mail.get_body().get_content()
    assert all(f"第{n:04d}号" in body for n in range(1, 13)) and "12封邮件的回执" in body
    assert mail["Subject"] == "回复：第1份材料（及另外11封邮件的回执）" and mail["In-Reply-To"] == "<m12@example.test>"
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert len(names) == 12 == len(set(names))
    assert {r.state for r in rows(app)} == {OutboxState.SENT}
    assert [r.merged_into for r in rows(app)] == [None] + [ids[0]] * 11


def test_receipts_arriving_while_the_address_waits_are_merged_not_dropped(app, smtp_sink, imap_user, clock):  # noqa: F811
    user = imap_user[0]
    queue_receipt(app, clock, user, 1)
    assert run(app, smtp_sink, clock, policy=PACED).sent == 1
    for n in range(2, 6):
        clock[0] += dt.timedelta(seconds=10)
        queue_receipt(app, clock, user, n)
        assert run(app, smtp_sink, clock, policy=PACED).sent == 0  # within the minute: held
    clock[0] += dt.timedelta(seconds=30)
    report = run(app, smtp_sink, clock, policy=PACED)
    assert (report.sent, report.merged) == (1, 3)
    assert len(smtp_sink.received) == 2 and {r.state for r in rows(app)} == {OutboxState.SENT}


def test_the_interval_to_one_address_doubles_with_each_mail_up_to_a_cap(app, smtp_sink, imap_user, clock):  # noqa: F811
    user, waits = imap_user[0], []
    for n in range(1, 8):
        queue_receipt(app, clock, user, n)
        while run(app, smtp_sink, clock, policy=PACED).sent == 0:
            clock[0] += dt.timedelta(seconds=15)
        with app.ledger.session() as s:
            waits.append(recipient_interval(s, user, clock[0], PACED))
    assert [w.total_seconds() for w in waits] == [60, 120, 240, 480, 900, 900, 900]


def test_a_failed_merged_mail_keeps_every_receipt_for_the_retry(app, smtp_sink, imap_user, clock):  # noqa: F811
    user = imap_user[0]
    for n in range(1, 5):
        queue_receipt(app, clock, user, n)
    smtp_sink.fail_next("MAIL", "451 4.3.0 try again later")
    assert run(app, smtp_sink, clock, policy=PACED).deferred == 1
    assert {(r.state, r.merged_into) for r in rows(app)} == {(OutboxState.QUEUED, None)}
    clock[0] += dt.timedelta(minutes=2)
    report = run(app, smtp_sink, clock, policy=PACED)
    assert (report.sent, report.merged) == (1, 3) and len(smtp_sink.received) == 1


def test_a_classified_refusal_is_never_merged(app, smtp_sink, imap_user, clock):  # noqa: F811
    user = imap_user[0]
    queue_receipt(app, clock, user, 1, kind="reply:refused_classified")
    queue_receipt(app, clock, user, 2)
    queue_receipt(app, clock, user, 3)
    report = run(app, smtp_sink, clock, policy=PACED)
    assert (report.sent, report.merged) == (1, 0)
    clock[0] += dt.timedelta(minutes=1, seconds=1)
    assert run(app, smtp_sink, clock, policy=PACED).merged == 1
    assert [m["Subject"].startswith("回复：第1份") for m in parsed(smtp_sink)] == [True, False]


def test_the_daily_cap_counts_mails_not_receipts(app, smtp_sink, imap_user, clock):  # noqa: F811
    user = imap_user[0]
    for n in range(1, 6):
        queue_receipt(app, clock, user, n)
    capped = SendPolicy(min_interval=0, daily_cap=2)
    assert run(app, smtp_sink, clock, policy=capped).merged == 4
    queue_receipt(app, clock, user, 6)
    clock[0] += dt.timedelta(minutes=2)
    assert run(app, smtp_sink, clock, policy=capped).sent == 1  # the second mail of the day, not the sixth


def test_receipts_the_old_burst_guard_blocked_are_queued_again_by_the_upgrade(db_url):
    from sqlalchemy import text

    from mailbot.ledger import Ledger, schema
    from tests.mailbot.test_migrations import T0, bare, seed_0_1_0

    old = bare(db_url)
    schema.upgrade(old.engine, "0005")
    seed_0_1_0(old)
    with old.engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET state = 'SUPPRESSED'"))
    schema.upgrade(old.engine)
    ledger = Ledger(db_url)
    with ledger.session() as s:
        row = s.scalars(select(OutboxRow)).one()
    assert (row.state, row.merged_into, row.next_attempt_at) == (OutboxState.QUEUED, None, T0.replace(tzinfo=dt.UTC))
    for each in (old, ledger):
        each.dispose()
