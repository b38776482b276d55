"""`mailbot healthcheck web|worker`: exit 0 when the dashboard answers or the worker completed a job lately (for compose)."""

from __future__ import annotations

import os

from mailbot.heartbeat import ENV_HEARTBEAT, web_alive, worker_alive

ORDER = 92


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("healthcheck", help="健康检查（供容器使用）：台账网页是否响应、工作进程是否仍在运行")
    p.add_argument("what", choices=["web", "worker"], help="web：台账网页；worker：收发工作进程")
    p.add_argument("--url", default="http://127.0.0.1:8080/healthz", help="台账网页的健康检查地址（默认 http://127.0.0.1:8080/healthz）")
    p.add_argument("--file", help=f"工作进程的心跳文件（默认取环境变量 {ENV_HEARTBEAT}）")
    p.add_argument("--max-age", type=float, default=600, help="心跳最长间隔（秒，默认 600）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Print one Chinese line; exit 1 when unhealthy."""
    if args.what == "web":
        ok, line = web_alive(args.url)
    else:
        path = args.file or os.environ.get(ENV_HEARTBEAT, "")
        ok, line = worker_alive(path, args.max_age) if path else (False, f"未设置心跳文件（--file 或环境变量 {ENV_HEARTBEAT}）")
    print(line)
    return 0 if ok else 1
