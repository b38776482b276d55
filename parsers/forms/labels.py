"""The unit and date lines above a form (部门（单位）盖章：…  填表日期：…) and the form's title."""

from __future__ import annotations

import re

from parsers.forms.grid import Grid
from parsers.forms.spec import FormSpec
from parsers.forms.text import clean, key


def lines_above(grid: Grid, header_top: int) -> list[str]:
    """The texts above the header: docx paragraphs before the table, then each row's distinct cells tab-joined."""
    lines = list(grid.text_before)
    for r in range(header_top):
        texts: list[str] = []
        for cell in grid.rows[r]:
            if cell.text and cell.text not in texts:
                texts.append(cell.text)
        if texts:
            lines.append("\t".join(texts))
    return lines


def has_title(spec: FormSpec, lines: list[str]) -> bool:
    """Whether the form's title appears above its header."""
    title = key(spec.title)
    return any(title in key(line) for line in lines)


def label_value(lines: list[str], labels: list[str], stops: list[str]) -> str | None:
    """The text after a label (on its line, up to the next cell or next label), or None if the label is absent."""
    for line in lines:
        flat = re.sub(r"[ \u3000]+", "", clean(line))
        for label in labels:
            match = _find_label(flat, label)
            if match:
                return _cut(flat[match.end():], stops)
    return None


def _find_label(flat: str, label: str) -> re.Match | None:
    pattern = re.escape(re.sub(r"\s+", "", clean(label))).replace("盖章", r"\(?盖章\)?")
    # A label printed as 部门（单位）（盖章） or 部门(单位)盖章 reads the same.
    match = re.search(pattern, flat)
    return match


def _cut(rest: str, stops: list[str]) -> str:
    rest = rest.lstrip(":：\t ")
    for stop in stops:
        match = _find_label(rest, stop)
        if match:
            rest = rest[: match.start()]
    return rest.split("\t")[0].strip(" :：()（）") if rest else ""
