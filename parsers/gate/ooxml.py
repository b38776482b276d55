"""OOXML parts read in memory and bounded: no disk, no DTD, no entity expansion, no unbounded inflation."""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
import zlib

from parsers.gate.terms import MarkingTerms
from parsers.safety.guard import BINARY, declares_dtd, guards_part

ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 65_536
_DOCTYPE = re.compile(rb"<!\s*DOCTYPE", re.IGNORECASE)
# Everything a damaged or hostile member can raise while being inflated.
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError)
# Text runs of WordprocessingML and DrawingML (<w:t>, <a:t>), paragraph edges, tabs and breaks.
_RUN = re.compile(
    r"<(?:[\w.-]+:)?t(?:\s[^<>]*)?>([^<]*)</(?:[\w.-]+:)?t>"
    r"|<(/?)(?:[\w.-]+:)?p(?=[\s>/])"
    r"|<(?:[\w.-]+:)?(br|cr)(?=[\s>/])"
    r"|<(?:[\w.-]+:)?tab(?=[\s>/])"
)
# What well-formed XML lets stand after '&': a character reference or a predefined entity. Eight digits
# reach past U+10FFFF; a longer reference (leading zeros) takes the slow path, so cached keys stay short.
_REFERENCE = re.compile(r"(&(?:#[0-9]{1,8}|#x[0-9a-fA-F]{1,8}|lt|gt|amp|quot|apos);)")


class HostilePart(Exception):
    """A part carries a DTD: we refuse to read it at all (billion laughs, external entities).

    ``refused`` says the parsers' zip guard refuses the whole file for it too, so no reader ever opens it.
    """

    def __init__(self, refused: bool = False) -> None:
        super().__init__()
        self.refused = refused


def open_package(data: bytes, terms: MarkingTerms) -> zipfile.ZipFile | None:
    """The zip behind an OOXML file, or None when it is no zip or a broken one (the caller bounds its members)."""
    if not data.startswith(ZIP_MAGIC):
        return None  # OLE (.doc/.xls/.et, encrypted OOXML) or anything else: see parsers.gate.docs
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def oversized(package: zipfile.ZipFile, terms: MarkingTerms) -> bool:
    """Whether the gate cannot read all of the package: too many members, or a text part past ``max_part_bytes``.

    A member's declared size bounds what zipfile will ever inflate from it, so it can be trusted here.
    """
    infos = package.infolist()
    if len(infos) > terms.max_entries:
        return True
    return any(info.file_size > terms.max_part_bytes and not info.filename.lower().endswith(BINARY) for info in infos)


