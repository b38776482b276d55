"""Each unit's standing per required return: which version counts, and the status a coordinator sees."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MessageRow, SubmissionRow, UnitRow
from routing.delivery import Outcome
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


@dataclass
class ReturnStatus:
    """One cell of the units × returns matrix."""

    kind: str
    standing: Standing
    handled_by: str
    counting: SubmissionRow | None = None
    versions: list[SubmissionRow] = field(default_factory=list)

    @property
    def note(self) -> str:
        """Why the counting version counts, when a newer invalid one exists."""
        if self.counting and self.versions and self.versions[-1] is not self.counting:
            return f"第{self.versions[-1].version}版需修改，仍以第{self.counting.version}版为准"
        return ""


def counting_version(versions: list[SubmissionRow]) -> SubmissionRow | None:
    """The latest valid version, else the latest: an invalid resubmission never hides a valid one."""
    valid = [s for s in versions if s.status == "accepted"]
    return (valid or versions or [None])[-1]


def standing_of(campaign: Campaign, kind: str, versions: list[SubmissionRow], now: dt.datetime, refused: bool) -> Standing:
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


def unit_matrix(session: Session, campaign: Campaign, unit: UnitRow, now: dt.datetime, office: str | None = None) -> list[ReturnStatus]:
    """The statuses of every return the unit owes (optionally only those one office handles)."""
    query = select(SubmissionRow).where(SubmissionRow.unit_id == unit.id).order_by(SubmissionRow.version)
    subs = session.scalars(query).all()
    refused = refused_offices(session, unit)
    cells = []
    for kind in campaign.kinds_for(unit.category, office):
        versions = [s for s in subs if s.kind == kind]
        handler = campaign.handler(unit.category, kind).key
        standing = Standing.EXEMPT if kind in (unit.exempt or ()) else standing_of(campaign, kind, versions, now, handler in refused)
        cells.append(ReturnStatus(kind, standing, handler, counting_version(versions), versions))
    return cells


def refused_offices(session: Session, unit: UnitRow) -> set[str]:
    """The offices whose inbox refused a 涉密 message of the unit: their returns are owed on a CD."""
    query = select(MessageRow.office).where(MessageRow.unit_id == unit.id, MessageRow.outcome == Outcome.REFUSED_CLASSIFIED.value)
    return {office for office in session.scalars(query.distinct()) if office}


def outstanding(session: Session, campaign: Campaign, unit: UnitRow, now: dt.datetime) -> list[ReturnStatus]:
    """The returns the unit still owes or must fix, as unit_matrix would say, without loading any version.

    Every receipt asks this, so it costs one grouped query however many versions a unit has sent.
    """
    accepted = func.max(case((SubmissionRow.status == "accepted", 1), else_=0))
    seen = dict(session.execute(select(SubmissionRow.kind, accepted).where(SubmissionRow.unit_id == unit.id).group_by(SubmissionRow.kind)).all())
    refused = None
    owed = []
    for kind in campaign.kinds_for(unit.category, None):
        if kind in (unit.exempt or ()) or seen.get(kind):
            continue  # exempt, or a valid version counts: nothing owed
        if kind in seen:
            standing = Standing.NEEDS_FIX
        else:
            refused = refused_offices(session, unit) if refused is None else refused
            standing = missing_standing(campaign, kind, now, campaign.handler(unit.category, kind).key in refused)
        owed.append(ReturnStatus(kind, standing, campaign.handler(unit.category, kind).key))
    return owed
