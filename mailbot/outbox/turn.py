"""The worker's outbox turn: send over each office's SMTP account from the settings in force, stopping between mails."""

from __future__ import annotations

import threading

from routing.model.campaign import Campaign


def drain_outbox(ledger, campaign: Campaign, settings, stop: threading.Event) -> bool:
    """Send what is due for every office with an SMTP account; False when none is configured."""
    from mailbot.outbox.send import drain_with

    if not getattr(settings, "outgoing", None):
        return False
    drain_with(ledger, campaign, settings, stop)
    return True
