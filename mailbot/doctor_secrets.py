"""Where each mailbox's secret should come from, for `mailbot doctor`: a missing variable, a missing or open file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from mailbot.placeholders import is_placeholder


def secret_problem(credentials, environ=None) -> tuple[str, str] | None:
    """(detail, fix) when the secret cannot be read; None when it can. Never says what the secret is."""
    environ = os.environ if environ is None else environ
    if credentials.password_env:
        value = environ.get(credentials.password_env, "")
        if not value:
            return (f"环境变量 {credentials.password_env} 未设置（{credentials.username} 的授权码）",
                    f"请在运行本服务的环境中设置 {credentials.password_env}：用 docker compose 时写在 .env 中"
                    f"（{credentials.password_env}=授权码），否则写在 systemd 服务的 EnvironmentFile 或启动脚本中。")
        if is_placeholder(value):
            return (f"环境变量 {credentials.password_env} 仍是示例中的占位文字", f"请把 {credentials.password_env} 改为邮箱服务商签发的授权码。")
        return None
    if not credentials.password_file:
        return (f"{credentials.username} 未指定密码来源", '请在设置文件中为该账号写 password_env = "环境变量名" 或 password_file = "密码文件路径"。')
    return _file_problem(Path(credentials.password_file), credentials.username)


def _file_problem(path: Path, username: str) -> tuple[str, str] | None:
    if not path.exists():
        return (f"密码文件 {path} 不存在（{username} 的授权码）",
                f"请创建该文件，只写授权码一行，并执行 chmod 600 {path}、把属主设为运行本服务的用户。")
    try:
        text = path.read_text(encoding="utf-8").strip()
    except PermissionError:
        return (f"密码文件 {path} 无法读取（权限不足）", "请把该文件的属主设为运行本服务的用户（chown），权限保持 600。")
    except (OSError, UnicodeDecodeError):
        return (f"密码文件 {path} 无法读取（不是普通文本文件）", "请在该文件中只写授权码一行（UTF-8 文本）。")
    if not text:
        return (f"密码文件 {path} 是空的", "请在该文件中写入授权码（一行）。")
    return None


def shared_file(credentials) -> Path | None:
    """The credentials' password file when group or others may read it (else None)."""
    if not credentials.password_file:
        return None
    path = Path(credentials.password_file)
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return path if mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IWGRP | stat.S_IWOTH) else None
