"""The contact a unit reported (联络人、职务、电话), as the ledger, the dashboard and the call list show it."""

from __future__ import annotations

from mailbot.ledger.models import SubmissionRow, UnitRow
from parsers.contacts.details import NAME, PHONE, POSITION
from parsers.contacts.merge import field_names
from routing.model.campaign import Campaign


def submitted_contact(campaign: Campaign, submission: SubmissionRow) -> dict[str, str]:
    """{"name", "position", "phone"} of a stored contact return (the 联络人's own, never a leader's beside it)."""
    names = field_names(campaign.form(submission.kind))
    row = submission.rows[0] if submission.rows else {}
    return {role: str(row.get(names.get(role, role)) or "") for role in (NAME, POSITION, PHONE)}


def unit_contact(campaign: Campaign, unit: UnitRow, cells) -> dict[str, str]:
    """The contact of the unit's counting contact return among ``cells`` (status.ReturnStatus), else the roster's."""
    contact_kinds = {s.kind for s in campaign.forms if s.layout == "contact"}
    for cell in cells:
        if cell.kind in contact_kinds and cell.counting is not None:
            found = submitted_contact(campaign, cell.counting)
            if found[NAME] or found[PHONE]:
                return found
    return {NAME: unit.contact or "", POSITION: "", PHONE: unit.phone or ""}
