"""Chinese text out of mail headers and parameters: encoded words, RFC 2231, raw 8-bit GBK, GB2312 that is really GBK."""

from __future__ import annotations

import base64
import binascii
import quopri
import re

# Senders label GBK (and GB18030) text as GB2312 all the time; GB18030 is a superset of all of them.
GB_FAMILY = {"gb2312", "gbk", "cp936", "x-gbk", "gb_2312-80", "gb_2312", "csgb2312", "euc-cn", "x-euc-cn",
             "ms936", "windows-936", "chinese", "gb18030", "gb-18030"}
ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
BETWEEN_WORDS = re.compile(r"[ \t\r\n]*")


def normalise_charset(name: str | None) -> str | None:
    """A codec name Python knows, with the GB family mapped to gb18030 (None stays None)."""
    if not name:
        return None
    name = name.strip().strip('"').split("*", 1)[0].lower()
    return "gb18030" if name in GB_FAMILY else name


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes: the declared charset, else UTF-8, else GB18030 (never raises)."""
    for codec in (normalise_charset(charset), "utf-8", "gb18030"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (ValueError, LookupError):  # ValueError: undecodable bytes, or a NUL inside the charset's name
            continue
    return data.decode("gb18030", "replace")


def recover_raw(value: str) -> str:
    """Undo surrogateescape: raw 8-bit header bytes (Tencent sends GBK unencoded) read as UTF-8, else GB18030."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"))


def decode_word(encoding: str, text: str) -> bytes:
    """The bytes of one encoded word's payload (B or Q), tolerant of missing padding."""
    if encoding.lower() == "b":
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            return text.encode("ascii", "replace")
    return quopri.decodestring(text.replace("_", " ").encode("ascii", "replace"), header=False)


def decode_header_text(value: object) -> str:
    """A header or server text as Unicode: raw bytes recovered, encoded words joined per charset, then decoded."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return decode_bytes(value)
    text = recover_raw(str(value))
    pieces: list[tuple[str | None, bytes | str]] = []
    position = 0
    for match in ENCODED_WORD.finditer(text):
        gap = text[position:match.start()]
        # Whitespace between two encoded words is not text (RFC 2047 6.2).
        if gap and not (pieces and pieces[-1][0] and BETWEEN_WORDS.fullmatch(gap)):
            pieces.append((None, gap))
        charset = normalise_charset(match.group(1)) or "ascii"
        data = decode_word(match.group(2), match.group(3))
        if pieces and pieces[-1][0] == charset:
            # Join the bytes first: a GB2312 character may be split across two words.
            pieces[-1] = (charset, pieces[-1][1] + data)
        else:
            pieces.append((charset, data))
        position = match.end()
    pieces.append((None, text[position:]))
    return "".join(part if charset is None else decode_bytes(part, charset) for charset, part in pieces)


def decode_param(value: str | tuple | None) -> str | None:
    """A MIME parameter from compat32 ``get_param``: RFC 2231 (charset, lang, octets) or a plain/encoded-word string."""
    if value is None:
        return None
    if isinstance(value, tuple):
        charset, _language, octets = value
        # compat32 joins the sections' octets as latin-1 before decoding, so a GBK character split across
        # filename*0* and filename*1* comes back whole here.
        raw = octets.strip('"').encode("latin-1", "surrogateescape")
        return decode_header_text(decode_bytes(raw, charset))
    return decode_header_text(value.strip().strip('"'))


def clean_filename(name: str | None) -> str | None:
    """A safe display name: no directories, no control characters, no surrounding blanks."""
    if not name:
        return None
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name or None
