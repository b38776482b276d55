"""Read a .docx into its paragraphs and tables (as grids), in document order."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from parsers.errors import UnreadableFile
from parsers.forms.grid import Cell, Grid
from parsers.forms.text import clean
from parsers.safety.limits import Limits


@dataclass
class WordDoc:
    """A document's body paragraphs and its tables, each table knowing the paragraphs just before it."""

    paragraphs: list[str] = field(default_factory=list)
    tables: list[Grid] = field(default_factory=list)
    table_at: list[int] = field(default_factory=list)  # how many paragraphs come before each table


def read_docx(data: bytes, limits: Limits) -> WordDoc:
    """Paragraph texts and one grid per top-level table (表格1, 表格2 …)."""
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        return _walk(document, limits)
    except UnreadableFile:
        raise
    except Exception as exc:  # python-docx raises KeyError('word/NULL'), PackageNotFoundError, lxml errors
        raise UnreadableFile("Word 文件已损坏或格式异常，无法读取", code="corrupt-file") from exc


def _walk(document, limits: Limits) -> WordDoc:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    result, pending = WordDoc(), []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = clean(block.text)
            result.paragraphs.append(text)
            pending.append(text)
        elif isinstance(block, Table):
            grid = _grid(block, len(result.tables) + 1, limits)
            grid.text_before = [t for t in pending if t]
            result.tables.append(grid)
            result.table_at.append(len(result.paragraphs))
            pending = []
    return result


def _grid(table, number: int, limits: Limits) -> Grid:
    rows = []
    for r, row in enumerate(table.rows):
        if r >= limits.max_rows:
            raise UnreadableFile(f"表格{number}行数过多，请删除多余的空行后重新发送", code="sheet-too-large")
        rows.append([_cell(cell, number, r, c) for c, cell in enumerate(row.cells[: limits.max_cols])])
    return Grid(name=f"表格{number}", rows=rows, source="docx")


def _cell(cell, number: int, r: int, c: int) -> Cell:
    text = clean(cell.text)
    return Cell(text=text, ref=f"表格{number}第{r + 1}行第{c + 1}列", value=text or None)
