"""Turn raw message bytes into a Delivery (decoding is pure; this adds where and when it arrived)."""

from __future__ import annotations

import datetime as dt

from parsers.message import decode_message
from routing.delivery import Delivery


def delivery_from_bytes(raw: bytes, mailbox: str, *, received_at: dt.datetime | None = None, folder: str = "INBOX",
                        uidvalidity: int | None = None, uid: int | None = None, now: dt.datetime | None = None) -> Delivery:
    """Decode ``raw`` and wrap it; received time = the given one, else the Date header, else now."""
    decoded = decode_message(raw)
    when = received_at or decoded.date or now
    if when is None:
        raise ValueError("no received time")
    delivery = Delivery(raw=raw, mailbox=mailbox.lower(), received_at=when, folder=folder, uidvalidity=uidvalidity, uid=uid)
    delivery.message_id = decoded.message_id
    delivery.sender, delivery.sender_name, delivery.subject = decoded.sender, decoded.sender_name, decoded.subject
    delivery.headers, delivery.body_text = dict(decoded.headers), decoded.body_text
    delivery.own_text = decoded.own_text
    delivery.auth_results = list(decoded.auth_results)
    delivery.attachments, delivery.links = list(decoded.attachments), list(decoded.links)
    delivery.gate_texts = list(decoded.gate_texts)
    delivery.problems.extend(decoded.problems)
    return delivery


def looks_like_mail(raw: bytes) -> bool:
    """Whether the bytes start with RFC 5322 headers and carry a From or Message-ID."""
    head = raw[:8192].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].lower()
    if not head or b":" not in head.split(b"\n", 1)[0]:
        return False
    return any(f"\n{name}:".encode() in b"\n" + head for name in ("from", "message-id", "date"))
