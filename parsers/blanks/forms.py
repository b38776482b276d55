"""A notice's blank form (.xlsx or .docx) read as a draft form: label, title, header columns, drop-downs, footnotes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from parsers.errors import UnreadableFile
from parsers.forms.text import is_placeholder, strip_controls

_LABEL = re.compile(r"^(附件|附表)\s*\d+")
_NOTE = re.compile(r"^(注|说明)\s*[:：]?\s*")
_NUMBERED = re.compile(r"^\d+\s*[.、．]\s*")
_LINE_LABEL = re.compile(r"盖章|填表日期|填报日期|填报单位|日期[:：]?$")


def clean(value: object) -> str:
    """A cell's text as printed (full-width punctuation kept, unlike text.clean), line breaks inside dropped."""
    return "" if value is None else re.sub(r"\s*\n\s*", "", strip_controls(str(value))).replace("\u3000", " ").strip()


@dataclass
class DraftColumn:
    """A header column: its name, its group (the upper row of a two-row header) and its drop-down list."""

    name: str
    group: str | None = None
    choices: tuple[str, ...] = ()


@dataclass
class DraftForm:
    """What a blank form says about itself."""

    label: str = ""
    title: str = ""
    columns: list[DraftColumn] = field(default_factory=list)
    unit_label: str = ""
    date_label: str = ""
    footnotes: list[str] = field(default_factory=list)


def read_blank_form(data: bytes, filename: str) -> DraftForm:
    """The draft of the first table in a blank .xlsx or .docx; UnreadableFile when it holds none."""
    try:
        rows, choices = _xlsx_rows(data) if filename.lower().endswith((".xlsx", ".xlsm")) else _docx_rows(data)
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl and python-docx raise many kinds on a file that is not theirs
        raise UnreadableFile(f"无法读取“{filename}”：{exc}") from exc
    return draft_from_rows(rows, choices)


def draft_from_rows(rows: list[list[str]], choices: dict[int, tuple[str, ...]] | None = None) -> DraftForm:
    """Find the header (the first row of three or more cells) and read what is above and below it."""
    top = next((r for r, row in enumerate(rows) if len({t for t in row if t}) >= 3), None)
    if top is None:
        raise UnreadableFile("没有找到表头（至少三列的一行）")
    draft = DraftForm()
    _read_above(draft, rows[:top])
    two = top + 1 < len(rows) and _is_subheader(rows[top], rows[top + 1])
    draft.columns = _columns(rows[top], rows[top + 1] if two else None, choices or {})
    _read_below(draft, rows[top + (2 if two else 1):])
    return draft


def _read_above(draft: DraftForm, rows: list[list[str]]) -> None:
    for text in (t for row in rows for t in dict.fromkeys(row) if t):
        label = re.sub(r"[:：]\s*$", "", text)
        if _LABEL.match(text) and not draft.label:
            draft.label = re.sub(r"\s+", "", text)
        elif "日期" in text:
            draft.date_label = draft.date_label or label
        elif _LINE_LABEL.search(text) or ("单位" in text and len(text) <= 12):
            draft.unit_label = draft.unit_label or label
        elif len(text) > len(draft.title):
            draft.title = text


def _is_subheader(up: list[str], low: list[str]) -> bool:
    texts = [t for t in low if t]
    # Under a one-row header come the numbered rows (1, 2, ...); under a two-row header, the sub-column names.
    return bool(texts) and not any(t.isdigit() or is_placeholder(t) for t in texts) and texts != [t for t in up if t]


def _columns(up: list[str], low: list[str] | None, choices: dict[int, tuple[str, ...]]) -> list[DraftColumn]:
    found: list[DraftColumn] = []
    group = None
    for c, upper in enumerate(up):
        lower = low[c] if low and c < len(low) else ""
        if lower and lower != upper:
            group = upper or group
            found.append(DraftColumn(lower, group, choices.get(c, ())))
        elif upper and (not found or upper != found[-1].name):
            group = None
            found.append(DraftColumn(upper, None, choices.get(c, ())))
    return found


def _read_below(draft: DraftForm, rows: list[list[str]]) -> None:
    texts = [t for row in rows for t in dict.fromkeys(row) if t]
    start = next((i for i, t in enumerate(texts) if _NOTE.match(t)), None)
    if start is not None:
        draft.footnotes = [_NUMBERED.sub("", _NOTE.sub("", t)).strip() for t in texts[start:]]


def _xlsx_rows(data: bytes) -> tuple[list[list[str]], dict[int, tuple[str, ...]]]:
    import openpyxl
    from openpyxl.utils import range_boundaries

    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[clean(v) for v in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:  # a merged header spans its columns: repeat its text as Word does
        c0, r0, c1, r1 = merged.bounds
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                rows[r - 1][c - 1] = rows[r0 - 1][c0 - 1]
    choices = {}
    for rule in ws.data_validations.dataValidation:
        if rule.type == "list" and rule.formula1 and rule.formula1.startswith('"'):
            for cells in str(rule.sqref).split():
                choices[range_boundaries(cells)[0] - 1] = tuple(v.strip() for v in rule.formula1.strip('"').split(","))
    return rows, choices


def _docx_rows(data: bytes) -> tuple[list[list[str]], dict[int, tuple[str, ...]]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    tables = document.tables
    if not tables:
        raise UnreadableFile("文件中没有表格")
    before, after, seen = [], [], False
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            seen = True  # the first table is the form; text after it holds the footnotes
        elif block.text.strip():
            # One paragraph may hold the whole 盖章 … 日期 line, its parts apart by runs of spaces.
            (after if seen else before).append([clean(t) for t in re.split(r"\s{2,}|\t", block.text) if t.strip()])
    grid = [[clean(cell.text) for cell in row.cells] for row in tables[0].rows]
    return before + grid + after, {}
