"""The pipeline runner: decode, look up what the ledger knows, run the chain, record in one transaction."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import case, literal, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot import clock
from mailbot.intake.boundary import raise_if_down
from mailbot.intake.options import PipelineOptions
from mailbot.ledger import Ledger
from mailbot.ledger.claims import claim
from mailbot.ledger.history import LedgerHistory
from mailbot.ledger.models import MessageRow, OutboxRow
from mailbot.ledger.record import record_delivery
from mailbot.ledger.units import load_roster
from mailbot.outbox.enqueue import annotated_for
from mailbot.receipts.verdict import build_verdict
from parsers.gate.scan import MarkingTerms
from routing.chain import run_chain
from routing.context import Context
from routing.delivery import Delivery, Outcome
from routing.model.campaign import Campaign

log = logging.getLogger(__name__)


class Pipeline:
    """Runs one message at a time through the chain; one message never stops the worker."""

    def __init__(self, ledger: Ledger, campaign: Campaign, *, now: Callable[[], dt.datetime] = clock.now, options: PipelineOptions | None = None,
                 terms=None) -> None:
        self.ledger, self.campaign, self.now = ledger, campaign, now
        self.options = options or PipelineOptions()
        self.terms = terms  # the 涉密 gate's terms of the Config in force (mailbot.config); None: from the campaign
        self._context: Context | None = None  # built once per pipeline, i.e. once per intake pass

    def process(self, delivery: Delivery) -> dict[str, Any]:
        """Decide and record one delivery; return its verdict (the earlier one if it was already recorded).

        Everything about this message happens inside its boundary: whatever fails on it holds it for a person,
        recorded like any other verdict. Only the database's own failure escapes, as LedgerUnavailable.
        """
        delivery.office = delivery.office or self.campaign.office_for_inbox(delivery.mailbox)
        try:
            return self._process(delivery)
        except Exception as exc:  # noqa: BLE001 - one message never stops the worker: a person looks at it
            raise_if_down(exc)
            log.error("pipeline failed on message_id=%s (%s); held for review", delivery.message_id, type(exc).__name__,
                      exc_info=not isinstance(exc, RecursionError))  # its thousand frames take seconds to format
            return self._hold(delivery)

    def _process(self, delivery: Delivery) -> dict[str, Any]:
        with self.ledger.session() as session:
            earlier = same_delivery(session, delivery)
            if earlier is None:
                delivery.duplicate_of = find_duplicate(session, delivery)
                ctx = self._context = self._context or self.context(session)
        if earlier is not None:
            self._adopt_uid(earlier.id, delivery)
            return _earlier_verdict(earlier)
        pristine = snapshot(delivery)
        if delivery.outcome is None:  # an undecodable message arrives already held (mailbot.intake.inbound)
            run_chain(delivery, ctx)
        return self._record(delivery, pristine, ctx)

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
        own = frozenset(a.lower() for o in self.campaign.offices.values() for a in o.inboxes)
        own |= frozenset(a.lower() for a in self.options.own_addresses)
        return Context(
            campaign=self.campaign, roster=load_roster(session, self.campaign.texts.name_prefixes),
            marking_terms=self.terms or MarkingTerms.from_config(self.campaign.classified),
            own_addresses=own, trusted_auth=self.options.auth.trusted, auth=self.options.auth,
            limits=self.options.limits, loop_policy=self.options.loop_policy, history=LedgerHistory(self.ledger),
        )

    def _hold(self, delivery: Delivery) -> dict[str, Any]:
        """Record a message that failed as held for a person, nothing half-made kept (its bytes only if the gate cleared it)."""
        if not gate_cleared(delivery):
            delivery.withhold_content = True  # nobody knows whether it is marked: keep none of its content
        _reset_findings(delivery)
        delivery.problems.clear()
        delivery.decide(Outcome.HELD_FOR_REVIEW, "系统处理该邮件时出错", reason="pipeline-error")
        try:
            return self._record(delivery)
        except Exception as exc:
            raise_if_down(exc)
            raise  # not even a content-free hold could be written: that is no longer about this message

    def _record(self, delivery: Delivery, pristine: dict | None = None, ctx: Context | None = None) -> dict[str, Any]:
        """Register under the delivery's claim (mailbot.ledger.claims), checking again there whether it is new.

        A delivery that another worker registered meanwhile, or one that turned out to repeat a message registered
        meanwhile, is not registered twice: the first gives back that verdict, the second is decided again as a duplicate.
        """
        now, earlier, first = self.now(), None, None
        copies = annotated_for(delivery)  # openpyxl work, outside the registration's transaction
        try:
            with self.ledger.transaction() as session:
                claim(session, delivery)
                earlier = same_delivery(session, delivery)
                first = None if earlier is not None or pristine is None else late_duplicate(session, delivery)
                if earlier is None and first is None:
                    message, reply = record_delivery(session, delivery, self.campaign, now, self.options.coordinators, copies)
                    verdict = build_verdict(delivery, _reply_facts(reply), message.receipt_no)
                    message.verdict = None if delivery.withhold_content else verdict
        except IntegrityError:
            # Another worker recorded the same UID first: nothing is doubled.
            with self.ledger.session() as session:
                earlier = same_delivery(session, delivery)
            if earlier is None:
                raise
        if earlier is not None:
            log.info("message_id=%s already recorded by another worker", delivery.message_id)
            return _earlier_verdict(earlier)
        if first is not None:
            log.info("message_id=%s was registered meanwhile through another delivery; recorded as its duplicate", delivery.message_id)
            restore(delivery, pristine)
            delivery.duplicate_of = first
            run_chain(delivery, ctx)
            return self._record(delivery, None, ctx)  # duplicate_of is known now: no third decision
        log.info("message_id=%s outcome=%s reason=%s receipt=%s", delivery.message_id, delivery.outcome.value, delivery.reason, message.receipt_no)
        return verdict


def late_duplicate(session: Session, delivery: Delivery) -> dict[str, Any] | None:
    """A message registered since the delivery was decided that makes it a duplicate (only if the chain asked)."""
    if delivery.duplicate_of is not None or "duplicate" not in delivery.trail:
        return None  # a duplicate already, or decided before the duplicate rule (ignored, held undecodable)
    return find_duplicate(session, delivery)


def gate_cleared(delivery: Delivery) -> bool:
    """Whether the 涉密 gate read the message and let it pass (only then may its bytes be kept for a reviewer)."""
    trail = delivery.trail
    return not delivery.withhold_content and "classified" in trail[:-1]


def snapshot(delivery: Delivery) -> dict[str, Any]:
    """The delivery's fields before the chain ran (lists and dicts copied), to decide it again."""
    return {f.name: copy.copy(getattr(delivery, f.name)) for f in dataclasses.fields(delivery)}


