"""Caps that keep a hostile or runaway file from eating the worker: one small value object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Size, ratio and shape limits checked before and while a file is read."""

    max_bytes: int = 30 * 1024 * 1024
    max_unzipped: int = 100 * 1024 * 1024
    max_ratio: float = 200.0
    max_members: int = 2000
    max_rows: int = 20000
    max_cols: int = 200


DEFAULT_LIMITS = Limits()
