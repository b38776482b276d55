"""Reminders over the ledger: who, when, exactly once (restarts, two processes), the call list, the digest, inbox health."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mailbot.demo.forms import form_xlsx, plan_docx
from mailbot.demo.inbox import DOCX, XLSX, _mail, rows_attachment2
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger import Ledger
from mailbot.ledger.models import MessageRow, OutboxRow, SubmissionRow, UnitRow
from mailbot.ledger.models_schedule import ReminderSlotRow
from mailbot.ledger.units import unit_row
from mailbot.schedule import reminders_send
from mailbot.schedule.digest import queue_digests
from mailbot.schedule.health import check_inboxes, mark_failure, mark_success
from mailbot.schedule.reminders import Hold, call_list, plan_slot
from mailbot.schedule.reminders_send import queue_due
from mailbot.worker_config import coordinators, load_policy
from routing.model.schedule import next_slot, policy_from_config
from routing.model.workdays import is_working_day

ROOT = Path(__file__).resolve().parent.parent.parent
BIANBAN, ZWFW = "794605082@qq.com", "xamzfw@126.com"
ZZB, CZJ, TQ = "中共兴安盟委员会组织部", "兴安盟财政局", "中共突泉县委员会"  # 突泉县委 has no address in the roster
STEPS = [(8, 0), (9, 0), (9, 30), (10, 0), (12, 0), (14, 0), (17, 0)]


def at(app, month, day, hour=9, minute=0):
    return dt.datetime(2022 if month == 12 else 2023, month, day, hour, minute, tzinfo=app.campaign.timezone)


def submit(app, sender, mailbox, when, files, body="请查收。"):
    pipeline = app.pipeline()
    pipeline.now = lambda: when
    return pipeline.process(delivery_from_bytes(_mail(sender, mailbox, "报送材料", when, body, files), mailbox, received_at=when))


def plan_and_contact(app, when):
    body = "实施方案见附件。\n联络人：李明  职务：办公室主任  电话：0482-8211234"
    return submit(app, "zzb@example.org", BIANBAN, when, [("组织部实施方案.docx", plan_docx(ZZB), DOCX)], body)


def slots_of(app, name):
    with app.ledger.session() as s:
        uid = unit_row(s, name).id
        return sorted((r.deadline, r.slot, r.office) for r in s.scalars(select(ReminderSlotRow).where(ReminderSlotRow.unit_id == uid)))


def reminder_rows(app):
    with app.ledger.session() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder").order_by(OutboxRow.id)))


def walk(app, policy, days):
    """Run the due-slot function as the worker would, through the given days at the STEPS times."""
    start, end = days
    day = start
    while day <= end:
        for hour, minute in STEPS:
            queue_due(app.ledger, app.campaign, policy, dt.datetime.combine(day, dt.time(hour, minute), app.campaign.timezone))
        day += dt.timedelta(days=1)


def test_reminders_across_the_new_year_fall_on_working_days_once_each(app):
    policy = load_policy(app.campaign)
    walk(app, policy, (dt.date(2022, 12, 26), dt.date(2023, 1, 2)))
    assert plan_and_contact(app, at(app, 1, 3, 10))["outcome"] == "accepted"
    walk(app, policy, (dt.date(2023, 1, 3), dt.date(2023, 1, 20)))
    rows = reminder_rows(app)
    # Every mail went out at the first worker turn at or after its slot, on a working day, never twice.
    assert all(is_working_day(r.created_at.astimezone(app.campaign.timezone).date()) for r in rows)
    assert {r.created_at.astimezone(app.campaign.timezone).strftime("%H:%M") for r in rows} == {"09:00", "09:30"}
    assert len({r.dedup_key for r in rows}) == len(rows)
    with app.ledger.session() as s:
        days = Counter((r.deadline, r.slot) for r in s.scalars(select(ReminderSlotRow)))
    assert sorted({k for _, k in days if _ == "plan"}) == ["2022-12-29", "2023-01-04", "2023-01-05", "2023-01-06", "2023-01-09", "2023-01-10", "2023-01-11"]
    assert sorted({k for d, k in days if d == "lists"}) == ["2023-01-13", "2023-01-17", "2023-01-18", "2023-01-19", "2023-01-20"]
    # 组织部 sent its plan and contact on 3 January: reminded of them once (29 Dec) and never after.
    assert [s for s in slots_of(app, ZZB) if s[0] == "plan"] == [("plan", "2022-12-29", "bianban")]
    assert len([s for s in slots_of(app, ZZB) if s[0] == "lists"]) == 5
    assert slots_of(app, TQ) == []
    assert not [r for r in rows if not r.to_addr]


def test_a_government_unit_gets_one_reminder_per_slot_listing_each_office_with_its_address(app):
    bad = form_xlsx(app.campaign.form("attachment2"), CZJ, rows_attachment2(bad=True))
    assert submit(app, "czj@example.com", ZWFW, at(app, 1, 11, 10), [("附件2.xlsx", bad, XLSX)])["outcome"] == "invalid"
    [result] = queue_due(app.ledger, app.campaign, load_policy(app.campaign), at(app, 1, 13, 9, 5))
    [mine] = [r for r in result.queued if r.unit_name == CZJ]
    assert mine.office.key == "zwfw" and {k: [o.kind for o in v] for k, v in mine.by_office().items()} == {"bianban": ["attachment1"], "zwfw": ["attachment2", "attachment3"]}
    assert mine.addresses == ("czj@example.com",)
    with app.ledger.session() as s:
        [row] = s.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder", OutboxRow.to_addr == "czj@example.com")).all()
        assert [r.office for r in s.scalars(select(ReminderSlotRow).where(ReminderSlotRow.outbox_id == row.id))] == ["zwfw"]
    body, problem = row.body, mine.by_office()["zwfw"][0].problems[0]
    assert "最新版本存在以下问题" in body and problem in body and "2023年1月18日前" in body
    # Each office's part names where to send it: 附件1 to 编办, 附件2 and 3 to 政务服务局.
    bianban, zwfw = body.index("报盟委编办的材料（电子版发送至 794605082@qq.com"), body.index("报盟行政审批和政务服务局的材料（电子版发送至 xamzfw@126.com")
    assert bianban < body.index("附件1《") < zwfw < body.index("附件2《") < body.index("附件3《")
    assert "0482-8267388" in body and "0482-8288095" in body
    # Asked again the same day, by a worker still running the old one-mail-per-office code or not: nothing more.
    assert queue_due(app.ledger, app.campaign, load_policy(app.campaign), at(app, 1, 13, 10))[0].queued == []


def test_exempt_and_paused_units_are_skipped(app):
    with app.ledger.transaction() as s:
        unit_row(s, ZZB).exempt = ["plan", "contact"]
        unit_row(s, CZJ).paused_until = at(app, 1, 10)
    policy = load_policy(app.campaign)
    with app.ledger.session() as s:
        plan = plan_slot(s, app.campaign, next_slot(policy, app.campaign, at(app, 1, 4, 8)), at(app, 1, 4, 9))
    names = {r.unit_name for r in plan.reminders}
    assert ZZB not in names and CZJ not in names and (CZJ, Hold.PAUSED) in [(h.unit_name, h.hold) for h in plan.held]
    assert "兴安盟教育局" in names


def test_what_arrived_after_the_slot_fired_counts_and_a_lagging_inbox_holds_the_office(app):
    policy = load_policy(app.campaign)
    plan_and_contact(app, at(app, 1, 4, 9, 2))
    with app.ledger.transaction() as s:
        mark_success(s, BIANBAN, "INBOX", at(app, 1, 4, 8, 50))  # not read since the 09:00 slot fired
    queue_due(app.ledger, app.campaign, policy, at(app, 1, 4, 9, 5))
    assert {r.office for r in reminder_rows(app)} == {"zwfw"}
    with app.ledger.transaction() as s:
        mark_success(s, BIANBAN, "INBOX", at(app, 1, 4, 9, 10))
    queue_due(app.ledger, app.campaign, policy, at(app, 1, 4, 9, 15))
    assert {r.office for r in reminder_rows(app)} == {"zwfw", "bianban"}
    assert slots_of(app, ZZB) == []


def test_a_config_change_between_two_slots_is_honoured(app):
    tables = {"grace_hours": 8, "deadlines": {"plan": {"after": {"at": "09:30", "max": 5}}}}
    first = policy_from_config(tables, app.campaign)
    queue_due(app.ledger, app.campaign, first, at(app, 1, 5, 9, 30))
    # The operator moves the overdue reminders to 14:00, every second working day.
    second = policy_from_config({**tables, "deadlines": {"plan": {"after": {"at": "14:00", "max": 5, "every_working_days": 2}}}}, app.campaign)
    for moment in (at(app, 1, 5, 14), at(app, 1, 6, 9, 30), at(app, 1, 6, 14), at(app, 1, 9, 14, 1)):
        queue_due(app.ledger, app.campaign, second, moment)
    with app.ledger.session() as s:
        keys = Counter(s.scalars(select(ReminderSlotRow.slot).where(ReminderSlotRow.deadline == "plan")))
    assert sorted(keys) == ["2023-01-05", "2023-01-09"]  # the 5th once (not again at 14:00), the 6th skipped
    assert len(set(keys.values())) == 1


def test_a_kill_in_the_middle_and_a_restart_send_nothing_twice(app, db_url, monkeypatch):
    policy, now = load_policy(app.campaign), at(app, 1, 4, 9, 5)
    real, made = reminders_send.outbox_row, []

    def dying(campaign, r, when):
        if len(made) == 10:
            raise KeyboardInterrupt("killed")
        made.append(r)
        return real(campaign, r, when)

    monkeypatch.setattr(reminders_send, "outbox_row", dying)
    with pytest.raises(KeyboardInterrupt):
        queue_due(app.ledger, app.campaign, policy, now)
    assert reminder_rows(app) == []  # the transaction died whole
    monkeypatch.setattr(reminders_send, "outbox_row", real)
    first = queue_due(app.ledger, app.campaign, policy, now)[0]
    app.ledger.dispose()
    fresh = Ledger(db_url)
    again = queue_due(fresh, app.campaign, policy, at(app, 1, 4, 11))[0]
    fresh.dispose()
    assert len(first.queued) > 50 and again.queued == [] and len(again.already) == len(first.queued)
    assert len(reminder_rows(app)) == len(first.queued)


def test_two_processes_racing_on_one_ledger_send_each_slot_once(app, db_url):
    app.ledger  # creates the schema and imports the roster before the race
    cmd = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "reminders", "send", "--at", "2023-01-04T09:05", "--yes"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    rows = reminder_rows(app)
    with app.ledger.session() as s:
        slots = s.scalar(select(func.count()).select_from(ReminderSlotRow))
    assert len(rows) == slots == len({r.dedup_key for r in rows}) > 50
    assert sum("新生成催报 0 封" in out for out, _ in outputs) == 1


def test_units_without_an_address_are_on_the_call_list_with_their_contact_phone(app):
    with app.ledger.transaction() as s:
        unit = unit_row(s, TQ)
        msg = MessageRow(mailbox=BIANBAN, content_hash="x", sender="", received_at=at(app, 1, 3), processed_at=at(app, 1, 3), outcome="accepted", unit_id=unit.id)
        s.add(msg)
        s.flush()
        s.add(SubmissionRow(message_id=msg.id, unit_id=unit.id, kind="contact", version=1, status="accepted", handled_by="bianban",
                            received_at=at(app, 1, 3), rows=[{"联络人": "王强", "职务": "主任", "电话": "13904820000"}]))
    with app.ledger.session() as s:
        calls = {c.unit_name: c for c in call_list(s, app.campaign, at(app, 1, 5))}
    assert calls[TQ].phone == "13904820000" and "contact" not in [o.kind for o in calls[TQ].owed]
    assert calls["兴安盟红十字会"].phone == ""
    [result] = queue_due(app.ledger, app.campaign, load_policy(app.campaign), at(app, 1, 5, 9, 30))
    assert TQ in {c.unit_name for c in result.plan.calls} and TQ not in {r.unit_name for r in result.queued}


def test_daily_digest_once_per_office_and_working_day_with_the_workbook(app):
    policy, people = load_policy(app.campaign), coordinators(app.campaign, None)
    assert queue_digests(app.ledger, app.campaign, policy, at(app, 1, 1, 17), people) == []  # a holiday
    assert queue_digests(app.ledger, app.campaign, policy, at(app, 1, 5, 16), people) == []  # before 16:30
    assert queue_digests(app.ledger, app.campaign, policy, at(app, 1, 5, 16, 31), people) == ["bianban", "zwfw"]
    assert queue_digests(app.ledger, app.campaign, policy, at(app, 1, 5, 17, 30), people) == []
    with app.ledger.session() as s:
        digest = s.scalars(select(OutboxRow).where(OutboxRow.kind == "digest", OutboxRow.office == "bianban")).one()
        attachments = [(a.filename, a.data[:2]) for a in digest.attachments]
    assert digest.to_addr == BIANBAN and "逾期未报的单位" in digest.body and TQ in digest.body and "需电话联系" in digest.body
    assert attachments == [("编办报送台账20230105.xlsx", b"PK")]


def test_each_offices_digest_counts_the_combined_reminders_that_listed_its_returns(app):
    # At the 四项成果和清单 slot every unit owes 附件1–3: a government unit's one mail comes from 政务服务局 and lists
    # 附件1 for 编办 too, so 编办's digest counts every reminder, 政务服务局's the government units' only.
    policy, people = load_policy(app.campaign), coordinators(app.campaign, None)
    [result] = queue_due(app.ledger, app.campaign, policy, at(app, 1, 13, 9, 5))
    senders = Counter(r.office.key for r in result.queued)
    assert senders["bianban"] and senders["zwfw"]  # party units' mails from 编办, government units' from 政务服务局
    assert queue_digests(app.ledger, app.campaign, policy, at(app, 1, 13, 16, 31), people) == ["bianban", "zwfw"]
    with app.ledger.session() as s:
        bodies = {d.office: d.body for d in s.scalars(select(OutboxRow).where(OutboxRow.kind == "digest"))}
    total, government = len(result.queued), senders["zwfw"]
    assert f"今日已自动发出列有本办公室材料的催报{total}封（其中{government}封与盟行政审批和政务服务局的材料合并为一封，由其邮箱发出）。" in bodies["bianban"]
    assert f"今日已自动发出列有本办公室材料的催报{government}封。" in bodies["zwfw"]


def test_an_inbox_down_too_long_alerts_once_and_again_on_recovery(app):
    policy, people = load_policy(app.campaign), coordinators(app.campaign, None)
    with app.ledger.transaction() as s:
        mark_failure(s, ZWFW, "INBOX", at(app, 1, 5, 9), "登录失败")
    check = lambda moment: check_inboxes(app.ledger, app.campaign, policy, moment, people)
    assert check(at(app, 1, 5, 9, 20)) == []
    assert len(check(at(app, 1, 5, 9, 31))) == 1 and check(at(app, 1, 5, 10)) == []
    with app.ledger.transaction() as s:
        mark_success(s, ZWFW, "INBOX", at(app, 1, 5, 11))
    assert len(check(at(app, 1, 5, 11, 1))) == 1 and check(at(app, 1, 5, 12)) == []
    with app.ledger.session() as s:
        alerts = list(s.scalars(select(OutboxRow).where(OutboxRow.kind == "health").order_by(OutboxRow.id)))
    assert [a.to_addr for a in alerts] == [ZWFW, ZWFW] and "无法收取" in alerts[0].subject and "已恢复" in alerts[1].subject
