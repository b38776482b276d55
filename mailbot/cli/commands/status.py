"""`mailbot status`: inbox health and the outbox queue (what waits, by priority, and when it goes next)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mailbot.app import App

if TYPE_CHECKING:
    from rich.table import Table

ORDER = 30
PRIORITY_LABELS = {0: "0 涉密拒收与系统提醒", 1: "1 有问题的回执", 2: "2 回执与每日汇总", 3: "3 催报"}


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("status", help="查看收件邮箱状态和发件队列")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print inbox health, then the queue."""
    from mailbot.cli.render import console

    app = App.from_args(args)
    tz = app.campaign.timezone
    with app.ledger.session() as session:
        out = console()
        for line in config_lines(session, tz):
            out.print(line)
        out.print(inbox_table(session, tz))
        out.print(queue_table(session, tz))
        out.print(sender_table(session, app, tz))
        out.print(loop_table(session, tz))
        out.print(trouble_table(session, app, tz))
        for line in trouble_notes(session):
            out.print(line)
    return 0


def config_lines(session, tz) -> list[str]:
    """A worker whose configuration reload failed: it runs on the old configuration until the files are fixed."""
    from rich.markup import escape

    from mailbot.worker_reload import troubles

    # The error quotes the file's tables ([reminders]): escaped, or rich would read them as markup.
    return [f"[bold red]配置修改未能生效[/]（{escape(t.worker)}，自{_when(t.since, tz)}起仍按修改前的配置运行）：{escape(t.error)}"
            for t in troubles(session)]


def sender_table(session, app: App, tz) -> Table:
    """Per office: SMTP pause, last error, last mail, queue and the estimated time it drains at the configured pace."""
    from rich.table import Table

    from mailbot import clock
    from mailbot.ledger.models import OutboxState
    from mailbot.outbox.eta import sender_views
    from mailbot.outbox.policy import SendPolicy
    from mailbot.outbox.trouble import troubles

    settings = app.settings
    policy = settings.send_policy if settings is not None else SendPolicy()
    offices = list(getattr(settings, "outgoing", {}) or {})
    table = Table(title="发件账户", caption=f"按每封间隔 {policy.min_interval:g} 秒、每日上限 {policy.daily_cap} 封估算")
    for name in ("办公室", "状态", "暂停至", "最近错误", "最近发送", "待发封数", "预计发完"):
        table.add_column(name)
    trouble = Counter((t.office, t.state) for t in troubles(session))
    for v in sender_views(session, offices, policy, clock.now(tz)):
        state = _sender_state(v.paused_until, trouble[(v.office, OutboxState.GIVEN_UP)], trouble[(v.office, OutboxState.UNCERTAIN)])
        name = app.campaign.offices[v.office].name if v.office in app.campaign.offices else v.office
        table.add_row(name, state, _when(v.paused_until, tz), v.last_error[:60], _when(v.last_sent_at, tz), str(v.queued), _when(v.drained_at, tz))
    return table


def _sender_state(paused_until, given_up: int, uncertain: int) -> str:
    # 正常 only when nothing waits on a person: a paused account, given-up or uncertain mail each say so.
    notes = [text for n, text in ((given_up, f"{given_up} 封未能送达"), (uncertain, f"{uncertain} 封结果不明")) if n]
    if paused_until:
        notes.insert(0, "暂停")
    return f"[bold red]{'；'.join(notes)}[/]" if notes else "[green]正常[/]"


def trouble_table(session, app: App, tz) -> Table:
    """Every given-up or uncertain mail: what, to whom, why, and the command that resolves it."""
    from rich.table import Table

    from mailbot.outbox.trouble import STATE_LABELS, kind_label, troubles

    table = Table(title="未能送达或结果不明的邮件（原因和处理方法列在表下）")
    for name in ("编号", "状态", "办公室", "邮件", "收件人", "时间"):
        table.add_column(name)
    found = troubles(session)
    for t in found:
        office = app.campaign.offices[t.office].name if t.office in app.campaign.offices else t.office
        table.add_row(str(t.id), STATE_LABELS[t.state], office, kind_label(t.kind), t.to_addr, _when(t.when, tz))
    if not found:
        table.caption = "没有未能送达或结果不明的邮件。"
    return table


