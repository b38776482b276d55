"""Alembic environment: the ledger's metadata, migrated on the connection mailbot.ledger.schema hands over."""

from alembic import context
from sqlalchemy import create_engine

from mailbot.ledger import models_desk, models_schedule, models_web  # noqa: F401  (register their tables on the metadata)
from mailbot.ledger.models import Base


def run_offline() -> None:
    """Print the SQL instead of running it (alembic upgrade --sql)."""
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate on the caller's connection, or on one to the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        migrate(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as fresh:
        migrate(fresh)
    engine.dispose()


def migrate(connection) -> None:
    """Run the pending revisions (mailbot.ledger.schema.upgrade holds the lock that keeps two processes apart)."""
    sqlite = connection.dialect.name == "sqlite"
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
