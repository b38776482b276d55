"""Markings inside an attachment: docx and xlsx read as raw XML in memory, cheapest parts first."""

from __future__ import annotations

import zipfile
from typing import Iterator

from parsers import marking_sheets
from parsers.marking_ooxml import HostilePart, names, open_package, paragraphs, read_bytes, read_head, unescape
from parsers.marking_rules import Marking, first_of, found, head_line_verdict, prose_verdict, title_verdict
from parsers.marking_terms import MarkingTerms
from parsers.workbook_parts import attributes
from parsers.xmlscan import elements, texts

# (parts, rule, place) for the small parts of a docx that sit around the body.
_DOCX_EDGES = (
    (r"word/header\d*\.xml", "marking-in-document-header", "页眉"),
    (r"word/footer\d*\.xml", "marking-in-document-footer", "页脚"),
)
_DOCX_NOTES = r"word/(?:footnotes|endnotes|comments)\d*\.xml"


def scan_document(number: int | str, data: bytes, terms: MarkingTerms, *, depth: int = 0) -> Iterator[Marking]:
    """Markings in the ``number``-th attachment (1-based); nothing for what is no zip (OLE, PDF…)."""
    package = open_package(data, terms)
    if package is None:
        return
    with package:
        try:
            for hit in _scan_package(package, number, terms, depth):
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


def _scan_package(package: zipfile.ZipFile, number: int | str, terms: MarkingTerms, depth: int) -> Iterator[Marking | None]:
    members = set(package.namelist())
    if "word/document.xml" in members:
        yield _properties(package, number, terms)
        yield from _docx(package, number, terms)
    elif "xl/workbook.xml" in members:
        yield _properties(package, number, terms)
        yield from marking_sheets.scan_workbook(package, number, terms)
    elif depth == 0:
        yield from _archive(package, number, terms)


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


def _docx(package: zipfile.ZipFile, number: int, terms: MarkingTerms) -> Iterator[Marking | None]:
    for pattern, rule, where in _DOCX_EDGES:
        for name in names(package, pattern, terms):
            lines = paragraphs(read_head(package, name, terms) or "")
            yield found(first_of(lines, head_line_verdict, terms), rule, place(number, where))
    lines = paragraphs(read_head(package, "word/document.xml", terms) or "")
    head = lines[: terms.document_head_lines]
    yield found(first_of(head, head_line_verdict, terms), "marking-in-document", place(number, "正文开头"))
    yield found(prose_verdict("\n".join(lines), terms), "marking-in-document", place(number, "正文"))
    for name in names(package, _DOCX_NOTES, terms):
        text = "\n".join(paragraphs(read_head(package, name, terms) or ""))
        yield found(prose_verdict(text, terms), "marking-in-document-notes", place(number, "脚注或批注"))
