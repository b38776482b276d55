"""Liveness for container health checks: the worker touches a file after each job; the web answers /healthz."""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV_HEARTBEAT = "MAILBOT_HEARTBEAT"  # the file the worker touches; unset: no file is written


def beat() -> None:
    """Touch the heartbeat file, if one is configured (a failure to write only costs the health check)."""
    path = os.environ.get(ENV_HEARTBEAT)
    if path:
        try:
            Path(path).touch()
        except OSError:
            pass


def worker_alive(path: str, max_age: float, now: float | None = None) -> tuple[bool, str]:
    """Whether the worker touched ``path`` within ``max_age`` seconds, and the Chinese reason when not."""
    try:
        age = (now if now is not None else time.time()) - Path(path).stat().st_mtime
    except OSError:
        return False, f"未找到工作进程的心跳文件 {path}（工作进程尚未启动或无法写入）"
    if age > max_age:
        return False, f"工作进程已 {int(age)} 秒没有完成任何任务（上限 {int(max_age)} 秒）"
    return True, f"工作进程正常（{int(age)} 秒前完成任务）"


def web_alive(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """Whether the dashboard answers ``url`` (its /healthz) with 200."""
    import urllib.error  # with http.client and email, a tenth of a second: every command's parser imports this module
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - an operator-given local URL
            return response.status == 200, f"台账网页正常（{response.status}）"
    except urllib.error.HTTPError as exc:
        return False, f"台账网页异常（HTTP {exc.code}）"
    except (urllib.error.URLError, OSError) as exc:
        return False, f"无法连接台账网页 {url}：{getattr(exc, 'reason', exc)}"
