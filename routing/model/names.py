"""Unit names for matching: normalisation, a fuzzy score, and finding a unit named inside free text."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar


class Named(Protocol):
    """What matching reads of a unit (routing.model.roster.Unit): its official name and its aliases."""

    name: str
    aliases: tuple[str, ...]


class NamedSet(Protocol):
    """What matching reads of a roster (routing.model.roster.Roster): its units and its region prefixes."""

    units: tuple
    prefixes: tuple


Unit = TypeVar("Unit", bound=Named)  # matching returns the caller's own unit objects

# A fuzzy score below this is no match; two units closer than MARGIN are too close to call.
THRESHOLD = 0.8
MARGIN = 0.1
EXACT = 1.0
STEM_EXACT = 0.95
# A roster name found verbatim inside longer text (兴安盟教育局办公室).
CONTAINED = 0.85

# Labels a sender writes before the name on the 部门（单位）盖章 line (after punctuation is dropped).
_LABELS = ("部门单位盖章", "单位盖章", "部门盖章", "填报单位", "报送单位", "单位名称")
# Order matters: drop the party qualifiers, then shorten the long forms. Region prefixes (a 盟 written in full or
# short, a province dropped) belong to the campaign: Prefixes below, from its [names] table.
_REPLACEMENTS = (
    ("中国共产党", ""),
    ("中共", ""),
    ("人民政府", "政府"),
    ("委员会", "委"),
    ("共青团", "团"),
)
# (written in full, written short) pairs, e.g. (("内蒙古自治区", ""), ("兴安盟", "盟")); none by default.
Prefixes = tuple[tuple[str, str], ...]
_SEALS = ("盖章", "公章")
_BOUNDARY = "|"
_CJK = re.compile(r"[\u3400-\u9fff]")


def _is_noise(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PSZC"


def clean(text: str, boundary: str = "") -> str:
    """NFKC and case-fold; drop spaces, turn punctuation into ``boundary`` (dropped by default)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    out = [("" if ch.isspace() else boundary) if _is_noise(ch) else ch for ch in text]
    joined = "".join(out)
    if boundary:
        joined = re.sub(re.escape(boundary) + "+", boundary, joined)
    return joined


def _shorten(text: str, prefixes: Prefixes = ()) -> str:
    for old, new in (*_REPLACEMENTS, *prefixes):
        text = text.replace(old, new)
    return text


# Pure functions of strings, called for every roster unit on every match: cached (the roster is ~150 units).
@functools.lru_cache(maxsize=16384)
def canonical(name: str, prefixes: Prefixes = ()) -> str:
    """The comparable form of a unit name: 中共兴安盟委员会组织部 → 盟委组织部 (with prefix 兴安盟 → 盟)."""
    text = clean(name)
    text = _strip_labels(text)
    while text.endswith(_SEALS):
        text = text[:-2]
    return _shorten(text, prefixes)


def _strip_labels(text: str) -> str:
    for label in _LABELS:
        if text.startswith(label):
            return text[len(label):]
    return text


def stem(key: str, prefixes: Prefixes = ()) -> str:
    """A canonical name without its leading short region: 盟教育局 → 教育局 (兴安盟教育局 = 盟教育局 = 教育局)."""
    for _, short in prefixes:
        if short and key.startswith(short) and len(key) > len(short) + 1:
            return key[len(short):]
    return key


@functools.lru_cache(maxsize=65536)
def similarity(a: str, b: str, prefixes: Prefixes = ()) -> float:
    """Fuzzy score in [0, 1] of two canonical names, 1.0 only when equal."""
    if a == b:
        return EXACT
    if stem(a, prefixes) == stem(b, prefixes):
        return STEM_EXACT
    return difflib.SequenceMatcher(None, stem(a, prefixes), stem(b, prefixes), autojunk=False).ratio()


def unit_keys(unit: Unit, prefixes: Prefixes = ()) -> tuple[str, ...]:
    """The distinct canonical forms of a unit's name and aliases."""
    keys = dict.fromkeys(canonical(n, prefixes) for n in (unit.name, *unit.aliases))
    return tuple(k for k in keys if k)


def score_units(text: str, units: Iterable[Unit], prefixes: Prefixes = ()) -> list[tuple[Unit, float]]:
    """Every unit with its best score against ``text``, best first."""
    key = canonical(text, prefixes)
    if not key:
        return []
    scored = [(u, max((similarity(key, k, prefixes) for k in unit_keys(u, prefixes)), default=0.0)) for u in units]
    return sorted(scored, key=lambda pair: -pair[1])


def contained_in(text: str, units: Iterable[Unit], prefixes: Prefixes = ()) -> list[Unit]:
    """Units one of whose names contains the whole of ``text`` (a bare 科右前旗 names two units)."""
    key = canonical(text, prefixes)
    if len(key) < 2:
        return []
    return [u for u in units if any(key in k or stem(key, prefixes) in k for k in unit_keys(u, prefixes))]


def _text_keys(unit: Unit, prefixes: Prefixes = ()) -> Iterable[tuple[str, bool]]:
    """Keys to look for in free text; a bare stem (教育局) needs a boundary before it."""
    for key in unit_keys(unit, prefixes):
        if len(key) >= 2:
            yield key, False
        bare = stem(key, prefixes)
        # 盟委办公室 → 委办公室 would hit 旗委办公室; only stems like 教育局 stand alone.
        if bare != key and len(bare) >= 3 and not bare.startswith("委"):
            yield bare, True


def _hits(text: str, key: str, bare: bool) -> Iterable[tuple[int, int]]:
    start = text.find(key)
    while start >= 0:
        if not bare or start == 0 or not _CJK.match(text[start - 1]):
            yield start, start + len(key)
        start = text.find(key, start + 1)


def find_units_in_text(text: str, roster: NamedSet) -> tuple:
    """Units named inside a filename, subject or signature, in order of appearance; longest name wins."""
    body = _shorten(clean(text, boundary=_BOUNDARY), roster.prefixes)
    found = [(s, e, u) for u in roster.units for k, bare in _text_keys(u, roster.prefixes) for s, e in _hits(body, k, bare)]
    kept: list[tuple[int, int, Named]] = []
    for s, e, u in sorted(found, key=lambda h: (h[0] - h[1], h[0])):
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, u))
    ordered = [u for _, _, u in sorted(kept, key=lambda h: h[0])]
    return tuple(dict.fromkeys(ordered))
