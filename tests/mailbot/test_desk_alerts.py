"""Alerts reach the coordinator: when the coordinator's address is the office inbox, the robot leaves its own alerts unread there."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mailbot.intake.poll import poll_all
from mailbot.ledger.models import MessageRow
from mailbot.outbox.send import drain
from tests.routing.test_chain import decide, delivery
from tests.support import gate_cases as g
from tests.support.desk import running_desk

ZWFW, DEPT = g.ZWFW, g.SENDER


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        made.dovecot.add_user(DEPT)
        yield made


def unseen(desk, user: str) -> int:
    with desk.dovecot.connect(user) as client:
        client.select_folder("INBOX", readonly=True)
        return len(client.search("UNSEEN"))


@pytest.mark.imap
def test_an_alert_to_the_office_inbox_stays_there_unread_across_passes(desk):
    desk.send(g.mail("【涉密】秘密★1年 清单", "正文"), ZWFW)
    poll_all(desk.app)
    drain(desk.app)  # no coordinator address set: the alert goes to the office inbox itself
    for _ in range(2):
        poll_all(desk.app)
    inbox = desk.mailbox_of(ZWFW)
    assert len(inbox) == 1 and b"X-Mailbot-Kind: alert" in inbox[0]
    assert unseen(desk, ZWFW) == 1
    assert "已处理" not in desk.dovecot.list_folders(ZWFW) or desk.mailbox_of(ZWFW, "已处理") == []
    with desk.app.ledger.session() as s:
        reasons = list(s.scalars(select(MessageRow.reason).where(MessageRow.outcome == "ignored")))
    assert reasons == ["own-alert"]


@pytest.mark.parametrize("kind, reason", [("alert", "own-alert"), ("digest", "own-alert"), ("undelivered", "own-alert"),
                                          ("reply:accepted", "own-mail"), ("reminder", "own-mail")])
def test_only_mail_to_coordinators_is_kept_for_them(kind, reason):
    d = delivery(sender="xamzfw@126.com", **{"X-Mailbot-Kind": kind})
    assert decide(d).value == "ignored" and d.reason == reason


def test_a_stranger_cannot_have_mail_kept_unread_by_claiming_the_header():
    d = delivery(sender="jyj@example.com", **{"X-Mailbot-Kind": "alert"})
    decide(d)
    assert d.reason != "own-alert"


def test_a_staff_note_reaches_the_digest_never_the_departments_receipt(app):
    from mailbot.ledger.models import OutboxRow
    from mailbot.schedule.digest import digest_row
    from tests.mailbot.test_pipeline import a3_mail, run, when

    verdict = run(app, a3_mail(app, sender="someone@example.org"))  # the table names 兴安盟教育局; the address is not on the roster
    assert verdict["flags"] == ["发件地址不在名册"]
    with app.ledger.transaction() as s:
        reply = s.scalars(select(OutboxRow).where(OutboxRow.kind.like("reply:%"))).one()
        digest = digest_row(s, app.campaign, app.campaign.offices["zwfw"], ZWFW, when(app, 10, 17), "digest:test")
    assert "核实" not in reply.body and "发件地址不在名册" not in reply.body
    assert "需工作人员核实的来件（1封" in digest.body and "someone@example.org，登记为兴安盟教育局" in digest.body
