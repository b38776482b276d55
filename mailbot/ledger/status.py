"""Each unit's standing per required return: which version counts, and the status a coordinator sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MessageRow, SubmissionRow, UnitRow
from routing.delivery import Outcome
from routing.model.campaign import Campaign
from routing.standing import Standing, counting_version, missing_standing, standing_of, unit_cells

__all__ = ["ReturnStatus", "Standing", "counting_version", "missing_standing", "outstanding", "refused_offices", "standing_of", "unit_matrix"]


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


def unit_matrix(session: Session, campaign: Campaign, unit: UnitRow, now: dt.datetime, office: str | None = None) -> list[ReturnStatus]:
    """The statuses of every return the unit owes (optionally only those one office handles)."""
    query = select(SubmissionRow).where(SubmissionRow.unit_id == unit.id).order_by(SubmissionRow.version)
    versions: dict[str, list[SubmissionRow]] = {}
    for sub in session.scalars(query):
        versions.setdefault(sub.kind, []).append(sub)
    cells = unit_cells(campaign, unit.category, unit.exempt, versions, refused_offices(session, unit), now, office)
    return [ReturnStatus(c.kind, c.standing, c.handled_by, c.counting, c.versions) for c in cells]


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
