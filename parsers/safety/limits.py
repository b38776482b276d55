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
    max_cells: int = 200_000  # cells in one sheet: reading needs ~0.4 KB each (100k rows x 3 cols: +118 MB, bench/hostile_rss.py)
    max_merges: int = 1000  # merged ranges in one part: a form has a few dozen
    max_merged_cells: int = 100_000  # cells covered by merges: the grid gets a Cell object for each


DEFAULT_LIMITS = Limits()
