"""A message another client expunges while a pass reads the inbox is skipped; the pass and the other inboxes go on."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from imapclient import IMAPClient
from sqlalchemy import select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.poll import poll_all
from mailbot.ledger.models import MailboxStateRow, MessageRow
from mailbot.mail.imap import Mailbox
from tests.support.desk import OFFICES, running_desk

pytestmark = pytest.mark.imap
ZWFW, BIANBAN = OFFICES["zwfw"], OFFICES["bianban"]


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        yield made


def a3(desk, sender: str, to: str, minute: int, video: int = 0) -> bytes:
    spec = desk.app.campaign.form("attachment3")
    when = dt.datetime(2023, 1, 10, 9, minute, tzinfo=desk.app.campaign.timezone)
    files = [("附件3.xlsx", form_xlsx(spec, "兴安盟教育局", rows_attachment3()), XLSX)]
    if video:  # past fetch_whole_below: the message is read in parts
        files.append(("现场.mp4", os.urandom(video), "video/mp4"))
    return _mail(sender, to, f"附件3（{minute}）", when, "请查收。", files)


def expunge(desk, user: str, uid: int) -> None:
    """A second client (a person in the webmail, a phone) deletes one message for good."""
    with desk.dovecot.connect(user) as other:
        other.select_folder("INBOX")
        other.add_flags([uid], [b"\\Deleted"])
        other.uid_expunge([uid])


@pytest.mark.parametrize("size", ["whole", "parts"])
@pytest.mark.parametrize("moment", ["after-search", "after-first-fetch"])
def test_a_message_expunged_under_the_pass_is_skipped_and_nothing_else_stops(desk, monkeypatch, size, moment):
    video = 3 * 1024 * 1024 if size == "parts" else 0
    uids = [desk.send(a3(desk, f"dept{n}@example.com", ZWFW, n, video if n == 1 else 0), ZWFW) for n in range(3)]
    desk.send(a3(desk, "other@example.com", BIANBAN, 9), BIANBAN)
    victim, done = uids[1], []

    def gone_once(user: str) -> None:
        if user == ZWFW and not done:
            done.append(True)
            expunge(desk, ZWFW, victim)

    if moment == "after-search":
        real_list = Mailbox.list_uids_after

        def list_then_expunge(self, last_uid):
            found = real_list(self, last_uid)
            gone_once(self.username)
            return found

        monkeypatch.setattr(Mailbox, "list_uids_after", list_then_expunge)
    else:
        real_fetch = IMAPClient.fetch

        def fetch_then_expunge(self, messages, data, *args, **kwargs):
            answer = real_fetch(self, messages, data, *args, **kwargs)
            if "BODY.PEEK[HEADER]" in data and victim in messages:  # the first round; bodies come next
                gone_once(ZWFW)
            return answer

        monkeypatch.setattr(IMAPClient, "fetch", fetch_then_expunge)

    reports = {r.inbox: r for r in poll_all(desk.app)}
    assert done, "the second client never expunged the message"
    assert (reports[ZWFW].processed, reports[ZWFW].error) == (2, "")
    assert (reports[BIANBAN].processed, reports[BIANBAN].error) == (1, "")
    with desk.app.ledger.session() as s:
        recorded = sorted((m.mailbox, m.uid) for m in s.scalars(select(MessageRow)))
        health = {h.mailbox: h for h in s.scalars(select(MailboxStateRow))}
    assert recorded == sorted([(ZWFW, uids[0]), (ZWFW, uids[2]), (BIANBAN, 1)])
    assert all(h.failing_since is None and h.last_success_at is not None for h in health.values())
    assert desk.mailbox_of(ZWFW) == []  # the two read ones were filed
