"""Every mail a person reads, rendered from realistic events: one greeting, the unit named, counts that match, no code.

The session-wide hook in conftest.py scans every mail the suite renders; this file makes sure every template is
rendered at least once, from the events that produce it, and checks what issue 19 saw.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from mailbot.config import load_campaign
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import OLE_DOC, XLSX, _mail, demo_inbox, rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger import review
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState
from mailbot.outbox.trouble import alert_undelivered
from mailbot.schedule.digest import queue_digests
from mailbot.schedule.health import check_inboxes, mark_failure, mark_success
from mailbot.schedule.reminders_send import queue_due
from mailbot.worker_config import coordinators, load_policy
from tests import conftest
from tests.support.text_scan import findings

TEMPLATES = sorted(p.stem for p in (Path(__file__).resolve().parent.parent.parent / "mailbot" / "outbox" / "templates" / "replies").glob("*.txt")
                   if not p.stem.startswith("_"))
ZWFW, BIANBAN = "xamzfw@126.com", "794605082@qq.com"


def at(app, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2022 if month == 12 else 2023, month, day, hour, minute, tzinfo=app.campaign.timezone)


def run(app, raw: bytes, mailbox: str, when: dt.datetime) -> dict:
    pipeline = app.pipeline()
    pipeline.now = lambda: when + dt.timedelta(minutes=5)
    return pipeline.process(delivery_from_bytes(raw, mailbox, received_at=when))


def body_of(app, verdict: dict) -> str:
    with app.ledger.session() as s:
        message = s.scalars(select(MessageRow).where(MessageRow.receipt_no == verdict["receipt_no"])).one()
        return s.scalars(select(OutboxRow.body).where(OutboxRow.message_ref == message.id, OutboxRow.kind.like("reply:%"))).one()


def a3_with_a_hint_and_errors(app) -> bytes:
    rows = rows_attachment3()
    rows[0]["事项依据"] = "教师资格条例"  # no 《》 and no 文号: a hint (warning), not an error
    rows[1]["事项名称"] = ""  # an error
    rows[1]["原办理时限"] = "很快"  # another error
    data = form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows)
    return _mail("jyj@example.com", ZWFW, "附件3", at(app, 1, 10), "请查收。", [("附件3.xlsx", data, XLSX)])


def question(sender: str, when: dt.datetime) -> bytes:
    return _mail(sender, ZWFW, "咨询", when, "请问附件3的事项依据应当怎么填写？")


def not_a_form() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "会议签到表"
    book.active["A2"] = "张三"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_unreadable_and_no_forms_receipts_greet_once_and_name_the_unit_of_a_roster_address(app):
    doc = run(app, _mail("sfj@example.com", ZWFW, "司法局实施方案", at(app, 1, 15), "见附件。", [("实施方案.doc", OLE_DOC, "application/msword")]), ZWFW, at(app, 1, 15))
    other = run(app, question("czj@example.com", at(app, 1, 15)), ZWFW, at(app, 1, 15))
    stranger = run(app, question("nobody@mail.example.net", at(app, 1, 15)), ZWFW, at(app, 1, 15))
    assert [doc["outcome"], other["outcome"], stranger["outcome"]] == ["unsupported", "no_forms", "no_forms"]
    assert body_of(app, doc).startswith("兴安盟司法局：\n\n您好！")
    assert body_of(app, other).startswith("兴安盟财政局：\n\n您好！")
    assert body_of(app, stranger).startswith("您好！") and body_of(app, stranger).count("您好") == 1


def test_the_count_of_problems_is_the_count_listed_and_hints_come_apart(app):
    verdict = run(app, a3_with_a_hint_and_errors(app), ZWFW, at(app, 1, 10))
    assert verdict["outcome"] == "invalid"
    body = body_of(app, verdict)
    said = int(re.search(r"需修改（(\d+)处问题）", body).group(1))
    numbered = re.findall(r"^   （(\d+)）(.*)$", body, re.M)
    assert said == len(numbered) == 2 and not [text for _, text in numbered if "提示" in text]
    hints = re.findall(r"^   【提示】.*$", body, re.M)
    assert any("事项依据" in h for h in hints) and f"另有{len(hints)}条提示" in body


def test_the_campaign_name_is_not_quoted_twice(app):
    verdict = run(app, question("czj@example.com", at(app, 1, 15)), ZWFW, at(app, 1, 15))
    body = body_of(app, verdict)
    assert "识别出“两优”专项行动要求报送的材料" in body and "““" not in body and "””" not in body


def test_the_coordinator_alert_says_in_words_where_the_marking_was(app):
    data = form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3())
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active["A2"] = "秘密★1年 保留职权事项及减环节、减材料、减时限清单"
    out = io.BytesIO()
    book.save(out)
    verdict = run(app, _mail("jyj@example.com", ZWFW, "附件3", at(app, 1, 10), "请查收。", [("附件3.xlsx", out.getvalue(), XLSX)]), ZWFW, at(app, 1, 10))
    assert verdict["outcome"] == "refused_classified"
    with app.ledger.session() as s:
        alert = s.scalars(select(OutboxRow).where(OutboxRow.kind == "alert")).one().body
        refusal = s.scalars(select(OutboxRow).where(OutboxRow.kind == "reply:refused_classified")).one().body
    assert "marking" not in alert and "工作表标题行中的密级标识" in alert, alert
    assert refusal.startswith("兴安盟教育局：\n\n您好！")


@pytest.fixture
def every_mail(app) -> dict[str, list[str]]:
    """Drive the service through a campaign's events and return every mail rendered, by template."""
    start = len(conftest.RENDERED)
    for sample in demo_inbox(app.campaign):
        run(app, sample.raw, sample.mailbox, sample.received_at)
    run(app, a3_with_a_hint_and_errors(app), ZWFW, at(app, 1, 10))
    run(app, _mail("czj@example.com", ZWFW, "签到表", at(app, 1, 15), "见附件。", [("签到表.xlsx", not_a_form(), XLSX)]), ZWFW, at(app, 1, 15))
    run(app, question("czj@example.com", at(app, 1, 15)), ZWFW, at(app, 1, 15))
    _held_and_settled(app)
    _duplicate_a_day_later(app)
    policy, people = load_policy(app.campaign), coordinators(app.campaign, None)
    queue_due(app.ledger, app.campaign, policy, at(app, 1, 13, 9, 5))
    queue_due(app.ledger, app.campaign, policy, at(app, 1, 19, 9, 35))
    queue_digests(app.ledger, app.campaign, policy, at(app, 1, 13, 17), people)
    _inbox_down_and_back(app, policy, people)
    _given_up(app, people)
    _reload_failed(app)
    rendered: dict[str, list[str]] = {}
    for template, text in conftest.RENDERED[start:]:
        rendered.setdefault(template, []).append(text)
    return rendered


