"""IDLE intake: one long-lived connection per inbox, a pass on every change, the office's receipts sent at once."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator

from mailbot import clock
from mailbot.errors import ConfigError
from mailbot.intake.poll import PollReport, open_mailbox, poll_inbox
from mailbot.mail.imap import Mailbox, MailboxAuthFailed, MailboxError
from mailbot.outbox.send import drain_with
from mailbot.retry import NETWORK, OPERATOR, RetryPolicy
from mailbot.schedule.health import mark_failure
from mailbot.settings import Inbox, Settings

log = logging.getLogger(__name__)
OnPass = Callable[[PollReport], None]
WakeAt = Callable[[], "dt.datetime | None"]  # the next moment a pass is due whatever the mail does (a reminder slot)
Send = Callable[[str], None]  # have an office's due mail sent now
WAKE_MARGIN = 0.05  # seconds past the moment, so the pass's own clock reads at or after it


def watch_inbox(app, inbox: Inbox, settings: Settings, stop: threading.Event, *, on_pass: OnPass | None = None,
                network: RetryPolicy = NETWORK, operator: RetryPolicy = OPERATOR, wake_at: WakeAt | None = None,
                send: Send | None = None) -> None:
    """Watch one inbox until ``stop``: pass, wait for a change (IDLE or polling), pass again; reconnect with backoff."""
    # A watcher never gives up (the policies' deadlines are for single calls): the health job alerts a person instead.
    backoff = Backoff(network, operator)
    while not stop.is_set():
        try:
            with open_mailbox(inbox) as box:
                watch_connected(app, box, inbox, settings, stop, on_pass=on_pass, connected=backoff.reset, wake_at=wake_at, send=send)
        except (MailboxAuthFailed, ConfigError) as exc:
            _failed(app, inbox, exc)
            stop.wait(backoff.long())
        except MailboxError as exc:
            _failed(app, inbox, exc)
            stop.wait(backoff.short())
        except Exception:  # e.g. the database briefly gone: a watcher thread must not die silently
            log.exception("watcher of %s failed; reconnecting", inbox.address)
            stop.wait(backoff.short())
    log.info("watcher of %s stopped", inbox.address)


def watch_connected(app, box: Mailbox, inbox: Inbox, settings: Settings, stop: threading.Event, *,
                    on_pass: OnPass | None = None, connected: Callable[[], None] = lambda: None, wake_at: WakeAt | None = None,
                    send: Send | None = None) -> None:
    """On one open connection: pass, have the office's receipts sent, wait for a change; until ``stop`` or an error.

    Under the worker ``send`` asks its outbox job to run now (the one outbox driver); alone, the watcher sends them itself.
    """
    idle = box.client.has_capability("IDLE")
    log.info("watching %s (%s)", inbox.address, "IDLE" if idle else f"polling every {settings.poll_interval:.0f}s")
    while not stop.is_set():
        report = poll_inbox(app, inbox, settings, stop=stop, box=box)
        connected()
        if report.processed and send is not None:
            send(inbox.office)
        elif report.processed:
            send_receipts(app, inbox.office, settings, stop)
        if on_pass is not None:
            on_pass(report)
        if stop.is_set():
            return
        box.wait_for_change(next_wait(settings, idle, report, wake_at), stop=stop)


def next_wait(settings: Settings, idle: bool, report: PollReport, wake_at: WakeAt | None = None) -> float:
    """Seconds to wait for news before the next pass.

    A worker that found the inbox held by another tries again after ``lock_retry``: the holder may have died, and
    a server without IDLE keepalives would otherwise leave the inbox unread for ``idle_timeout``. A reminder slot
    coming up ends the wait at its moment, so the inbox is read (and the reminders can go) on time.
    """
    wait = settings.idle_timeout if idle else settings.poll_interval
    if report.busy:
        wait = min(wait, settings.lock_retry)
    moment = wake_at() if wake_at is not None else None
    if moment is not None:
        wait = min(wait, max((moment - clock.now()).total_seconds(), 0.0) + WAKE_MARGIN)
    return wait


def send_receipts(app, office: str, settings: Settings, stop: threading.Event) -> None:
    """Send the office's due mail now, as far as the pace allows; the outbox job sends the rest later."""
    report = drain_with(app.ledger, app.campaign, settings, stop, offices=[office], patient=False)
    if report.sent or report.paused:
        log.info("office=%s sent %d at once (paused: %s)", office, report.sent, report.paused or "no")


class Backoff:
    """The waits between reconnections: short ones for network trouble, long ones for a refused login."""

    def __init__(self, network: RetryPolicy, operator: RetryPolicy) -> None:
        self.network, self.operator = network, operator
        self.reset()

    def reset(self) -> None:
        """Start over after a successful pass."""
        self._short: Iterator[float] = self.network.delays()
        self._long: Iterator[float] = self.operator.delays()

    def short(self) -> float:
        """The next wait after a dropped or refused connection."""
        return next(self._short)

    def long(self) -> float:
        """The next wait after an authentication failure (a person must fix the 授权码)."""
        return next(self._long)


def _failed(app, inbox: Inbox, exc: Exception) -> None:
    # poll_inbox records failures of a pass; a failed login or IDLE happens outside it.
    log.warning("watcher of %s: %s: %s", inbox.address, type(exc).__name__, exc)
    with app.ledger.transaction() as session:
        mark_failure(session, inbox.address, inbox.folder, clock.now(), str(exc))


def start_watchers(app, settings: Settings, stop: threading.Event, **options) -> list[threading.Thread]:
    """One watcher thread per configured inbox, started."""
    app.parse_child  # noqa: B018 - made here, once: the watchers share it
    threads = [threading.Thread(target=watch_inbox, args=(app, inbox, settings, stop), kwargs=options,
                                name=f"watch-{inbox.address}", daemon=False) for inbox in app.inboxes(settings)]
    for thread in threads:
        thread.start()
    return threads
