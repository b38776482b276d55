"""`mailbot schedule`: the worker's jobs, the coming reminder slots and the next digest, in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailbot.app import App
from mailbot.commands.reminders import parse_at

if TYPE_CHECKING:
    from rich.table import Table

ORDER = 45


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("schedule", help="查看后台任务、今后的催报时点和每日汇总时间")
    p.add_argument("--at", help="从该时间起列出（默认现在），如 2022-12-26")
    p.add_argument("--limit", type=int, default=12, help="最多列出几个催报时点（默认 12）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print the jobs and what fires next."""
    from rich.table import Table

    from mailbot.clock import chinese_datetime
    from mailbot.render import console
    from routing.schedule import all_slots, next_digest

    app = App.from_args(args)
    config = app.config
    campaign, policy = config.campaign, config.policy
    at = parse_at(args.at, campaign.timezone)
    out = console()
    out.print(jobs_table(policy, config.intake_every))
    slots = [s for s in all_slots(policy, campaign) if s.fire_at >= at][: args.limit]
    table = Table(title=f"{chinese_datetime(at, campaign.timezone)} 之后的催报时点（仅法定工作日，发送时段 {policy.window[0]:%H:%M}–{policy.window[1]:%H:%M}）")
    for name in ("时间", "截止事项", "截止日期", "时点"):
        table.add_column(name)
    for slot in slots:
        deadline = campaign.deadlines[slot.deadline]
        table.add_row(chinese_datetime(slot.fire_at, campaign.timezone), deadline.label, f"{deadline.date:%Y-%m-%d}", slot.label)
    out.print(table)
    out.print(f"下一次每日汇总：{chinese_datetime(next_digest(policy, at, campaign.timezone), campaign.timezone)}；错过的催报仅在同一工作日 {policy.grace.total_seconds() / 3600:g} 小时内补发最近一次。")
    return 0


def jobs_table(policy, intake_every: int) -> Table:
    """The jobs of `mailbot run` and how often each runs."""
    from rich.table import Table

    from mailbot.worker import JOBS, intervals

    every = intervals(policy, intake_every)
    table = Table(title="后台任务（mailbot run）")
    for name in ("任务", "说明", "间隔"):
        table.add_column(name)
    for name, text in JOBS:
        table.add_row(name, text, f"每 {every[name]} 秒")
    return table
