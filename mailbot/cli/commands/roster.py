"""`mailbot roster import FILE | remove UNIT… | add-email UNIT ADDRESS | list`: keep the campaign's roster of units."""

from __future__ import annotations

from mailbot.app import App
from mailbot.errors import UsageError
from routing.errors import RosterError

ORDER = 30
UNIT_HELP = "单位全称或名册中的别名、简称"


def register(sub) -> None:
    """Add the subcommand and its actions."""
    p = sub.add_parser("roster", help="报送单位名册：导入、增加邮箱、查看")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)
    imp = actions.add_parser("import", help="从 .csv 或 .xlsx 导入名册（已有单位原地更新）")
    imp.add_argument("file")
    imp.set_defaults(handler=run_import)
    add = actions.add_parser("add-email", help="为单位登记一个发件邮箱")
    add.add_argument("unit", help=UNIT_HELP)
    add.add_argument("address")
    add.set_defaults(handler=run_add_email)
    remove = actions.add_parser("remove", help="从名册中删除单位（已有报送记录的单位改为停用，记录保留）")
    remove.add_argument("units", nargs="+", metavar="单位", help="单位名称（与名册一致）")
    remove.set_defaults(handler=run_remove)
    show = actions.add_parser("list", help="列出名册")
    show.set_defaults(handler=run_list)
    exempt = actions.add_parser("exempt", help="豁免某单位报送某些材料（不再催报，台账显示“豁免”）")
    exempt.add_argument("unit", help=UNIT_HELP)
    exempt.add_argument("kinds", nargs="+", metavar="材料", help="材料的名称或代号（活动配置 [[returns]] 中的 label 或 kind）")
    exempt.add_argument("--undo", action="store_true", help="取消豁免")
    exempt.set_defaults(handler=run_exempt)
    pause = actions.add_parser("pause", help="暂停向某单位催报至某日（含当日）")
    pause.add_argument("unit", help=UNIT_HELP)
    pause.add_argument("--until", help="日期，如 2023-01-10；不填则恢复催报")
    pause.set_defaults(handler=run_pause)


def run_import(args) -> int:
    """Import a roster file: all of it, or nothing."""
    from mailbot.ledger.roster_io import read_roster_file
    from mailbot.ledger.units import import_units

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
    from mailbot.ledger.units import add_email

    app = App(db=args.db, campaign_file=args.campaign)
    with app.ledger.transaction() as session:
        unit = typed_unit(session, args.unit)
        row = add_email(session, unit.key, args.address)
        print(f"已为{unit.note}登记邮箱 {args.address.strip().lower()}（共{len(row.emails)}个）。")
    return 0


def run_remove(args) -> int:
    """Take units off this campaign's roster: all the names, or none when one is unknown."""
    from mailbot.ledger.units import remove_units

    app = App(db=args.db, campaign_file=args.campaign)
    with app.ledger.transaction() as session:
        removed = remove_units(session, list(args.units))
    print(f"已从名册中删除{len(removed)}个单位：{'、'.join(removed)}。")
    return 0


def typed_unit(session, given: str):
    """The unit an operator typed (official name or alias), as a cli_names.Matched."""
    from mailbot.cli.names import match_unit
    from mailbot.ledger.units import load_roster

    return match_unit(load_roster(session), given)


def run_list(args) -> int:
    """Print the roster."""
    from mailbot.cli.render import console
    from mailbot.ledger.units import load_roster

    app = App(db=args.db, campaign_file=args.campaign)
    with app.ledger.session() as session:
        roster = load_roster(session)
    out = console()
    for unit in roster:
        out.print(f"{unit.category}  {unit.name}  {'、'.join(unit.emails) or '（无邮箱）'}  {unit.contact}")
    return 0


def run_exempt(args) -> int:
    """Excuse a unit from returns, or undo it."""
    from mailbot.cli.names import match_kind
    from mailbot.ledger.units import set_exempt

    app = App(db=args.db, campaign_file=args.campaign)
    kinds = [match_kind(app.campaign, k) for k in args.kinds]
    with app.ledger.transaction() as session:
        unit = typed_unit(session, args.unit)
        row = set_exempt(session, unit.key, [k.key for k in kinds], app.campaign.kinds, not args.undo)
        labels = "、".join(app.campaign.form(k).label for k in row.exempt) or "无"
    done = "已取消豁免" if args.undo else "已豁免"
    print(f"{unit.note}{done}：{'、'.join(k.note for k in kinds)}。当前豁免的材料：{labels}。")
    return 0


def run_pause(args) -> int:
    """Pause reminders to a unit until the end of a day, or resume them."""
    import datetime as dt

    from mailbot.ledger.units import set_pause

    app = App(db=args.db, campaign_file=args.campaign)
    until = None
    if args.until:
        try:
            day = dt.date.fromisoformat(args.until)
        except ValueError as exc:
            raise UsageError(f"日期“{args.until}”格式有误，应为 2023-01-10") from exc
        until = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), app.campaign.timezone)
    with app.ledger.transaction() as session:
        unit = typed_unit(session, args.unit)
        set_pause(session, unit.key, until)
    print(f"已暂停向{unit.note}催报至{args.until}。" if until else f"已恢复向{unit.note}催报。")
    return 0
