"""Intake against real servers: a department's mail lands in dovecot, the worker reads it, the receipt comes back."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from sqlalchemy import func, select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.poll import poll_all
from mailbot.ledger.models import MessageRow, OutboxRow, SubmissionRow
from mailbot.outbox.send import drain
from tests.support.desk import running_desk

pytestmark = pytest.mark.imap
ZWFW, BIANBAN = "xamzfw@126.com", "794605082@qq.com"


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        yield made


def a3(desk, sender: str, unit="兴安盟教育局", subject="附件3", to=ZWFW) -> bytes:
    spec = desk.app.campaign.form("attachment3")
    when = dt.datetime(2023, 1, 10, 9, tzinfo=desk.app.campaign.timezone)
    return _mail(sender, to, subject, when, "请查收。", [("附件3.xlsx", form_xlsx(spec, unit, rows_attachment3()), XLSX)])


def department(desk, address="jyj@example.com") -> str:
    desk.dovecot.add_user(address)
    return address


def counts(desk) -> tuple[int, int, int]:
    with desk.app.ledger.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (MessageRow, SubmissionRow, OutboxRow))


def subjects(raw_messages) -> list[str]:
    return [email.message_from_bytes(raw, policy=policy.default)["Subject"] for raw in raw_messages]


def test_a_return_is_registered_filed_and_answered_in_the_departments_mailbox(desk):
    dept = department(desk)
    desk.send(a3(desk, dept), ZWFW)
    [report] = [r for r in poll_all(desk.app) if r.inbox == ZWFW]
    assert (report.processed, report.filed, report.error) == (1, 1, "")
    assert desk.mailbox_of(ZWFW) == [] and len(desk.mailbox_of(ZWFW, "已处理")) == 1
    assert drain(desk.app).sent == 1
    [receipt] = desk.mailbox_of(dept)
    parsed = email.message_from_bytes(receipt, policy=policy.default)
    assert parsed["Subject"] == "回复：附件3" and parsed["Auto-Submitted"] == "auto-replied"
    assert "兴安盟教育局" in parsed.get_body().get_content() and ZWFW in parsed["From"]
    assert desk.sink.received[-1].login == ZWFW  # sent from the office's own account


def test_nothing_is_processed_or_answered_twice_across_restarts(desk):
    dept = department(desk)
    desk.send(a3(desk, dept), ZWFW)
    poll_all(desk.app)
    drain(desk.app)
    desk.dovecot.restart()
    poll_all(desk.app)
    drain(desk.app)
    assert counts(desk) == (1, 1, 1) and len(desk.mailbox_of(dept)) == 1


def test_the_same_message_back_in_the_inbox_under_a_new_uid_is_not_doubled(desk):
    dept = department(desk)
    raw = a3(desk, dept)
    desk.send(raw, ZWFW)
    poll_all(desk.app)
    desk.send(raw, ZWFW)  # e.g. a person moved it back, or the folder was rebuilt with a new UIDVALIDITY
    [report] = [r for r in poll_all(desk.app) if r.inbox == ZWFW]
    drain(desk.app)
    assert report.processed == 1 and counts(desk) == (1, 1, 1) and len(desk.mailbox_of(dept)) == 1
    assert desk.mailbox_of(ZWFW) == []


def test_recorded_but_not_yet_filed_is_filed_on_the_next_pass(desk, monkeypatch):
    dept = department(desk)
    desk.send(a3(desk, dept), ZWFW)
    import mailbot.intake.poll as intake

    monkeypatch.setattr(intake, "_file", lambda *a, **k: None)  # the worker dies before the MOVE
    poll_all(desk.app)
    monkeypatch.undo()
    assert len(desk.mailbox_of(ZWFW)) == 1
    [report] = [r for r in poll_all(desk.app) if r.inbox == ZWFW]
    assert (report.processed, report.filed) == (0, 1) and counts(desk)[0] == 1


def test_classified_mail_goes_to_quarantine_and_the_coordinator_is_alerted(desk):
    dept = department(desk, "gaj@example.com")
    desk.send(a3(desk, dept, subject="【涉密】附件3"), BIANBAN)
    poll_all(desk.app)
    assert desk.mailbox_of(BIANBAN) == [] and len(desk.mailbox_of(BIANBAN, "涉密隔离")) == 1
    drain(desk.app)
    assert "如内容涉密，请使用光盘报送" in subjects(desk.mailbox_of(dept))[0]
    alert = [s for s in subjects(desk.mailbox_of(BIANBAN)) if s.startswith("【系统提示】")]
    assert len(alert) == 1


def test_auto_replies_get_no_answer(desk):
    dept = department(desk)
    when = dt.datetime(2023, 1, 10, 9, tzinfo=desk.app.campaign.timezone)
    desk.send(_mail(dept, ZWFW, "自动回复：您的邮件", when, "这是来自QQ邮箱的假期自动回复邮件。"), ZWFW)
    desk.send(_mail(dept, ZWFW, "Out of office", when, "I am away", Auto_Submitted="auto-replied"), ZWFW)
    poll_all(desk.app)
    drain(desk.app)
    assert counts(desk) == (2, 0, 0) and desk.mailbox_of(dept) == []


def test_a_wrong_password_marks_the_inbox_failing(desk):
    (desk.settings_file.parent / "zwfw.secret").write_text("wrong", encoding="utf-8")
    reports = {r.inbox: r for r in poll_all(desk.app)}
    assert reports[ZWFW].error and not reports[BIANBAN].error
    from mailbot.ledger.models import MailboxStateRow

    with desk.app.ledger.session() as s:
        state = s.get(MailboxStateRow, (ZWFW, "INBOX"))
    assert state.failing_since is not None and state.last_error


def test_classified_mail_can_be_deleted_on_the_server_instead(dovecot, tmp_path, db_url):
    from tests.support.desk import make_desk  # a desk of its own: this test edits the settings

    desk = make_desk(dovecot, tmp_path, db_url)
    text = desk.settings_file.read_text(encoding="utf-8").replace('security = "plain"\nusername = "794605082@qq.com"\npassword_file',
                                                                  'security = "plain"\nusername = "794605082@qq.com"\nquarantine_action = "delete"\npassword_file', 1)
    desk.settings_file.write_text(text, encoding="utf-8")
    desk.app = type(desk.app)(db=db_url, settings_file=str(desk.settings_file))
    dept = department(desk, "gaj@example.com")
    desk.send(a3(desk, dept, subject="【涉密】附件3"), BIANBAN)
    poll_all(desk.app)
    assert desk.mailbox_of(BIANBAN) == [] and "涉密隔离" not in desk.dovecot.list_folders(BIANBAN)
    desk.sink.stop()
