"""A worker that could not reload its configuration: recorded for `mailbot status` and the dashboard, told once."""

from __future__ import annotations

import datetime as dt
import logging
import socket

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from mailbot.clock import chinese_datetime
from mailbot.ledger.models import ConfigTroubleRow, OutboxRow
from mailbot.outbox import compose as replies

log = logging.getLogger(__name__)
PRIORITY = 0  # a worker running on an old configuration must be heard of first


def worker_name() -> str:
    """This worker's key: its host (a restarted worker on the same host clears what it left)."""
    return socket.gethostname()[:200]


def record_failure(ledger, config, error: str, now: dt.datetime) -> bool:
    """Record the failed reload; the first of a spell also queues one alert to each office's coordinator."""
    with ledger.transaction() as session:
        row = session.get(ConfigTroubleRow, worker_name())
        if row is not None:
            row.error = error  # the same spell: the newest reason shown, nobody told again
            return False
        row = ConfigTroubleRow(worker=worker_name(), since=now, error=error)
        session.add(row)
        for office in config.campaign.offices.values():
            _alert(session, config, office, row, now)
    return True


def clear(ledger) -> None:
    """The configuration in force was read whole: no trouble left for this worker."""
    with ledger.transaction() as session:
        session.execute(delete(ConfigTroubleRow).where(ConfigTroubleRow.worker == worker_name()))


def troubles(session) -> list[ConfigTroubleRow]:
    """Every worker that runs on an older configuration than its files hold, oldest first."""
    return list(session.scalars(select(ConfigTroubleRow).order_by(ConfigTroubleRow.since)))


def _alert(session, config, office, row: ConfigTroubleRow, now: dt.datetime) -> None:
    key = f"config:{row.worker}:{office.key}:{now.astimezone(dt.UTC).isoformat()}"
    body = replies.render("config_alert", campaign=config.campaign, office=office, worker=row.worker, error=row.error,
                          since=chinese_datetime(now, config.campaign.timezone))
    try:
        with session.begin_nested():
            session.add(OutboxRow(kind="config", office=office.key, to_addr=config.coordinators.get(office.key, office.address),
                                  subject="【系统提醒】报送系统配置修改未能生效", body=body, headers={"Auto-Submitted": "auto-generated"},
                                  priority=PRIORITY, created_at=now, next_attempt_at=now, dedup_key=key))
    except IntegrityError:
        log.info("config alert %s already queued", key)
