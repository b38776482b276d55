"""Build a ParsedReturn from a recognised grid: the data rows, their cell refs, and the form-wide checks."""

from __future__ import annotations

import re
from dataclasses import replace

from parsers import problem_texts as messages
from parsers.forms.checks import form_problems
from parsers.forms.grid import Grid
from parsers.forms.labels import label_value, lines_above
from parsers.forms.metrics import compute
from parsers.forms.recognise import Layout
from parsers.forms.rules.registry import apply_rules
from parsers.forms.spec import FormBook
from parsers.forms.text import is_placeholder
from parsers.forms.values import parse_date, parse_number
from parsers.problems import Problem, error, warning
from parsers.returns import ParsedReturn

_FOOTNOTE = re.compile(r"^(注|说明|备注)\s*[:：\d(（]|^注$|^(填表人|审核人|联系人|负责人)\s*[:：]")


def build_return(grid: Grid, layout: Layout, campaign: FormBook, file: str) -> ParsedReturn:
    """The return a grid holds, checked against its form's rules, with its four-results metrics."""
    spec = layout.spec
    ret = ParsedReturn(kind=spec.kind, file=file, sheet=grid.name)
    lines = lines_above(grid, layout.header_top)
    ret.problems += _header_problems(layout, ret)
    _read_labels(ret, spec, lines)
    formula_problems = _read_rows(grid, layout, ret)
    ret.problems += formula_problems
    ret.problems += _row_problems(ret, layout)
    ret.problems += apply_rules(spec, ret, campaign)
    ret.problems += form_problems(spec, ret, grid.source)
    ret.metrics = compute(spec, ret, campaign)
    ret.problems = [replace(p, file=file, sheet=grid.name) for p in ret.problems]
    return ret


def _header_problems(layout: Layout, ret: ParsedReturn) -> list[Problem]:
    optional = set(layout.spec.extra.get("optional_columns", ()))
    missing = [c.name for c in layout.spec.columns if c.name not in layout.columns and c.role != "seq" and c.name not in optional]
    return [error("missing-column", messages.render("missing-column", column=name), column=name) for name in missing]


def _read_labels(ret: ParsedReturn, spec, lines: list[str]) -> None:
    units = [spec.unit_label, *spec.extra.get("unit_aliases", ())]
    dates = [spec.date_label, *spec.extra.get("date_aliases", ())]
    unit = label_value(lines, [u for u in units if u], dates) if spec.unit_label else None
    date = label_value(lines, [d for d in dates if d], units) if spec.date_label else None
    ret.unit_name = unit or None
    if spec.unit_label and not unit:
        ret.problems.append(warning("unit-missing", messages.render("unit-missing", label=spec.unit_label)))
    if spec.date_label:
        _read_date(ret, spec.date_label, date)


def _read_date(ret: ParsedReturn, label: str, text: str | None) -> None:
    if not text:
        ret.problems.append(warning("date-missing", messages.render("date-missing", label=label)))
        return
    number = parse_number(text) if re.fullmatch(r"\d{5}(\.0)?", text) else None
    ret.filled_date = parse_date(number if number is not None else text)
    if ret.filled_date is None:
        ret.problems.append(warning("date-invalid", messages.render("date-invalid", label=label, value=text), value=text))


def _read_rows(grid: Grid, layout: Layout, ret: ParsedReturn) -> list[Problem]:
    problems: list[Problem] = []
    seq = {n for n in layout.columns if layout.spec.column(n).role == "seq"}
    for r in range(layout.data_start, len(grid.rows)):
        cells = {name: grid.cell(r, c) for name, c in layout.columns.items()}
        texts = {name: (cell.text if cell else "") for name, cell in cells.items()}
        if _is_footnote(grid, r):
            break
        if _is_blank(texts, cells, seq):
            continue
        ret.rows.append(texts)
        ret.cells.append({name: cell.ref for name, cell in cells.items() if cell})
        problems += _formula_problems(cells, len(ret.rows))
    return problems


def _is_footnote(grid: Grid, r: int) -> bool:
    texts = {cell.text for cell in grid.rows[r] if cell.text}
    return len(texts) == 1 and bool(_FOOTNOTE.match(texts.pop()))


def _is_blank(texts: dict[str, str], cells: dict, seq: set[str]) -> bool:
    # The template's numbered empty rows (1, 2, ...) and its "..." row are not data.
    content = [t for n, t in texts.items() if n not in seq and t and not is_placeholder(t)]
    formulas = [n for n, c in cells.items() if c is not None and c.formula and not c.text]
    return not content and not formulas


def _formula_problems(cells: dict, row: int) -> list[Problem]:
    found = []
    for name, cell in cells.items():
        if cell is not None and cell.formula and not cell.text:
            text = messages.render("formula-no-value", row=row, column=name, value=cell.formula)
            found.append(warning("formula-no-value", text, row=row, column=name, cell=cell.ref, value=cell.formula))
    return found


def _row_problems(ret: ParsedReturn, layout: Layout) -> list[Problem]:
    if not ret.rows:
        return [error("no-data-rows", messages.render("no-data-rows", label=layout.spec.label, title=layout.spec.title))]
    seq = next((n for n in layout.columns if layout.spec.column(n).role == "seq"), None)
    return _seq_gaps(ret, seq) if seq else []


def _seq_gaps(ret: ParsedReturn, seq: str) -> list[Problem]:
    found, previous = [], None
    for i, row in enumerate(ret.rows, start=1):
        number = parse_number(row.get(seq, ""))
        if number is None:
            continue
        expected = 1 if previous is None else previous + 1
        if number != expected:
            text = messages.render("seq-gap", row=i, column=seq, value=row[seq], expected=int(expected))
            found.append(warning("seq-gap", text, row=i, column=seq, cell=ret.cells[i - 1].get(seq), value=row[seq]))
        previous = number
    return found
