"""Form-wide checks the campaign declares on a table form: row-count bounds, drop-down lists, file type."""

from __future__ import annotations

import re

from parsers import problem_texts as messages
from parsers.forms.spec import FormSpec
from parsers.forms.text import key
from parsers.problems import Problem, error
from parsers.returns import ParsedReturn

FILE_TYPES = {"xlsx": "excel", "xls": "excel", "docx": "word"}
TYPE_NAMES = {"excel": "Excel 表格（.xlsx）", "word": "Word 文档（.docx）"}
_TRAILING = re.compile(r"[。.，,；;、\s]+$")


def form_problems(spec: FormSpec, ret: ParsedReturn, source: str) -> list[Problem]:
    """Every problem of the return against its form's declared bounds, lists and file type."""
    return _file_type(spec, source) + _row_bounds(spec, ret) + _choices(spec, ret)


def _file_type(spec: FormSpec, source: str) -> list[Problem]:
    wanted = spec.extra.get("file_type", "any")
    actual = FILE_TYPES.get(source)
    if wanted == "any" or actual is None or actual == wanted:
        return []
    text = messages.render("wrong-file-type", label=spec.label, title=spec.title, actual=TYPE_NAMES[actual],
                           expected=TYPE_NAMES[wanted])
    return [error("wrong-file-type", text)]


def _row_bounds(spec: FormSpec, ret: ParsedReturn) -> list[Problem]:
    low, high, count = int(spec.extra.get("min_rows", 0)), int(spec.extra.get("max_rows", 0)), len(ret.rows)
    if not ret.rows or (count >= low and (not high or count <= high)):
        return []  # an empty form has its own message (no-data-rows)
    code = "too-few-rows" if count < low else "too-many-rows"
    return [error(code, messages.render(code, label=spec.label, title=spec.title, count=count, bounds=bounds_text(low, high)))]


def bounds_text(low: int, high: int) -> str:
    """"1至2行", "至少1行", "至多2行" (or "2行" when both are the same)."""
    if low and high:
        return f"{low}行" if low == high else f"{low}至{high}行"
    return f"至少{low}行" if low else f"至多{high}行"


def _choices(spec: FormSpec, ret: ParsedReturn) -> list[Problem]:
    found = []
    for column in (c for c in spec.columns if c.choices and ret.rows and c.name in ret.rows[0]):
        allowed = {_loose(v) for v in column.choices}
        for i, row in enumerate(ret.rows):
            value = row.get(column.name, "")
            if value and _loose(value) not in allowed:
                text = messages.render("value-not-in-list", row=i + 1, column=column.name, value=value,
                                       options="、".join(column.choices))
                found.append(error("value-not-in-list", text, row=i + 1, column=column.name,
                                   cell=ret.cells[i].get(column.name), value=value))
    return found


def _loose(text: str) -> str:
    # A list value typed by hand rather than picked: width, spaces, case and a trailing full stop do not matter.
    return _TRAILING.sub("", key(text))
