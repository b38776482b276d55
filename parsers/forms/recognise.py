"""Which form a grid is: find the header rows, map the notice's columns to grid columns, score the match."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from parsers.forms.grid import Grid
from parsers.forms.headers import header_key
from parsers.forms.spec import Column, FormBook, FormSpec
from parsers.forms.text import key

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


@dataclass(frozen=True)
class _ColumnKeys:
    """A column's header keys, worked out once per form rather than once per candidate row."""

    name: str
    names: frozenset[str]
    group: str | None
    named: bool


@dataclass(frozen=True)
class _FormKeys:
    """A form's columns as keys, every key any of them answers to, and those with its groups, longest first."""

    columns: tuple[_ColumnKeys, ...]
    names: frozenset[str]
    vocabulary: tuple[str, ...] = ()


def recognise(grid: Grid, campaign: FormBook) -> Layout | None:
    """The best-matching table form for this grid, or None when no form's headers are found."""
    best: Layout | None = None
    cells = _header_keys(grid)
    tops = range(min(len(grid.rows), HEADER_SCAN_ROWS))
    for spec in (s for s in campaign.forms if s.layout == "table"):
        form = _form_keys(spec.columns)
        # Each header read as the form's own word for it (explanations in brackets, leading words).
        keys = [[header_key(k, form.vocabulary) for k in row] for row in cells]
        near = [set(keys[r]) | set(keys[r + 1]) for r in tops]
        for r in tops:
            if form.names.isdisjoint(near[r]):
                continue  # none of the form's headers is in reach: most rows of a sheet are data
            layout = _match(keys, near[r], spec, form.columns, r)
            if layout and (best is None or layout.score > best.score):
                best = layout
    return best


def _names(col: Column) -> frozenset[str]:
    return frozenset({key(col.name), *(key(a) for a in col.aliases)})


def _form_keys(columns: tuple[Column, ...]) -> _FormKeys:
    try:
        return _cached_form_keys(columns)
    except TypeError:
        # A hand-built Column with a list inside is unhashable: work it out uncached.
        return _build_form_keys(columns)


def _build_form_keys(columns: tuple[Column, ...]) -> _FormKeys:
    # A repeated name counts as named by the role of its first column, as FormSpec.column(name) answers.
    roles: dict[str, str | None] = {}
    for col in columns:
        roles.setdefault(col.name, col.role)
    keyed = tuple(_ColumnKeys(col.name, _names(col), key(col.group) if col.group else None, roles[col.name] != "seq")
                  for col in columns)
    names = frozenset().union(*(col.names for col in keyed))
    vocabulary = sorted(names | {col.group for col in keyed if col.group}, key=len, reverse=True)
    return _FormKeys(keyed, names, tuple(vocabulary))


# Keyed on the columns, not the FormSpec: a spec holds dicts (rules, extra) and cannot be hashed.
_cached_form_keys = functools.lru_cache(maxsize=256)(_build_form_keys)


def _header_keys(grid: Grid) -> list[list[str]]:
    # Keys of the rows a header may sit in, padded to one width, plus an empty row below the last.
    rows = grid.rows[: HEADER_SCAN_ROWS + 1]
    width = max((len(r) for r in rows), default=0)
    keys = [[key(cell.text) for cell in row] + [""] * (width - len(row)) for row in rows]
    return keys + [[""] * width]


def _match(keys: list[list[str]], near: set[str], spec: FormSpec, columns: tuple[_ColumnKeys, ...],
           r: int) -> Layout | None:
    up, low = keys[r], keys[r + 1]
    found: dict[str, int] = {}
    used: set[int] = set()
    named = 0
    two_rows = False
    for col in columns:
        if col.names.isdisjoint(near):
            continue  # neither header row holds any of its names: the scan below cannot hit
        hit = _find(col, up, low, used)
        if hit is not None:
            c, lower = hit
            if col.name in found:
                used.discard(found[col.name])  # a repeated name moves: its earlier column is free again
            else:
                named += col.named
            found[col.name] = c
            used.add(c)
            two_rows = two_rows or lower
    if named < 2 or len(found) < MIN_SHARE * len(spec.columns):
        return None
    return Layout(spec, found, r, r + (2 if two_rows else 1), len(found) / len(spec.columns))


def _find(col: _ColumnKeys, up: list[str], low: list[str], used: set[int]) -> tuple[int, bool] | None:
    names, group = col.names, col.group
    for c in range(len(up)):
        if c in used:
            continue
        if group and low[c] in names and up[c] in (group, low[c], ""):
            return c, True
        if up[c] in names:
            # A name repeated below is a vertically merged header cell: the data starts a row lower.
            return c, bool(group) or low[c] == up[c]
        if low[c] in names and not up[c]:
            return c, True
    return None
