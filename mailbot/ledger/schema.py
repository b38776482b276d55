"""Schema versions of the ledger: Alembic revisions under mailbot/migrations, applied by `mailbot db upgrade`."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from mailbot.errors import MailbotError
from mailbot.ledger.models import Base
from mailbot.schema_head import shipped_head

FIRST = "0001"  # the 0.1.0 schema, which create_all made before there were migrations
MIGRATION_LOCK = 0x6D61696C626F74  # any constant shared by every mailbot process ("mailbot" in ASCII)

if TYPE_CHECKING:  # Alembic costs a third of a second to import: only an upgrade or a mismatch loads it
    from alembic.config import Config
    from alembic.script import ScriptDirectory


class SchemaOutdated(MailbotError):
    """The database was made by another release; `mailbot db upgrade` (or a newer mailbot) is needed."""


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration over the packaged revisions (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "mailbot:migrations")
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def scripts() -> ScriptDirectory:
    """The packaged revisions."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, or None (empty, or made before migrations)."""
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def has_ledger_tables(bind: Engine | Connection) -> bool:
    """Whether any ledger table exists (a database made by create_all carries no revision)."""
    return bool(set(inspect(bind).get_table_names()) & set(Base.metadata.tables))


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply the pending revisions in one transaction, one process at a time; returns (before, after)."""
    from alembic import command
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        conn.execution_options(mailbot_write=True)  # SQLite: BEGIN IMMEDIATE, like every writer
        with _foreign_keys_off(conn), conn.begin():
            _serialize(conn)
            before = MigrationContext.configure(conn).get_current_revision()  # read under the lock
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            if before is None and has_ledger_tables(conn):
                command.stamp(config, FIRST)  # a 0.1.0 database from before migrations existed
            command.upgrade(config, revision)
            _check_foreign_keys(conn)
    return before, current_revision(engine)


@contextlib.contextmanager
def _foreign_keys_off(conn: Connection):
    # SQLite rebuilds a table to change a constraint (0009: units); dropping the old copy would fail every row that
    # points at it. SQLite's own recipe: foreign keys off outside the transaction, foreign_key_check before COMMIT.
    raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    if raw is not None:
        raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
        raise MailbotError("数据库升级后外键检查未通过，升级已撤销，请联系运维人员。")


def _serialize(conn: Connection) -> None:
    # Two workers starting on an empty PostgreSQL would both create the tables; the loser waits here, then
    # finds the database at head. The lock ends with the transaction. (SQLite's BEGIN IMMEDIATE already serializes.)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")


def recorded_revision(engine: Engine) -> str | None:
    """The revision in alembic_version read with one query (None: no table, or not exactly one row)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def ensure(engine: Engine) -> None:
    """Make an empty database at the newest revision; refuse one made by another release."""
    head = shipped_head()
    if head is not None and recorded_revision(engine) == head:
        return  # the usual start: up to date, decided without importing Alembic
    current, head = current_revision(engine), scripts().get_current_head()
    if current == head:
        return
    if current is None and not has_ledger_tables(engine):
        upgrade(engine)
        return
    raise SchemaOutdated(outdated_message(engine, current, head))


def outdated_message(engine: Engine, current: str | None, head: str | None) -> str:
    """Why the database cannot be used as it is, and what to do, in Chinese."""
    where = engine.url.render_as_string(hide_password=True)
    if current is not None and current not in {script.revision for script in scripts().walk_revisions()}:
        return f"数据库 {where} 的结构版本 {current} 比本程序新，请升级 mailbot 后再运行。"
    return (f"数据库 {where} 的结构版本为 {current or '0.1.0（未记录版本）'}，本程序需要 {head}。"
            "请先备份数据库，再运行 mailbot db upgrade 升级。")
