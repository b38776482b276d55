"""`mailbot export DIR`: the 汇总 of each table form, the metrics table and the 未报送/逾期 list, as xlsx."""

from __future__ import annotations

from pathlib import Path

from mailbot.app import App
from mailbot.cli.commands.ledger import resolve_office

ORDER = 21


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("export", help="导出上报材料：各表格的汇总表、成果统计表（活动配置有统计项时）、未报送及逾期名单")
    p.add_argument("directory", metavar="DIR", help="保存目录")
    p.add_argument("--office", help="只导出某办公室办理的材料（活动配置中办公室的代号、名称或简称）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Write the exports and list them."""
    from mailbot import clock
    from mailbot.reports.exports import write_exports

    app = App.from_args(args)
    office = resolve_office(app.campaign, args.office)
    with app.ledger.session() as session:
        paths = write_exports(session, app.campaign, clock.now(app.campaign.timezone), Path(args.directory), office)
    print(f"已导出 {len(paths)} 个文件：")
    for path in paths:
        print(f"  {path}")
    return 0
