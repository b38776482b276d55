"""Secrets: only by reference, warned about when others may read them, and never in logs, errors, files or the ledger."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.intake.poll import poll_all
from mailbot.ledger.models import Base
from mailbot.outbox.send import drain
from mailbot.settings import build_settings
from mailbot.web.secret import load_secret
from tests.mailbot.test_intake import a3, department
from tests.support.canary import find_canary, make_canary
from tests.support.desk import OFFICES, make_desk, password_of

ZWFW = OFFICES["zwfw"]


def ledger_dump(app) -> str:
    """Every row of every table, as text (works for SQLite and PostgreSQL alike)."""
    with app.ledger.session() as s:
        return "\n".join(repr(row) for table in Base.metadata.sorted_tables for row in s.execute(select(table)))


def recent_files(root: Path, since: float, skip: tuple[Path, ...]) -> list[Path]:
    """Files under ``root`` written since the test began, except the secrets themselves and the servers' own data."""
    found = []
    for dirpath, _dirs, names in os.walk(root):
        if any(Path(dirpath).is_relative_to(s) for s in skip):
            continue
        for name in names:
            path = Path(dirpath) / name
            try:
                if path.is_file() and path.stat().st_mtime >= since and not path.name.endswith(".secret"):
                    found.append(path)
            except OSError:
                continue  # another test's file came and went
    return found


@pytest.mark.imap
def test_a_canary_password_is_nowhere_after_intake_outbox_and_failed_logins(dovecot, tmp_path, db_url, capsys):
    began = time.time() - 1
    desk = make_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\nfirst_retry = 0\nauth_pause = 0\n")
    log_file = tmp_path / "debug.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    canary = make_canary("pw")
    errors = []
    try:
        dept = department(desk)
        desk.send(a3(desk, dept), ZWFW)
        errors += poll_all(desk.app)  # logs in with the real passwords, registers, queues the receipt
        (tmp_path / "zwfw.secret").write_text(canary, encoding="utf-8")
        errors.append(drain(desk.app))  # SMTP AUTH refused with the canary
        errors += poll_all(desk.app)  # IMAP LOGIN refused with the canary
        (tmp_path / "zwfw.secret").write_text(password_of(ZWFW), encoding="utf-8")
        errors.append(drain(desk.app))
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
        desk.sink.stop()
    out = capsys.readouterr()
    assert len(desk.mailbox_of(dept)) == 1  # the run really worked end to end
    assert any(getattr(r, "error", "") for r in errors)  # and the canary login really failed
    files = recent_files(tmp_path, began, ()) + recent_files(Path(tempfile.gettempdir()), began, (dovecot.root, tmp_path))
    places = [*files, out.out, out.err, repr(errors), ledger_dump(desk.app)]
    desk.app.ledger.dispose()
    assert log_file in files and "LOGIN" in log_file.read_text(encoding="utf-8").upper()  # DEBUG really logged the sessions
    for secret in (canary, password_of(ZWFW), password_of(OFFICES["bianban"])):
        assert find_canary(secret, *places) == []


def test_a_password_file_others_can_read_is_warned_about_in_chinese(tmp_path, caplog):
    secret = tmp_path / "qq.secret"
    secret.write_text("abcdefghijklmnop", encoding="utf-8")
    table = {"offices": {"a": {"inboxes": [{"host": "127.0.0.1", "port": 1, "username": "u@x", "password_file": str(secret)}]}}}
    secret.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        build_settings(table)
    assert "chmod 600" in caplog.text and "其他用户也可读取" in caplog.text and "abcdefghijklmnop" not in caplog.text
    caplog.clear()
    secret.chmod(0o600)
    with caplog.at_level(logging.WARNING):
        build_settings(table)
    assert caplog.text == ""


def test_the_web_secret_from_a_shared_file_is_warned_about(tmp_path, caplog, monkeypatch):
    secret = tmp_path / "web.secret"
    secret.write_text("s" * 32, encoding="utf-8")
    secret.chmod(0o640)
    monkeypatch.delenv("MAILBOT_WEB_SECRET", raising=False)
    with caplog.at_level(logging.WARNING):
        assert load_secret(str(secret)) == ("s" * 32, False)
    assert "chmod 600" in caplog.text and "s" * 32 not in caplog.text
