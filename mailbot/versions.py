"""Versions of a return: the previous one, and what changed since it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from mailbot.ledger.models import SubmissionRow


def previous(session: Session, unit_id: int, kind: str) -> SubmissionRow | None:
    """The latest registered version of (unit, kind): its number and rows, which a new version is compared with."""
    query = select(SubmissionRow).where(SubmissionRow.unit_id == unit_id, SubmissionRow.kind == kind).order_by(SubmissionRow.version.desc())
    return session.scalars(query.options(load_only(SubmissionRow.version, SubmissionRow.rows)).limit(1)).first()


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
