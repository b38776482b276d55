"""Intake: read each configured inbox, run every new message through the pipeline, file it on the server."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select

from mailbot import clock
from mailbot.intake.boundary import LedgerUnavailable
from mailbot.intake.inbound import delivery_from_bytes, held_undecodable
from mailbot.intake.locks import mailbox_lock
from mailbot.ledger.models import MessageRow
from mailbot.mail.imap import Mailbox, MailboxError
from mailbot.mail.imap_fetch import FetchedMessage
from mailbot.schedule.health import mark_failure, mark_success
from mailbot.settings import Inbox, Settings
from routing.delivery import Outcome

log = logging.getLogger(__name__)


FILE_BATCH = 50  # processed messages moved per MOVE command
DELETE = "\0delete"  # a filing target that is no folder name
KEEP = "\0keep"  # the robot's own alert: left unread in the inbox, where the coordinator looks


@dataclass
class PollReport:
    """What one pass over one inbox did."""

    inbox: str
    processed: int = 0
    filed: int = 0
    held: int = 0  # of the processed, held for a person (mailbot review)
    error: str = ""
    busy: bool = False  # another worker held the mailbox (mailbot.intake.locks)


def filing_of(outcome: str, reason: str) -> str:
    """What filing a recorded message calls for: its outcome, or KEEP for the robot's own alert."""
    return KEEP if reason == "own-alert" else outcome


def folder_for(inbox: Inbox, outcome: str) -> str:
    """Where a processed message goes: quarantine for 涉密, review for a person, else processed."""
    if outcome == Outcome.REFUSED_CLASSIFIED.value:
        return inbox.quarantine_folder
    if outcome == Outcome.HELD_FOR_REVIEW.value:
        return inbox.review_folder
    return inbox.processed_folder


def open_mailbox(inbox: Inbox) -> Mailbox:
    """Log in (and send ID) to one inbox."""
    creds = inbox.credentials
    return Mailbox.open(inbox.server, creds.username, creds.read_password())


def poll_inbox(app, inbox: Inbox, settings: Settings, *, stop: threading.Event | None = None, box: Mailbox | None = None) -> PollReport:
    """One pass by one worker at a time (mailbot.intake.locks); a mailbox another worker is reading is skipped this turn."""
    with mailbox_lock(app.ledger, inbox.address) as mine:
        if not mine:
            log.info("inbox %s is being read by another worker; skipped this turn", inbox.address)
            return PollReport(inbox.address, busy=True)
        return _poll_locked(app, inbox, settings, stop=stop, box=box)


def _poll_locked(app, inbox: Inbox, settings: Settings, *, stop: threading.Event | None = None, box: Mailbox | None = None) -> PollReport:
    """One pass: process what is new, file what was processed; record the inbox's health."""
    report = PollReport(inbox.address)
    try:
        if box is None:
            with open_mailbox(inbox) as fresh:
                _pass(app, fresh, inbox, settings, report, stop)
        else:
            _pass(app, box, inbox, settings, report, stop)
    except MailboxError as exc:
        report.error = str(exc)
        log.warning("inbox %s failed: %s", inbox.address, exc)
        _health(app, inbox, error=str(exc))
        raise
    except LedgerUnavailable as exc:
        report.error = str(exc)
        log.warning("inbox %s: pass stopped, the ledger is unavailable: %s", inbox.address, exc.__cause__ or exc)
        raise  # its health cannot be written either
    _health(app, inbox)
    return report


def _pass(app, box: Mailbox, inbox: Inbox, settings: Settings, report: PollReport, stop) -> None:
    state = box.select(inbox.folder)
    uids = box.list_uids_after(0)
    known = recorded(app.ledger, inbox, state.uidvalidity)
    new = [uid for uid in uids if uid not in known]
    pending = {uid: known[uid] for uid in uids if uid in known}  # recorded before a crash, not yet filed
    ensured: set[str] = set()
    pipeline = app.pipeline(app.config.pipeline_options())
    fetches = box.fetch_uids(new, whole_below=settings.fetch_whole_below, max_part_bytes=settings.max_part_bytes)
    ahead = app.parse_child if settings.parse_ahead else None
    for uid, delivery in read_ahead(fetches, ahead, inbox, state.uidvalidity):
        verdict = pipeline.process(delivery)
        outcome = verdict.get("outcome", "")
        report.processed += 1
        report.held += outcome == Outcome.HELD_FOR_REVIEW.value
        pending[uid] = filing_of(outcome, verdict.get("reason", ""))
        # A classified message leaves the inbox at once; the others are moved in batches (one MOVE per folder).
        if outcome == Outcome.REFUSED_CLASSIFIED.value or len(pending) >= FILE_BATCH:
            _file(box, inbox, pending, report, ensured)
            pending = {}
        if stop is not None and stop.is_set():
            break  # stop cleanly after the message in hand
    _file(box, inbox, pending, report, ensured)


