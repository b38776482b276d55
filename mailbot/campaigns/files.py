"""Read a campaign file (or the campaign.toml of a folder) and list its mistakes, each naming file, line and key."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from mailbot.errors import ConfigError, toml_words
from routing.model.campaign_check import Fault, check_data
from routing.model.toml_lines import key_lines, line_of

FILE_NAME = "campaign.toml"


def resolve(path: str | os.PathLike) -> Path:
    """A campaign folder stands for the campaign.toml inside it."""
    target = Path(path)
    return target / FILE_NAME if target.is_dir() else target


def read_data(target: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and parsed mapping; ConfigError in Chinese when missing or not TOML."""
    try:
        text = target.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ConfigError(f"找不到活动配置文件：{target}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"活动配置文件 {target} 不是 UTF-8 编码，请另存为 UTF-8 后重试") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"活动配置文件 {target} 格式有误：{toml_words(exc)}") from exc


def fault_lines(target: Path, text: str, data: dict[str, Any]) -> list[str]:
    """Every fault of the file as one Chinese line: file, line, key and what is wrong."""
    faults = check_data(data)
    lines = key_lines(text) if faults else {}
    return [_line(target, line_of(lines, f.path), f) for f in faults]


def _line(target: Path, line: int | None, fault: Fault) -> str:
    where = f"{target} 第{line}行" if line else str(target)
    return f"活动配置文件 {where}，键 {fault.where}：{fault.message}"


def check_file(path: str | os.PathLike) -> list[str]:
    """The mistakes of a campaign file or folder (empty when it is right); ConfigError when unreadable."""
    target = resolve(path)
    text, data = read_data(target)
    return fault_lines(target, text, data)
