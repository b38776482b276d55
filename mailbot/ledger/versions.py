"""Versions of a return: the previous one, and what changed since it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, load_only

from mailbot.ledger.models import SubmissionRow


def latest_versions(session: Session, unit_id: int, kinds: set[str]) -> dict[str, SubmissionRow]:
    """The latest registered version of each of the unit's ``kinds``: its number and rows, in one query."""
    newest = (select(SubmissionRow.kind, func.max(SubmissionRow.version).label("version"))
              .where(SubmissionRow.unit_id == unit_id, SubmissionRow.kind.in_(kinds)).group_by(SubmissionRow.kind).subquery())
    query = (select(SubmissionRow).join(newest, (SubmissionRow.kind == newest.c.kind) & (SubmissionRow.version == newest.c.version))
             .where(SubmissionRow.unit_id == unit_id).options(load_only(SubmissionRow.kind, SubmissionRow.version, SubmissionRow.rows)))
    return {row.kind: row for row in session.scalars(query)}


def summarise_changes(old_rows: list[dict], new_rows: list[dict], key_column: str | None) -> str:
    """'新增2行，删除1行，修改3行' comparing rows by their key column (序号 ignored)."""
    old, new = _keyed(old_rows, key_column), _keyed(new_rows, key_column)
    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    changed = [k for k in new if k in old and new[k] != old[k]]
    parts = [f"{label}{len(items)}行" for label, items in (("新增", added), ("删除", removed), ("修改", changed)) if items]
    return "，".join(parts) or "内容无变化"


def _keyed(rows: list[dict], key_column: str | None) -> dict[str, tuple]:
    keyed = {}
    for index, row in enumerate(rows):
        content = tuple(sorted((k, str(v)) for k, v in row.items() if k != "序号" and not k.startswith("_")))
        key = str(row.get(key_column) or "") if key_column else ""
        keyed[key or f"#{index}:{hash(content)}"] = content
    return keyed
