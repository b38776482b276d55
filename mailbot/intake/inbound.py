"""Turn raw message bytes into a Delivery (decoding is pure; this adds where and when it arrived)."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from email.parser import BytesHeaderParser
from email.policy import compat32

from mailbot import clock
from mailbot.ledger.models import MessageRow
from mailbot.ledger.values import UNFIT, column_limit, fit_text
from parsers.errors import ParserError
from parsers.mail.decode import decode_message
from parsers.mail.mimetext import decode_header_text
from routing.delivery import Delivery, Outcome

log = logging.getLogger(__name__)
MAX_ADDRESS = 254  # RFC 5321's path limit less its brackets: anything longer cannot be answered
HEAD_BYTES = 256 * 1024  # what is read of an undecodable message to name it (Message-ID, From)


def delivery_from_bytes(raw: bytes, mailbox: str, *, received_at: dt.datetime | None = None, folder: str = "INBOX",
                        uidvalidity: int | None = None, uid: int | None = None, now: dt.datetime | None = None) -> Delivery:
    """Decode ``raw`` and wrap it; received time = the given one, else the Date header, else now.

    This is where a message's own boundary starts: bytes that cannot be decoded (nesting deep enough to exhaust
    the recursion limit, a decoder bug) give a delivery already held for a person, never an exception.
    """
    where = dict(mailbox=mailbox.lower(), folder=folder, uidvalidity=uidvalidity, uid=uid)
    try:
        decoded = decode_message(raw)
    except Exception as exc:  # noqa: BLE001 - anything about these bytes holds this message, not the inbox
        # A traceback only for the unforeseen: a RecursionError's thousand frames take seconds to format.
        log.warning("message of %s uid %s cannot be decoded (%s); held for review", mailbox, uid, type(exc).__name__,
                    exc_info=not isinstance(exc, (RecursionError, ParserError)))
        return held_undecodable(raw, received_at or now or clock.now(), **where)
    delivery = Delivery(raw=raw, received_at=_when(received_at, decoded.date, now), **where)
    delivery.message_id = fit_message_id(decoded.message_id)
    delivery.sender, delivery.sender_name, delivery.subject = usable_address(decoded.sender), decoded.sender_name, decoded.subject
    delivery.headers, delivery.body_text = dict(decoded.headers), decoded.body_text
    delivery.own_text = decoded.own_text
    delivery.auth_results = list(decoded.auth_results)
    delivery.attachments, delivery.links = list(decoded.attachments), list(decoded.links)
    delivery.gate_texts = list(decoded.gate_texts)
    delivery.problems.extend(decoded.problems)
    return delivery


def held_undecodable(raw: bytes, received_at: dt.datetime, **where) -> Delivery:
    """A delivery for bytes that could not be decoded: named from its header block, held, nothing of it kept."""
    delivery = Delivery(raw=raw, received_at=received_at, **where)
    head = read_head(raw)
    delivery.message_id = fit_message_id(decode_header_text(head.get("Message-ID", "")).strip())
    delivery.sender = usable_address(email.utils.parseaddr(decode_header_text(head.get("From", "")))[1])
    # The 涉密 gate never read it: nobody knows whether it is marked, so none of its content may be stored.
    delivery.withhold_content = True
    delivery.decide(Outcome.HELD_FOR_REVIEW, "邮件格式异常，系统无法解析", reason="undecodable")
    return delivery


def read_head(raw: bytes) -> dict[str, str]:
    """The header block of the first bytes of a message (headers only: no MIME tree, no recursion)."""
    try:
        head = BytesHeaderParser(policy=compat32).parsebytes(raw[:HEAD_BYTES])
        return {name: str(head.get(name, "")) for name in ("Message-ID", "From")}
    except Exception:  # noqa: BLE001 - a header block even compat32 cannot read names nothing
        return {}


def fit_message_id(value: str) -> str:
    """A Message-ID as the ledger keeps it (and duplicates are looked up by): cleaned, bounded with a digest."""
    return fit_text(value, column_limit(MessageRow.message_id))


def usable_address(address: str) -> str:
    """The sender's address if a reply could reach it, else '' (the no-sender rule then ignores the message)."""
    address = address.strip()
    if not address or len(address) > MAX_ADDRESS or UNFIT.search(address) or any(ch.isspace() for ch in address):
        return ""
    return address


def _when(received_at: dt.datetime | None, dated: dt.datetime | None, now: dt.datetime | None) -> dt.datetime:
    when = received_at or dated or now
    if when is None:
        raise ValueError("no received time")
    return when


def looks_like_mail(raw: bytes) -> bool:
    """Whether the bytes start with RFC 5322 headers and carry a From or Message-ID."""
    head = raw[:8192].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].lower()
    if not head or b":" not in head.split(b"\n", 1)[0]:
        return False
    return any(f"\n{name}:".encode() in b"\n" + head for name in ("from", "message-id", "date"))
