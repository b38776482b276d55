"""Conditions over one data row, written as data: {column, matches}, {column, filled}, any/all/not."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from parsers.forms.values import is_ticked

Row = Mapping[str, str]


def holds(cond: Mapping[str, Any], row: Row, marks: tuple[str, ...] = ()) -> bool:
    """Whether a condition is true of a row (column name → text)."""
    for name, test in _COMBINATORS.items():
        if name in cond:
            return test(cond[name], row, marks)
    texts = [row.get(c, "") for c in _columns(cond)]
    if "matches" in cond:
        return any(re.search(cond["matches"], t) for t in texts)
    if "ticked" in cond:
        return any(is_ticked(t, marks) for t in texts) == bool(cond["ticked"])
    if "equals" in cond:
        return any(t == cond["equals"] for t in texts)
    return any(texts) == bool(cond.get("filled", True))


def _columns(cond: Mapping[str, Any]) -> list[str]:
    return list(cond.get("columns", ())) or [cond["column"]]


_COMBINATORS: dict[str, Callable[[Any, Row, tuple[str, ...]], bool]] = {
    "any": lambda conds, row, marks: any(holds(c, row, marks) for c in conds),
    "all": lambda conds, row, marks: all(holds(c, row, marks) for c in conds),
    "not": lambda cond, row, marks: not holds(cond, row, marks),
}
