"""Schema migrations: a fresh upgrade equals the models, 0.1.0 databases upgrade with their rows, `mailbot db`."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from mailbot.cli.main import main
from mailbot.ledger import Ledger, schema
from mailbot.ledger.models import Base, OutboxRow, OutboxState, UnitRow

HEAD = schema.scripts().get_current_head()
T0 = dt.datetime(2023, 1, 3, 2, 0)  # naive UTC, as the columns store it


def bare(db_url: str) -> Ledger:
    """A Ledger that neither creates nor checks the schema."""
    return Ledger(db_url, create=False)


def schema_diff(ledger: Ledger) -> list:
    """What autogenerate would change to make the database match the models."""
    with ledger.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def seed_0_1_0(ledger: Ledger) -> None:
    """A unit, a message and a queued receipt, written as release 0.1.0 wrote them (plain SQL)."""
    with ledger.engine.begin() as conn:
        conn.execute(text("INSERT INTO units (id, name, aliases, category, emails, contact, phone, exempt, active) "
                          "VALUES (1, '兴安盟测试局', '[]', '政府', '[\"a@example.com\"]', '', '', '[]', :t)"), {"t": True})
        conn.execute(text("INSERT INTO messages (id, mailbox, folder, message_id, content_hash, sender, received_at, processed_at, "
                          "outcome, reason, detail, unit_id, misrouted, overdue, flags) VALUES (1, 'xamzfw@126.com', 'INBOX', "
                          "'<m1@example.com>', 'h1', 'a@example.com', :t, :t, 'accepted', '', '', 1, :f, :f, '[]')"), {"t": T0, "f": False})
        conn.execute(text("INSERT INTO outbox (id, message_ref, kind, office, to_addr, subject, body, headers, priority, state, attempts, "
                          "created_at, next_attempt_at, last_error) VALUES (1, 1, 'receipt', 'zwfw', 'a@example.com', '回执', '正文', "
                          "'{}', 2, 'QUEUED', 0, :t, :t, '')"), {"t": T0})


def test_a_fresh_upgrade_builds_exactly_the_models_schema(db_url):
    ledger = bare(db_url)
    assert schema.upgrade(ledger.engine) == (None, HEAD)
    assert schema_diff(ledger) == []
    ledger.dispose()


def test_the_diff_check_sees_a_missing_index(db_url):
    ledger = bare(db_url)
    schema.upgrade(ledger.engine, schema.FIRST)
    # 0002–0005 add a column and five indexes; 0006 three columns, a table and its index; 0007 a column; 0008 two tables
    # and an index; 0009 three columns and a unique constraint for one it drops (unnamed in 0001: only PostgreSQL
    # reports it); 0010 drops two columns and adds a table: the comparison is not blind
    dropped = [] if ledger.is_sqlite else ["remove_constraint"]
    assert sorted(d[0] for d in schema_diff(ledger)) == sorted(["add_column"] * 8 + ["add_constraint"] + ["add_index"] * 7 + ["add_table"] * 4
                                                               + ["remove_column"] * 2 + dropped)
    ledger.dispose()


def test_a_ledger_on_an_empty_database_migrates_it_to_head(db_url):
    ledger = Ledger(db_url)
    assert schema.current_revision(ledger.engine) == HEAD
    ledger.dispose()


def test_a_release_0_1_0_database_upgrades_with_its_rows(db_url, capsys):
    old = bare(db_url)
    schema.upgrade(old.engine, schema.FIRST)
    seed_0_1_0(old)
    with pytest.raises(schema.SchemaOutdated, match="mailbot db upgrade"):
        Ledger(db_url)
    assert main(["--db", db_url, "db", "current"]) == 1
    assert "当前版本：0001" in capsys.readouterr().out
    assert main(["--db", db_url, "db", "upgrade"]) == 0
    assert f"从 0001 升级到 {HEAD}" in capsys.readouterr().out
    assert "ix_outbox_due" in {i["name"] for i in inspect(old.engine).get_indexes("outbox")}
    ledger = Ledger(db_url)
    with ledger.session() as s:
        assert s.scalars(select(UnitRow.emails)).one() == ["a@example.com"]
        row = s.scalars(select(OutboxRow)).one()
    assert (row.state, row.created_at) == (OutboxState.QUEUED, T0.replace(tzinfo=dt.UTC))
    assert schema_diff(ledger) == []
    for each in (old, ledger):
        each.dispose()


def test_a_database_made_before_migrations_is_taken_as_0_1_0(db_url, capsys):
    old = bare(db_url)
    schema.upgrade(old.engine, schema.FIRST)
    seed_0_1_0(old)
    with old.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))  # what create_all left behind in 0.1.0
    assert main(["--db", db_url, "db", "upgrade"]) == 0
    assert schema.current_revision(old.engine) == HEAD
    with Ledger(db_url).session() as s:
        assert s.scalar(select(UnitRow.name)) == "兴安盟测试局"
    old.dispose()


def test_a_database_from_a_newer_release_is_refused(db_url):
    old = bare(db_url)
    schema.upgrade(old.engine)
    with old.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(schema.SchemaOutdated, match="比本程序新"):
        Ledger(db_url)
    old.dispose()


def test_upgrading_twice_changes_nothing(db_url, capsys):
    assert main(["--db", db_url, "db", "upgrade"]) == 0
    assert main(["--db", db_url, "db", "upgrade"]) == 0
    assert f"已是版本 {HEAD}，无需升级" in capsys.readouterr().out
    assert main(["--db", db_url, "db", "current"]) == 0


@pytest.mark.timeout(120)  # without the lock PostgreSQL may leave the losers waiting: fail rather than hang
def test_two_processes_creating_the_schema_at_once_both_succeed(db_url):
    ledgers, errors = [bare(db_url) for _ in range(4)], []

    def create(ledger):
        try:
            schema.upgrade(ledger.engine)
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(ledger,)) for ledger in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and schema.current_revision(ledgers[0].engine) == HEAD
    for ledger in ledgers:
        ledger.dispose()


def test_the_revisions_are_shipped_inside_the_package():
    from importlib.resources import files

    versions = files("mailbot") / "migrations" / "versions"
    assert {"0001_initial.py", "0002_outbox_due_index.py"} <= {p.name for p in versions.iterdir()}
    assert (files("mailbot") / "migrations" / "env.py").is_file()
