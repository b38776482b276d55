"""The sending policy of one office: pacing, daily cap, retries (a small value object the settings may override)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SendPolicy:
    """How fast and how persistently to send (defaults stay well under QQ and 126 limits, which are unpublished)."""

    min_interval: float = 6.0  # seconds between two mails from one account
    per_recipient: dt.timedelta = dt.timedelta(seconds=60)  # doubling with each mail to the address in the last hour…
    per_recipient_max: dt.timedelta = dt.timedelta(minutes=15)  # …up to this; receipts waiting meanwhile go out merged
    merge_max: int = 20  # receipts in one merged mail
    merge_bytes: int = 15 * 1024 * 1024  # attachments in one merged mail
    daily_cap: int = 300  # mails per account per day
    lease: dt.timedelta = dt.timedelta(minutes=5)  # a SENDING row older than this was abandoned by a dead worker
    first_retry: dt.timedelta = dt.timedelta(minutes=1)
    max_retry: dt.timedelta = dt.timedelta(hours=1)
    max_attempts: int = 12
    rate_pause: dt.timedelta = dt.timedelta(hours=3)  # after 550/554 frequency errors
    auth_pause: dt.timedelta = dt.timedelta(minutes=30)
    # After each refusal of the content as spam: wait, then send a plainer variant (mailbot.outbox.envelope); then give up.
    content_retries: tuple[dt.timedelta, ...] = (dt.timedelta(minutes=15), dt.timedelta(hours=1), dt.timedelta(hours=3))

    def retry_delay(self, attempts: int) -> dt.timedelta:
        """Exponential backoff for the ``attempts``-th failure."""
        return min(self.first_retry * (2 ** max(attempts - 1, 0)), self.max_retry)
