"""Canary strings for the 涉密 tests: plant one in classified content, then prove it went nowhere."""

from __future__ import annotations

import base64
import quopri
import secrets
from pathlib import Path
from typing import Any, Iterable


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


def _contains(data: bytes, forms: list[bytes]) -> bool:
    # Mail wraps base64 and quoted-printable lines; join them again before looking.
    joined = data.replace(b"=\r\n", b"").replace(b"=\n", b"").replace(b"\r\n", b"").replace(b"\n", b"")
    return any(form in data or form in joined for form in forms)
