"""What else a message carries for the 涉密 gate to read: every other body version, forwarded subjects, archive names.

The readers use one body (plain text, else HTML) and the attachments; the rest still sits in the raw
message, which is kept for a held message and left in a mailbox folder, so the gate reads it too.
Each text is a (kind, place, text) triple; kind is subject, body or filename (parsers.gate.scan.scan_more).
"""

from __future__ import annotations

from email.message import Message

from parsers.mail import body as mailbody
from parsers.mail.mimetext import decode_header_text

MAX_NESTING = 8  # as parsers.mail.decode: deeper forwards are not read at all
MAX_PARTS = 10_000  # a walk over a hostile tree stops here; the parts past it are not read either

_PLACES = {(False, "text/plain"): "正文的其他部分", (False, "text/html"): "正文的网页格式版本",
           (True, "text/plain"): "转发邮件的正文", (True, "text/html"): "转发邮件的正文"}


def other_bodies(bodies: list[tuple[bool, str, str]], chosen: tuple[bool, str] | None) -> list[tuple[str, str, str]]:
    """Each body part but the first of the kind the reader chose, as text (HTML rendered as the reader renders it)."""
    found, skipped = [], False
    for inner, kind, text in bodies:
        if (inner, kind) == chosen and not skipped:
            skipped = True  # the reader's body: parsers.gate.scan.scan_body reads it already
            continue
        if text.strip():
            found.append(("body", _PLACES[(inner, kind)], mailbody.html_to_text(text) if kind == "text/html" else text))
    return found


def forwarded_subjects(message: Message) -> list[tuple[str, str, str]]:
    """The Subject of every message forwarded as an attachment (message/rfc822), however deep the reader goes."""
    from parsers.mail.mime import forwarded_messages  # the one place that knows how forwards are encoded

    found, stack, seen = [], [(message, 0)], 0
    while stack and seen < MAX_PARTS:
        part, depth = stack.pop()
        seen += 1
        if depth > MAX_NESTING:
            continue
        if part.get_content_maintype() == "message" and part.get_content_subtype() in ("rfc822", "global"):
            for sub in forwarded_messages(part):
                found.append(("subject", "转发邮件的主题", decode_header_text(sub.get("Subject", ""))))
                stack.append((sub, depth + 1))
        elif part.is_multipart():
            stack.extend((sub, depth + 1) for sub in reversed(part.get_payload()))
    return [item for item in found if item[2].strip()]
