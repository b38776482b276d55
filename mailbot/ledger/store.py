"""The ledger's database: engine, schema check (mailbot.ledger.schema) and one-transaction sessions."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from mailbot.ledger import schema
from mailbot.ledger.url import database_url


def resolve_url(url: str | None) -> str:
    """The database URL: the argument, else MAILBOT_DB, else MAILBOT_DB_HOST and its parts, else SQLite under ./var/."""
    return database_url(url)


class Ledger:
    """The single source of truth: every registration, reply and UID is written here in one transaction."""

    def __init__(self, url: str | None = None, *, create: bool = True, campaign: str | None = None) -> None:
        self.url = resolve_url(url)
        self.campaign = campaign  # a Campaign.id scopes every session (mailbot.ledger.scope); None sees every campaign
        self.engine = _make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, info={"campaign": campaign})
        if create:
            schema.ensure(self.engine)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any exception."""
        with self._sessions() as session, session.begin():
            session.connection(execution_options={"mailbot_write": True})
            yield session

    def session(self) -> Session:
        """A plain session for reading."""
        return self._sessions()

    def dispose(self) -> None:
        """Close pooled connections (before a fork, or at exit)."""
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    _ensure_parent(url)
    engine = create_engine(url, connect_args={"timeout": 30})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _ensure_parent(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy emit BEGIN itself (pysqlite's own transaction handling defers it).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(conn) -> None:
    # A writing transaction takes the lock up front (IMMEDIATE), so two workers never deadlock upgrading
    # a read lock; readers begin deferred and, under WAL, never block a writer.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("mailbot_write") else "BEGIN")
