"""Secrets in files: read them, and warn (in Chinese, once, at load) when anyone but the service's own user may read them."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)


def read_secret_file(path: str | os.PathLike) -> str:
    """The file's text, stripped; OSError propagates for the caller to word (never with the secret in it)."""
    return Path(path).read_text(encoding="utf-8").strip()


def warn_if_shared(file: Path) -> bool:
    """Log a warning when group or others may read ``file``; return whether they may."""
    try:
        mode = file.stat().st_mode
    except OSError:
        return False  # the read that follows reports the missing file
    shared = bool(mode & (stat.S_IRGRP | stat.S_IROTH | stat.S_IWGRP | stat.S_IWOTH))
    if shared:
        log.warning("密码文件 %s 的权限为 %s，同组或其他用户也可读取；请执行 chmod 600 %s，仅允许本服务的运行用户读取。",
                    file, stat.filemode(mode), file)
    return shared
