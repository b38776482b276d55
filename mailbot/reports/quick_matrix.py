"""The units × returns matrix read from a current SQLite ledger with the standard library, in five set-based queries.

`mailbot ledger` answers in a fraction of a second this way: SQLAlchemy's ORM alone takes longer to import than the
whole command may. Only what is sure to read the same as mailbot.reports.matrix is read here; anything else (another
database, an older schema, rows no campaign has claimed yet, a ledger without this campaign's roster) returns None and
the caller takes the ORM path, which also does the writes such a ledger needs first.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import NamedTuple

from mailbot.schema_head import shipped_head
from mailbot.sqlite_file import sqlite_file
from routing.model.campaign import Campaign
from routing.standing import unit_cells

REFUSED = "refused_classified"  # routing.delivery.Outcome.REFUSED_CLASSIFIED, as stored
UNOWNED = " UNION ALL ".join(f"SELECT 1 FROM (SELECT 1 FROM {t} WHERE campaign IS NULL LIMIT 1)" for t in ("units", "messages", "submissions"))


class Version(NamedTuple):
    """The columns of a registered version the standing is decided from."""

    version: int
    status: str
    overdue: bool


def quick_rows(url: str | None, campaign: Campaign, now: dt.datetime, office: str | None = None) -> list[dict] | None:
    """One dict per unit ({"unit", "category", "returns": {kind: {"status", "handled_by", "version", "versions"}}}), or None."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=30, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every query below (WAL readers never wait for a writer)
        return _read(conn, campaign, now, office)
    except sqlite3.Error:
        return None  # no such table or column: not a ledger this release made
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, campaign: Campaign, now: dt.datetime, office: str | None) -> list[dict] | None:
    head = shipped_head()
    if head is None or [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")] != [head]:
        return None
    if conn.execute(UNOWNED).fetchone() is not None:
        return None  # claim_unowned must write first
    units = conn.execute("SELECT id, name, category, exempt FROM units WHERE campaign = ? AND active = 1 ORDER BY category, id",
                         (campaign.id,)).fetchall()
    if not units:
        return None  # the roster is imported on first use, by the ORM path
    versions: dict[int, dict[str, list[Version]]] = {}
    for unit_id, kind, version, status, overdue in conn.execute(
            "SELECT unit_id, kind, version, status, overdue FROM submissions WHERE campaign = ? ORDER BY unit_id, kind, version", (campaign.id,)):
        versions.setdefault(unit_id, {}).setdefault(kind, []).append(Version(version, status, bool(overdue)))
    refused: dict[int, set[str]] = {}
    for unit_id, box in conn.execute("SELECT DISTINCT unit_id, office FROM messages WHERE campaign = ? AND outcome = ? AND unit_id IS NOT NULL",
                                     (campaign.id, REFUSED)):
        if box:
            refused.setdefault(unit_id, set()).add(box)
    return [row for unit in units if (row := _row(campaign, unit, versions.get(unit[0], {}), refused.get(unit[0], set()), now, office))]


def _row(campaign: Campaign, unit: tuple, versions: dict, refused: set[str], now: dt.datetime, office: str | None) -> dict | None:
    unit_id, name, category, exempt = unit
    cells = unit_cells(campaign, category, json.loads(exempt) if exempt else (), versions, refused, now, office)
    if office and not cells:
        return None
    return {"unit": name, "category": category, "returns": {c.kind: {"status": c.standing.value, "handled_by": c.handled_by,
            "version": c.counting.version if c.counting else None, "versions": len(c.versions)} for c in cells}}