def trouble_notes(session) -> list[str]:
    """Why each given-up or uncertain mail did not surely arrive, and what to do: one line each, under the table."""
    from mailbot.outbox.trouble import troubles

    return [f"[{t.id}] 原因：{t.reason}\n     处理：{t.advice}" for t in troubles(session)]


def inbox_table(session, tz) -> Table:
    """One line per inbox folder: last success, failing since, alerted."""
    from rich.table import Table
    from sqlalchemy import func, select

    from mailbot.ledger.models import MailboxStateRow, MessageRow

    table = Table(title="收件邮箱状态", caption="待人工处理：转人工确认、尚未处理完毕的邮件（mailbot review）")
    for name in ("邮箱", "文件夹", "状态", "最近成功收取", "连续失败起始", "已提醒联络人", "待人工处理", "最近错误"):
        table.add_column(name)
    rows = session.scalars(select(MailboxStateRow).order_by(MailboxStateRow.mailbox, MailboxStateRow.folder)).all()
    pending = dict(session.execute(select(MessageRow.mailbox, func.count(MessageRow.id))
                                   .where(MessageRow.review_state == "pending").group_by(MessageRow.mailbox)).all())
    for s in rows:
        state = "[bold red]失败[/]" if s.failing_since else "[green]正常[/]" if s.last_success_at else "未记录"
        table.add_row(s.mailbox, s.folder, state, _when(s.last_success_at, tz), _when(s.failing_since, tz), "是" if s.alerted else "否",
                      f"{pending.get(s.mailbox, 0)} 封", s.last_error[:60])
    if not rows:
        table.add_row("（尚未收取过邮箱）", "", "", "", "", "", "", "")
    return table


def queue_table(session, tz) -> Table:
    """Queued mail by priority: how many, and the earliest next attempt."""
    from rich.table import Table
    from sqlalchemy import func, select

    from mailbot.ledger.models import OutboxRow, OutboxState
    from mailbot.outbox.trouble import STATE_LABELS

    query = (select(OutboxRow.priority, func.count(OutboxRow.id), func.min(OutboxRow.next_attempt_at))
             .where(OutboxRow.state == OutboxState.QUEUED).group_by(OutboxRow.priority).order_by(OutboxRow.priority))
    table = Table(title="发件队列（待发送）")
    for name in ("优先级", "待发封数", "最早下次尝试"):
        table.add_column(name)
    for priority, count, first in session.execute(query):
        table.add_row(PRIORITY_LABELS.get(priority, str(priority)), str(count), _when(first, tz))
    for state, count in session.execute(select(OutboxRow.state, func.count(OutboxRow.id)).where(OutboxRow.state != OutboxState.QUEUED).group_by(OutboxRow.state)):
        table.caption = (table.caption or "") + f"{STATE_LABELS.get(state, state)} {count} 封  "
    return table


def loop_table(session, tz) -> Table:
    """Messages not answered because they were part of a reply loop (newest first), and how many in all."""
    from rich.table import Table

    from mailbot.ledger.unanswered import loop_count, loop_messages, merged_receipts

    shown = loop_messages(session, limit=20)
    caption = f"共 {loop_count(session)} 封；与其他回执合并发送的回执 {merged_receipts(session)} 份"
    table = Table(title="未予回复的邮件（疑似回复循环）", caption=caption)
    for name in ("收到时间", "收件邮箱", "发件人", "原因"):
        table.add_column(name)
    for m in shown:
        table.add_row(_when(m.received_at, tz), m.mailbox, m.sender, m.detail)
    if not shown:
        table.add_row("（无）", "", "", "")
    return table


def _when(moment, tz) -> str:
    from mailbot.clock import chinese_datetime

    return chinese_datetime(moment, tz) if moment else "—"
