"""`mailbot cd-received 单位 材料`: record that a unit's CD (光盘) arrived for a return, with its own receipt number."""

from __future__ import annotations

from mailbot.app import App

ORDER = 41


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("cd-received", help="登记光盘报送：某单位某项材料的光盘已送达（登记为新版本并编收件编号）")
    p.add_argument("unit", metavar="单位", help="单位名称或别名")
    p.add_argument("kind", metavar="材料", help="材料的名称或代号（活动配置 [[returns]] 中的 label 或 kind）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Register the CD and say its receipt number."""
    from mailbot import clock
    from mailbot.ledger.actions import cli_actor
    from mailbot.ledger.cd import find_kind, record_cd
    from mailbot.ledger.units import find_unit

    app = App.from_args(args)
    now = clock.now(app.campaign.timezone)
    with app.ledger.transaction() as session:
        unit = find_unit(session, args.unit)
        kind = find_kind(app.campaign, args.kind)
        message = record_cd(session, app.campaign, unit, kind, cli_actor(), now)
        version = message.submissions[0].version if message.submissions else 1
        name, receipt_no = unit.name, message.receipt_no
    print(f"已登记：{name}的{app.campaign.form(kind).label}（光盘报送，第{version}版），收件编号：{receipt_no}。")
    return 0
