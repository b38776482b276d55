"""Text helpers: the tolerant key used to compare headers, and splitting a cell into listed items."""

from __future__ import annotations

import functools
import re
import unicodedata

_DROP = re.compile(r"[\s\u200b\u200c\u200d\ufeff*:：]+")
# The notice itself prints both 精减 and 精简; senders mix them freely, so headers compare them as one.
# Quote marks in any style (straight, curly, corner brackets) compare as one: "两优", “两优” and 「两优」 are one header.
_FOLD = str.maketrans({"简": "减", **{q: '"' for q in "'‘’“”„‟「」『』"}})
_PLACEHOLDER = re.compile(r"^[.．。…⋯·\s]*[.…⋯][.．。…⋯·\s]*$")
# C0/C1 control characters other than tab and line breaks: invisible, and they break terminals and mail.
# XML cannot hold C0 controls, so OOXML writes them as _xHHHH_, which openpyxl leaves as it is.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|_x00(?:0[0-8bBcCe-fE-F]|1[0-9a-fA-F]|7[fF])_")
_ITEM_SPLIT = re.compile(r"[、，,；;\n\r/]+|(?:^|\s)\(?\d+[.)、．）]\s*|[①-⑳]")


def clean(value: object) -> str:
    """The display text of a cell: NFKC-normalised, stripped, '' for None."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", strip_controls(str(value)))
    return text.replace("\u3000", " ").strip()


def strip_controls(text: str) -> str:
    """``text`` without control characters (a sheet name or cell can carry BEL, ESC, DEL …)."""
    return _CONTROLS.sub("", text)


@functools.lru_cache(maxsize=8192)
def _key(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text).replace("\u3000", " ").strip()).lower().translate(_FOLD)


def key(text: object) -> str:
    """A comparison key tolerant of spaces, line breaks, full/half width, quote styles and 精减/精简."""
    return _key("" if text is None else str(text))


def is_placeholder(text: str) -> bool:
    """Whether a cell holds only the template's "..." placeholder."""
    return bool(_PLACEHOLDER.match(text))


@functools.lru_cache(maxsize=4096)
def _items(text: str) -> tuple[str, ...]:
    parts = (p.strip(" .。") for p in _ITEM_SPLIT.split(text) if p)
    return tuple(p for p in parts if p and p != "无" and not p.isdigit())


def items(text: str) -> list[str]:
    """The items listed in a cell ("1.申请表 2.身份证", "申请表、身份证"), stripped, empties dropped."""
    if not text or text in ("无", "/", "-", "—"):
        return []
    return list(_items(text))
