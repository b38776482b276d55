"""Markings inside an attachment: docx and xlsx read as raw XML in memory, cheapest parts first; .xls as its reader reads it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from parsers.errors import UnreadableFile
from parsers.gate import sheets as marking_sheets
from parsers.gate.ooxml import (
    HostilePart,
    cut_short,
    names,
    open_package,
    oversized,
    paragraphs,
    read_bytes,
    read_head,
    start_budget,
    unescape,
)
from parsers.gate.rules import Marking, deep_verdict, first_of, found, head_line_verdict, prose_verdict, title_verdict
from parsers.gate.terms import MarkingTerms
from parsers.safety.cfb import OLE_MAGIC
from parsers.safety.guard import check_zip
from parsers.safety.limits import DEFAULT_LIMITS, Limits
from parsers.safety.xmlscan import elements, texts, without
from parsers.xlsx.parts import attributes, relations

# (parts, rule, place) for the small parts of a docx that sit around the body.
_DOCX_EDGES = (
    (r"word/header\d*\.xml", "marking-in-document-header", "页眉"),
    (r"word/footer\d*\.xml", "marking-in-document-footer", "页脚"),
)
_DOCX_NOTES = r"word/(?:footnotes|endnotes|comments)\d*\.xml"
# Parts read on purpose above or in parsers.gate.sheets; every other text part is read by _other_parts.
_READ_ON_PURPOSE = re.compile(
    r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\d*\.xml|docProps/(?:core|custom)\.xml"
    r"|xl/(?:workbook|sharedStrings|worksheets/sheet\d+|comments\d*|comments/comment\d+|threadedComments/threadedComment\d+)\.xml"
    r"|\[Content_Types\]\.xml|(?:.*/)?_rels/.*\.rels"
    # Themes, styles and settings: their text is in attributes no reader shows (and they are the largest parts).
    r"|(?:xl|word)/(?:theme/theme\d+|styles)\.xml|word/(?:fontTable|settings|webSettings|stylesWithEffects)\.xml"
)


def scan_document(number: int | str, data: bytes, terms: MarkingTerms, *, depth: int = 0,
                  limits: Limits | None = None) -> Iterator[Marking]:
    """Markings in the ``number``-th attachment (1-based); nothing for what no reader reads (.doc, PDF…)."""
    limits = limits or DEFAULT_LIMITS
    if data.startswith(OLE_MAGIC):
        from parsers.gate.xls import scan_xls  # calamine is loaded only when an OLE file comes

        yield from scan_xls(number, data, terms, limits)
        return
    package = open_package(data, terms)
    if package is None:
        return
    with package:
        start_budget(package, terms)
        try:
            for hit in _scan_package(package, number, terms, depth, lambda: read_by_parsers(data, limits)):
                if hit is not None:
                    yield hit
        except HostilePart as exc:
            if exc.refused:
                # The parsers' guard refuses the whole file before any reader opens it: nothing of it is read
                # or kept, and the sender is asked to re-save it.
                return
            # A DTD the guard would not see: we cannot tell what the part says without expanding it.
            yield Marking(rule="unclear-hostile-document", certain=False, place=place(number, "文件结构"))


def place(number: int | str, where: str) -> str:
    """A place inside an attachment, named by position only (its filename is content too)."""
    return f"第{number}个附件的{where}"


def read_by_parsers(data: bytes, limits: Limits) -> bool:
    """Whether the parsers would read this package at all (parsers.read refuses it whole otherwise)."""
    if len(data) > limits.max_bytes:
        return False
    try:
        check_zip(data, limits)
    except UnreadableFile:
        return False
    return True


def _scan_package(package: zipfile.ZipFile, number: int | str, terms: MarkingTerms, depth: int,
                  read_by_parsers) -> Iterator[Marking | None]:
    members = set(package.namelist())
    office = "word/document.xml" in members or "xl/workbook.xml" in members
    if office and oversized(package, terms) and read_by_parsers():
        # The readers would read what the gate did not: a person looks (a bigger max_part_bytes reads it).
        yield Marking(rule="unclear-beyond-extent", certain=False, place=place(number, "超出检查范围的部分"))
    if len(members) > terms.max_entries:
        return
    if "word/document.xml" in members:
        yield _properties(package, number, terms)
        yield from _docx(package, number, terms)
        yield from _other_parts(package, number, terms)
    elif "xl/workbook.xml" in members:
        yield _properties(package, number, terms)
        yield from marking_sheets.scan_workbook(package, number, terms)
        yield from _other_parts(package, number, terms)
    elif depth == 0:
        yield from _archive(package, number, terms)
    if office and cut_short(package) and read_by_parsers():
        # The parts together inflate past max_inflate_bytes: what the budget left unread goes to a person.
        yield Marking(rule="unclear-beyond-extent", certain=False, place=place(number, "超出检查范围的部分"))


def _archive(package: zipfile.ZipFile, number: int | str, terms: MarkingTerms) -> Iterator[Marking | None]:
    # A plain zip of forms: the gate runs before unpacking, so it looks one level in, within the same bounds.
    files = [info for info in package.infolist() if not info.is_dir()][: terms.max_parts]
    for m, info in enumerate(files, 1):
        stem = member_name(info).rsplit("/", 1)[-1].rsplit(".", 1)[0]
        verdict = title_verdict(stem, terms, unclear_leftover=True)
        yield found(verdict, "marking-in-filename", place(number, f"压缩包内第{m}个文件的文件名"), "unclear-label-in-filename")
    budget = terms.max_inflate_bytes  # for all members together, so a zip of bombs stays bounded
    for m, info in enumerate(files, 1):
        data = read_bytes(package, info.filename, budget)
        if data:
            budget -= len(data)
            yield from scan_document(f"{number}个附件压缩包内第{m}", data, terms, depth=1)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; names zipped on Chinese Windows are GBK bytes that zipfile took for cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _properties(package: zipfile.ZipFile, number: int, terms: MarkingTerms) -> Marking | None:
    lines = []
    core = read_head(package, "docProps/core.xml", terms) or ""
    lines += [unescape(text).strip() for text in texts(core)]
    custom = read_head(package, "docProps/custom.xml", terms) or ""
    # A custom property such as 密级 = 秘密 becomes the line "密级:秘密" for the field pattern.
    named = ((attributes(attrs).get("name"), value) for attrs, value in elements(custom, "property"))
    lines += [f"{unescape(name)}:{_plain(value)}" for name, value in named if name is not None]
    verdict = first_of([line for line in lines if line], title_verdict, terms)
    return found(verdict, "marking-in-properties", place(number, "文档属性"))


def _plain(xml: str) -> str:
    return unescape(" ".join(texts(xml))).strip()


def main_document(package: zipfile.ZipFile, terms: MarkingTerms) -> str:
    """The part python-docx reads as the document: the package's officeDocument relationship, else the usual name."""
    rels = relations(read_head(package, "_rels/.rels", terms) or "", "")
    part = next((r.part for r in rels.values() if r.type.endswith("/officeDocument")), "")
    return part if part in package.NameToInfo else "word/document.xml"


