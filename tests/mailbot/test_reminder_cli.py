"""`mailbot reminders` and `mailbot schedule` as an operator uses them: the mails shown as sent, asked before sending."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.ledger.models import OutboxRow
from mailbot.schedule.reminders_send import queue_due
from mailbot.worker_config import load_policy

SLOT = "2023-01-13T09:00"  # 四项成果和清单，截止前3个工作日


def reminders(app) -> list[OutboxRow]:
    with app.ledger.session() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder").order_by(OutboxRow.id)))


def cli(app, capsys, *args) -> tuple[int, str]:
    app.ledger  # the schema and the roster, before the command opens the same database
    code = main(["--db", app.ledger.url, *args])
    return code, capsys.readouterr().out


def test_preview_text_shows_every_mail_exactly_as_it_goes_out(app, capsys):
    code, out = cli(app, capsys, "reminders", "preview", "--at", "2023-01-13T08:00", "--text")
    assert code == 0
    queue_due(app.ledger, app.campaign, load_policy(app.campaign), dt.datetime.fromisoformat(SLOT).replace(tzinfo=app.campaign.timezone))
    rows = reminders(app)
    assert len(rows) > 50 and f"共 {len(rows)} 封" in out
    for row in rows:
        assert f"收件人：{row.to_addr}\n主题：{row.subject}\n\n{row.body}" in out


def test_send_asks_first_and_a_script_must_say_yes(app, capsys, monkeypatch):
    code, out = cli(app, capsys, "reminders", "send", "--at", "2023-01-13T09:05")
    assert code == 1 and reminders(app) == []  # no terminal, no --yes: nothing queued
    assert "将生成催报" in out and "--yes" in out
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    assert cli(app, capsys, "reminders", "send", "--at", "2023-01-13T09:05")[0] == 1 and reminders(app) == []
    monkeypatch.setattr("sys.stdin", _Terminal("y\n"))
    code, out = cli(app, capsys, "reminders", "send", "--at", "2023-01-13T09:05")
    assert code == 0 and "确认生成以上共" in out and len(reminders(app)) > 50
    # Everything due is queued: asking again has nothing new to confirm, and says so.
    code, out = cli(app, capsys, "reminders", "send", "--at", "2023-01-13T09:10", "--yes")
    assert code == 0 and "新生成催报 0 封" in out


def test_schedule_after_the_last_slot_explains_itself_with_dates(app, capsys):
    code, out = cli(app, capsys, "schedule", "--at", "2023-03-01")
    assert code == 0
    assert "全部 15 个催报时点均已过去" in out and "2023年1月30日（周一） 09:30" in out
    assert "四项成果和清单截止于2023年1月18日（周三）" in out


def test_schedule_names_tasks_in_chinese_and_dates_each_slot(app, capsys):
    code, out = cli(app, capsys, "schedule", "--at", "2023-01-17", "--limit", "2")
    assert code == 0 and "邮箱状态检查" in out and "每日汇总" in out
    assert not [word for word in ("intake", "outbox", "reminders", "digest", "health", "watch") if f"│ {word} " in out]
    assert "2023年1月17日（周二）" in out and "2023年1月18日（周三）" in out


def test_a_paused_unit_is_shown_with_the_day_its_pause_ends(app, capsys):
    assert cli(app, capsys, "roster", "pause", "兴安盟财政局", "--until", "2023-01-20")[0] == 0
    code, out = cli(app, capsys, "reminders", "preview", "--at", "2023-01-13T08:00")
    assert "暂不催报：兴安盟财政局（已暂停催报至2023年1月20日，次日恢复）" in out
    code, out = cli(app, capsys, "reminders", "preview", "--at", "2023-01-13T08:00", "--text")
    assert "暂不催报：兴安盟财政局（已暂停催报至2023年1月20日，次日恢复）" in out


class _Terminal(io.StringIO):
    """Standard input at a terminal, with the operator's answer already typed."""

    def isatty(self) -> bool:
        return True


def test_preview_table_says_which_office_each_part_of_one_mail_goes_to(app, capsys):
    code, out = cli(app, capsys, "reminders", "preview", "--at", "2023-01-13T08:00")
    line = next(line for line in out.splitlines() if "乌兰浩特市人民政府" in line)
    assert code == 0 and "盟行政审批和政务服务局" in line and "报编办：附件1（未报送）" in line
    assert out.count("乌兰浩特市人民政府") == 1  # one row, one mail, for both offices
