"""The runner's ledger lookups before the chain: this very delivery again, or a duplicate of an earlier one."""

from __future__ import annotations

import datetime as dt

from mailbot.intake.pipeline import find_duplicate, same_delivery
from mailbot.ledger.models import MessageRow
from parsers.mail.attachment import Attachment
from routing.delivery import Delivery

ZWFW = "xamzfw@126.com"
T0 = dt.datetime(2023, 1, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def delivery(raw: bytes = b"raw", uid: int | None = 7, message_id: str = "<m@example.com>", files: bytes = b"x") -> Delivery:
    return Delivery(raw=raw, mailbox=ZWFW, received_at=T0, uidvalidity=1, uid=uid, message_id=message_id,
                    sender="jyj@example.com", attachments=[Attachment("附件3.xlsx", "application/octet-stream", files)])


def row(session, d: Delivery, *, uid, uidvalidity=1, message_id=None, content_hash=None, files_hash=None, receipt="R") -> MessageRow:
    message = MessageRow(mailbox=ZWFW, folder="INBOX", uidvalidity=uidvalidity, uid=uid, message_id=message_id,
                         content_hash=content_hash or f"other-{uid}", attachments_hash=files_hash, sender=d.sender,
                         received_at=T0, processed_at=T0, outcome="accepted", receipt_no=receipt)
    session.add(message)
    session.flush()
    return message


def test_the_same_uid_wins_over_the_same_bytes_under_another_uid(app):
    d = delivery()
    with app.ledger.transaction() as s:
        row(s, d, uid=3, uidvalidity=0, content_hash=d.content_hash, receipt="old-uidvalidity")
        row(s, d, uid=7, receipt="this-uid")
    with app.ledger.session() as s:
        assert same_delivery(s, d).receipt_no == "this-uid"
        assert same_delivery(s, delivery(uid=99)).receipt_no == "old-uidvalidity"  # only the bytes match
        assert same_delivery(s, delivery(raw=b"other", uid=99)) is None


def test_a_message_id_match_is_preferred_to_an_earlier_match_by_files(app):
    d = delivery()
    with app.ledger.transaction() as s:
        row(s, d, uid=1, message_id="<first@example.com>", files_hash=d.attachments_hash, receipt="same-files")
        row(s, d, uid=2, message_id=d.message_id, receipt="same-id")
    with app.ledger.session() as s:
        assert find_duplicate(s, d)["receipt_no"] == "same-id"
        assert find_duplicate(s, delivery(message_id="<new@example.com>"))["receipt_no"] == "same-files"
        assert find_duplicate(s, delivery(message_id="", files=b"different")) is None
