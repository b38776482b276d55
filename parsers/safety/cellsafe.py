"""Writing into a workbook without arming it: sender text stays text, never a formula, an error value or a bad character."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel, WPS and LibreOffice may take as the start of a formula when a cell is edited (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
MAX_TEXT = 32767  # Excel's limit for one cell; a longer string makes it "repair" (and drop) the sheet


def put(cell, value):
    """Set ``cell`` to ``value``: numbers, dates and booleans as they are; any string as literal text."""
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
    return cell


def put_text(cell, text: str) -> None:
    """A string as a shared-string cell; one that looks like a formula is also quote-prefixed, so editing keeps it text."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT]
    cell.value = text  # openpyxl binds "=…" as a formula and "#N/A" as an error: both are undone below
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
