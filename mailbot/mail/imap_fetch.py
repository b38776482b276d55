"""Fetching a batch of messages: sizes and structure first, then whole small messages or the wanted parts of big ones."""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32

from imapclient import IMAPClient

from mailbot.mail import imap_parts

log = logging.getLogger(__name__)
SECTIONS_PER_FETCH = 100  # a FETCH naming every section of a 10,000-part message exceeds servers' command-line limits


@dataclass(frozen=True)
class FetchedMessage:
    """One message as the intake needs it: where it is, and bytes that ``decode_message`` can read."""

    uid: int
    uidvalidity: int
    folder: str
    raw: bytes
    size: int
    internaldate: dt.datetime | None
    message_id: str
    omitted: tuple[int, ...] = ()  # sizes of parts not downloaded (a video, an oversized file)
    unreadable: bool = False  # its structure could not be followed: raw holds only its header (held for a person)

    @property
    def partial(self) -> bool:
        """Whether some part was left on the server."""
        return bool(self.omitted)


def fetch_messages(client: IMAPClient, uids: list[int], folder, *, whole_below: int,
                   max_part_bytes: int) -> list[FetchedMessage]:
    """Fetch one batch: a first round for size/structure/header, then bodies (whole or in parts)."""
    if not uids:
        return []
    # BODYSTRUCTURE only for the big ones, one at a time (fetch_in_parts): a message of 10,000 parts has a
    # structure of megabytes, and one the parser cannot follow must cost only that message.
    first = client.fetch(uids, ["RFC822.SIZE", "INTERNALDATE", "BODY.PEEK[HEADER]"])
    first = {uid: items for uid, items in first.items() if not vanished(uid, items)}
    small = [uid for uid in uids if uid in first and first[uid][b"RFC822.SIZE"] < whole_below]
    whole = client.fetch(small, ["BODY.PEEK[]"]) if small else {}
    messages = []
    for uid in uids:
        if uid not in first:
            continue  # expunged between SEARCH and FETCH
        if uid in whole:
            if whole[uid].get(b"BODY[]") is None:
                log.info("uid %s vanished before its body was fetched; skipped", uid)
                continue
            messages.append(build(uid, folder, first[uid], whole[uid][b"BODY[]"], ()))
        else:
            parted = fetch_in_parts(client, uid, folder, first[uid], max_part_bytes)
            messages.extend([parted] if parted is not None else [])
    return messages


def vanished(uid: int, items: dict) -> bool:
    """Whether another client expunged the message under us: dovecot then answers its items with NIL."""
    gone = items.get(b"BODY[HEADER]") is None or items.get(b"RFC822.SIZE") is None
    if gone:
        log.info("uid %s was expunged by another client between SEARCH and FETCH; skipped", uid)
    return gone


def fetch_in_parts(client: IMAPClient, uid: int, folder, first: dict, max_part_bytes: int) -> FetchedMessage | None:
    """Download only the sections a large message's structure says are worth reading, and rebuild it (None: it vanished)."""
    try:
        structure = client.fetch([uid], ["BODYSTRUCTURE"]).get(uid, {}).get(b"BODYSTRUCTURE")
        if structure is None:
            log.info("uid %s vanished before its structure was fetched; skipped", uid)
            return None
        plan = imap_parts.plan_message(structure, max_part_bytes=max_part_bytes)
        sections = imap_parts.list_sections(plan)
    except (imaplib.IMAP4.error, OSError):
        raise  # the connection's trouble, not this message's (Mailbox words it)
    except Exception:  # noqa: BLE001 - a structure too deep or malformed to follow: this message only
        log.warning("uid %s: structure cannot be followed; held with its header only", uid, exc_info=True)
        return build(uid, folder, first, first.get(b"BODY[HEADER]", b""), (), unreadable=True)
    found: dict[str, bytes] = {}
    for start in range(0, len(sections), SECTIONS_PER_FETCH):
        chunk = sections[start:start + SECTIONS_PER_FETCH]
        reply = client.fetch([uid], [f"BODY.PEEK[{s}]" for s in chunk]).get(uid, {})
        if reply.get(f"BODY[{chunk[0]}]".encode()) is None:
            log.info("uid %s vanished before its parts were fetched; skipped", uid)
            return None
        found.update({s: reply.get(f"BODY[{s}]".encode(), b"") or b"" for s in chunk})
    omitted = tuple(leaf.size for leaf in imap_parts.list_omitted(plan))
    message = build(uid, folder, first, imap_parts.assemble(plan, found), omitted)
    log.info("fetched %s in parts: %d bytes of %d, %d part(s) left on the server",
             message.message_id, len(message.raw), message.size, len(omitted))
    return message


def build(uid: int, folder, first: dict, raw: bytes, omitted: tuple[int, ...], *, unreadable: bool = False) -> FetchedMessage:
    """A FetchedMessage from the first round's items and the body bytes."""
    return FetchedMessage(uid=uid, uidvalidity=folder.uidvalidity, folder=folder.name, raw=raw,
                          size=int(first[b"RFC822.SIZE"]), internaldate=first.get(b"INTERNALDATE"),
                          message_id=read_message_id(first.get(b"BODY[HEADER]", b"")), omitted=omitted, unreadable=unreadable)


def read_message_id(header: bytes) -> str:
    """The Message-ID of a header block, for log lines ('' when absent)."""
    value = BytesHeaderParser(policy=compat32).parsebytes(header).get("Message-ID", "")
    return str(value).strip()
