"""Raw message bytes to a decoded message: sender, subject, headers, body text, attachments, big-attachment links."""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import mimetypes
import re
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from parsers.errors import UnreadableMessage
from parsers.gate import texts as gate_texts
from parsers.mail import body as mailbody
from parsers.mail import quoted
from parsers.mail.attachment import Attachment
from parsers.mail.mime import POLICY, forwarded_messages
from parsers.mail.mimetext import clean_filename, decode_bytes, decode_header_text, decode_param
from parsers.problem_texts import render
from parsers.problems import Problem, warning
from parsers.safety import unzip

# Headers the screening rules and threading need (RFC 3834, list mail, QQ/NetEase auto-replies).
KEPT_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
                "Auto-Submitted", "Precedence", "List-Id", "List-Unsubscribe", "List-Post", "Return-Path",
                "X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "Authentication-Results",
                "X-Mailer", "X-Mailbot-Omitted", "X-Mailbot-Kind")
MEDIA_TYPES = ("image", "video", "audio")
MAX_NESTING = 8  # forwarded-inside-forwarded; deeper is hostile or broken
# Multipart boundaries a message may declare. The stdlib parser recurses once per nested multipart and tests every
# line against each enclosing boundary: 1,000 nested parts (68 KB) exhaust the recursion limit after 1-3 s of work;
# 190 around 1 MB of text take three times as long as one. Real mail, forwards included, declares a handful.
MAX_BOUNDARIES = 64
_BOUNDARY = re.compile(rb"boundary\s*=", re.I)


@dataclass
class DecodedMessage:
    """What a message says, decoded; no I/O was needed to get it."""

    message_id: str = ""
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    date: dt.datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)
    auth_results: list[str] = field(default_factory=list)  # every Authentication-Results header, topmost first
    body_text: str = ""
    own_text: str = ""  # body_text without quoted mail (parsers.mail.quoted): what the readers of returns read
    attachments: list[Attachment] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    gate_texts: list[tuple[str, str, str]] = field(default_factory=list)  # see parsers.gate.texts


def decode_message(raw: bytes) -> DecodedMessage:
    """Decode every header and part of ``raw`` (forwarded messages and zips included)."""
    declared = sum(1 for _ in itertools.islice(_BOUNDARY.finditer(raw), MAX_BOUNDARIES + 1))
    if declared > MAX_BOUNDARIES:
        raise UnreadableMessage(f"more than {MAX_BOUNDARIES} multipart boundaries")
    message = message_from_bytes(raw, policy=POLICY)
    decoded = DecodedMessage(headers=read_headers(message))
    decoded.auth_results = [" ".join(decode_header_text(v).split()) for v in message.get_all("Authentication-Results", [])]
    decoded.message_id = decoded.headers.get("Message-ID", "").strip()
    decoded.subject = decoded.headers.get("Subject", "").strip()
    decoded.sender_name, decoded.sender = read_sender(message.get("From", ""))
    decoded.date = read_date(message.get("Date"))
    read_parts(message, decoded)
    return decoded


def read_headers(message: Message) -> dict[str, str]:
    """The kept headers, decoded, first occurrence of each (the topmost Return-Path is the one that counts)."""
    found: dict[str, str] = {}
    wanted = {name.lower(): name for name in KEPT_HEADERS}
    for name, value in message.raw_items():
        key = wanted.get(name.lower())
        if key and key not in found:
            found[key] = " ".join(decode_header_text(value).split())
    return found


def read_sender(value: str) -> tuple[str, str]:
    """(display name, lower-cased address) of a From header."""
    name, address = email.utils.parseaddr(decode_header_text(value))
    return name.strip(), address.strip().lower()


