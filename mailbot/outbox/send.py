"""Drain the outbox: claim rows in priority order, pace them, send over SMTP, retry or give up by the reply."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from mailbot import clock
from mailbot.ledger import Ledger
from mailbot.ledger.models import OutboxRow, OutboxState, SenderStateRow
from mailbot.mail.smtp import (
    SmtpAuthFailed,
    SmtpConnection,
    SmtpContentRefused,
    SmtpError,
    SmtpPermanent,
    SmtpRateLimited,
    classify,
)
from mailbot.outbox.commit import DeliveryUnknown, send_then_commit
from mailbot.outbox.merge import (
    build_mail,
    claim_companions,
    companions_of,
    count_refusal_of_companions,
    mark_companions_sent,
    mark_companions_uncertain,
    recently_sent_to,
    release_companions,
)
from mailbot.outbox.policy import SendPolicy
from mailbot.outbox.trouble import alert_undelivered
from mailbot.worker_config import coordinators

log = logging.getLogger(__name__)


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    merged: int = 0  # receipts that went out inside another receipt's mail
    deferred: int = 0
    given_up: int = 0
    uncertain: int = 0  # the dot went out, no reply came: left for a person (mailbot.outbox.trouble)
    paused: dict[str, str] = field(default_factory=dict)


Connector = Callable[[str], SmtpConnection]


class Stopping(Exception):
    """Raised from the pacing sleep once the worker is told to stop: the mail in hand is already committed."""


def drain(app, stop: threading.Event | None = None) -> DrainReport:
    """Send what is due from every office with an SMTP account in the app's settings."""
    # Only this campaign's offices: another campaign's worker sends its own mail.
    return drain_with(app.ledger, app.campaign, app.settings, stop or threading.Event(), offices=list(app.campaign.offices))


def drain_with(ledger: Ledger, campaign, settings, stop: threading.Event, *, offices=None, patient: bool = True) -> DrainReport:
    """Send what is due for ``offices`` (default: each of ``settings.outgoing``), pacing with a sleep that ends on ``stop``.

    ``patient=False`` sends only what the pace allows right now and leaves the rest to the next drain.
    """
    outgoing = getattr(settings, "outgoing", None) or {}
    senders = {key: (out.address, campaign.offices[key].name if key in campaign.offices else "") for key, out in outgoing.items()}
    chosen = [key for key in (offices if offices is not None else outgoing) if key in outgoing]

    def pace(seconds: float) -> None:
        if not patient or stop.wait(seconds):
            raise Stopping()

    report = DrainReport()
    try:
        report = send_due(ledger, chosen, lambda office: connect_outgoing(outgoing[office]), senders=senders,
                          policy=settings.send_policy if outgoing else SendPolicy(), sleep=pace)
    except Stopping:
        log.info("outbox drain ended before the pace allowed more (shutdown, or an impatient drain)")
    alert_undelivered(ledger, campaign, coordinators(campaign, settings), clock.now())
    return report


def connect_outgoing(out) -> SmtpConnection:
    """A logged-in SMTP connection for an office (no AUTH when no secret is configured: loopback only)."""
    creds = out.credentials
    password = creds.read_password() if (creds.password_env or creds.password_file) else None
    return SmtpConnection(out.server, creds.username, password)


def send_due(ledger: Ledger, offices: list[str], connect: Connector, *, policy: SendPolicy = SendPolicy(),
          now: Callable[[], dt.datetime] = clock.now, sleep: Callable[[float], None] = time.sleep,
          senders: dict[str, tuple[str, str]] | None = None, limit: int | None = None) -> DrainReport:
    """Send what is due for each office; ``senders`` maps office → (From address, display name)."""
    report = DrainReport()
    for office in offices:
        _drain_office(ledger, office, connect, policy, now, sleep, (senders or {}).get(office), limit, report)
    return report


