"""Which part of an .xlsx package holds what, read from the content types, workbook.xml and its relationships as text.

The 涉密 gate (parsers.gate.sheets) and the reader (parsers.xlsx.package) both find parts here, so the
gate scans exactly the parts the reader reads.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from parsers.safety.xmlscan import TAG_ATTRS

_NS = r"(?:[\w.-]+:)?"
# An attribute name starts only where a name cannot continue: retried inside a long word, the search
# would be quadratic in its length (20,000 letters took 10 s).
_ATTR = re.compile(r"(?<![\w:.-])([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# A quoted value may hold '>' (legal XML, and a sheet may be named "A>B"); see parsers.safety.xmlscan.
_SHEET = re.compile(rf"<{_NS}sheet\b{TAG_ATTRS}>")
_RELATION = re.compile(rf"<{_NS}Relationship\b{TAG_ATTRS}>")
_OVERRIDE = re.compile(rf"<{_NS}Override\b{TAG_ATTRS}>")
_WORKBOOK_TYPE = re.compile(r"(?:spreadsheetml|ms-excel)\.(?:sheet|template)[\w.]*\.main\+xml$")
USUAL_WORKBOOK = "xl/workbook.xml"


@dataclass(frozen=True)
class Relation:
    """One relationship of the workbook part: its type (a URI) and the part it points at."""

    type: str
    part: str


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as workbook.xml lists it; ``relation`` is None when its r:id names no relationship."""

    name: str
    rid: str | None
    relation: Relation | None


@dataclass(frozen=True)
class WorkbookMap:
    """Where a package keeps its workbook part, that part's text, its relationships and its sheets."""

    workbook: str
    xml: str
    relations: dict[str, Relation]
    sheets: list[SheetEntry]

    def related(self, kind: str) -> str:
        """The part related as ``kind`` (sharedStrings, styles…), else its usual name beside the workbook part."""
        usual = posixpath.join(posixpath.dirname(self.workbook), kind + ".xml")
        return next((r.part for r in self.relations.values() if r.type.endswith("/" + kind)), usual)


def map_workbook(read: Callable[[str], str | None], members: set[str] | dict) -> WorkbookMap:
    """The gate and the reader both find a workbook's parts here; ``read`` gives a part's text (None if absent)."""
    workbook = workbook_part(read("[Content_Types].xml") or "", members)
    xml = read(workbook) or ""
    rels = relations(read(rels_part(workbook)) or "", posixpath.dirname(workbook))
    return WorkbookMap(workbook, xml, rels, sheet_entries(xml, rels))


def workbook_part(content_types_xml: str, members: set[str] | dict) -> str:
    """The part [Content_Types].xml declares as the workbook (as openpyxl finds it), else the usual name."""
    for attrs in _OVERRIDE.findall(content_types_xml):
        attr = attributes(attrs)
        part = attr.get("PartName", "").lstrip("/")
        if _WORKBOOK_TYPE.search(attr.get("ContentType", "")) and part in members:
            return part
    return USUAL_WORKBOOK


def rels_part(part: str) -> str:
    """Where a part's relationships are stored."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relations(rels_xml: str, base: str = "xl") -> dict[str, Relation]:
    """Relationship id → relation, targets resolved against the workbook part's folder ``base``."""
    found = {}
    for attrs in _RELATION.findall(rels_xml):
        attr = attributes(attrs)
        target = attr.get("Target", "").lstrip("/")
        # Some writers put the package path where a relative one belongs; take it as meant.
        part = target if target.startswith(base + "/") else posixpath.normpath(posixpath.join(base, target))
        found[attr.get("Id")] = Relation(attr.get("Type", ""), part)
    return found


def sheet_entries(workbook_xml: str, rels: dict[str, Relation]) -> list[SheetEntry]:
    """The sheets of workbook.xml in tab order, each with its relationship."""
    entries = []
    for attrs in _SHEET.findall(workbook_xml):
        attr = attributes(attrs)
        rid = next((v for k, v in attr.items() if k.endswith(":id")), None)
        entries.append(SheetEntry(attribute_value(attr.get("name", "")), rid, rels.get(rid)))
    return entries


def attributes(text: str) -> dict[str, str]:
    """The attributes of a tag's text, double- or single-quoted, values as written (see attribute_value)."""
    return {name: double or single for name, double, single in _ATTR.findall(text)}


def attribute_value(raw: str) -> str:
    """An attribute's value as an XML parser reports it: literal tabs and line breaks become spaces, references resolve."""
    return html.unescape(re.sub(r"[\t\n\r]", " ", raw))
