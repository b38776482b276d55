"""`mailbot review [accept ID --unit UNIT | reject ID --reason …]`: the queue of messages waiting for a person."""

from __future__ import annotations

from mailbot.app import App
from mailbot.errors import UsageError

ORDER = 40


def register(sub) -> None:
    """Add the subcommand and its actions."""
    p = sub.add_parser("review", help="待人工确认的邮件：列出、确认登记、不予登记")
    p.set_defaults(handler=run_list)
    actions = p.add_subparsers(dest="action", metavar="操作")
    ok = actions.add_parser("accept", help="确认登记为某单位的报送")
    ok.add_argument("id", help="收件编号（回执和台账网页上显示的编号），或列表中方括号内的编号")
    ok.add_argument("--unit", required=True, help="单位名称或名册中的别名")
    ok.add_argument("--add-address", action="store_true", help="同时将发件邮箱登记为该单位的邮箱（今后由此邮箱报送的材料直接登记）")
    ok.set_defaults(handler=run_accept)
    no = actions.add_parser("reject", help="不予登记，并告知发件人原因")
    no.add_argument("id", help="收件编号，或列表中方括号内的编号")
    no.add_argument("--reason", required=True)
    no.set_defaults(handler=run_reject)


def run_list(args) -> int:
    """Print what waits for a person."""
    from mailbot.cli.render import console
    from mailbot.clock import chinese_datetime
    from mailbot.ledger import review

    app = App.from_args(args)
    with app.ledger.session() as session:
        rows = review.pending(session)
        out = console()
        if not rows:
            out.print("目前没有待人工确认的邮件。")
        for row in rows:
            out.print(f"[{row.id}] {chinese_datetime(row.received_at)}  {row.sender}  收件编号：{row.receipt_no}  原因：{row.detail or row.reason}")
    return 0


def run_accept(args) -> int:
    """Register a held message for a unit."""
    from mailbot import clock
    from mailbot.cli.commands.roster import typed_unit
    from mailbot.ledger import review
    from mailbot.ledger.actions import cli_actor, log_action

    app = App.from_args(args)
    message_id = message_for(app, args.id)
    with app.ledger.session() as session:
        unit = typed_unit(session, args.unit)
    row = review.accept(app, message_id, unit.key, clock.now(), add_address=args.add_address)
    with app.ledger.transaction() as session:
        log_action(session, cli_actor(), row.office, "review-accept", row.unit_id, f"收件编号{row.receipt_no}登记为{unit.key}的报送", clock.now())
    added = f"发件邮箱 {row.sender} 已登记为该单位邮箱，" if args.add_address else ""
    print(f"已确认：编号{message_id}（{row.receipt_no}）登记为{unit.note}的报送，{added}并已通知发件人。")
    return 0


def run_reject(args) -> int:
    """Close a held message without registering it."""
    from mailbot import clock
    from mailbot.ledger import review
    from mailbot.ledger.actions import cli_actor, log_action

    app = App.from_args(args)
    message_id = message_for(app, args.id)
    row = review.reject(app, message_id, args.reason, clock.now())
    with app.ledger.transaction() as session:
        log_action(session, cli_actor(), row.office, "review-reject", row.unit_id, f"收件编号{row.receipt_no}不予登记：{args.reason}", clock.now())
    print(f"已处理：编号{message_id}（{row.receipt_no}）不予登记，并已通知发件人。")


def message_for(app, given: str) -> int:
    """The held message named by its 收件编号 (as receipts and the web show it) or by the list's internal number."""
    from sqlalchemy import select

    from mailbot.ledger.models import MessageRow

    given = given.strip()
    if given.isdigit():
        return int(given)
    with app.ledger.session() as session:
        found = session.scalars(select(MessageRow.id).where(MessageRow.receipt_no == given)).first()
    if found is None:
        raise UsageError(f"台账中没有收件编号为“{given}”的邮件")
    return found