def _drain_office(ledger, office, connect, policy, now, sleep, sender, limit, report) -> None:
    if _paused(ledger, office, now()):
        report.paused[office] = "paused"
        return
    connection = None
    try:
        while limit is None or report.sent < limit:
            wait = pace_left(ledger, office, now(), policy)
            if wait > 0:
                sleep(wait)  # before the claim, so a stop here leaves no row half-taken
            row = claim_next(ledger, office, now(), policy)
            if row is None:
                return
            connection = connection or _connect(ledger, office, connect, now(), report, policy)
            if connection is None:
                release(ledger, row.id, now())
                return
            if not _send_one(ledger, connection, row, sender, policy, now, report):
                return
    finally:
        if connection is not None:
            connection.close()


def _connect(ledger, office, connect, moment, report, policy: SendPolicy):
    try:
        return connect(office)
    except SmtpError as exc:
        log.warning("smtp connect failed for office=%s: %s", office, exc)
        # The site's policy, not the class defaults: a configured backoff must apply to connection failures too.
        pause = moment + (policy.auth_pause if isinstance(exc, SmtpAuthFailed) else policy.first_retry)
        _set_pause(ledger, office, pause, str(exc))
        report.paused[office] = str(exc)
        return None


def claim_next(ledger: Ledger, office: str, moment: dt.datetime, policy: SendPolicy) -> OutboxRow | None:
    """Take the most urgent due row of the office (SKIP LOCKED on PostgreSQL), marking it SENDING under a lease."""
    with ledger.transaction() as session:
        if _sent_today(session, office, moment) >= policy.daily_cap:
            return None
        due = or_(OutboxRow.state == OutboxState.QUEUED, OutboxRow.state == OutboxState.SENDING)
        query = (select(OutboxRow).where(OutboxRow.office == office, due, OutboxRow.next_attempt_at <= moment)
                 .order_by(OutboxRow.priority, OutboxRow.id).limit(20))
        if not ledger.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        for row in session.scalars(query):
            if not recently_sent_to(session, row.to_addr, moment, policy):
                row.state, row.attempts, row.next_attempt_at = OutboxState.SENDING, row.attempts + 1, moment + policy.lease
                row.attachments  # load before the session closes
                claim_companions(session, row, moment, policy, skip_locked=not ledger.is_sqlite)
                session.flush()
                return row
    return None


def release(ledger: Ledger, row_id: int, moment: dt.datetime) -> None:
    """Put a claimed row back untouched (the connection could not be made)."""
    with ledger.transaction() as session:
        row = session.get(OutboxRow, row_id)
        row.state, row.attempts, row.next_attempt_at = OutboxState.QUEUED, max(row.attempts - 1, 0), moment
        release_companions(session, row)


def _send_one(ledger, connection: SmtpConnection, row: OutboxRow, sender, policy, now, report) -> bool:
    address, name = sender or (connection.username, "")
    with ledger.session() as session:
        companions = companions_of(session, row.id)
    message = build_mail(row, companions, address, name, variant=row.content_rejections)
    try:
        send_then_commit(connection.client, message, lambda: _mark_uncertain(ledger, row.id, now()), lambda: _mark_sent(ledger, row.id))
    except DeliveryUnknown as exc:
        _record_unknown(ledger, row, exc)
        report.uncertain += 1
        return False  # the connection is gone or out of step: this office's next mail waits for a new one
    except Exception as exc:  # smtplib and socket errors, classified below
        error = exc if isinstance(exc, SmtpError) else classify(exc)
        return _failed(ledger, row, error, policy, now(), report)
    report.sent += 1
    report.merged += len(companions)
    log.info("outbox id=%s kind=%s sent to %s%s", row.id, row.kind, row.to_addr, f" with {len(companions)} merged" if companions else "")
    return True


def _mark_uncertain(ledger: Ledger, row_id: int, moment: dt.datetime) -> None:
    # Committed just before the final dot: from here on the server may have the mail, so no claim takes it again.
    with ledger.transaction() as session:
        row = session.get(OutboxRow, row_id)
        row.state, row.sent_at = OutboxState.UNCERTAIN, moment
        row.last_error = "最后的“.”已发出，尚未收到发信服务器的确认"
        mark_companions_uncertain(session, row_id, moment, row.last_error)
        state = session.get(SenderStateRow, row.office) or SenderStateRow(office=row.office)
        state.last_sent_at = moment
        session.add(state)


