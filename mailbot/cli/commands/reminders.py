"""`mailbot reminders`: preview who a slot would remind, queue what is due, and show the call list."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from mailbot import clock
from mailbot.app import App
from mailbot.cli.commands.ledger import resolve_office
from mailbot.clock import chinese_date, chinese_datetime
from mailbot.errors import UsageError
from routing.model.schedule import next_slot

if TYPE_CHECKING:
    from mailbot.schedule.reminders import Held, SlotPlan

ORDER = 40


def register(sub) -> None:
    """Add the subcommand and its three actions."""
    p = sub.add_parser("reminders", help="催报：预览、发送到期催报、电话联系名单")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)
    preview = actions.add_parser("preview", help="预览某时间及之后的下一个催报时点将提醒哪些单位及原因")
    preview.add_argument("--at", help="时间，如 2023-01-04T08:00（默认现在，北京时间）")
    preview.add_argument("--text", action="store_true", help="逐封显示将发出的邮件全文（发件人、收件人、主题、正文）")
    preview.set_defaults(handler=run_preview)
    send = actions.add_parser("send", help="生成该时间到期的催报邮件（进入发件队列，每个时点只发一次；先列出数量并请求确认）")
    send.add_argument("--at", help="时间，如 2023-01-04T09:05（默认现在）")
    send.add_argument("--yes", action="store_true", help="不再询问，直接生成（用于脚本）")
    send.set_defaults(handler=run_send)
    calls = actions.add_parser("calls", help="无邮箱、需电话联系的单位")
    calls.add_argument("--office", help="只看某办公室（活动配置中办公室的代号、名称或简称）")
    calls.set_defaults(handler=run_calls)


def parse_at(text: str | None, tz) -> dt.datetime:
    """A local time from the command line (2023-01-04, 2023-01-04 09:05, 2023-01-04T09:05); now when absent."""

    if not text:
        return clock.now(tz)
    try:
        return clock.local(dt.datetime.fromisoformat(text.strip()), tz)
    except ValueError as exc:
        raise UsageError(f"时间“{text}”格式不对，请写作 2023-01-04T09:05") from exc


def run_preview(args) -> int:
    """Print what the next slot would do."""
    from mailbot.schedule.reminders import plan_slot

    app = App.from_args(args)
    campaign = app.campaign
    slot = next_slot(app.config.policy, campaign, parse_at(args.at, campaign.timezone))
    if slot is None:
        print("该时间之后没有催报时点。")
        return 0
    with app.ledger.session() as session:
        plan = plan_slot(session, campaign, slot, slot.fire_at, check_inboxes=False)
    print_mails(campaign, plan) if args.text else print_plan(campaign, plan)
    return 0


def print_mails(campaign, plan: SlotPlan) -> None:
    """Every reminder of the slot as the outbox will send it: sender, recipients, subject, body."""
    from mailbot.schedule.reminders_send import outbox_row

    slot = plan.slot
    print(f"催报时点：{chinese_datetime(slot.fire_at, campaign.timezone)}（{campaign.deadlines[slot.deadline].label}，{slot.label}），共 {len(plan.reminders)} 封。")
    for n, reminder in enumerate(plan.reminders, start=1):
        row = outbox_row(campaign, reminder, slot.fire_at)
        print(f"\n{'━' * 8} 第{n}封，共{len(plan.reminders)}封 {'━' * 8}")
        print(f"发件人：{reminder.office.name} <{reminder.office.address}>\n收件人：{row.to_addr}\n主题：{row.subject}\n")
        print(row.body, end="")
    for held in plan.held:
        print(f"\n暂不催报：{held.unit_name}（{held_words(held, campaign.timezone)}）")


def print_plan(campaign, plan: SlotPlan) -> None:
    """The reminders, calls and holds of a slot, by 单位名称."""
    from rich.table import Table

    from mailbot.cli.render import console

    slot, out = plan.slot, console()
    out.print(f"催报时点：{chinese_datetime(slot.fire_at, campaign.timezone)}（{campaign.deadlines[slot.deadline].label}，{slot.label}）")
    table = Table(title=f"将发送催报 {len(plan.reminders)} 封")
    for name in ("单位名称", "发件办公室", "材料及原因", "收件地址"):
        table.add_column(name, overflow="fold")  # every owed return is read, never cut off with …
    for r in plan.reminders:
        table.add_row(r.unit_name, r.office.name, _owed_by_office(campaign, r), "、".join(r.addresses))
    out.print(table)
    print_calls(plan.calls)
    for held in plan.held:
        out.print(f"暂不催报：{held.unit_name}（{held_words(held, campaign.timezone)}）")


def held_words(held: Held, tz) -> str:
    """Why a unit is held, with the last day of a pause (a pause runs to the start of the day after it)."""
    from mailbot.schedule.reminders import Hold

    if held.hold is not Hold.PAUSED or held.until is None:
        return held.hold.value
    local = clock.local(held.until, tz)
    if local.time() == dt.time(0):
        return f"已暂停催报至{chinese_date(local.date() - dt.timedelta(days=1))}，次日恢复"
    return f"已暂停催报至{chinese_datetime(local, tz)}"


def _owed_by_office(campaign, reminder) -> str:
    # One mail may list returns for two offices: say which office each part goes to.
    parts = reminder.by_office()
    if len(parts) == 1:
        return _owed(reminder.owed)
    return "；".join(f"报{campaign.offices[key].short}：{_owed(items)}" for key, items in parts.items())


def _owed(owed) -> str:
    return "、".join(f"{o.label}（{o.standing.value}）" for o in owed)


def print_calls(calls) -> None:
    """The call list as a table."""
    from rich.table import Table

    from mailbot.cli.render import console

    table = Table(title=f"无邮箱、需电话联系的单位 {len(calls)} 家")
    for name in ("单位名称", "类别", "办公室", "未报送或需修改", "电话"):
        table.add_column(name)
    for c in calls:
        table.add_row(c.unit_name, c.category, c.office.name, _owed(c.owed), c.phone or "（无电话，请补充）")
    console().print(table)


def run_send(args) -> int:
    """Queue the reminders due at --at (or now), after saying how many and asking (unless --yes)."""
    from mailbot.schedule.reminders_send import due_plans, queue_due

    app = App.from_args(args)
    campaign = app.campaign
    now = parse_at(args.at, campaign.timezone)
    policy = app.config.policy
    with app.ledger.session() as session:
        plans = due_plans(session, campaign, policy, now)
    new = sum(len(fresh) for _, fresh in plans)
    if new and not args.yes:
        for plan, fresh in plans:
            slot = plan.slot
            print(f"{campaign.deadlines[slot.deadline].label}（{slot.label}，{chinese_datetime(slot.fire_at, campaign.timezone)}）：将生成催报 {len(fresh)} 封。")
        if not confirmed(f"确认生成以上共 {new} 封催报邮件并放入发件队列？（输入 y 确认）"):
            print(f"未生成任何催报。可先执行 mailbot reminders preview --at {now:%Y-%m-%dT%H:%M} --text 查看邮件全文；确认后加 --yes 执行。")
            return 1
    results = queue_due(app.ledger, campaign, policy, now)
    if not results:
        print(f"{chinese_datetime(now, campaign.timezone)} 没有到期的催报时点（或已超过补发时限、不在发送时段内）。")
    for result in results:
        slot = result.plan.slot
        print(f"{campaign.deadlines[slot.deadline].label}（{slot.label}，{chinese_datetime(slot.fire_at, campaign.timezone)}）："
              f"新生成催报 {len(result.queued)} 封，此前已生成 {len(result.already)} 封，需电话联系 {len(result.plan.calls)} 家，暂缓 {len(result.plan.held)} 家。")
    return 0


def confirmed(question: str) -> bool:
    """Ask at a terminal; without one (a script, a pipe) nothing is confirmed."""
    if not sys.stdin.isatty():
        print("当前不是交互式终端，无法确认。")
        return False
    try:
        return input(question + " ").strip().lower() in ("y", "yes", "是", "确认")
    except EOFError:
        return False


def run_calls(args) -> int:
    """Print the call list as it stands now."""
    from mailbot.schedule.reminders import call_list

    app = App.from_args(args)
    office = resolve_office(app.campaign, getattr(args, "office", None))
    with app.ledger.session() as session:
        calls = call_list(session, app.campaign, clock.now(app.campaign.timezone), office)
    print_calls(calls)
    return 0