def names(package: zipfile.ZipFile, pattern: str, terms: MarkingTerms) -> list[str]:
    """Member names matching a regex, in natural order (sheet2 before sheet10), at most ``max_parts``."""
    rx = re.compile(pattern)
    found = [n for n in package.namelist() if rx.fullmatch(n)]
    return sorted(found, key=lambda n: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", n)])[: terms.max_parts]


def read_head(package: zipfile.ZipFile, name: str, terms: MarkingTerms) -> str | None:
    """The first ``max_part_bytes`` of a member as text; None if it is missing or unreadable."""
    return head_text(read_raw(package, name, terms), name)


def start_budget(package: zipfile.ZipFile, terms: MarkingTerms) -> None:
    """Bound what the gate inflates from this package in all: ``max_inflate_bytes``, whatever its parts declare."""
    package.gate_left, package.gate_short = terms.max_inflate_bytes, False


def cut_short(package: zipfile.ZipFile) -> bool:
    """Whether the budget stopped a read before the end of a part (so something went unread)."""
    return getattr(package, "gate_short", False)


def _spend(package: zipfile.ZipFile, name: str, read: int, complete: bool) -> None:
    if hasattr(package, "gate_left"):
        package.gate_left -= read
        package.gate_short = package.gate_short or not complete


def _allowance(package: zipfile.ZipFile, limit: int) -> int:
    return max(0, min(limit, getattr(package, "gate_left", limit)))


def read_raw(package: zipfile.ZipFile, name: str, terms: MarkingTerms) -> bytes | None:
    """The first ``max_part_bytes`` of a member (less once the package's budget runs low), undecoded; None if unreadable."""
    limit = _allowance(package, terms.max_part_bytes)
    try:
        with package.open(name) as stream:
            data = stream.read(limit)
    except (KeyError, *_READ_ERRORS):
        return None
    # A part longer than max_part_bytes is oversized(); here only the budget can have cut it short.
    _spend(package, name, len(data), limit == terms.max_part_bytes or len(data) >= package.getinfo(name).file_size)
    return data


def head_text(raw: bytes | None, name: str | None = None) -> str | None:
    """What read_head says of the bytes read_raw returned for part ``name`` (HostilePart for a DTD)."""
    return None if raw is None else _text(raw, name=name)


def read_bytes(package: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """A whole member of a plain zip, or None when it is unreadable or inflates past ``limit`` bytes."""
    try:
        with package.open(name) as stream:
            data = stream.read(limit + 1)
    except _READ_ERRORS:
        return None
    return data if len(data) <= limit else None


def read_tail(package: zipfile.ZipFile, name: str, terms: MarkingTerms, *, head: bytes | None = None) -> str | None:
    """The last ``tail_bytes`` of a member, inflating at most ``max_inflate_bytes`` to get there.

    ``head`` is what read_raw gave for the member: when that is the whole of it, the tail is cut from it.
    """
    if head is not None and len(head) < terms.max_part_bytes and len(head) < terms.max_inflate_bytes:
        # A short read means read_raw reached the end (zipfile checked the CRC there): inflating again adds nothing.
        return _text(head[-terms.tail_bytes :], check_doctype=False)
    tail, total, limit = b"", 0, _allowance(package, terms.max_inflate_bytes)
    try:
        with package.open(name) as stream:
            while total < limit and (chunk := stream.read(_CHUNK)):
                total += len(chunk)
                tail = (tail + chunk)[-terms.tail_bytes :]
    except (KeyError, *_READ_ERRORS):  # KeyError: a relationship names a part the zip lacks
        return None
    _spend(package, name, total, limit == terms.max_inflate_bytes or total >= package.getinfo(name).file_size)
    return _text(tail, check_doctype=False)


def _text(raw: bytes, check_doctype: bool = True, name: str | None = None) -> str:
    # A DTD can only stand before the root element, so the head of a part is where to look for one.
    if check_doctype and _DOCTYPE.search(raw[:_CHUNK]):
        raise HostilePart(refused=name is not None and guards_part(name) and declares_dtd(raw[:_CHUNK]))
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8", errors="replace")


def unescape(text: str) -> str:
    """Character references and entities, read exactly as html.unescape reads them, quickly for well-formed XML."""
    if "&" not in text:
        return text
    try:
        return _unescape(text)
    except ValueError:
        # A reference of thousands of digits exceeds int()'s limit: no character, so leave the text as written.
        return text


def _unescape(text: str) -> str:
    # openpyxl writes CJK in inline strings as &#20248; …: split once, then look each reference up.
    parts = _REFERENCE.split(text)
    refs = parts[1::2]
    if len(refs) != text.count("&"):
        # A damaged part ('&nbsp;', '&#31192' without ';'): read as leniently as ever, so a marking
        # spelt that way is still seen.
        return html.unescape(text)
    parts[1::2] = map(_reference, refs)
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _reference(ref: str) -> str:
    # html.unescape has always decided what a number stands for (&#0; is U+FFFD, &#128; is €): keep its answer.
    return html.unescape(ref)


def paragraphs(xml: str) -> list[str]:
    """The text of each paragraph (table cells, text boxes, headers alike), in document order, blanks dropped."""
    lines, current = [], []
    for match in _RUN.finditer(xml):
        if match.group(1) is not None:
            current.append(match.group(1))
        elif match.group(2) is not None or match.group(3):
            lines.append("".join(current))
            current = []
        else:
            current.append(" ")
    lines.append("".join(current))
    return [line for line in (unescape(x).strip() for x in lines) if line]
