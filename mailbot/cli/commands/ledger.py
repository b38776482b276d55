"""`mailbot ledger`: the units × returns matrix in the terminal or as JSON."""

from __future__ import annotations

import json

from mailbot.app import App

ORDER = 20


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("ledger", help="查看报送台账（单位 × 材料）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--office", help="只看某办公室办理的材料（活动配置中办公室的代号、名称或简称）")
    p.add_argument("--xlsx", metavar="FILE", help="把台账保存为 Excel 工作簿（报送情况、收件记录、问题明细）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print the matrix."""
    from mailbot import clock
    from mailbot.cli.matrix_text import matrix_text, wants_color

    app = App.from_args(args)
    office = resolve_office(app.campaign, args.office)
    if args.xlsx:
        return save_workbook(app, office, args.xlsx)
    now = clock.now(app.campaign.timezone)
    rows = None if args.json else quick_matrix_rows(app, now, office)
    if rows is None:
        rows = orm_matrix_rows(app, now, office)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    labels = {spec.kind: spec.label for spec in app.campaign.forms}
    print(matrix_text(rows, labels, app.campaign.texts.ledger_title, app.campaign.categories != ("",), wants_color()))
    return 0


def quick_matrix_rows(app: App, now, office: str | None) -> list[dict] | None:
    """The matrix read from a current SQLite ledger without the ORM (mailbot.reports.quick_matrix), or None."""
    from mailbot.reports.quick_matrix import quick_rows

    return quick_rows(app.plain_database_url, app.campaign, now, office)


def orm_matrix_rows(app: App, now, office: str | None) -> list[dict]:
    """The matrix read through the ORM, after the ledger is opened (schema made, roster imported)."""
    from mailbot.reports.matrix import ledger_rows

    with app.ledger.session() as session:
        return ledger_rows(session, app.campaign, now, office)


def save_workbook(app: App, office: str | None, path: str) -> int:
    """Write the 台账 workbook to ``path``."""
    from pathlib import Path

    from mailbot import clock
    from mailbot.reports.workbook import build_ledger_workbook

    with app.ledger.session() as session:
        data = build_ledger_workbook(session, app.campaign, clock.now(app.campaign.timezone), office)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"台账已保存：{target}")
    return 0


def resolve_office(campaign, name: str | None) -> str | None:
    """An office key from a key, a name or a short name (编办, 政务服务局); the match is said on stderr."""
    if not name:
        return None
    from mailbot.cli.names import match_office, say

    matched = match_office(campaign, name)
    say(matched, "办公室")
    return matched.key
