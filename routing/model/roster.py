"""The roster of units: parsing its rows, looking a unit up by address or by a name written anywhere."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from routing.errors import RosterError
from routing.model import names

REQUIRED = ("单位名称", "别名", "类别", "邮箱", "联系人")
OPTIONAL = ("联系电话",)
# Header spellings coordinators use for the same column.
SYNONYMS = {"电子邮箱": "邮箱", "邮箱地址": "邮箱", "电子邮件": "邮箱", "电话": "联系电话", "联系方式": "联系电话"}
_SPLIT = re.compile(r"[;；、,，\r\n]+")
_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True)
class Unit:
    """One unit that must report: its 单位名称, 别名, 类别, addresses and contact."""

    name: str
    aliases: tuple[str, ...]
    category: str
    emails: tuple[str, ...] = ()
    contact: str = ""
    phone: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The official name followed by the aliases."""
        return (self.name, *self.aliases)


class Candidate(NamedTuple):
    """A unit a written name may mean, with its score; unpacks as ``unit, score``."""

    unit: Unit
    score: float

    @property
    def name(self) -> str:
        """The candidate unit's 单位名称."""
        return self.unit.name


@dataclass(frozen=True)
class Match:
    """The result of matching a written name: a unit, or none, or too close to call."""

    unit: Unit | None
    score: float
    candidates: tuple[Candidate, ...] = ()
    ambiguous: bool = False


class Roster:
    """The units, indexed by address and by name."""

    def __init__(self, units: Iterable[Unit], prefixes: names.Prefixes = ()) -> None:
        """Index the units; later duplicates of an address lose (parse_roster rejects them anyway).

        ``prefixes``: the campaign's region prefixes for matching names (兴安盟 → 盟), from its [texts] name_prefixes.
        """
        self.units = tuple(units)
        self.prefixes = tuple(tuple(pair) for pair in prefixes)
        self._by_name = {u.name: u for u in self.units}
        self._by_email: dict[str, Unit] = {}
        for unit in self.units:
            for addr in unit.emails:
                self._by_email.setdefault(addr.lower(), unit)
        # The same 盖章 line comes with every return of a unit; fuzzy-scoring it against the roster each time
        # costs more than parsing the form. The roster never changes, so an answer stays right.
        self._match_cache = functools.lru_cache(maxsize=4096)(self._match_name)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def by_email(self, address: str) -> Unit | None:
        """The unit owning an address, case-insensitively; None if nobody does."""
        return self._by_email.get(normalize_email(address))

    def get(self, name: str) -> Unit | None:
        """The unit whose 单位名称 is exactly ``name`` (surrounding spaces ignored)."""
        return self._by_name.get((name or "").strip())

    def match_name(self, text: str) -> Match:
        """Match a written unit name (e.g. the 盖章 line) against names and aliases; never guess.

        A name with words around it (兴安盟教育局办公室) is taken when exactly one unit is named inside it.
        """
        return self._match_cache(text)

    def _match_name(self, text: str) -> Match:
        match = decide(names.score_units(text, self.units, self.prefixes), names.contained_in(text, self.units, self.prefixes))
        return match if match.unit or match.ambiguous else self._inside(text, match)

    def find_in_text(self, text: str) -> Match:
        """The unit named inside a filename, subject or signature; several different units → ambiguous."""
        return self._inside(text, Match(None, 0.0))

    def _inside(self, text: str, fallback: Match) -> Match:
        found = names.find_units_in_text(text, self)
        candidates = tuple(Candidate(u, names.CONTAINED) for u in found[:3])
        if len(found) == 1:
            return Match(found[0], names.CONTAINED, candidates)
        return Match(None, names.CONTAINED, candidates, True) if found else fallback


def decide(scored: list[tuple[Unit, float]], containing: list[Unit]) -> Match:
    """Turn scored units (best first) into a Match: exact wins, close fuzzy scores are ambiguous."""
    top = tuple(Candidate(u, round(s, 3)) for u, s in scored[:3] if s > 0)
    if not top:
        return Match(None, 0.0)
    best = top[0][1]
    tied = [u for u, s in scored if s == best]
    if best >= names.STEM_EXACT:
        return Match(tied[0] if len(tied) == 1 else None, best, top, len(tied) > 1)
    if best < names.THRESHOLD:
        return Match(None, best, top)
    close = len(top) > 1 and top[1][1] >= best - names.MARGIN
    if close or len(containing) > 1:
        return Match(None, best, top, True)
    return Match(top[0][0], best, top)


def normalize_email(address: str) -> str:
    """An address as compared: NFKC (a full-width ＠ typed in a Chinese IME), trimmed, lower-case."""
    text = unicodedata.normalize("NFKC", address or "").strip().strip("<>").lower()
    return text[len("mailto:"):] if text.startswith("mailto:") else text


def is_valid_email(address: str) -> bool:
    """Whether a normalised address looks deliverable (roster import and `roster add-email` agree)."""
    return bool(_EMAIL.match(address))