def _mark_sent(ledger: Ledger, row_id: int) -> None:
    # The server said 250: whatever happens to this write, the mail must not be requeued (it stays uncertain).
    try:
        with ledger.transaction() as session:
            row = session.get(OutboxRow, row_id)
            row.state, row.last_error = OutboxState.SENT, ""
            mark_companions_sent(session, row_id, row.sent_at)
    except Exception:  # any failure here must leave the row uncertain, never requeued
        log.exception("outbox id=%s was accepted by the server but could not be marked sent; it stays uncertain", row_id)


def _record_unknown(ledger: Ledger, row: OutboxRow, exc: DeliveryUnknown) -> None:
    log.warning("outbox id=%s kind=%s to %s: no reply after the final dot (%s); left uncertain for a person", row.id, row.kind, row.to_addr, exc)
    with ledger.transaction() as session:
        current = session.get(OutboxRow, row.id)
        current.last_error = f"邮件已全部发出，但未收到发信服务器的确认（{exc}），可能已送达"
        mark_companions_uncertain(session, row.id, current.sent_at, current.last_error)  # they rode in the same mail


def _failed(ledger, row: OutboxRow, error: SmtpError, policy: SendPolicy, moment, report) -> bool:
    """Record a failed send; return whether to go on with the next row of this office."""
    log.warning("outbox id=%s send failed: %s", row.id, error)
    with ledger.transaction() as session:
        current = session.get(OutboxRow, row.id)
        current.last_error, current.sent_at = str(error), None  # a refusal at the dot undoes the uncertain mark
        if isinstance(error, SmtpContentRefused):
            count_refusal_of_companions(session, current.id)
            current.content_rejections += 1
            waits = policy.content_retries
            if current.content_rejections > len(waits):
                current.state = OutboxState.GIVEN_UP
            else:
                current.state, current.next_attempt_at = OutboxState.QUEUED, moment + waits[current.content_rejections - 1]
        elif isinstance(error, SmtpRateLimited):
            current.state, current.next_attempt_at = OutboxState.QUEUED, moment + policy.rate_pause
        elif isinstance(error, SmtpPermanent) and not isinstance(error, SmtpAuthFailed):
            current.state = OutboxState.GIVEN_UP
        elif current.attempts >= policy.max_attempts:
            current.state = OutboxState.GIVEN_UP
        else:
            current.state, current.next_attempt_at = OutboxState.QUEUED, moment + policy.retry_delay(current.attempts)
        release_companions(session, current)
        given_up = current.state is OutboxState.GIVEN_UP
    report.given_up += given_up
    report.deferred += not given_up
    if isinstance(error, (SmtpRateLimited, SmtpAuthFailed)):
        _set_pause(ledger, row.office, moment + (policy.rate_pause if isinstance(error, SmtpRateLimited) else policy.auth_pause), str(error))
        report.paused[row.office] = str(error)
        return False
    return isinstance(error, SmtpPermanent)  # after a broken connection, stop and come back later


def pace_left(ledger: Ledger, office: str, moment: dt.datetime, policy: SendPolicy) -> float:
    """Seconds until the account may send again (its last mail, from any drain, plus ``min_interval``)."""
    with ledger.session() as session:
        state = session.get(SenderStateRow, office)
        last = state.last_sent_at if state else None
    if last is None or policy.min_interval <= 0:
        return 0.0
    return max((last - moment).total_seconds() + policy.min_interval, 0.0)


def _paused(ledger: Ledger, office: str, moment: dt.datetime) -> bool:
    with ledger.session() as session:
        state = session.get(SenderStateRow, office)
        return bool(state and state.paused_until and state.paused_until > moment)


def _set_pause(ledger: Ledger, office: str, until: dt.datetime, reason: str) -> None:
    with ledger.transaction() as session:
        state = session.get(SenderStateRow, office) or SenderStateRow(office=office)
        state.paused_until, state.last_error = until, reason
        session.add(state)


def _sent_today(session, office: str, moment: dt.datetime) -> int:
    start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    # Mails, not receipts: a merged mail counts once however many receipts it carries.
    query = select(func.count(OutboxRow.id)).where(OutboxRow.office == office, OutboxRow.sent_at >= start, OutboxRow.merged_into.is_(None))
    return session.scalar(query) or 0