def read_date(value: str | None) -> dt.datetime | None:
    """The Date header as an aware datetime (a zone-less date is taken as UTC), or None."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(decode_header_text(value))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def iter_leaves(part: Message, inner: bool = False, depth: int = 0):
    """(leaf part, inside a forwarded message?) for every leaf, descending into message/rfc822."""
    if depth > MAX_NESTING:
        return
    if part.get_content_maintype() == "message" and part.get_content_subtype() in ("rfc822", "global"):
        for sub in forwarded_messages(part):
            yield from iter_leaves(sub, True, depth + 1)
    elif part.is_multipart():
        for sub in part.get_payload():
            yield from iter_leaves(sub, inner, depth + 1)
    else:
        yield part, inner


def read_parts(message: Message, decoded: DecodedMessage) -> None:
    """Sort every leaf into body text, attachments (zips unpacked) and problems."""
    texts: dict[tuple[bool, str], str] = {}
    bodies: list[tuple[bool, str, str]] = []  # every body part, for the 涉密 gate
    for part, inner in iter_leaves(message):
        filename = read_filename(part)
        if part.get("X-Mailbot-Omitted") is not None:
            note_omitted(part, filename, decoded)
        elif is_body(part, filename):
            bodies.append((inner, part.get_content_type(), read_text(part)))
            texts.setdefault(bodies[-1][:2], bodies[-1][2])
        elif filename or part.get_content_maintype() not in MEDIA_TYPES:
            add_attachment(decoded, make_attachment(part, filename, inner, len(decoded.attachments) + 1))
    decoded.body_text = choose_body(texts)
    chosen = next((key for key in BODY_ORDER if texts.get(key, "").strip()), None)
    decoded.gate_texts += gate_texts.other_bodies(bodies, chosen) + gate_texts.forwarded_subjects(message)
    decoded.own_text = quoted.own_body(*own_alternatives(texts))
    raw_html = [text for (inner, kind), text in texts.items() if kind == "text/html"]
    decoded.links = mailbody.find_big_attachment_links(decoded.body_text, *raw_html)


def read_filename(part: Message) -> str | None:
    """The part's file name from Content-Disposition filename=, else Content-Type name=, decoded."""
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        value = decode_param(part.get_param(param, header=header))
        if value:
            return clean_filename(value)
    return None


def is_body(part: Message, filename: str | None) -> bool:
    """A text part without a file name that is not marked as an attachment."""
    disposition = (part.get("Content-Disposition") or "").split(";", 1)[0].strip().lower()
    return part.get_content_type() in ("text/plain", "text/html") and not filename and disposition != "attachment"


def read_text(part: Message) -> str:
    """A text part decoded with its charset (GB2312 read as GB18030)."""
    return decode_bytes(part.get_payload(decode=True) or b"", part.get_param("charset"))


BODY_ORDER = ((False, "text/plain"), (False, "text/html"), (True, "text/plain"), (True, "text/html"))


def choose_body(texts: dict[tuple[bool, str], str]) -> str:
    """The message's own plain text, else its HTML as text; a forwarded one's only when it has none."""
    for key in BODY_ORDER:
        if texts.get(key, "").strip():
            text = texts[key]
            return mailbody.html_to_text(text) if key[1] == "text/html" else text.strip()
    return ""


def own_alternatives(texts: dict[tuple[bool, str], str]) -> tuple[str, str]:
    """(plain, HTML) of the message's own body, or of a forwarded one's when the message has none (as choose_body)."""
    for inner in (False, True):
        plain, markup = texts.get((inner, "text/plain"), ""), texts.get((inner, "text/html"), "")
        if plain.strip() or markup.strip():
            return plain, markup
    return "", ""


def make_attachment(part: Message, filename: str | None, inner: bool, number: int) -> Attachment:
    """An Attachment; a nameless part gets 附件N plus an extension guessed from its type."""
    content_type = part.get_content_type()
    name = filename or f"附件{number}{mimetypes.guess_extension(content_type) or ''}"
    return Attachment(filename=name, content_type=content_type, data=part.get_payload(decode=True) or b"", inner=inner)


def add_attachment(decoded: DecodedMessage, attachment: Attachment) -> None:
    """Keep an attachment; a zip is replaced by the files inside it (one level, bounded)."""
    if not unzip.is_zip(attachment):
        decoded.attachments.append(attachment)
        return
    decoded.gate_texts.append(("filename", "压缩包的文件名", attachment.filename))  # the files inside replace it
    found, problems = unzip.unpack_zip(attachment)
    decoded.attachments.extend(found)
    decoded.problems.extend(problems)


def note_omitted(part: Message, filename: str | None, decoded: DecodedMessage) -> None:
    """A part left on the server: silent for photos and videos, a problem for anything that could be a return."""
    if part.get_content_maintype() in MEDIA_TYPES:
        return
    name = filename or "未命名附件"
    decoded.problems.append(warning(
        "attachment-too-large", render("attachment-too-large", file=name), file=name))
