"""Which part of an .xlsx package holds which sheet, read from workbook.xml and its relationships as text."""

from __future__ import annotations

import html
import posixpath
import re

_NS = r"(?:[\w.-]+:)?"
ATTR = re.compile(r"([\w:.-]+)\s*=\s*\"([^\"]*)\"")
_SHEET = re.compile(rf"<{_NS}sheet\b([^>]*)>")
_RELATION = re.compile(rf"<{_NS}Relationship\b([^>]*)>")


def sheet_parts(workbook_xml: str, rels_xml: str, limit: int | None = None) -> list[tuple[str, str]]:
    """(sheet name, part name) in tab order; the part is '' when the relationship cannot be followed."""
    targets = {}
    for attrs in _RELATION.findall(rels_xml):
        attr = dict(ATTR.findall(attrs))
        target = attr.get("Target", "").lstrip("/")
        targets[attr.get("Id")] = target if target.startswith("xl/") else posixpath.normpath("xl/" + target)
    sheets = []
    for attrs in _SHEET.findall(workbook_xml)[:limit]:
        attr = dict(ATTR.findall(attrs))
        rid = next((v for k, v in attr.items() if k.endswith(":id")), None)
        sheets.append((attribute_value(attr.get("name", "")), targets.get(rid, "")))
    return sheets


def attribute_value(raw: str) -> str:
    """An attribute's value as an XML parser reports it: literal tabs and line breaks become spaces, references resolve."""
    return html.unescape(re.sub(r"[\t\n\r]", " ", raw))
