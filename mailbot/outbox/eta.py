"""When the outbox will have drained: each office's queue at its pace, its daily cap and any pause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from mailbot.ledger.models import OutboxRow, OutboxState, SenderStateRow


@dataclass(frozen=True)
class SenderView:
    """One office's sending account as `mailbot status` shows it."""

    office: str
    queued: int
    paused_until: dt.datetime | None
    last_error: str
    last_sent_at: dt.datetime | None
    drained_at: dt.datetime | None


def drain_eta(queued: int, start: dt.datetime, interval: float, daily_cap: int, sent_today: int) -> dt.datetime | None:
    """When the last of ``queued`` mails leaves, one every ``interval`` seconds from ``start``, at most ``daily_cap`` a day."""
    if queued <= 0:
        return None
    step = dt.timedelta(seconds=max(interval, 0))
    left_today = max(daily_cap - sent_today, 0)
    if queued <= left_today:
        return start + step * (queued - 1)
    days, last = divmod(queued - left_today - 1, max(daily_cap, 1))
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1 + days)
    return midnight + step * last


def sender_views(session, offices: list[str], policy, now: dt.datetime) -> list[SenderView]:
    """Every office with an account or a queue: its pause, last error and estimated drain time."""
    queued = dict(session.execute(select(OutboxRow.office, func.count(OutboxRow.id))
                                  .where(OutboxRow.state.in_([OutboxState.QUEUED, OutboxState.SENDING])).group_by(OutboxRow.office)).all())
    states = {s.office: s for s in session.scalars(select(SenderStateRow))}
    views = []
    for office in sorted(set(offices) | set(queued) | set(states)):
        state = states.get(office)
        views.append(_view(session, office, queued.get(office, 0), state, policy, now))
    return views


def _view(session, office: str, queued: int, state, policy, now: dt.datetime) -> SenderView:
    paused = state.paused_until if state and state.paused_until and state.paused_until > now else None
    last = state.last_sent_at if state else None
    start = max([now, paused or now, (last + dt.timedelta(seconds=policy.min_interval)) if last else now])
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    sent_today = session.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.office == office, OutboxRow.sent_at >= midnight)) or 0
    eta = drain_eta(queued, start, policy.min_interval, policy.daily_cap, sent_today)
    return SenderView(office, queued, paused, state.last_error if state else "", last, eta)
