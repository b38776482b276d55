"""Where the dashboard's session secret comes from: a file, or the environment; never the command line or a log."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from mailbot.errors import ConfigError
from mailbot.placeholders import refuse_placeholder
from mailbot.secret_files import read_secret_file, warn_if_shared

ENV_SECRET = "MAILBOT_WEB_SECRET"
ENV_SECRET_FILE = "MAILBOT_WEB_SECRET_FILE"
MIN_LENGTH = 16


def load_secret(path: str | None = None) -> tuple[str, bool]:
    """(secret, ephemeral): from ``path``, MAILBOT_WEB_SECRET_FILE or MAILBOT_WEB_SECRET, else a random one for this run."""
    source = path or os.environ.get(ENV_SECRET_FILE)
    if source:
        try:
            warn_if_shared(Path(source))
            secret = read_secret_file(source)
        except OSError as exc:
            raise ConfigError(f"无法读取会话密钥文件：{source}") from exc
    else:
        secret = os.environ.get(ENV_SECRET, "").strip()
    if not secret:
        return secrets.token_urlsafe(32), True
    refuse_placeholder(secret, f"会话密钥（{ENV_SECRET}）", f"足够长的随机字符串（至少{MIN_LENGTH}个字符）")
    if len(secret) < MIN_LENGTH:
        raise ConfigError(f"会话密钥过短，至少需要{MIN_LENGTH}个字符")
    return secret, False
