"""Markings in a workbook's sheets: names, title rows, header/footer, every cell's text and comments, from raw XML."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from parsers.gate.ooxml import head_text, names, read_head, read_raw, read_tail, unescape
from parsers.gate.rules import Marking, cell_verdict, deep_verdict, first_of, found, head_line_verdict, prose_verdict
from parsers.gate.terms import MarkingTerms
from parsers.safety.xmlscan import elements, without
from parsers.xlsx.parts import attributes, map_workbook

_NS = r"(?:[\w.-]+:)?"
_VALUE = re.compile(rf"<{_NS}v>([^<]*)</{_NS}v>")
_TEXT = re.compile(rf"<{_NS}t(?:\s[^<>]*)?>([^<]*)</{_NS}t>")
# A formula's text: the reader reports it when Excel cached no value ("formula-no-value").
_FORMULA = re.compile(rf"<{_NS}f(?:\s[^<>]*)?>([^<]*)</{_NS}f>")
# Comments: legacy (xl/comments1.xml, openpyxl's xl/comments/comment1.xml) and threaded ones.
_COMMENT_TEXT = re.compile(rf"<{_NS}(t|text)(?:\s[^<>]*)?>([^<]*)</{_NS}\1>")
_COMMENTS = r"xl/(?:comments\d*|comments/comment\d+|threadedComments/threadedComment\d+)\.xml"
_HEADER_FOOTER = re.compile(rf"<{_NS}(?:odd|even|first)(?:Header|Footer)>([^<]*)<")
# Codes of a header/footer string: fonts &"宋体,常规", colours &K, sizes &12, page fields &P &N &D …
_HF_CODES = re.compile(r'&"[^"]*"|&K(?:[0-9A-Fa-f]{6}|\d\d[+-]\d{3})|&\d+|&[A-Za-z]')


def scan_workbook(package: zipfile.ZipFile, number: int, terms: MarkingTerms) -> Iterator[Marking | None]:
    """Per sheet: its name, title rows, header/footer and inline strings; then the shared strings, for a ★ marking."""
    sheets, strings, listed = _locate(package, terms)
    shared = _shared_strings(package, strings, terms)
    for k, (sheet_name, part) in enumerate(sheets[: terms.max_parts], 1):
        raw = read_raw(package, part, terms)  # read once: the header/footer below is cut from it when it is whole
        head = head_text(raw, part) or ""
        yield from judge_sheet(number, k, sheet_name, title_rows(head, shared, terms.sheet_title_rows), terms)
        lines = header_footer_lines(read_tail(package, part, terms, head=raw) or "")
        yield found(first_of(lines, head_line_verdict, terms), "marking-in-sheet-header", f"第{number}个附件第{k}个工作表的页眉页脚")
        yield judge_cells(number, cell_texts(head), terms)
    yield judge_cells(number, "\n".join(shared), terms)  # each shared string is some cell's whole text
    for name in names(package, _COMMENTS, terms):
        comments = comment_texts(read_head(package, name, terms) or "")
        yield found(deep_verdict(comments, terms), "marking-in-sheet-comments", f"第{number}个附件的批注", "unclear-label-in-sheet-comments")
    if listed > terms.max_parts:
        yield too_many_sheets(number, terms)


def judge_sheet(number: int | str, k: int, name: str, rows: list[list[str]], terms: MarkingTerms) -> Iterator[Marking | None]:
    """A sheet's name and its title rows (the non-blank cell texts of the first ``sheet_title_rows`` rows)."""
    where = f"第{number}个附件第{k}个工作表的"
    yield found(cell_verdict(name, terms), "marking-in-sheet-name", where + "名称", "unclear-label-in-sheet-name")
    cells = [cell for row in rows for cell in row]
    yield found(first_of(cells, cell_verdict, terms), "marking-in-sheet-title", where + "标题行", "unclear-label-in-sheet-title")
    joined = [" ".join(row) for row in rows]  # 密级 | 秘密 in two cells is still a field
    yield found(first_of(joined, prose_verdict, terms), "marking-in-sheet-title", where + "标题行")


def judge_cells(number: int | str, text: str, terms: MarkingTerms) -> Marking | None:
    """Cell texts, one per line, past the title rows: ★ refuses anywhere; a cell shaped like a label goes to a person."""
    return found(deep_verdict(text, terms, cells=True), "marking-in-sheet-cells", f"第{number}个附件的表格内容", "unclear-label-in-sheet-cells")


def too_many_sheets(number: int | str, terms: MarkingTerms) -> Marking:
    """The reader reads every sheet, so sheets the gate did not look at go to a person."""
    return Marking(rule="unclear-too-many-sheets", certain=False, place=f"第{number}个附件第{terms.max_parts + 1}个及以后的工作表")


def cell_texts(xml: str) -> str:
    """Every value a sheet part holds itself, one per line: cached values (formula results too), formulas, inline strings."""
    # Inline strings run by run (openpyxl writes one run a cell; Excel keeps rich text in the shared strings).
    return unescape("\n".join(_VALUE.findall(xml) + _FORMULA.findall(xml) + _TEXT.findall(xml)))


def comment_texts(xml: str) -> str:
    """Each comment's text (its rich runs joined), one comment after another."""
    comments = [body for _, body in elements(xml, "comment")] or [body for _, body in elements(xml, "threadedComment")]
    return unescape("\n".join("".join(m[1] for m in _COMMENT_TEXT.findall(body)) for body in comments))


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
