"""`mailbot poll`: read every configured inbox and send the receipts; --once for one pass, else watch until Ctrl-C."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from mailbot.app import App

if TYPE_CHECKING:
    from mailbot.intake.poll import PollReport
    from mailbot.outbox.send import DrainReport

ORDER = 6


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("poll", help="收取各办公室邮箱的新邮件并发送回执（--once：处理一次后退出）")
    p.add_argument("--once", action="store_true", help="处理各邮箱中当前待处理的邮件，发送到期的回执，然后退出")
    p.set_defaults(handler=run)


def run(args) -> int:
    """One pass (--once), or watch every inbox until Ctrl-C or SIGTERM."""
    app = App.from_args(args)
    if app.settings is None or not app.settings.inboxes:
        print("未配置收件邮箱：请用 --settings 指定运行设置文件（参见 config/settings.example.toml）。")
        return 2
    return once(app) if args.once else watch(app)


def once(app: App) -> int:
    """Process what waits in every inbox, send what is due, print a table of the messages and a summary; 1 if an inbox failed."""
    from mailbot.cli.render import console
    from mailbot.intake.poll import poll_all
    from mailbot.outbox.send import drain

    stop = threading.Event()
    since = last_message_id(app)
    reports = poll_all(app, stop)
    sent = drain(app, stop)
    console().print(message_table(app, since, [r.inbox for r in reports]))
    for line in summary(reports, sent):
        print(line)
    return 1 if any(r.error for r in reports) else 0


def last_message_id(app: App) -> int:
    """The newest ledger message before the pass: what comes after it is what this pass handled."""
    from sqlalchemy import func, select

    from mailbot.ledger.models import MessageRow

    with app.ledger.session() as session:
        return session.scalar(select(func.max(MessageRow.id))) or 0


def message_table(app: App, since: int, inboxes: list[str]):
    """One line per message the pass handled: sender, unit, outcome and receipt number."""
    from rich.table import Table
    from sqlalchemy import select

    from mailbot.cli.render import OUTCOME_LABELS
    from mailbot.ledger.models import MessageRow

    query = select(MessageRow).where(MessageRow.id > since, MessageRow.mailbox.in_(inboxes)).order_by(MessageRow.id)
    table = Table(title="本次处理的邮件")
    for name in ("收件邮箱", "发件人", "单位", "处理结果", "收件编号"):
        table.add_column(name)
    with app.ledger.session() as session:
        for m in session.scalars(query):
            table.add_row(m.mailbox, m.sender or "—", m.unit.name if m.unit else "（未确定）", OUTCOME_LABELS.get(m.outcome, m.outcome), m.receipt_no or "—")
    if not table.row_count:
        table.caption = "各邮箱均无新邮件。"
    return table


def summary(reports: list[PollReport], sent: DrainReport) -> list[str]:
    """The Chinese lines a person reads after a pass."""
    lines = [f"邮箱 {r.inbox}：收取失败（{r.error}）" if r.error else
             f"邮箱 {r.inbox}：处理新邮件 {r.processed} 封，归档 {r.filed} 封" + (f"（其中 {r.held} 封待人工处理）" if r.held else "")
             for r in reports]
    merged = f"（另有 {sent.merged} 份回执合并在其中发送）" if sent.merged else ""
    lines.append(f"发件：已发送 {sent.sent} 封{merged}，稍后重试 {sent.deferred} 封，放弃 {sent.given_up} 封。")
    lines += [f"发件账户 {office} 暂停发送：{reason}" for office, reason in sent.paused.items()]
    return lines


def watch(app: App) -> int:
    """Watch every inbox (IDLE or polling) and send receipts until a stop signal: the worker with only these jobs."""
    from mailbot.worker import POLL_JOBS, Worker

    Worker(app, jobs=POLL_JOBS).run_forever(on_ready=lambda: print("正在监视各收件邮箱，收到报送后即发送回执；按 Ctrl-C 停止。", flush=True))
    print("已停止监视。", flush=True)
    return 0
