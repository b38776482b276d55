"""Every session of a campaign's ledger sees and writes only that campaign's units, messages and versions."""

from __future__ import annotations

import functools

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from mailbot.ledger.models import MessageRow, SubmissionRow, UnitRow

SCOPED = (UnitRow, MessageRow, SubmissionRow)
KEY = "campaign"  # Session.info key: the Campaign.id the ledger was opened for (None: every campaign, e.g. `db`)
ALL = "all_campaigns"  # execution option that lifts the scope for one statement


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    # Filtering at the one place every ORM statement passes means no query can forget it (the 40 units of
    # another campaign in a ledger, reminders to them, a form matched to one of them).
    campaign = state.session.info.get(KEY)
    if campaign is None or state.execution_options.get(ALL) or state.is_column_load or state.is_relationship_load:
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*_criteria(campaign))


@functools.lru_cache(maxsize=64)
def _criteria(campaign: str) -> tuple:
    # Built once per campaign: making the three options anew for each of a message's twenty statements cost
    # more than running some of them (bench/pipeline_bench.py).
    return tuple(with_loader_criteria(model, model.campaign == campaign, include_aliases=True) for model in SCOPED)


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context, _instances) -> None:
    campaign = session.info.get(KEY)
    if campaign is None:
        return
    for row in session.new:
        if isinstance(row, SCOPED) and row.campaign is None:
            row.campaign = campaign


def claim_unowned(session: Session, campaign: str) -> None:
    """Give rows written before campaigns were recorded (migration 0009) to the campaign now opening the ledger."""
    for model in SCOPED:
        statement = update(model).where(model.campaign.is_(None)).values(campaign=campaign)
        session.execute(statement, execution_options={ALL: True, "synchronize_session": False})
