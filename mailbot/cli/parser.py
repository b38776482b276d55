"""An argparse parser that speaks Chinese to the people who run the commands."""

from __future__ import annotations

import argparse
import sys

# argparse's own words, as they appear in its messages, and how an office would say them.
_PHRASES = (
    ("the following arguments are required", "缺少必需的参数"),
    ("unrecognized arguments", "无法识别的参数"),
    ("invalid choice", "无效的选项"),
    ("choose from", "可选"),
    ("expected one argument", "需要提供一个值"),
    ("invalid int value", "不是有效的整数"),
    ("argument ", "参数 "),
    ("not allowed with argument", "不能与此参数同时使用"),
)


class HelpFormatter(argparse.HelpFormatter):
    """Usage lines headed 用法."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """Section titles, -h and errors in Chinese; subcommand parsers inherit it."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        """Print the usage and a Chinese error, exit 2."""
        for english, chinese in _PHRASES:
            message = message.replace(english, chinese)
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{message}\n")
