"""The verdict JSON printed per message (a stable contract documented in the README)."""

from __future__ import annotations

from typing import Any

from routing.delivery import Delivery


def build_verdict(delivery: Delivery, reply: dict[str, str] | None, receipt_no: str | None = None) -> dict[str, Any]:
    """One JSON object describing what was decided about a message."""
    withhold = delivery.withhold_content
    handlers = list(dict.fromkeys(delivery.handlers.values()))
    return {
        "message_id": delivery.message_id,
        "mailbox": delivery.mailbox,
        "sender": delivery.sender,
        "subject": None if withhold else delivery.subject,
        "received_at": delivery.received_at.isoformat(),
        "outcome": delivery.outcome.value if delivery.outcome else None,
        "reason": delivery.reason,
        "unit": delivery.unit.name if delivery.unit else None,
        "handled_by": handlers[0] if len(handlers) == 1 else (",".join(handlers) or (delivery.office.key if delivery.office else None)),
        "misrouted": delivery.misrouted,
        "overdue": delivery.overdue,
        "flags": list(delivery.unit_flags),
        "receipt_no": receipt_no,
        "forms": [] if withhold else [_form(delivery, r) for r in delivery.returns],
        "file_problems": [] if withhold else [p.to_json() | {"file": p.file} for p in delivery.problems],
        "reply": reply,
    }


def _form(delivery: Delivery, parsed) -> dict[str, Any]:
    data = parsed.to_json()
    data["handled_by"] = delivery.handlers.get(parsed.kind)
    data["overdue"] = parsed.kind in delivery.facts.get("overdue_kinds", ())
    return data
