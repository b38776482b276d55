"""Login throttling per account and per client address, kept in the ledger so every dashboard process sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from mailbot.ledger import Ledger
from mailbot.ledger.models_web import LoginAttemptRow


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed logins a window allows, per account and per client address."""

    per_account: int = 5
    per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    """The rows one login attempt wrote: removed again when it succeeds."""

    ids: tuple[int, ...]
    account: str
    refused_for: dt.timedelta | None  # set when the account or the address is over its limit


def account_key(name: str) -> str:
    """The throttle key of an account name (bounded, case-folded: names are short)."""
    return f"account:{name.strip().casefold()[:150]}"


def address_key(address: str) -> str:
    """The throttle key of a client address."""
    return f"address:{address[:150]}"


def begin(ledger: Ledger, policy: LoginPolicy, name: str, address: str, now: dt.datetime) -> Attempt:
    """Record the attempt before the password is checked, then count: parallel guesses cannot slip under the limit."""
    keys = (account_key(name), address_key(address))
    with ledger.transaction() as session:
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < now - policy.window))
        rows = [LoginAttemptRow(key=key, at=now) for key in keys]
        session.add_all(rows)
        session.flush()
        ids = tuple(row.id for row in rows)
    with ledger.session() as session:
        waits = [_wait(session, key, limit, policy, now) for key, limit in zip(keys, (policy.per_account, policy.per_address))]
    refused = max((w for w in waits if w is not None), default=None)
    return Attempt(ids, keys[0], refused)


def _wait(session, key: str, limit: int, policy: LoginPolicy, now: dt.datetime) -> dt.timedelta | None:
    """How long until ``key`` is under its limit again, or None when this attempt is within it."""
    query = select(LoginAttemptRow.at).where(LoginAttemptRow.key == key, LoginAttemptRow.at >= now - policy.window)
    times = sorted(session.scalars(query.order_by(LoginAttemptRow.at.desc()).limit(limit + 1)))
    if len(times) <= limit:
        return None
    # The window slides: a next attempt passes once all but limit - 1 of these newest attempts have aged out.
    return max(times[1] + policy.window - now, dt.timedelta(seconds=1))


def succeeded(ledger: Ledger, attempt: Attempt) -> None:
    """A good login: forget this attempt and the account's earlier failures (the address keeps its count)."""
    with ledger.transaction() as session:
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.id.in_(attempt.ids)))
        session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.key == attempt.account))

