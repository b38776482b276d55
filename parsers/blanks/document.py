"""The form as a .docx: the same layout as the workbook template, as a Word table."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from parsers.blanks.layout import body_rows, choice_lines, footnote_lines, header_merges, header_rows, label_line
from parsers.forms.spec import FormSpec


def docx_template(spec: FormSpec, rows: list[Mapping[str, Any]] | None = None, *, unit: str = "", date: str = "") -> bytes:
    """The form as a .docx: 附件 label, title, unit and date line, merged headers, rows (or 1, 2, ...)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph(spec.label)
    document.add_heading(spec.title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("    ".join(label_line(spec, unit, date)))
    _table(document, spec, rows)
    for line in footnote_lines(spec) + choice_lines(spec):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, spec: FormSpec, rows) -> None:
    headers, body = header_rows(spec), body_rows(spec, rows)
    table = document.add_table(rows=len(headers) + len(body), cols=len(spec.columns))
    table.style = "Table Grid"
    for r, values in enumerate([*headers, *body]):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    for r0, c0, r1, c1 in header_merges(spec):
        text = headers[r0][c0]
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        merged.text = text
