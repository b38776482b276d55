"""The worker's outbox turn: adapt helper 1's ``outbox_send.drain`` to the site settings, stopping between mails."""

from __future__ import annotations

import logging
import threading

from routing.campaign import Campaign

log = logging.getLogger(__name__)


class Stopping(Exception):
    """Raised from the pacing sleep once the worker is told to stop: the mail in hand is already committed."""


def drain_outbox(ledger, campaign: Campaign, settings, stop: threading.Event) -> bool:
    """Send what is due for every office with an SMTP account; False when none is configured."""
    from mailbot import outbox_send
    from mailbot.smtp import SmtpConnection

    outgoing = getattr(settings, "outgoing", None) or {}
    if not outgoing:
        return False

    def connect(office: str) -> SmtpConnection:
        account = outgoing[office]
        return SmtpConnection(account.server, account.credentials.username, account.credentials.read_password())

    def pace(seconds: float) -> None:
        if stop.wait(seconds):
            raise Stopping()

    senders = {key: (account.address, campaign.offices[key].name if key in campaign.offices else "") for key, account in outgoing.items()}
    try:
        outbox_send.drain(ledger, list(outgoing), connect, sleep=pace, senders=senders)
    except Stopping:
        log.info("outbox drain interrupted by shutdown after the mail in hand")
    return True
