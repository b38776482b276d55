"""`mailbot roster import FILE | add-email UNIT ADDRESS | list`: keep the roster of units."""

from __future__ import annotations

from mailbot.app import App
from mailbot.errors import UsageError
from mailbot.render import console
from mailbot.units import add_email, import_units, load_roster
from routing.errors import RosterError

ORDER = 30


def register(sub) -> None:
    """Add the subcommand and its actions."""
    p = sub.add_parser("roster", help="报送单位名册：导入、增加邮箱、查看")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)
    imp = actions.add_parser("import", help="从 .csv 或 .xlsx 导入名册（已有单位原地更新）")
    imp.add_argument("file")
    imp.set_defaults(handler=run_import)
    add = actions.add_parser("add-email", help="为单位登记一个发件邮箱")
    add.add_argument("unit")
    add.add_argument("address")
    add.set_defaults(handler=run_add_email)
    show = actions.add_parser("list", help="列出名册")
    show.set_defaults(handler=run_list)


def run_import(args) -> int:
    """Import a roster file: all of it, or nothing."""
    from mailbot.roster_io import read_roster_file

    app = App(db=args.db, campaign_file=args.campaign)
    try:
        units = read_roster_file(args.file, categories=app.campaign.categories)
    except RosterError as exc:
        raise UsageError(f"名册未导入：{exc}") from exc
    with app.ledger.transaction() as session:
        added, updated = import_units(session, units)
    print(f"名册已导入：新增{added}个单位，更新{updated}个单位。")
    return 0


def run_add_email(args) -> int:
    """Adopt an address for a unit."""
    app = App(db=args.db, campaign_file=args.campaign)
    with app.ledger.transaction() as session:
        row = add_email(session, args.unit, args.address)
        print(f"已为“{row.name}”登记邮箱 {args.address.strip().lower()}（共{len(row.emails)}个）。")
    return 0


def run_list(args) -> int:
    """Print the roster."""
    app = App(db=args.db, campaign_file=args.campaign)
    with app.ledger.session() as session:
        roster = load_roster(session)
    out = console()
    for unit in roster:
        out.print(f"{unit.category}  {unit.name}  {'、'.join(unit.emails) or '（无邮箱）'}  {unit.contact}")
    return 0
