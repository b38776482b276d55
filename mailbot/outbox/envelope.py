"""Build the EmailMessage for an outbox row: From the office's login address, threaded, marked auto-replied."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from mailbot.ledger.models import OutboxRow
from mailbot.outbox.variants import plainer
from routing.rules.screen import KIND_HEADER


def message_id_for(row: OutboxRow, domain: str) -> str:
    """A stable Message-ID per outbox row, so a retried send is recognisably the same mail."""
    digest = hashlib.sha256(f"{row.id}:{row.dedup_key}:{row.created_at.isoformat()}".encode()).hexdigest()[:16]
    return f"<mailbot.{row.id}.{digest}@{domain}>"


def build_message(row: OutboxRow, sender: str, display_name: str, reply_to: str | None = None, *, variant: int = 0) -> EmailMessage:
    """The mail to send for ``row``; ``sender`` must be the SMTP login (providers refuse any other From).

    ``variant`` counts the provider's refusals of this mail as spam: each retry is plainer (mailbot.outbox.variants).
    """
    msg = EmailMessage()
    msg["From"] = formataddr((display_name, sender))
    msg["To"] = row.to_addr
    msg["Subject"] = row.subject
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = message_id_for(row, sender.rsplit("@", 1)[-1])
    # RFC 3834: mark every mail we send as automatic, so well-behaved responders do not answer it.
    msg["Auto-Submitted"] = "auto-replied" if row.kind.startswith("reply") else "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg[KIND_HEADER] = row.kind  # lets the intake leave our own alerts unread when the coordinator is the inbox itself
    if reply_to and reply_to.lower() != sender.lower():
        msg["Reply-To"] = reply_to
    for name in ("In-Reply-To", "References"):
        if row.headers.get(name):
            msg[name] = row.headers[name]
    body, attachments = plainer(row.body, list(row.attachments), variant)
    msg.set_content(body, charset="utf-8")
    for item in attachments:
        maintype, subtype = item.content_type.split("/", 1)
        msg.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    return msg
