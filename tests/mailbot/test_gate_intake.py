"""The 涉密 gate over the real servers: every kind of marked mail, read from dovecot through the parse child,
ends in the quarantine folder (or is deleted, as configured) or in the review folder when unclear, and
not one byte of it is found in any other folder, any table, the log, the outbox or the exports.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

import pytest
from sqlalchemy import func, select

from mailbot.intake.poll import poll_all
from mailbot.ledger.models import OutboxRow, OutboxState
from mailbot.outbox.send import drain
from mailbot.reports.exports import export_files
from mailbot.reports.workbook import build_ledger_workbook
from tests.mailbot.test_gate_first import LOOP_GUARDED
from tests.mailbot.test_gate_reads import SEEN
from tests.support import gate_cases as g
from tests.support.canary import find_canary, in_database, make_canary
from tests.support.desk import make_desk, running_desk

pytestmark = pytest.mark.imap
ZWFW, DEPT = g.ZWFW, g.SENDER


def marked_mail(canary: str) -> tuple[list[bytes], int, int]:
    """Every kind of marked mail the issue found kept, with the canary: (messages, refused, held)."""
    messages = [g.mail("两优清单", "请查收。", message_id="<reused@example.com>")]  # ordinary, then its Message-ID reused
    messages.append(g.mail(f"【涉密】秘密★1年{canary}", f"正文{canary}", message_id="<reused@example.com>"))
    for _case, sender, headers in LOOP_GUARDED:
        messages.append(g.mail(f"【涉密】秘密★1年{canary}", f"正文{canary}", sender=sender, **headers))
    messages += [g.placed(where, text, canary) for _case, text, where, _certain in SEEN]
    held = sum(1 for *_rest, certain in SEEN if not certain)
    return messages, len(messages) - 1 - held, held


def found_in_folders(desk, user: str, canary: str, skip: tuple[str, ...]) -> list[str]:
    return [folder for folder in desk.dovecot.list_folders(user) if folder not in skip
            and find_canary(canary, *desk.mailbox_of(user, folder))]


def assert_nothing_kept(desk, canary: str, caplog) -> None:
    app, when = desk.app, dt.datetime(2023, 1, 11, tzinfo=desk.app.campaign.timezone)
    assert in_database(canary, app.ledger.engine) == []
    with app.ledger.session() as s:
        downloads = [build_ledger_workbook(s, app.campaign, when, None), *export_files(s, app.campaign, when).values()]
    sent = [m.data for m in desk.sink.received]
    assert find_canary(canary, caplog.text, *downloads, *sent) == []
    assert found_in_folders(desk, DEPT, canary, ()) == []


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        made.dovecot.add_user(DEPT)
        yield made


def test_every_marked_mail_is_quarantined_or_held_and_kept_nowhere_else(desk, caplog):
    caplog.set_level(logging.DEBUG)
    canary = make_canary()
    messages, refused, held = marked_mail(canary)
    for raw in messages:
        desk.send(raw, ZWFW)
    poll_all(desk.app)
    drain(desk.app)
    poll_all(desk.app)  # the coordinator's alerts came back to the office inbox: our own mail, not held
    # Only those alerts stay in the inbox (unread, for the coordinator who reads this inbox); no department's mail.
    assert all(b"X-Mailbot-Kind: alert" in raw for raw in desk.mailbox_of(ZWFW))
    assert len(desk.mailbox_of(ZWFW, "涉密隔离")) == refused
    assert len(desk.mailbox_of(ZWFW, "需人工处理")) == held  # a person looks at the unclear ones there
    assert found_in_folders(desk, ZWFW, canary, ("涉密隔离", "需人工处理")) == []
    assert_nothing_kept(desk, canary, caplog)
    with desk.app.ledger.session() as s:
        kinds = Counter(s.scalars(select(OutboxRow.kind)))
        sent = s.scalar(select(func.count()).where(OutboxRow.kind.like("reply:%"), OutboxRow.state == OutboxState.SENT))
    # One answer to each marked message a person sent; none to the loop-guarded ones; the coordinator hears of all.
    assert (kinds["reply:refused_classified"], kinds["reply:held_for_review"]) == (refused - len(LOOP_GUARDED), held)
    assert kinds["alert"] == refused
    assert len(desk.mailbox_of(DEPT)) == sent > 0  # (the sending pace may hold some back: issue 15, point 4)


def test_marked_auto_replies_are_deleted_when_the_policy_says_delete(dovecot, tmp_path, db_url, caplog):
    caplog.set_level(logging.DEBUG)
    desk = make_desk(dovecot, tmp_path, db_url)
    try:
        text = desk.settings_file.read_text(encoding="utf-8").replace(
            f'username = "{ZWFW}"\npassword_file', f'username = "{ZWFW}"\nquarantine_action = "delete"\npassword_file', 1)
        desk.settings_file.write_text(text, encoding="utf-8")
        desk.app = type(desk.app)(db=db_url, settings_file=str(desk.settings_file))
        dovecot.add_user(DEPT)
        canary = make_canary()
        for _case, sender, headers in LOOP_GUARDED:
            desk.send(g.mail(f"【涉密】秘密★1年{canary}", f"正文{canary}", sender=sender, **headers), ZWFW)
        poll_all(desk.app)
        assert desk.mailbox_of(ZWFW) == [] and found_in_folders(desk, ZWFW, canary, ()) == []
        assert "涉密隔离" not in dovecot.list_folders(ZWFW)
        assert_nothing_kept(desk, canary, caplog)
    finally:
        desk.sink.stop()
        desk.app.ledger.dispose()
