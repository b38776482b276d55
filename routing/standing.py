"""Each unit's standing per required return, decided from plain facts: the one place the 台账's status words are chosen."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol

from routing.model.campaign import Campaign


class Standing(str, enum.Enum):
    """The statuses of the 台账, in the coordinators' own words."""

    MISSING = "未报送"
    VALID = "已报送-合格"
    NEEDS_FIX = "已报送-待修改"
    OVERDUE_MISSING = "逾期未报"
    OVERDUE_DONE = "逾期已报"
    CLASSIFIED = "涉密拒收-待光盘报送"  # a 涉密 mail was refused: owed still, on a CD (a refusal is no submission)
    EXEMPT = "豁免"

    @property
    def done(self) -> bool:
        """Whether nothing more is owed."""
        return self in (Standing.VALID, Standing.OVERDUE_DONE, Standing.EXEMPT)


class Version(Protocol):
    """What the decision reads of a registered version: an ORM row or a plain tuple from a quick read."""

    version: int
    status: str  # accepted / invalid
    overdue: bool


class Cell(NamedTuple):
    """One decided cell: the return, its standing, the office handling it, the version that counts and all versions."""

    kind: str
    standing: Standing
    handled_by: str
    counting: Version | None
    versions: list


def counting_version(versions: Sequence[Version]) -> Version | None:
    """The latest valid version, else the latest: an invalid resubmission never hides a valid one."""
    valid = [s for s in versions if s.status == "accepted"]
    return (valid or list(versions) or [None])[-1]


def standing_of(campaign: Campaign, kind: str, versions: Sequence[Version], now: dt.datetime, refused: bool) -> Standing:
    """The status of one return of one unit at ``now``; ``refused``: a 涉密 mail for it was refused (its office got it)."""
    counting = counting_version(versions)
    if counting is None:
        return missing_standing(campaign, kind, now, refused)
    if counting.status != "accepted":
        return Standing.NEEDS_FIX
    return Standing.OVERDUE_DONE if counting.overdue else Standing.VALID


def missing_standing(campaign: Campaign, kind: str, now: dt.datetime, refused: bool) -> Standing:
    """The status of a return with no version yet."""
    if refused:
        return Standing.CLASSIFIED
    late = now >= campaign.deadline_for(kind).end(campaign.timezone)
    return Standing.OVERDUE_MISSING if late else Standing.MISSING


def unit_cells(campaign: Campaign, category: str, exempt: Iterable[str], versions: Mapping[str, list], refused: set[str],
               now: dt.datetime, office: str | None = None) -> list[Cell]:
    """Every return a unit of ``category`` owes (optionally only one office's), decided at ``now``.

    ``versions``: kind → that kind's versions in version order; ``refused``: offices that refused a 涉密 mail of the unit.
    """
    cells = []
    for kind in campaign.kinds_for(category, office):
        found = versions.get(kind, [])
        handler = campaign.handler(category, kind).key
        standing = Standing.EXEMPT if kind in (exempt or ()) else standing_of(campaign, kind, found, now, handler in refused)
        cells.append(Cell(kind, standing, handler, counting_version(found), found))
    return cells
