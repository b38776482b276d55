"""`mailbot rules`: the decision chain, in order, as the robot applies it."""

from __future__ import annotations

ORDER = 90


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("rules", help="列出机器人处理每封邮件时依次检查的规则")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print the chain."""
    from routing.chain import RUNNER_REASONS, describe

    for index, (name, description) in enumerate(describe(), start=1):
        print(f"{index:>2}. {name:<20} {description}")
    print("\n无法按上述规则处理时（结论均为待人工处理）：")
    for name, description in RUNNER_REASONS:
        print(f"    {name:<20} {description}")
    return 0
