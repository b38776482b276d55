"""Which form a grid is: find the header rows, map the notice's columns to grid columns, score the match."""

from __future__ import annotations

from dataclasses import dataclass

from routing.campaign import Campaign, Column, FormSpec

from parsers.grid import Grid
from parsers.text import key

HEADER_SCAN_ROWS = 30
MIN_SHARE = 0.5


@dataclass
class Layout:
    """Where a form sits in a grid: its spec, column positions and the first data row (0-based)."""

    spec: FormSpec
    columns: dict[str, int]
    header_top: int
    data_start: int
    score: float


def recognise(grid: Grid, campaign: Campaign) -> Layout | None:
    """The best-matching table form for this grid, or None when no form's headers are found."""
    best: Layout | None = None
    keys = _header_keys(grid)
    for spec in (s for s in campaign.forms if s.layout == "table"):
        for r in range(min(len(grid.rows), HEADER_SCAN_ROWS)):
            layout = _match(keys, spec, r)
            if layout and (best is None or layout.score > best.score):
                best = layout
    return best


def _names(col: Column) -> set[str]:
    return {key(col.name), *(key(a) for a in col.aliases)}


def _header_keys(grid: Grid) -> list[list[str]]:
    # Keys of the rows a header may sit in, padded to one width, plus an empty row below the last.
    rows = grid.rows[: HEADER_SCAN_ROWS + 1]
    width = max((len(r) for r in rows), default=0)
    keys = [[key(cell.text) for cell in row] + [""] * (width - len(row)) for row in rows]
    return keys + [[""] * width]


def _match(keys: list[list[str]], spec: FormSpec, r: int) -> Layout | None:
    up, low = keys[r], keys[r + 1]
    found: dict[str, int] = {}
    two_rows = False
    for col in spec.columns:
        hit = _find(col, up, low, set(found.values()))
        if hit is not None:
            found[col.name], lower = hit
            two_rows = two_rows or lower
    named = [n for n in found if spec.column(n).role != "seq"]
    if len(named) < 2 or len(found) < MIN_SHARE * len(spec.columns):
        return None
    return Layout(spec, found, r, r + (2 if two_rows else 1), len(found) / len(spec.columns))


def _find(col: Column, up: list[str], low: list[str], used: set[int]) -> tuple[int, bool] | None:
    names = _names(col)
    group = key(col.group) if col.group else None
    for c in (c for c in range(len(up)) if c not in used):
        if group and low[c] in names and up[c] in (group, low[c], ""):
            return c, True
        if up[c] in names:
            # A name repeated below is a vertically merged header cell: the data starts a row lower.
            return c, bool(group) or low[c] == up[c]
        if low[c] in names and not up[c]:
            return c, True
    return None
