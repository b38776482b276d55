"""What the grid reader needs from an .xlsx package: its worksheets, shared strings, date styles and epoch.

openpyxl's ``load_workbook`` builds a whole Workbook first (default styles, the full stylesheet as
objects, each sheet's dimension) before the first cell is read; that was two thirds of the time spent
on a typical return. Here only the few parts the cells need are read, and the cells themselves are
left to openpyxl's own sheet parser (parsers.xlsx.read), so values mean exactly what they mean there.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import iterparse
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from parsers.xlsx.parts import SheetEntry, map_workbook

_DATE1904 = re.compile(r"<(?:\w+:)?workbookPr\b[^<>]*\bdate1904=\"(?:1|true)\"", re.I)


@dataclass(frozen=True)
class Styles:
    """Per cell style index: its built-in number format id (None for a custom one), and which are dates."""

    builtin_ids: tuple[int | None, ...] = ()
    dates: frozenset[int] = frozenset()
    timedeltas: frozenset[int] = frozenset()

    def builtin_id(self, style: int) -> int | None:
        """The built-in number format of a styled cell; None for style 0, a custom format or an unknown style."""
        return self.builtin_ids[style] if 0 < style < len(self.builtin_ids) else None


@dataclass
class Package:
    """An opened .xlsx package and the workbook-wide parts its sheets refer to."""

    archive: zipfile.ZipFile
    worksheets: list[tuple[str, str]]  # (sheet name, part) in tab order; chart sheets left out
    strings: list[str]
    styles: Styles
    epoch: object


def open_package(archive: zipfile.ZipFile) -> Package:
    """Read the workbook part, its relationships, shared strings and styles; KeyError/ValueError on a broken package."""
    found = map_workbook(lambda name: _read_text(archive, name), archive.NameToInfo)
    if found.workbook not in archive.NameToInfo:
        raise KeyError(f"no workbook part {found.workbook!r}")
    return Package(
        archive=archive,
        worksheets=[_worksheet(entry) for entry in found.sheets if _is_worksheet(entry)],
        strings=_strings(archive, found.related("sharedStrings")),
        styles=_styles(archive, found.related("styles")),
        epoch=CALENDAR_MAC_1904 if _DATE1904.search(found.xml) else CALENDAR_WINDOWS_1900,
    )


def _read_text(archive: zipfile.ZipFile, name: str) -> str:
    return archive.read(name).decode("utf-8", errors="replace") if name in archive.NameToInfo else ""


def _is_worksheet(entry: SheetEntry) -> bool:
    # A sheet without r:id is dropped, as openpyxl does; chart sheets hold no cells.
    return entry.rid is not None and not (entry.relation and "chartsheet" in entry.relation.type)


def _worksheet(entry: SheetEntry) -> tuple[str, str]:
    if entry.relation is None:
        raise KeyError(f"sheet {entry.name!r} names relationship {entry.rid!r}, which the workbook lacks")
    return entry.name, entry.relation.part


def _strings(archive: zipfile.ZipFile, part: str) -> list[str]:
    if part not in archive.NameToInfo:
        return []
    with archive.open(part) as source:
        return read_string_table(source)


def _styles(archive: zipfile.ZipFile, part: str) -> Styles:
    """Number formats by cell style, decided as openpyxl's stylesheet decides them."""
    if part not in archive.NameToInfo:
        return Styles()
    custom, ids = _number_formats(archive, part)
    codes = [custom.get(i, BUILTIN_FORMATS.get(i)) for i in ids]
    return Styles(
        builtin_ids=tuple(None if i in custom else i for i in ids),
        dates=frozenset(k for k, code in enumerate(codes) if is_date_format(code)),
        timedeltas=frozenset(k for k, code in enumerate(codes) if is_timedelta_format(code)),
    )


def _number_formats(archive: zipfile.ZipFile, part: str) -> tuple[dict[int, str], list[int]]:
    """Custom format id → code, and the format id of each cell style (cellXfs) in order."""
    custom, ids, section = {}, [], None
    with archive.open(part) as source:
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                section = tag if tag in ("numFmts", "cellXfs") else section
            elif tag in ("numFmts", "cellXfs"):
                section = None
            elif tag == "numFmt" and section == "numFmts":
                custom[int(element.get("numFmtId"))] = element.get("formatCode")
            elif tag == "xf" and section == "cellXfs":
                ids.append(int(element.get("numFmtId", 0)))
                element.clear()
    return custom, ids