def restore(delivery: Delivery, fields: dict[str, Any]) -> None:
    """Put back what ``snapshot`` took."""
    for name, value in fields.items():
        setattr(delivery, name, copy.copy(value))


def _earlier_verdict(row: MessageRow) -> dict[str, Any]:
    return row.verdict or {"message_id": row.message_id, "outcome": row.outcome, "already_recorded": True}


def _reset_findings(delivery: Delivery) -> None:
    """Forget half-made findings so a failed message is recorded cleanly (content-free if the gate had fired)."""
    delivery.returns.clear()
    delivery.handlers.clear()
    delivery.unit = None if delivery.withhold_content else delivery.unit


def _reply_facts(row: OutboxRow | None) -> dict[str, str] | None:
    return {"kind": row.kind.removeprefix("reply:"), "to": row.to_addr, "state": row.state.value} if row else None


def same_delivery(session: Session, d: Delivery) -> MessageRow | None:
    """The row of this very delivery: same (mailbox, folder, UIDVALIDITY, UID), or same Message-ID and bytes."""
    # UIDVALIDITY changed (or a saved file processed twice): the same bytes to the same inbox are the same delivery.
    same = (MessageRow.mailbox == d.mailbox) & (MessageRow.content_hash == d.content_hash)
    if d.uid is None:
        return session.scalars(select(MessageRow).where(same).order_by(MessageRow.id).limit(1)).first()
    by_uid = (MessageRow.mailbox == d.mailbox) & (MessageRow.folder == d.folder) & (MessageRow.uidvalidity == d.uidvalidity) & (MessageRow.uid == d.uid)
    # Candidates by each index apart: written as one OR, SQLite factors out the mailbox and reads every message of
    # the inbox, twice per message (quadratic over a backlog; bench/pipeline_bench.py).
    candidates = union_all(select(MessageRow.id).where(by_uid), select(MessageRow.id).where(same))
    query = select(MessageRow).where(MessageRow.id.in_(candidates)).order_by(case((by_uid, 0), else_=1), MessageRow.id)
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
