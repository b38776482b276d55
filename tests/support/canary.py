"""Canary strings for the 涉密 tests: plant one in classified content, then prove it went nowhere."""

from __future__ import annotations

import base64
import io
import quopri
import secrets
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def make_canary(prefix: str = "金丝雀") -> str:
    """A unique string (Chinese, so every charset matters) to plant next to a marking."""
    return f"{prefix}{secrets.token_hex(6)}"


def encodings(canary: str) -> list[bytes]:
    """The canary as it could be stored or sent: UTF-8, GB18030, UTF-16, base64 at each alignment, QP."""
    forms = [canary.encode(c) for c in ("utf-8", "gb18030", "utf-16-le", "utf-16-be")]
    for raw in forms[:2]:
        for shift in range(3):
            # base64 of a longer text holds the canary at one of three alignments; trim the edge characters.
            encoded = base64.b64encode(b"\0" * shift + raw)
            forms.append(encoded[4 if shift else 0 : -4])
        forms.append(quopri.encodestring(raw).replace(b"=\n", b"").rstrip(b"\n"))
    # XML character references, as openpyxl writes every non-ASCII character of a cell (&#37329;…).
    for template in ("&#{};", "&#x{:x};", "&#x{:X};"):
        forms.append("".join(template.format(ord(ch)) if ord(ch) > 127 else ch for ch in canary).encode("ascii"))
    return [form for form in forms if form]


def find_canary(canary: str, *places: Any) -> list[str]:
    """Where the canary shows up: in strings, bytes, files or directory trees (walked), or in an object's repr."""
    forms = encodings(canary)
    return [where for place in places for where in _search(place, canary, forms)]


def _search(place: Any, canary: str, forms: list[bytes]) -> Iterable[str]:
    if isinstance(place, Path):
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()]
        return [str(p) for p in files if _contains(p.read_bytes(), forms)]
    if isinstance(place, (bytes, bytearray)):
        return ["bytes"] if _contains(bytes(place), forms) else []
    text = place if isinstance(place, str) else repr(place)
    return [text[:40] + "…"] if canary in text else []


def _contains(data: bytes, forms: list[bytes], depth: int = 0) -> bool:
    # Mail wraps base64 and quoted-printable lines; join them again before looking.
    joined = data.replace(b"=\r\n", b"").replace(b"=\n", b"").replace(b"\r\n", b"").replace(b"\n", b"")
    if any(form in data or form in joined for form in forms):
        return True
    # A workbook or document (an export, an annotated copy) is a deflated zip: look inside its members.
    return depth < 3 and any(_contains(member, forms, depth + 1) for member in _members(data))


def _members(data: bytes) -> list[bytes]:
    if not data.startswith(b"PK\x03\x04"):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [archive.read(name) for name in archive.namelist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def every_row(engine) -> list[tuple[str, bytes]]:
    """(table, row as text) of every row of every table in the database, found by reflection (not the models)."""
    from sqlalchemy import MetaData, select

    metadata = MetaData()
    metadata.reflect(engine)
    found = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                found += [(table.name, bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else str(value).encode("utf-8")) for value in row]
    return found


def in_database(canary: str, engine) -> list[str]:
    """The tables whose rows hold the canary, in any encoding (bytes columns included, zips opened)."""
    forms = encodings(canary)
    return sorted({table for table, value in every_row(engine) if _contains(value, forms)})
