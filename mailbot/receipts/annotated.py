"""Annotated copies for a receipt: the sender's own workbook with each problem cell highlighted and commented."""

from __future__ import annotations

import logging

from mailbot.ledger.models import OutboxAttachmentRow
from parsers.errors import ParserError
from parsers.safety.sniff import sniff
from routing.delivery import Delivery

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def annotated_copies(delivery: Delivery) -> list[OutboxAttachmentRow]:
    """One annotated .xlsx per attachment whose returns have problems pointing at cells (none for a 涉密 message)."""
    if delivery.withhold_content:
        return []
    copies = []
    for attachment in delivery.attachments:
        problems = [p for r in delivery.returns if r.sha256 == attachment.sha256 for p in r.problems if p.cell]
        if problems and sniff(attachment.data) == "xlsx":
            copy = _annotate(attachment.data, problems, delivery.message_id)
            if copy is not None:
                copies.append(OutboxAttachmentRow(filename=f"批注-{attachment.filename}", content_type=XLSX, data=copy))
    return copies


def _annotate(data: bytes, problems, message_id: str) -> bytes | None:
    from parsers.annotate import annotate_workbook  # openpyxl: loaded by the first receipt that needs a copy, not at start

    try:
        return annotate_workbook(data, problems)
    except ParserError as exc:
        # The receipt still lists every problem in its text; the copy is a convenience.
        log.warning("message_id=%s: no annotated copy: %s", message_id, exc)
        return None
