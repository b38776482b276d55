"""`mailbot db upgrade | current`: the ledger's schema version (Alembic revisions shipped in the package)."""

from __future__ import annotations

ORDER = 80


def register(sub) -> None:
    """Add the subcommand and its two actions."""
    p = sub.add_parser("db", help="数据库结构：升级到本程序所需版本、查看当前版本")
    actions = p.add_subparsers(dest="db_action", metavar="操作", required=True)
    up = actions.add_parser("upgrade", help="把数据库结构升级到最新版本（新数据库则直接建表）；升级前请先备份")
    up.add_argument("--revision", default="head", help="升级到的版本（默认 head，即最新）")
    up.set_defaults(handler=run_upgrade)
    cur = actions.add_parser("current", help="显示数据库当前的结构版本和本程序所需的版本")
    cur.set_defaults(handler=run_current)


def run_upgrade(args) -> int:
    """Apply the pending revisions and say what changed."""
    from mailbot.config import database_url
    from mailbot.ledger import Ledger, schema

    ledger = Ledger(database_url(args.db, getattr(args, "settings", None)), create=False)
    try:
        before, after = schema.upgrade(ledger.engine, args.revision)
    finally:
        ledger.dispose()
    if before == after:
        print(f"数据库结构已是版本 {after}，无需升级。")
    else:
        print(f"数据库结构已从 {label(before)} 升级到 {after}。")
    return 0


def run_current(args) -> int:
    """Print the recorded revision and the one this program needs; exit 1 when they differ."""
    from mailbot.config import database_url
    from mailbot.ledger import Ledger, schema

    ledger = Ledger(database_url(args.db, getattr(args, "settings", None)), create=False)
    try:
        current = schema.current_revision(ledger.engine)
        empty = current is None and not schema.has_ledger_tables(ledger.engine)
    finally:
        ledger.dispose()
    head = schema.scripts().get_current_head()
    print(f"数据库：{ledger.engine.url.render_as_string(hide_password=True)}")
    print(f"当前版本：{'空数据库（尚未建表）' if empty else label(current)}")
    print(f"所需版本：{head}")
    if current == head:
        print("结构已是最新。")
        return 0
    print("请先备份数据库，再运行 mailbot db upgrade。")
    return 1


def label(revision: str | None) -> str:
    """A revision for a person: None is a database from before migrations (release 0.1.0) or an empty one."""
    return revision or "无版本记录（0.1.0 或空数据库）"
