"""`mailbot schedule`: the worker's jobs, the coming reminder slots and the next digest, in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailbot.app import App
from mailbot.cli.commands.reminders import parse_at
from mailbot.clock import chinese_date, chinese_datetime
from routing.model.schedule import all_slots, next_digest

if TYPE_CHECKING:
    from rich.table import Table

ORDER = 45
# The worker's jobs as an operator names them (the English keys are the scheduler's ids, kept for the logs).
TASK_NAMES = {"intake": "收件", "outbox": "发件", "reminders": "催报", "digest": "每日汇总", "health": "邮箱状态检查", "watch": "配置检查"}
WEEKDAYS = "一二三四五六日"


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("schedule", help="查看后台任务、今后的催报时点和每日汇总时间")
    p.add_argument("--at", help="从该时间起列出（默认现在），如 2022-12-26")
    p.add_argument("--limit", type=int, default=12, help="最多列出几个催报时点（默认 12）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print the jobs and what fires next."""

    from mailbot.cli.render import console

    app = App.from_args(args)
    config = app.config
    campaign, policy = config.campaign, config.policy
    at = parse_at(args.at, campaign.timezone)
    out = console()
    out.print(jobs_table(policy, config.intake_every))
    every = all_slots(policy, campaign)
    slots = [s for s in every if s.fire_at >= at][: args.limit]
    if slots:
        out.print(slots_table(campaign, policy, at, slots))
    else:
        print(no_slots_text(campaign, at, every))
    out.print(f"下一次每日汇总：{chinese_datetime(next_digest(policy, at, campaign.timezone), campaign.timezone)}；错过的催报仅在同一工作日 {policy.grace.total_seconds() / 3600:g} 小时内补发最近一次。")
    return 0


def day_text(moment) -> str:
    """2023年1月4日（周三）, the way an operator checks a date against a calendar."""
    return f"{chinese_date(moment)}（周{WEEKDAYS[moment.weekday()]}）"


def slots_table(campaign, policy, at, slots) -> Table:
    """The coming slots, each with its day, time, deadline and due date."""
    from rich.table import Table

    tz = campaign.timezone
    table = Table(title=f"{chinese_datetime(at, tz)} 之后的催报时点（仅法定工作日，发送时段 {policy.window[0]:%H:%M}–{policy.window[1]:%H:%M}）")
    for name in ("日期", "时间", "截止事项", "截止日期", "时点"):
        table.add_column(name)
    for slot in slots:
        deadline, local = campaign.deadlines[slot.deadline], slot.fire_at.astimezone(tz)
        table.add_row(day_text(local), f"{local:%H:%M}", deadline.label, day_text(deadline.date), slot.label)
    return table


def no_slots_text(campaign, at, every) -> str:
    """Why nothing is listed: no slot configured, or every slot already passed (with the last one and the deadlines)."""
    tz = campaign.timezone
    deadlines = "；".join(f"{d.label}截止于{day_text(d.date)}" for d in campaign.deadlines.values())
    if not every:
        return f"活动配置的 [reminders] 中没有设置任何催报时点，不会自动催报。本活动{deadlines}。"
    last = every[-1]
    return (f"{chinese_datetime(at, tz)} 之后没有催报时点：全部 {len(every)} 个催报时点均已过去，"
            f"最后一个是 {day_text(last.fire_at.astimezone(tz))} {last.fire_at.astimezone(tz):%H:%M}（{campaign.deadlines[last.deadline].label}，{last.label}）。"
            f"本活动{deadlines}。如需继续催报逾期单位，请在催报设置 [reminders] 中调大逾期催报次数（after 的 max），"
            f"或用 mailbot reminders calls 查看需电话联系的单位。")


def jobs_table(policy, intake_every: int) -> Table:
    """The jobs of `mailbot run` and how often each runs."""
    from rich.table import Table

    from mailbot.worker import JOBS, intervals

    every = intervals(policy, intake_every)
    table = Table(title="后台任务（mailbot run）")
    for name in ("任务", "说明", "间隔"):
        table.add_column(name)
    for name, text in JOBS:
        table.add_row(TASK_NAMES.get(name, name), text, f"每 {every[name]} 秒")
    return table
