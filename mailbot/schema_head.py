"""The newest packaged schema revision, read from the revision files alone (no SQLAlchemy, no Alembic)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def shipped_head() -> str | None:
    """The newest packaged revision, read from the revision files without Alembic (None: not one plain chain)."""
    return _chain_head(tuple(sorted(p.read_text(encoding="utf-8") for p in VERSIONS.glob("*.py"))))


@cache
def _chain_head(sources: tuple[str, ...]) -> str | None:
    pairs = [(_assigned("revision", s), _assigned("down_revision", s)) for s in sources]
    heads = {rev for rev, _ in pairs} - {down for _, down in pairs}
    return heads.pop() if len(heads) == 1 and None not in heads else None


def _assigned(name: str, source: str) -> str | None:
    match = re.search(rf'^{name} = "([^"]+)"', source, re.M)
    return match.group(1) if match else None