def read_ahead(fetches, ahead, inbox: Inbox, uidvalidity: int):
    """(uid, Delivery) one message behind the fetch: the parse child prepares the next while the caller records this one."""
    held = None  # submitted to the child, not yet handed out
    try:
        for fetched in fetches:
            delivery = to_delivery(fetched, inbox, uidvalidity)
            # A message held before any reading (its bytes could not be decoded) has nothing for the child to read.
            ticket = ahead.submit(delivery) if ahead is not None and delivery.outcome is None else None
            previous, held = held, (fetched.uid, delivery, ticket)
            if previous is not None:
                yield _prepared(previous, ahead)
        if held is not None:
            last, held = held, None
            yield _prepared(last, ahead)
    finally:
        if held is not None and held[2] is not None:
            ahead.forget(held[2])  # the pass ended early (stop, or the server went away): the child's answer is dropped


def _prepared(held, ahead):
    uid, delivery, ticket = held
    if ticket is not None:
        delivery.prepared = ahead.collect(ticket)
    return uid, delivery


def to_delivery(fetched: FetchedMessage, inbox: Inbox, uidvalidity: int):
    """The Delivery of a fetched message, received at the server's INTERNALDATE."""
    received = fetched.internaldate
    if received is not None and received.tzinfo is None:
        received = received.astimezone()  # imapclient gives naive local time
    where = dict(folder=inbox.folder, uidvalidity=uidvalidity, uid=fetched.uid)
    if fetched.unreadable:  # only its header came: held as a message that cannot be decoded
        return held_undecodable(fetched.raw, received or clock.now(), mailbox=inbox.address.lower(), **where)
    return delivery_from_bytes(fetched.raw, inbox.address, received_at=received, now=clock.now(), **where)


def recorded(ledger, inbox: Inbox, uidvalidity: int) -> dict[int, str]:
    """UID → outcome of the messages of this folder (and UIDVALIDITY) already in the ledger."""
    with ledger.session() as session:
        rows = session.execute(select(MessageRow.uid, MessageRow.outcome, MessageRow.reason).where(
            MessageRow.mailbox == inbox.address, MessageRow.folder == inbox.folder, MessageRow.uidvalidity == uidvalidity))
        return {uid: filing_of(outcome, reason) for uid, outcome, reason in rows}


def _file(box: Mailbox, inbox: Inbox, outcomes: dict[int, str], report: PollReport, ensured: set[str]) -> None:
    """Move each processed message to the folder its outcome calls for (or delete 涉密 mail, if so configured)."""
    by_target: dict[str, list[int]] = {}
    for uid, outcome in sorted(outcomes.items()):
        if outcome == KEEP:
            continue  # never flagged \Seen nor moved: a coordinator must still see it as new
        delete = outcome == Outcome.REFUSED_CLASSIFIED.value and inbox.quarantine_action == "delete"
        by_target.setdefault(DELETE if delete else folder_for(inbox, outcome), []).append(uid)
    for target, uids in by_target.items():
        if target == DELETE:
            box.flag_messages(uids, [b"\\Deleted"])
            box.expunge_messages(uids)
        elif not target or target == inbox.folder:
            box.flag_messages(uids, [b"\\Seen"])
            continue
        else:
            if target not in ensured:
                box.ensure_folder(target)
                ensured.add(target)
            box.move_messages(uids, target)
        report.filed += len(uids)


def _health(app, inbox: Inbox, error: str = "") -> None:
    with app.ledger.transaction() as session:
        now = clock.now()
        (mark_failure(session, inbox.address, inbox.folder, now, error) if error else mark_success(session, inbox.address, inbox.folder, now))


def poll_all(app, stop: threading.Event | None = None) -> list[PollReport]:
    """Poll every configured inbox once; one failing inbox never stops the others."""
    settings = app.settings
    reports = []
    for inbox in app.inboxes(settings):
        try:
            reports.append(poll_inbox(app, inbox, settings, stop=stop))
        except (MailboxError, LedgerUnavailable) as exc:
            reports.append(PollReport(inbox.address, error=str(exc)))
        if stop is not None and stop.is_set():
            break
    return reports
