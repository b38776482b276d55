"""Shared pytest fixtures."""

# ---- mail servers on loopback (tests/support/servers.py) ----
import itertools as _itertools

import pytest as _pytest

from tests.support.servers import Dovecot as _Dovecot
from tests.support.servers import SmtpSink as _SmtpSink
from tests.support.servers import dovecot_missing_reason as _dovecot_missing


def _running_dovecot():
    """Start a fresh dovecot (skipping when Debian's dovecot is absent), stop and remove it afterwards."""
    reason = _dovecot_missing()
    if reason:
        _pytest.skip(reason)
    server = _Dovecot.create()
    server.start()
    yield server
    server.destroy()


@_pytest.fixture(scope="session")
def dovecot_server():
    """One dovecot on loopback for the session; tests take fresh users from it (see ``imap_user``)."""
    yield from _running_dovecot()


@_pytest.fixture
def dovecot():
    """A dovecot of this test's own, for tests that stop or restart the server."""
    yield from _running_dovecot()


_user_numbers = _itertools.count(1)


@_pytest.fixture
def imap_user(dovecot_server):
    """A fresh mailbox (user, password) on the session dovecot, e.g. dept7@example.test."""
    user = f"dept{next(_user_numbers)}@example.test"
    return user, dovecot_server.add_user(user)


@_pytest.fixture
def smtp_sink(dovecot_server):
    """An SMTP server on loopback (no AUTH) that delivers into the session dovecot."""
    sink = _SmtpSink(dovecot=dovecot_server)
    sink.start()
    yield sink
    sink.stop()


@_pytest.fixture
def smtp_auth_sink(dovecot_server):
    """Like ``smtp_sink`` but requiring AUTH LOGIN/PLAIN over plain loopback; ``sink.users`` holds the logins."""
    sink = _SmtpSink(dovecot=dovecot_server, users={"794605082@qq.com": "abcdefghijklmnop"})
    sink.start()
    yield sink
    sink.stop()


# ---- the ledger: SQLite by default, a fresh PostgreSQL database when MAILBOT_TEST_PG is set ----
import os as _os
import uuid as _uuid


@_pytest.fixture
def db_url(tmp_path):
    """A fresh, empty ledger database URL for this test (SQLite file, or a new PostgreSQL database)."""
    server = _os.environ.get("MAILBOT_TEST_PG")
    if not server:
        yield f"sqlite:///{tmp_path}/ledger.db"
        return
    from sqlalchemy import create_engine, text

    name = f"t_{_uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@_pytest.fixture
def app(db_url):
    """The service wired on a fresh ledger with the shipped campaign and roster."""
    from mailbot.app import App

    application = App(db=db_url)
    yield application
    if "ledger" in application.__dict__:
        application.ledger.dispose()


def pytest_collection_modifyitems(config, items):
    """Mark every test that touches the ledger, so the PostgreSQL pass (-m db) runs exactly those."""
    for item in items:
        if "db_url" in getattr(item, "fixturenames", ()):
            item.add_marker(_pytest.mark.db)


# ---- every mail the suite renders is read as a person would (tests/support/text_scan.py) ----
import threading as _threading

_rendered_faults: list[tuple[str, list[str], str]] = []
_rendered_lock = _threading.Lock()
RENDERED: list[tuple[str, str]] = []  # (template, text) of every mail rendered in this process, for tests/mailbot/test_wording.py


@_pytest.fixture(scope="session", autouse=True)
def _scan_rendered_mail():
    """Wrap the reply renderer for the whole session: every rendered text is kept and scanned."""
    from mailbot.outbox import compose as replies
    from tests.support.text_scan import findings

    real = replies.render

    def scanned(template, **context):
        text = real(template, **context)
        faults = findings(text)
        with _rendered_lock:
            RENDERED.append((template, text))
            if faults:
                _rendered_faults.append((template, faults, text))
        return text

    replies.render = scanned
    yield
    replies.render = real


@_pytest.fixture(autouse=True)
def _no_fault_in_rendered_mail(_scan_rendered_mail):
    """A test that made us write a code, English or doubled punctuation to a person fails, naming the template."""
    with _rendered_lock:
        _rendered_faults.clear()
    yield
    with _rendered_lock:
        faults, _rendered_faults[:] = list(_rendered_faults), []
    assert not faults, "\n\n".join(f"{template}: {found}\n{text}" for template, found, text in faults)
