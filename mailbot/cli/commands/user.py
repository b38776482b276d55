"""`mailbot user`: dashboard accounts (add, list, passwd, disable, enable, remove); passwords from a prompt or stdin, never argv."""

from __future__ import annotations

import sys

from mailbot.app import App
from mailbot.errors import UsageError

ORDER = 41
OFFICE_HELP = "办公室（活动配置中办公室的代号、名称或简称）或 管理员（admin，可查看全部）"


def register(sub) -> None:
    """Add the subcommand and its actions."""
    p = sub.add_parser("user", help="管理台账网页的登录账号")
    actions = p.add_subparsers(dest="action", metavar="操作", required=True)
    add = actions.add_parser("add", help="新增账号")
    add.add_argument("name", metavar="NAME", help="用户名")
    add.add_argument("--office", required=True, help=OFFICE_HELP)
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（不显示提示）")
    passwd = actions.add_parser("passwd", help="修改密码（该账号已登录的网页会话全部失效）")
    passwd.add_argument("name", metavar="NAME", help="用户名")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    for action, text in (("disable", "停用账号（立即退出其全部会话，不能再登录）"), ("enable", "重新启用已停用的账号"), ("remove", "删除账号（立即退出其全部会话）")):
        actions.add_parser(action, help=text).add_argument("name", metavar="NAME", help="用户名")
    actions.add_parser("list", help="列出账号")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Dispatch to the action."""
    app = App.from_args(args)
    return {"add": _add, "passwd": _passwd, "list": _list, "disable": _disable, "enable": _enable, "remove": _remove}[args.action](app, args)


def read_password(from_stdin: bool) -> str:
    """The new password: one line of stdin, or typed twice at a prompt."""
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("请输入密码：")
    if getpass.getpass("请再次输入密码：") != first:
        raise UsageError("两次输入的密码不一致")
    return first


def _add(app: App, args) -> int:
    from mailbot import clock
    from mailbot.cli.names import match_office, say
    from mailbot.web.users import add_user

    office = match_office(app.campaign, args.office, admin=True)  # before the password is asked for
    say(office, "办公室")
    password = read_password(args.password_stdin)
    with app.ledger.transaction() as s:
        add_user(s, app.campaign, args.name, office.key, password, clock.now(app.campaign.timezone))
    print(f"已新增账号：{args.name}（{_office_name(app, office.key)}）")
    return 0


def _passwd(app: App, args) -> int:
    from mailbot.web.users import set_password

    password = read_password(args.password_stdin)
    with app.ledger.transaction() as s:
        set_password(s, args.name, password)
    print(f"已修改账号 {args.name} 的密码，该账号此前的登录会话均已失效")
    return 0


def _disable(app: App, args) -> int:
    from mailbot.web.users import set_active

    with app.ledger.transaction() as s:
        set_active(s, args.name, False)
    print(f"已停用账号 {args.name}：其登录会话均已失效，且不能再登录")
    return 0


def _enable(app: App, args) -> int:
    from mailbot.web.users import set_active

    with app.ledger.transaction() as s:
        set_active(s, args.name, True)
    print(f"已重新启用账号 {args.name}")
    return 0


def _remove(app: App, args) -> int:
    from mailbot.web.users import remove_user

    with app.ledger.transaction() as s:
        remove_user(s, args.name)
    print(f"已删除账号 {args.name}：其登录会话均已失效")
    return 0


def _list(app: App, args) -> int:
    from sqlalchemy import select

    from mailbot.ledger.models_web import UserRow

    with app.ledger.session() as s:
        for row in s.scalars(select(UserRow).order_by(UserRow.id)):
            print(f"{row.name}\t{_office_name(app, row.office)}\t{'启用' if row.active else '停用'}")
    return 0


def _office_name(app: App, key: str) -> str:
    return "管理员" if key == "admin" else app.campaign.offices[key].name
