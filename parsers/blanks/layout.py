"""The printed layout of a table form, shared by the .xlsx and .docx templates: header rows and merges."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parsers.forms.spec import FormSpec

PLACEHOLDER_ROWS = ("1", "2", "...")


def header_rows(spec: FormSpec) -> list[list[str]]:
    """One header row, or two when the form has groups (the group over its sub-columns)."""
    if not spec.groups:
        return [[c.name for c in spec.columns]]
    top = [c.group or c.name for c in spec.columns]
    low = [c.name if c.group else "" for c in spec.columns]
    return [top, low]


def header_merges(spec: FormSpec) -> list[tuple[int, int, int, int]]:
    """Merged ranges (row0, col0, row1, col1), 0-based within the header: groups across, single cells down."""
    if not spec.groups:
        return []
    merges, c = [], 0
    while c < len(spec.columns):
        group = spec.columns[c].group
        end = c
        while group and end + 1 < len(spec.columns) and spec.columns[end + 1].group == group:
            end += 1
        merges.append((0, c, 0, end) if group else (0, c, 1, c))
        c = end + 1
    return merges


def body_rows(spec: FormSpec, rows: list[Mapping[str, Any]] | None) -> list[list[str]]:
    """The data rows in column order; the blank template's numbered rows and "..." when none are given."""
    if rows is None:
        return [[n] + [""] * (len(spec.columns) - 1) for n in PLACEHOLDER_ROWS]
    return [[_text(row.get(c.name, "")) for c in spec.columns] for row in rows]


def label_line(spec: FormSpec, unit: str, date: str) -> tuple[str, str]:
    """The 部门（单位）盖章 and 填表日期 texts above the table."""
    return f"{spec.unit_label}：{unit}", f"{spec.date_label}：{date}"


def footnote_lines(spec: FormSpec) -> list[str]:
    """The 注 below the table as the notice prints them: "注：text", or "注：1. …", "2. …" for several."""
    notes = [str(n) for n in spec.extra.get("footnotes", ())]
    if len(notes) <= 1:
        return [f"注：{n}" for n in notes]
    return [f"注：1. {notes[0]}"] + [f"{n}. {text}" for n, text in enumerate(notes[1:], start=2)]


def choice_lines(spec: FormSpec) -> list[str]:
    """A line per drop-down column, for a Word table (which has no data validation): what may be chosen."""
    return [f"“{c.name}”一栏请从以下选项中选择一项填写：{'、'.join(c.choices)}。" for c in spec.columns if c.choices]


def _text(value: Any) -> str:
    return "" if value is None else str(value)
