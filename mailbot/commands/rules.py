"""`mailbot rules`: the decision chain, in order, as the robot applies it."""

from __future__ import annotations

ORDER = 90


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("rules", help="列出机器人处理每封邮件时依次检查的规则")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print the chain."""
    from routing.chain import describe

    for index, (name, description) in enumerate(describe(), start=1):
        print(f"{index:>2}. {name:<20} {description}")
    return 0
