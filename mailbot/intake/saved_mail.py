"""A saved message read the way the IMAP intake fetches one: big parts left out before anything is decoded.

The worker never downloads a photo, a video or a part over ``max_part_bytes`` of a message over
``fetch_whole_below`` (mailbot.mail.imap_fetch): it fetches the rest and marks what it left (mailbot.mail.imap_parts).
`mailbot process FILE.eml` must give the robot's verdict with the robot's limits, so the file is walked in place
(read in small chunks, never whole) and rebuilt the same way, with the same marker on every part left out.
"""

from __future__ import annotations

from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from typing import BinaryIO

from mailbot.mail.imap_parts import SKIPPED_TYPES, mark_omitted

CHUNK = 1024 * 1024
HEADER_WINDOW = 1024 * 1024  # a header block longer than this has no body worth reading
MAX_NESTING = 8  # as parsers.mail.decode: deeper is hostile or broken, and is kept or left out whole


class FileSource:
    """A file read in chunks: ``find`` and ``slice`` like bytes, with at most CHUNK bytes in memory for a search."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle, self.size = handle, size

    def __len__(self) -> int:
        return self.size

    def slice(self, start: int, end: int) -> bytes:
        """The bytes in [start, end)."""
        self.handle.seek(start)
        return self.handle.read(max(end - start, 0))

    def find(self, needle: bytes, start: int, end: int) -> int:
        """The first index of ``needle`` in [start, end), or -1."""
        overlap = len(needle) - 1
        at = start
        while at < end:
            chunk = self.slice(at, min(at + CHUNK, end))
            found = chunk.find(needle)
            if found >= 0:
                return at + found
            if at + len(chunk) >= end:
                return -1
            at += len(chunk) - overlap
        return -1


class BytesSource:
    """Bytes behind the same interface (tests, and files small enough to read whole)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __len__(self) -> int:
        return len(self.data)

    def slice(self, start: int, end: int) -> bytes:
        """The bytes in [start, end)."""
        return self.data[start:end]

    def find(self, needle: bytes, start: int, end: int) -> int:
        """The first index of ``needle`` in [start, end), or -1."""
        return self.data.find(needle, start, end)


def read_saved_message(path: str | Path, *, whole_below: int, max_part_bytes: int) -> bytes:
    """The message bytes the worker would have fetched: whole below ``whole_below``, else without its big parts."""
    path = Path(path)
    size = path.stat().st_size
    if size < whole_below:
        return path.read_bytes()
    with path.open("rb") as handle:
        return trim(FileSource(handle, size), max_part_bytes=max_part_bytes)


def trim(source, *, max_part_bytes: int) -> bytes:
    """Rebuild a message from ``source`` without the bodies a partial IMAP fetch leaves on the server."""
    return b"".join(_entity(source, 0, len(source), max_part_bytes, 0))


def _entity(source, start: int, end: int, limit: int, depth: int) -> list[bytes]:
    body = _body_start(source, start, end)
    head = source.slice(start, body)
    fields = BytesHeaderParser(policy=compat32).parsebytes(head)
    kind = fields.get_content_type()
    boundary = fields.get_param("boundary") if fields.get_content_maintype() == "multipart" else None
    encoding = str(fields.get("Content-Transfer-Encoding", "")).strip().lower()
    if depth < MAX_NESTING and isinstance(boundary, str) and boundary:
        parts = _split(source, body, end, boundary.encode("ascii", "surrogateescape"))
        if parts:
            delimiter = b"--" + boundary.encode("ascii", "surrogateescape")
            chunks = [head]
            for part_start, part_end in parts:
                chunks += [delimiter + b"\r\n", *_entity(source, part_start, part_end, limit, depth + 1), b"\r\n"]
            return [*chunks, delimiter + b"--\r\n"]
    if depth < MAX_NESTING and kind in ("message/rfc822", "message/global") and encoding not in ("base64", "quoted-printable"):
        return [head, *_entity(source, body, end, limit, depth + 1)]
    size = end - body
    if kind.split("/", 1)[0].encode() in SKIPPED_TYPES or size > limit:
        return [mark_omitted(head, size)]
    return [head, source.slice(body, end)]


def _body_start(source, start: int, end: int) -> int:
    """Where the body begins: after the first empty line (a part may start with one: no headers at all)."""
    first = source.slice(start, min(start + 2, end))
    if first.startswith(b"\n"):
        return start + 1
    if first == b"\r\n":
        return start + 2
    window = min(end, start + HEADER_WINDOW)
    found = [(at, size) for at, size in ((source.find(b"\n\r\n", start, window), 3), (source.find(b"\n\n", start, window), 2)) if at >= 0]
    if not found:
        return end
    at, size = min(found)
    return at + size


def _split(source, start: int, end: int, boundary: bytes) -> list[tuple[int, int]]:
    """(start, end) of each body part between the delimiter lines of ``boundary`` (RFC 2046 5.1.1)."""
    delimiter = b"--" + boundary
    lines = []  # (where the delimiter line starts, where the next line starts, is it the closing one)
    at = start if source.slice(start, start + len(delimiter)) == delimiter else _next_delimiter(source, delimiter, start, end)
    while at >= 0:
        line_end = source.find(b"\n", at, end)
        after = end if line_end < 0 else line_end + 1
        rest = source.slice(at + len(delimiter), after).rstrip(b"\r\n \t")
        if rest in (b"", b"--"):
            lines.append((at, after, rest == b"--"))
            if rest == b"--":
                break
        at = _next_delimiter(source, delimiter, after - 1, end) if after < end else -1
    parts = []
    for (_, begin, closing), following in zip(lines, [*lines[1:], None]):
        if closing:
            break
        stop = following[0] if following else end
        parts.append((begin, _before_line_break(source, begin, stop)))
    return parts


def _next_delimiter(source, delimiter: bytes, start: int, end: int) -> int:
    found = source.find(b"\n" + delimiter, start, end)
    return found + 1 if found >= 0 else -1


def _before_line_break(source, begin: int, stop: int) -> int:
    # The line break before a delimiter belongs to the delimiter, not to the part.
    if stop > begin and source.slice(stop - 1, stop) == b"\n":
        stop -= 1
        if stop > begin and source.slice(stop - 1, stop) == b"\r":
            stop -= 1
    return stop
