"""Shared pytest fixtures."""

# ---- mail servers on loopback (tests/servers.py) ----
import itertools as _itertools

import pytest as _pytest

from tests.servers import Dovecot as _Dovecot, SmtpSink as _SmtpSink, dovecot_missing_reason as _dovecot_missing


@_pytest.fixture(scope="session")
def dovecot_server():
    """One dovecot on loopback for the session; tests take fresh users from it (see ``imap_user``)."""
    reason = _dovecot_missing()
    if reason:
        _pytest.skip(reason)
    server = _Dovecot.create()
    server.start()
    yield server
    server.destroy()


@_pytest.fixture
def dovecot():
    """A dovecot of this test's own, for tests that stop or restart the server."""
    reason = _dovecot_missing()
    if reason:
        _pytest.skip(reason)
    server = _Dovecot.create()
    server.start()
    yield server
    server.destroy()


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
