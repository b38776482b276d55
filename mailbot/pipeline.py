"""The pipeline runner: decode, look up what the ledger knows, run the chain, record in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable

from sqlalchemy import case, literal, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from mailbot import clock
from mailbot.history import LedgerHistory
from mailbot.ledger import Ledger
from mailbot.ledger.models import MessageRow, OutboxRow
from mailbot.record import record_delivery
from mailbot.units import load_roster
from mailbot.verdict import build_verdict
from routing.auth import DEFAULT_REQUIRED, AuthPolicy
from routing.campaign import Campaign
from routing.chain import run_chain
from routing.context import Context
from routing.delivery import Delivery, Outcome

log = logging.getLogger(__name__)


class Pipeline:
    """Runs one message at a time through the chain; one message never stops the worker."""

    def __init__(self, ledger: Ledger, campaign: Campaign, *, now: Callable[[], dt.datetime] = clock.now, options: dict | None = None) -> None:
        self.ledger, self.campaign, self.now = ledger, campaign, now
        self.options = dict(options or {})
        self._context: Context | None = None  # built once per pipeline, i.e. once per intake pass

    def process(self, delivery: Delivery) -> dict[str, Any]:
        """Decide and record one delivery; return its verdict (the earlier one if it was already recorded)."""
        delivery.office = delivery.office or self.campaign.office_for_inbox(delivery.mailbox)
        with self.ledger.session() as session:
            earlier = same_delivery(session, delivery)
            if earlier is None:
                delivery.duplicate_of = find_duplicate(session, delivery)
                ctx = self._context = self._context or self.context(session)
        if earlier is not None:
            self._adopt_uid(earlier.id, delivery)
            return earlier.verdict or {"message_id": earlier.message_id, "outcome": earlier.outcome, "already_recorded": True}
        self._decide(delivery, ctx)
        return self._record_or_hold(delivery)

    def _adopt_uid(self, row_id: int, delivery: Delivery) -> None:
        """The same bytes came back under a new UID (UIDVALIDITY changed, or moved back): remember the new one."""
        if delivery.uid is None:
            return
        with self.ledger.transaction() as session:
            row = session.get(MessageRow, row_id)
            if (row.uidvalidity, row.uid, row.folder) != (delivery.uidvalidity, delivery.uid, delivery.folder):
                row.uidvalidity, row.uid, row.folder = delivery.uidvalidity, delivery.uid, delivery.folder
                log.info("message_id=%s seen again under uid %s; not processed twice", delivery.message_id, delivery.uid)

    def context(self, session: Session) -> Context:
        """The read-only data the chain consults."""
        from parsers.marking import MarkingTerms

        own = frozenset(a.lower() for o in self.campaign.offices.values() for a in o.inboxes)
        own |= frozenset(a.lower() for a in self.options.get("own_addresses", ()))
        return Context(
            campaign=self.campaign, roster=load_roster(session),
            marking_terms=MarkingTerms.from_config(self.campaign.classified),
            own_addresses=own, trusted_auth=tuple(self.options.get("trusted_auth", ())), options=self.options,
            history=LedgerHistory(self.ledger),
            auth=AuthPolicy(tuple(self.options.get("trusted_auth", ())), tuple(self.options.get("auth_required_domains", DEFAULT_REQUIRED)),
                            tuple(self.options.get("auth_public_suffixes", ()))),
        )

    def _decide(self, delivery: Delivery, ctx: Context) -> None:
        try:
            run_chain(delivery, ctx)
        except Exception:  # one message never stops the worker: a person looks at it
            log.exception("pipeline failed on message_id=%s; held for review", delivery.message_id)
            _reset_findings(delivery)
            delivery.decide(Outcome.HELD_FOR_REVIEW, "pipeline-error", "系统处理该邮件时出错")

    def _record_or_hold(self, delivery: Delivery) -> dict[str, Any]:
        """Record; if recording itself fails on this message (not the database), record it held for a person."""
        try:
            return self._record(delivery)
        except DBAPIError:
            raise  # the database is down or locked: the message stays unrecorded and is tried again later
        except Exception:  # a bug met by this message's data: it must not block the inbox on every pass
            log.exception("recording failed on message_id=%s; held for review", delivery.message_id)
            _reset_findings(delivery)
            delivery.problems.clear()
            delivery.decide(Outcome.HELD_FOR_REVIEW, "pipeline-error", "系统登记该邮件时出错")
            return self._record(delivery)

    def _record(self, delivery: Delivery) -> dict[str, Any]:
        now = self.now()
        try:
            with self.ledger.transaction() as session:
                message, reply = record_delivery(session, delivery, self.campaign, now, self.options.get("coordinators"))
                verdict = build_verdict(delivery, _reply_facts(reply), message.receipt_no)
                message.verdict = None if delivery.facts.get("withhold_content") else verdict
        except IntegrityError:
            # Another worker recorded the same UID first: nothing is doubled.
            with self.ledger.session() as session:
                earlier = same_delivery(session, delivery)
            if earlier is None:
                raise
            log.info("message_id=%s already recorded by another worker", delivery.message_id)
            return earlier.verdict or {"message_id": earlier.message_id, "outcome": earlier.outcome, "already_recorded": True}
        log.info("message_id=%s outcome=%s reason=%s receipt=%s", delivery.message_id, delivery.outcome.value, delivery.reason, message.receipt_no)
        return verdict


def _reset_findings(delivery: Delivery) -> None:
    """Forget half-made findings so a failed message is recorded cleanly (content-free if the gate had fired)."""
    delivery.returns.clear()
    delivery.handlers.clear()
    delivery.unit = None if delivery.facts.get("withhold_content") else delivery.unit


def _reply_facts(row: OutboxRow | None) -> dict[str, str] | None:
    return {"kind": row.kind.removeprefix("reply:"), "to": row.to_addr, "state": row.state.value} if row else None


def same_delivery(session: Session, d: Delivery) -> MessageRow | None:
    """The row of this very delivery: same (mailbox, folder, UIDVALIDITY, UID), or same Message-ID and bytes."""
    # UIDVALIDITY changed (or a saved file processed twice): the same bytes to the same inbox are the same delivery.
    same = MessageRow.content_hash == d.content_hash
    if d.uid is not None:
        by_uid = (MessageRow.folder == d.folder) & (MessageRow.uidvalidity == d.uidvalidity) & (MessageRow.uid == d.uid)
        query = select(MessageRow).where(MessageRow.mailbox == d.mailbox, by_uid | same).order_by(case((by_uid, 0), else_=1), MessageRow.id)
    else:
        query = select(MessageRow).where(MessageRow.mailbox == d.mailbox, same).order_by(MessageRow.id)
    return session.scalars(query.limit(1)).first()


def find_duplicate(session: Session, d: Delivery) -> dict[str, Any] | None:
    """An earlier message with the same Message-ID, or else the same sender and identical attachments."""
    same_id = MessageRow.message_id == d.message_id if d.message_id else None
    same_files = (MessageRow.sender == d.sender) & (MessageRow.attachments_hash == d.attachments_hash) if d.attachments else None
    clauses = [c for c in (same_id, same_files) if c is not None]
    if not clauses:
        return None
    rank = case((same_id, 0), else_=1) if same_id is not None else literal(0)
    query = select(MessageRow).where(MessageRow.outcome != Outcome.DUPLICATE.value, or_(*clauses)).order_by(rank, MessageRow.id)
    row = session.scalars(query.limit(1)).first()
    return _duplicate_facts(session, row) if row is not None else None


def _duplicate_facts(session: Session, row: MessageRow) -> dict[str, Any]:
    reply = session.scalars(select(OutboxRow).where(OutboxRow.message_ref == row.id)).first()
    return {"id": row.id, "received_at": row.received_at, "receipt_no": row.receipt_no, "answered_at": reply.sent_at if reply else None,
            "sender": row.sender, "outcome": row.outcome}
