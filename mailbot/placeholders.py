"""The example files' placeholder words (请改为…): refused wherever a secret is read, with one Chinese message."""

from __future__ import annotations

from mailbot.errors import ConfigError

# What .env.example and settings.example.toml write where a secret goes; no real secret contains these.
MARKS = ("请改为", "请填写", "changeme", "change-me")


def is_placeholder(value: str | None) -> bool:
    """Whether a secret is still the example's words, not a real one."""
    folded = (value or "").strip().lower()
    return any(mark in folded for mark in MARKS)


def refuse_placeholder(value: str | None, name: str, how: str) -> None:
    """ConfigError in Chinese when ``value`` (the secret called ``name``) is a placeholder; ``how`` says what to put."""
    if is_placeholder(value):
        raise ConfigError(f"{name} 仍是示例文件中的占位文字“{value.strip()}”，请改为{how}。")