def _reload_failed(app) -> None:
    # An operator's typo in the schedule: the worker keeps the old configuration and tells each coordinator once.
    from mailbot.errors import ConfigError
    from mailbot.worker_reload import record_failure

    broken = Path(app.config.campaign_file).read_text(encoding="utf-8").replace("working_days = 3", "working_day = 3", 1)
    target = Path(tempfile.mkdtemp()) / "campaign.toml"
    target.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_campaign(target)
    assert record_failure(app.ledger, app.config, str(caught.value), at(app, 1, 20, 9))


def _held_and_settled(app) -> None:
    # 教育局's address sends a return stamped by 财政局: a person decides, and the sender is told.
    data = form_xlsx(app.campaign.form("attachment3"), "兴安盟财政局", rows_attachment3())
    run(app, _mail("jyj@example.com", ZWFW, "附件3", at(app, 1, 11), "请查收。", [("附件3.xlsx", data, XLSX)]), ZWFW, at(app, 1, 11))
    with app.ledger.session() as s:
        ids = [row.id for row in review.pending(s)]
    review.reject(app, ids[0], "表内单位与发件单位不一致，请核实后重新报送", at(app, 1, 12))


def _duplicate_a_day_later(app) -> None:
    def again(day: int) -> bytes:
        data = form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3()[:1])
        return _mail("jyj@example.com", ZWFW, "附件3", at(app, 1, day), "请查收。", [("附件3.xlsx", data, XLSX)], message_id="<twice@example.com>")

    run(app, again(16), ZWFW, at(app, 1, 16))
    with app.ledger.transaction() as s:
        for row in s.scalars(select(OutboxRow).where(OutboxRow.sent_at.is_(None))):
            row.sent_at, row.state = at(app, 1, 16, 11), OutboxState.SENT
    assert run(app, again(18), ZWFW, at(app, 1, 18))["reply"]["kind"] == "duplicate"


def _inbox_down_and_back(app, policy, people) -> None:
    with app.ledger.transaction() as s:
        mark_failure(s, ZWFW, "INBOX", at(app, 1, 5, 9), "邮箱服务器 imap.126.com:993 暂时无法访问（登录）：[Errno 111] Connection refused")
    check_inboxes(app.ledger, app.campaign, policy, at(app, 1, 5, 10), people)
    with app.ledger.transaction() as s:
        mark_success(s, ZWFW, "INBOX", at(app, 1, 5, 11))
    check_inboxes(app.ledger, app.campaign, policy, at(app, 1, 5, 11, 5), people)


def _given_up(app, people) -> None:
    with app.ledger.transaction() as s:
        row = s.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder").limit(1)).one()
        row.state, row.attempts, row.last_error = OutboxState.GIVEN_UP, 1, "550 5.1.1 <tmw@example.org>: Recipient address rejected: User unknown"
    alert_undelivered(app.ledger, app.campaign, people, at(app, 1, 19, 10))


def test_every_template_is_rendered_from_real_events_and_reads_as_chinese_to_a_person(every_mail):
    assert sorted(every_mail) == TEMPLATES
    faults = {(template, fault) for template, texts in every_mail.items() for text in texts for fault in findings(text)}
    assert not faults


def test_the_scanner_catches_what_issue_19_saw():
    assert findings("您好：\n\n您好！邮件已收到。") and findings("识别出““两优”专项行动”要求")
    assert findings("经检测带有涉密标识（规则：marking-in-sheet-title）") and findings("最近一次出错原因：[Errno 111] Connection refused")
    assert findings("字段 withhold_content 为真") and findings("收到。。")
    assert not findings("兴安盟教育局：\n\n您好！2023年1月10日发送至 xamzfw@126.com 的邮件已收到（文件：附件3.xlsx，工作表：Sheet1），单元格B3：请核对。")
