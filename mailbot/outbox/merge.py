"""Pacing per recipient, and merging: receipts held back for one address go out together, in one mail, never dropped.

A unit that sends ten returns in a burst gets its first receipt at once and the others in a few mails, each
answering several messages; each receipt row keeps its own text (receipts are never rewritten) and records
the mail that carried it (``merged_into``). The interval to one address grows with the mails it got in the last
hour, so a busy unit costs the office's account a handful of mails, not one per message.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from mailbot.ledger.models import OutboxRow, OutboxState
from mailbot.outbox.envelope import build_message

HOUR = dt.timedelta(hours=1)
RULE = "━" * 16


def mergeable(row: OutboxRow) -> bool:
    """Receipts merge; a 涉密 refusal or a content-free notice (no thread headers) always goes alone."""
    return row.kind.startswith("reply:") and row.kind != "reply:refused_classified" and bool((row.headers or {}).get("In-Reply-To"))


def recipient_interval(session: Session, address: str, moment: dt.datetime, policy) -> dt.timedelta:
    """How long after its last mail an address may get the next: doubling with each mail of the last hour, capped."""
    sent = select(func.count(OutboxRow.id)).where(OutboxRow.to_addr == address, OutboxRow.sent_at > moment - HOUR, OutboxRow.merged_into.is_(None))
    mails = session.scalar(sent) or 0
    return min(policy.per_recipient * (2 ** max(mails - 1, 0)), max(policy.per_recipient_max, policy.per_recipient))


def recently_sent_to(session: Session, address: str, moment: dt.datetime, policy) -> bool:
    """Whether the address got a mail within its current interval (its receipts wait, and will be merged)."""
    interval = recipient_interval(session, address, moment, policy)
    query = select(OutboxRow.id).where(OutboxRow.to_addr == address, OutboxRow.sent_at > moment - interval).limit(1)
    return session.scalar(query) is not None


def claim_companions(session: Session, lead: OutboxRow, moment: dt.datetime, policy, skip_locked: bool) -> int:
    """Claim the other receipts due to the lead's address, to go out in the lead's mail; return how many."""
    lead.merged_into = None
    if not mergeable(lead) or policy.merge_max <= 1:
        return 0
    due = (OutboxRow.state == OutboxState.QUEUED) | (OutboxRow.state == OutboxState.SENDING)
    query = (select(OutboxRow).where(OutboxRow.office == lead.office, OutboxRow.to_addr == lead.to_addr, OutboxRow.id != lead.id, due,
                                     OutboxRow.next_attempt_at <= moment, OutboxRow.kind.like("reply:%"))
             .order_by(OutboxRow.id).limit(policy.merge_max - 1).options(selectinload(OutboxRow.attachments)))
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    size, taken = sum(len(a.data) for a in lead.attachments), 0
    for row in session.scalars(query):
        extra = sum(len(a.data) for a in row.attachments)
        if not mergeable(row) or size + extra > policy.merge_bytes:
            continue
        size += extra
        row.state, row.attempts, row.next_attempt_at, row.merged_into = OutboxState.SENDING, row.attempts + 1, lead.next_attempt_at, lead.id
        taken += 1
    return taken


def companions_of(session: Session, lead_id: int) -> list[OutboxRow]:
    """The rows claimed to ride in the lead's mail, oldest first, attachments loaded."""
    query = (select(OutboxRow).where(OutboxRow.merged_into == lead_id, OutboxRow.state == OutboxState.SENDING)
             .order_by(OutboxRow.id).options(selectinload(OutboxRow.attachments)))
    return list(session.scalars(query))


IN_FLIGHT = (OutboxState.SENDING, OutboxState.UNCERTAIN)  # claimed with the lead, or gone out with it unconfirmed


def mark_companions_sent(session: Session, lead_id: int, moment: dt.datetime) -> None:
    """The lead's mail went out: so did every receipt in it."""
    session.execute(update(OutboxRow).where(OutboxRow.merged_into == lead_id, OutboxRow.state.in_(IN_FLIGHT))
                    .values(state=OutboxState.SENT, sent_at=moment, last_error=""))


def mark_companions_uncertain(session: Session, lead_id: int, moment: dt.datetime, note: str) -> None:
    """The lead's final dot is going out (mailbot.outbox.commit): the receipts in its mail share its unknown fate."""
    session.execute(update(OutboxRow).where(OutboxRow.merged_into == lead_id, OutboxRow.state.in_(IN_FLIGHT))
                    .values(state=OutboxState.UNCERTAIN, sent_at=moment, last_error=note))


def count_refusal_of_companions(session: Session, lead_id: int) -> None:
    """The lead's mail was refused as spam: so was every receipt in it (each retries plainer, then is given up)."""
    session.execute(update(OutboxRow).where(OutboxRow.merged_into == lead_id, OutboxRow.state.in_(IN_FLIGHT))
                    .values(content_rejections=OutboxRow.content_rejections + 1))


def release_companions(session: Session, lead: OutboxRow) -> None:
    """The lead's mail failed: its companions share its fate (retry at the same time, or give up with the same error)."""
    for row in session.scalars(select(OutboxRow).where(OutboxRow.merged_into == lead.id, OutboxRow.state.in_(IN_FLIGHT))):
        row.state, row.next_attempt_at, row.last_error, row.merged_into = lead.state, lead.next_attempt_at, lead.last_error, None


def build_mail(lead: OutboxRow, companions: list[OutboxRow], sender: str, display_name: str, *, variant: int = 0) -> EmailMessage:
    """The lead's own mail, or one mail carrying every receipt in order, each receipt's text unchanged.

    ``variant``: the provider's spam refusals of the lead so far (mailbot.outbox.variants makes each retry plainer).
    """
    if not companions:
        return build_message(lead, sender, display_name, variant=variant)
    rows = [lead, *companions]
    merged = _Merged(lead, rows)
    return build_message(merged, sender, display_name, variant=variant)


class _Merged:
    """The outbox row shape build_message reads, for one mail that carries several receipts."""

    def __init__(self, lead: OutboxRow, rows: list[OutboxRow]) -> None:
        self.id, self.dedup_key, self.created_at, self.kind = lead.id, lead.dedup_key, lead.created_at, lead.kind
        self.to_addr = lead.to_addr
        self.subject = f"{lead.subject}（及另外{len(rows) - 1}封邮件的回执）"
        parts = [f"以下是对您近期发来的{len(rows)}封邮件的回执。为避免短时间内向您连续发信，合并在本邮件中发送，请逐一查阅："]
        parts += [f"{RULE}\n第{n}封：{row.subject}\n{RULE}\n{row.body.rstrip()}" for n, row in enumerate(rows, start=1)]
        self.body = "\n\n".join(parts) + "\n"
        replied = list(dict.fromkeys(row.headers.get("In-Reply-To", "") for row in rows))
        self.headers = {"In-Reply-To": replied[-1], "References": " ".join(replied[-10:])}  # every row is mergeable: none is empty
        self.attachments = _unique_names([a for row in rows for a in row.attachments])


def _unique_names(attachments: list) -> list:
    """Attachments of several receipts, renamed where two would share a file name."""
    seen: dict[str, int] = {}
    out = []
    for item in attachments:
        count = seen.get(item.filename, 0) + 1
        seen[item.filename] = count
        out.append(item if count == 1 else _Renamed(item, f"{count}-{item.filename}"))
    return out


class _Renamed:
    """An attachment under another file name (the stored row is not touched)."""

    def __init__(self, item, filename: str) -> None:
        self.filename, self.content_type, self.data = filename, item.content_type, item.data
