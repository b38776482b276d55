"""`mailbot run`: the worker, until SIGTERM or Ctrl-C (SIGHUP reloads the configuration)."""

from __future__ import annotations

import logging

from mailbot.app import App

ORDER = 5


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("run", help="持续运行：收取邮件、发送回执、按时催报和发送每日汇总")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Start the worker and block until it is told to stop."""
    from mailbot.worker import Worker

    # The worker's own progress (reloads, failing jobs) is worth seeing without -v.
    logging.getLogger("mailbot").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    app = App.from_args(args)
    worker = Worker(app)
    worker.run_forever(on_ready=lambda: print("报送机器人已启动，按 Ctrl-C 或发送 SIGTERM 停止；发送 SIGHUP 重新加载配置。", flush=True))
    print("报送机器人已停止。", flush=True)
    return 0
