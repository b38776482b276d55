"""Which part of an .xlsx package holds which sheet, read from workbook.xml and its relationships as text."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

_NS = r"(?:[\w.-]+:)?"
ATTR = re.compile(r"([\w:.-]+)\s*=\s*\"([^\"]*)\"")
_SHEET = re.compile(rf"<{_NS}sheet\b([^>]*)>")
_RELATION = re.compile(rf"<{_NS}Relationship\b([^>]*)>")


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


def relations(rels_xml: str, base: str = "xl") -> dict[str, Relation]:
    """Relationship id → relation, targets resolved against the workbook part's folder ``base``."""
    found = {}
    for attrs in _RELATION.findall(rels_xml):
        attr = dict(ATTR.findall(attrs))
        target = attr.get("Target", "").lstrip("/")
        # Some writers put the package path where a relative one belongs; take it as meant.
        part = target if target.startswith(base + "/") else posixpath.normpath(posixpath.join(base, target))
        found[attr.get("Id")] = Relation(attr.get("Type", ""), part)
    return found


def sheet_entries(workbook_xml: str, rels: dict[str, Relation], limit: int | None = None) -> list[SheetEntry]:
    """The sheets of workbook.xml in tab order, each with its relationship."""
    entries = []
    for attrs in _SHEET.findall(workbook_xml)[:limit]:
        attr = dict(ATTR.findall(attrs))
        rid = next((v for k, v in attr.items() if k.endswith(":id")), None)
        entries.append(SheetEntry(attribute_value(attr.get("name", "")), rid, rels.get(rid)))
    return entries


def sheet_parts(workbook_xml: str, rels_xml: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(sheet name, part name) in tab order; the part is '' when the relationship cannot be followed."""
    entries = sheet_entries(workbook_xml, relations(rels_xml), limit)
    return [(e.name, e.relation.part if e.relation else "") for e in entries]


def attribute_value(raw: str) -> str:
    """An attribute's value as an XML parser reports it: literal tabs and line breaks become spaces, references resolve."""
    return html.unescape(re.sub(r"[\t\n\r]", " ", raw))