def split_cell(value: str) -> list[str]:
    """Split a cell holding several values separated by ；; 、 , or a line break."""
    return [part.strip() for part in _SPLIT.split(value or "") if part.strip()]


def header_key(label: str) -> str:
    """A header cell as a column key: 单位名称, 邮箱 … (spaces, width and known synonyms folded)."""
    key = names.clean(str(label or ""))
    return SYNONYMS.get(key, key)


def check_header(labels: Iterable[str], row: int, categories: tuple[str, ...] | None = None) -> None:
    """Raise RosterError unless the header row holds every required column exactly once (类别 only with categories)."""
    keys = [header_key(label) for label in labels]
    missing = [col for col in REQUIRED if col not in keys and (col != "类别" or categories != ("",))]
    if missing:
        cols = "、".join(f"“{c}”" for c in missing)
        raise RosterError(f"名册第{row}行（表头）缺少{cols}列；表头应包含：{'、'.join(REQUIRED)}（联系电话可选）。")
    for col in (*REQUIRED, *OPTIONAL):
        if keys.count(col) > 1:
            raise RosterError(f"名册第{row}行（表头）中“{col}”列出现了不止一次，请只保留一列。")


def parse_roster(rows: list[Mapping[str, str]], categories: tuple[str, ...] | None, *, first_row: int = 2) -> list[Unit]:
    """Validate roster rows (row i is the file's row ``first_row + i``) and build the units.

    Blank rows are skipped but still counted, so messages name the row the sender sees.
    Every fault is reported at once, one line each, in a single RosterError.
    """
    if not rows:
        raise RosterError("名册中没有任何单位，请在表头下逐行填写单位。")
    check_header(rows[0].keys(), first_row - 1, categories)
    parsed = _Parsed(categories)
    for offset, raw in enumerate(rows):
        parsed.add(first_row + offset, {header_key(k): str(v or "").strip() for k, v in raw.items()})
    if parsed.errors:
        raise RosterError("\n".join(parsed.errors))
    if not parsed.units:
        raise RosterError("名册中没有任何单位，请在表头下逐行填写单位。")
    return parsed.units


class _Parsed:
    """Accumulates units and faults while rows are read, remembering where each name was seen."""

    def __init__(self, categories: tuple[str, ...] | None) -> None:
        self.categories = None if categories is None else tuple(categories)  # None: any category the file names
        self.units: list[Unit] = []
        self.errors: list[str] = []
        self.names: dict[str, int] = {}
        self.keys: dict[str, tuple[int, str]] = {}
        self.emails: dict[str, int] = {}

    def add(self, row: int, cells: Mapping[str, str]) -> None:
        """Check one row and keep its unit if it is sound."""
        if not any(cells.values()):
            return
        before = len(self.errors)
        unit = self._unit(row, cells)
        self._check_unique(row, unit)
        if len(self.errors) == before:
            self.units.append(unit)

    def _unit(self, row: int, cells: Mapping[str, str]) -> Unit:
        name = cells.get("单位名称", "")
        if not name:
            self.errors.append(f"第{row}行缺少“单位名称”。")
        # A notice without categories routes every unit alike: the 类别 column may be absent and is not read.
        category = "" if self.categories == ("",) else cells.get("类别", "")
        if self.categories is None and not category:
            self.errors.append(f"第{row}行缺少“类别”。")
        elif self.categories is not None and category not in self.categories:
            allowed = "或".join(f"“{c}”" for c in self.categories)
            self.errors.append(f"第{row}行的类别“{category}”无法识别，应填写{allowed}。")
        emails = tuple(normalize_email(a) for a in split_cell(cells.get("邮箱", "")))
        for addr in emails:
            if not is_valid_email(addr):
                self.errors.append(f"第{row}行的邮箱“{addr}”格式不正确，请填写如 name@example.com 的地址。")
        aliases = tuple(a for a in dict.fromkeys(split_cell(cells.get("别名", ""))) if a != name)
        return Unit(
            name=name,
            aliases=aliases,
            category=category,
            emails=tuple(dict.fromkeys(emails)),
            contact=cells.get("联系人", ""),
            phone=cells.get("联系电话", ""),
        )

    def _check_unique(self, row: int, unit: Unit) -> None:
        if unit.name in self.names:
            self.errors.append(f"第{row}行的单位名称“{unit.name}”与第{self.names[unit.name]}行重复。")
        elif unit.name:
            self.names[unit.name] = row
        for addr in unit.emails:
            if self.emails.setdefault(addr, row) != row:
                self.errors.append(f"第{row}行的邮箱“{addr}”已在第{self.emails[addr]}行使用，一个地址只能属于一个单位。")
        self._check_keys(row, unit)

    def _check_keys(self, row: int, unit: Unit) -> None:
        # Two units reachable by the same written name could never be told apart.
        for written in unit.names:
            key = names.canonical(written)
            seen_row, seen_name = self.keys.setdefault(key, (row, unit.name))
            if key and seen_name != unit.name:
                self.errors.append(f"第{row}行的名称“{written}”与第{seen_row}行的单位“{seen_name}”无法区分，请修改别名。")