def _docx(package: zipfile.ZipFile, number: int, terms: MarkingTerms) -> Iterator[Marking | None]:
    for pattern, rule, where in _DOCX_EDGES:
        for name in names(package, pattern, terms):
            lines = paragraphs(read_head(package, name, terms) or "")
            yield found(first_of(lines, head_line_verdict, terms), rule, place(number, where))
    xml = read_head(package, main_document(package, terms), terms) or ""
    lines = paragraphs(xml)
    head = lines[: terms.document_head_lines]
    yield found(first_of(head, head_line_verdict, terms), "marking-in-document", place(number, "正文开头"))
    # Past the head a ★ marking still refuses and a paragraph shaped like a label goes to a person; in a
    # table cell a bare 秘密 is a value, so there only a bracketed or suffixed label does.
    yield found(deep_verdict("\n".join(lines), terms, cells=True), "marking-in-document", place(number, "正文"), "unclear-label-in-document")
    outside = paragraphs(without(xml, "tbl"))
    yield found(deep_verdict("\n".join(outside), terms), "marking-in-document", place(number, "正文"), "unclear-label-in-document")
    for name in names(package, _DOCX_NOTES, terms):
        text = "\n".join(paragraphs(read_head(package, name, terms) or ""))
        yield found(deep_verdict(text, terms), "marking-in-document-notes", place(number, "脚注或批注"), "unclear-label-in-document-notes")


def _other_parts(package: zipfile.ZipFile, number: int | str, terms: MarkingTerms) -> Iterator[Marking | None]:
    """Every other XML part (text boxes, charts, glossary, app properties…): the text a copy of the file carries."""
    for info in package.infolist():
        name = info.filename
        if not name.lower().endswith((".xml", ".vml")) or _READ_ON_PURPOSE.fullmatch(name):
            continue
        xml = read_head(package, name, terms) or ""
        # Text nodes of unknown parts are not lines a person reads as such: only an unmistakable marking counts.
        yield found(prose_verdict(unescape("\n".join(texts(xml))), terms), "marking-in-document-parts", place(number, "其他部件"))
