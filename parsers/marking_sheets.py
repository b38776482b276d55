"""Markings in a workbook's sheets: names, title rows, header/footer and shared strings, from raw XML."""

from __future__ import annotations

import re
import zipfile
from typing import Iterator

from parsers.marking_ooxml import head_text, names, read_head, read_raw, read_tail, unescape
from parsers.marking_rules import Marking, cell_verdict, first_of, found, head_line_verdict, prose_verdict
from parsers.marking_terms import MarkingTerms
from parsers.xmlscan import elements, without
from parsers.workbook_parts import attributes, map_workbook

_NS = r"(?:[\w.-]+:)?"
_VALUE = re.compile(rf"<{_NS}v>([^<]*)</{_NS}v>")
_TEXT = re.compile(rf"<{_NS}t(?:\s[^<>]*)?>([^<]*)</{_NS}t>")
_HEADER_FOOTER = re.compile(rf"<{_NS}(?:odd|even|first)(?:Header|Footer)>([^<]*)<")
# Codes of a header/footer string: fonts &"宋体,常规", colours &K, sizes &12, page fields &P &N &D …
_HF_CODES = re.compile(r'&"[^"]*"|&K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3})|&\d+|&[A-Za-z]')


def scan_workbook(package: zipfile.ZipFile, number: int, terms: MarkingTerms) -> Iterator[Marking | None]:
    """Per sheet: its name, title rows, header/footer and inline strings; then the shared strings, for a ★ marking."""
    sheets, strings, listed = _locate(package, terms)
    shared = _shared_strings(package, strings, terms)
    for k, (sheet_name, part) in enumerate(sheets[: terms.max_parts], 1):
        where = f"第{number}个附件第{k}个工作表的"
        yield found(cell_verdict(sheet_name, terms), "marking-in-sheet-name", where + "名称", "unclear-label-in-sheet-name")
        raw = read_raw(package, part, terms)  # read once: the header/footer below is cut from it when it is whole
        head = head_text(raw, part) or ""
        rows = title_rows(head, shared, terms.sheet_title_rows)
        cells = [cell for row in rows for cell in row]
        yield found(first_of(cells, cell_verdict, terms), "marking-in-sheet-title", where + "标题行", "unclear-label-in-sheet-title")
        joined = [" ".join(row) for row in rows]  # 密级 | 秘密 in two cells is still a field
        yield found(first_of(joined, prose_verdict, terms), "marking-in-sheet-title", where + "标题行")
        lines = header_footer_lines(read_tail(package, part, terms, head=raw) or "")
        yield found(first_of(lines, head_line_verdict, terms), "marking-in-sheet-header", where + "页眉页脚")
        inline = unescape("\n".join(_TEXT.findall(head)))  # inline strings (openpyxl writes them) sit in the sheet
        yield found(prose_verdict(inline, terms), "marking-in-sheet-cells", f"第{number}个附件的表格内容")
    yield found(prose_verdict("\n".join(shared), terms), "marking-in-sheet-cells", f"第{number}个附件的表格内容")
    if listed > terms.max_parts:
        # The reader reads every sheet, so sheets the gate did not look at go to a person.
        yield Marking(rule="unclear-too-many-sheets", certain=False, place=f"第{number}个附件第{terms.max_parts + 1}个及以后的工作表")


def _locate(package: zipfile.ZipFile, terms: MarkingTerms) -> tuple[list[tuple[str, str]], str, int]:
    """(sheet name, part) in tab order, the shared strings part, and how many sheets the workbook lists."""
    found = map_workbook(lambda name: read_head(package, name, terms), package.NameToInfo)
    sheets = [(e.name, e.relation.part) for e in found.sheets if e.relation]
    if sheets and len(sheets) == len(found.sheets):
        return sheets, found.related("sharedStrings"), len(sheets)
    # Relationships we cannot follow: fall back to the usual part names, unnamed.
    fallback = [("", part) for part in names(package, r"xl/worksheets/sheet\d+\.xml", terms)]
    return fallback, found.related("sharedStrings"), len(found.sheets)


def _shared_strings(package: zipfile.ZipFile, part: str, terms: MarkingTerms) -> list[str]:
    xml = read_head(package, part, terms) or ""
    return [unescape("".join(_TEXT.findall(without(item, "rPh")))) for _, item in elements(xml, "si")]


def title_rows(xml: str, shared: list[str], count: int) -> list[list[str]]:
    """The non-blank cell texts of the first ``count`` rows of a sheet part."""
    rows = []
    # A generator: only the first rows are wanted, and a sheet part may hold a million.
    for seq, (attrs, body) in enumerate(elements(xml, "row"), 1):
        r = attributes(attrs).get("r", "")
        number = int(r) if r.isdigit() else seq
        if number > count:
            break
        rows.append([text for text in (_cell_text(a, b, shared) for a, b in elements(body, "c")) if text])
    return rows


def _cell_text(attrs: str, body: str, shared: list[str]) -> str:
    kind = attributes(attrs).get("t", "n")
    if kind == "inlineStr":
        return unescape("".join(_TEXT.findall(body))).strip()
    value = unescape("".join(_VALUE.findall(body))).strip()
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        return shared[index].strip() if 0 <= index < len(shared) else ""
    return value


def header_footer_lines(xml: str) -> list[str]:
    """Each section (&L, &C, &R) of each header and footer string, with the formatting codes removed."""
    lines = []
    for raw in _HEADER_FOOTER.findall(xml):
        text = unescape(raw).replace("&&", "\0")
        text = re.sub(r"&[LCR]", "\n", text)
        text = _HF_CODES.sub("", text).replace("\0", "&")
        lines += [line.strip() for line in text.splitlines() if line.strip()]
    return lines
