"""The `mailbot` command: discovers subcommands in mailbot.cli.commands and runs one."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

from mailbot.cli import commands
from mailbot.cli.parser import ChineseArgumentParser
from mailbot.errors import MailbotError

EXIT_USAGE = 2


def build_parser() -> ChineseArgumentParser:
    """The argument parser with every command module's subcommand."""
    parser = ChineseArgumentParser(prog="mailbot", description="报送机器人：收取报送邮件、登记台账、回执与催报（活动由 --campaign 目录、MAILBOT_CAMPAIGN 或站点设置 campaign 指定）。")
    parser.add_argument("--db", help="数据库地址（默认 sqlite:///var/mailbot.db，或环境变量 MAILBOT_DB）")
    parser.add_argument("--campaign", help="活动目录（含 campaign.toml 和 roster.csv；默认 config/campaigns/liangyou，或环境变量 MAILBOT_CAMPAIGN、站点设置 campaign）")
    parser.add_argument("--settings", help="运行设置文件（默认 config/settings.toml，或环境变量 MAILBOT_SETTINGS）")
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for module in _command_modules():
        module.register(sub)
    return parser


def _command_modules() -> list:
    found = [importlib.import_module(f"mailbot.cli.commands.{m.name}") for m in pkgutil.iter_modules(commands.__path__)]
    return sorted((m for m in found if hasattr(m, "register")), key=lambda m: getattr(m, "ORDER", 50))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except MailbotError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
