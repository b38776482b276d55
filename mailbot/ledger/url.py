"""The ledger's database address: --db or MAILBOT_DB whole, or built by SQLAlchemy's URL.create from separate variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from mailbot.errors import ConfigError
from mailbot.placeholders import refuse_placeholder
from mailbot.sqlite_file import DEFAULT_URL

# The parts docker compose passes; a password is never pasted into an address, so "@", ":" or "/" in it is safe.
PARTS = ("MAILBOT_DB_HOST", "MAILBOT_DB_PORT", "MAILBOT_DB_NAME", "MAILBOT_DB_USER", "MAILBOT_DB_PASSWORD", "MAILBOT_DB_PASSWORD_FILE")
HOW = "足够长的随机口令（PostgreSQL 初始化时所用的同一口令）"


def database_url(given: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The address to open: ``given``, else MAILBOT_DB, else MAILBOT_DB_HOST and its parts, else SQLite under ./var/."""
    environ = os.environ if environ is None else environ
    url = given or environ.get("MAILBOT_DB") or (from_parts(environ) if environ.get("MAILBOT_DB_HOST") else DEFAULT_URL)
    try:
        password = make_url(url).password
    except ArgumentError:
        return url  # not an address SQLAlchemy reads: create_engine says so
    refuse_placeholder(password, "数据库口令", HOW)
    return url


def from_parts(environ: Mapping[str, str]) -> str:
    """The address from MAILBOT_DB_HOST, _PORT, _NAME, _USER and _PASSWORD (or _PASSWORD_FILE), escaped by SQLAlchemy."""
    port = environ.get("MAILBOT_DB_PORT") or None
    if port is not None and not port.isdigit():
        raise ConfigError(f"环境变量 MAILBOT_DB_PORT 应为端口号（如 5432），现为“{port}”。")
    url = URL.create(environ.get("MAILBOT_DB_DRIVER") or "postgresql+psycopg", username=environ.get("MAILBOT_DB_USER") or "mailbot",
                     password=_password(environ), host=environ["MAILBOT_DB_HOST"], port=int(port) if port else None,
                     database=environ.get("MAILBOT_DB_NAME") or "mailbot")
    return url.render_as_string(hide_password=False)


def _password(environ: Mapping[str, str]) -> str | None:
    source = environ.get("MAILBOT_DB_PASSWORD_FILE")
    if not source:
        return environ.get("MAILBOT_DB_PASSWORD") or None
    try:
        return Path(source).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"无法读取数据库口令文件 {source}（环境变量 MAILBOT_DB_PASSWORD_FILE）。") from exc
