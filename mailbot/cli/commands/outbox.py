"""`mailbot outbox [resend ID | mark-sent ID | cancel ID]`: mail that was given up or whose fate is unknown."""

from __future__ import annotations

from mailbot.app import App
from mailbot.errors import UsageError

ORDER = 31


def register(sub) -> None:
    """Add the subcommand and its actions."""
    p = sub.add_parser("outbox", help="未能送达或结果不明的邮件：列出、重发、确认已送达、撤销")
    p.set_defaults(handler=run_list)
    actions = p.add_subparsers(dest="action", metavar="操作")
    again = actions.add_parser("resend", help="重新发送（结果不明的邮件先在本邮箱“已发送”文件夹中查找，找到即不重发）")
    again.add_argument("id", type=int, help="发件编号（见 mailbot outbox）")
    again.add_argument("--no-check", action="store_true", help="不查看“已发送”文件夹，直接重发（对方可能收到两封）")
    again.set_defaults(handler=run_resend)
    sent = actions.add_parser("mark-sent", help="确认对方已收到，记为已发送")
    sent.add_argument("id", type=int, help="发件编号")
    sent.set_defaults(handler=run_mark_sent)
    drop = actions.add_parser("cancel", help="不再发送（已用电话等方式告知对方）")
    drop.add_argument("id", type=int, help="发件编号")
    drop.set_defaults(handler=run_cancel)


def run_list(args) -> int:
    """Print every mail a person must look at, with why and what to do."""
    from mailbot import clock
    from mailbot.cli.render import console
    from mailbot.outbox import trouble as outbox_trouble

    app = App.from_args(args)
    with app.ledger.session() as session:
        found = outbox_trouble.troubles(session)
    out = console()
    if not found:
        out.print("没有未能送达或结果不明的邮件。")
        return 0
    for t in found:
        office = app.campaign.offices[t.office].name if t.office in app.campaign.offices else t.office
        out.print(f"[{t.id}] {outbox_trouble.STATE_LABELS[t.state]}  {office}  {outbox_trouble.kind_label(t.kind)} → {t.to_addr}  "
                  f"{clock.chinese_datetime(t.when, app.campaign.timezone)}  主题：{t.subject}")
        out.print(f"    原因：{t.reason}")
        out.print(f"    处理：{t.advice}")
    return 0


def run_resend(args) -> int:
    """Queue the mail again; an uncertain one only after its Message-ID is not found in the Sent folder."""
    from mailbot import clock
    from mailbot.ledger.models import OutboxState
    from mailbot.outbox import trouble as outbox_trouble

    app = App.from_args(args)
    with app.ledger.session() as session:
        row = outbox_trouble.trouble_row(session, args.id)
    if row.state is OutboxState.UNCERTAIN and not args.no_check and _already_sent(app, row):
        outbox_trouble.mark_sent(app.ledger, args.id, clock.now())
        print(f"编号 {args.id} 的邮件已在本邮箱“已发送”文件夹中找到，说明已经发出，不再重发，已记为已发送。")
        return 0
    outbox_trouble.resend(app.ledger, args.id, clock.now())
    print(f"编号 {args.id} 的邮件已重新排入发件队列，将按发信节奏发出（可用 mailbot status 查看）。")
    return 0


def _already_sent(app: App, row) -> bool:
    from mailbot.mail.sent_check import SentCheckUnavailable, find_in_sent, sent_inbox
    from mailbot.outbox import trouble as outbox_trouble
    from mailbot.outbox.envelope import message_id_for

    with app.ledger.session() as session:  # a receipt merged into another's mail went out under that one's Message-ID
        carrier = session.get(type(row), outbox_trouble.carrier_id(row))
    try:
        inbox = sent_inbox(app.settings, row.office)
        return find_in_sent(inbox, message_id_for(carrier, _login(app, row.office).rsplit("@", 1)[-1]))
    except SentCheckUnavailable as exc:
        raise UsageError(f"{exc}。请先向对方确认是否收到；确认未收到后可加 --no-check 直接重发。") from exc


def _login(app: App, office: str) -> str:
    settings = app.settings
    if settings is None or office not in settings.outgoing:
        raise UsageError("设置文件中没有该办公室的发信账号，无法确定邮件编号所用的域名。")
    return settings.outgoing[office].address


def run_mark_sent(args) -> int:
    """Record that the department has the mail."""
    from mailbot import clock
    from mailbot.outbox import trouble as outbox_trouble

    app = App.from_args(args)
    outbox_trouble.mark_sent(app.ledger, args.id, clock.now())
    print(f"编号 {args.id} 的邮件已记为已发送。")
    return 0


def run_cancel(args) -> int:
    """Record that the mail will not be sent."""
    from mailbot import clock
    from mailbot.outbox import trouble as outbox_trouble

    app = App.from_args(args)
    outbox_trouble.cancel(app.ledger, args.id, clock.now())
    print(f"编号 {args.id} 的邮件已撤销，不再发送。")
    return 0
