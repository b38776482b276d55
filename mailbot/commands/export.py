"""`mailbot export DIR`: the 汇总 of 附件1–3, the 四项成果 table and the 未报送/逾期 list, as xlsx."""

from __future__ import annotations

from pathlib import Path

from mailbot.app import App
from mailbot.commands.ledger import resolve_office

ORDER = 21


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("export", help="导出上报材料：附件1–3汇总表、四项成果统计表、未报送及逾期名单")
    p.add_argument("directory", metavar="DIR", help="保存目录")
    p.add_argument("--office", help="只导出某办公室办理的材料（编办、政务服务局，或 bianban、zwfw）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Write the exports and list them."""
    from mailbot import clock
    from mailbot.exports import write_exports

    app = App.from_args(args)
    office = resolve_office(app.campaign, args.office)
    with app.ledger.session() as session:
        paths = write_exports(session, app.campaign, clock.now(app.campaign.timezone), Path(args.directory), office)
    print(f"已导出 {len(paths)} 个文件：")
    for path in paths:
        print(f"  {path}")
    return 0
