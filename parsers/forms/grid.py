"""A format-neutral table: cell texts and values with the sender's own references, from xlsx, xls or docx."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Cell:
    """One cell: its display text, its typed value and where the sender will find it."""

    text: str
    ref: str
    value: Any = None
    number_format: str | None = None
    formula: str | None = None


@dataclass
class Grid:
    """The cells of one sheet or one docx table, row by row (ragged rows allowed)."""

    name: str
    rows: list[list[Cell]]
    source: str = "xlsx"
    problems: list = field(default_factory=list)
    text_before: list[str] = field(default_factory=list)

    def cell(self, r: int, c: int) -> Cell | None:
        """The cell at 0-based (r, c), or None outside the ragged row."""
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def text(self, r: int, c: int) -> str:
        """The text at 0-based (r, c), '' when absent."""
        cell = self.cell(r, c)
        return cell.text if cell else ""

    @functools.cached_property
    def width(self) -> int:
        """The widest row's length."""
        return max((len(r) for r in self.rows), default=0)
