"""Which file a plain SQLite ledger address names, told without SQLAlchemy (for the quick read paths)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_URL = "sqlite:///var/mailbot.db"
SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str | None) -> Path | None:
    """The existing file of a plain SQLite address (no query options, not in memory), else None."""
    prefix = next((p for p in SQLITE_PREFIXES if url and url.startswith(p)), None)
    path = url[len(prefix):] if prefix else ""
    if not path or path == ":memory:" or "?" in path:
        return None
    return Path(path) if Path(path).is_file() else None
