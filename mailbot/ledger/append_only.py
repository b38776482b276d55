"""The ledger's append-only rules: a receipt, once written, is never rewritten or removed; corrections are new rows."""

from __future__ import annotations

from sqlalchemy import event, inspect

from mailbot.errors import PermanentFailure
from mailbot.ledger.models import OutboxRow

# What a receipt says and to whom; its delivery state (attempts, sent_at, errors) may still move on.
FROZEN = ("kind", "message_ref", "office", "to_addr", "subject", "body", "headers", "covers")


class ReceiptRewritten(PermanentFailure):
    """Code tried to change or delete a receipt already written to the ledger."""


def is_receipt(row: OutboxRow) -> bool:
    """Whether an outbox row is a reply to a message (a 回执 or a refusal)."""
    return (row.kind or "").startswith("reply:") or _old_kind(row).startswith("reply:")


def refuse_rewrite(_mapper, _connection, row: OutboxRow) -> None:
    """before_update: refuse a change to what a receipt says."""
    if not is_receipt(row):
        return
    state = inspect(row)
    changed = [name for name in FROZEN if state.attrs[name].history.has_changes()]
    if changed:
        raise ReceiptRewritten(f"回执（编号 {row.id}）一经生成不得修改（{'、'.join(changed)}）；如需更正，请另行生成新的回执。")


def refuse_delete(_mapper, _connection, row: OutboxRow) -> None:
    """before_delete: a receipt stays in the ledger for audits (督查)."""
    if is_receipt(row):
        raise ReceiptRewritten(f"回执（编号 {row.id}）须留存备查，不得删除。")


def _old_kind(row: OutboxRow) -> str:
    # A row whose kind is being changed away from reply:* is still a receipt.
    deleted = inspect(row).attrs["kind"].history.deleted
    return str(deleted[0]) if deleted else ""


event.listen(OutboxRow, "before_update", refuse_rewrite)
event.listen(OutboxRow, "before_delete", refuse_delete)
