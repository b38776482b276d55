"""The line of every key and array element of a TOML text (tomllib gives values only; messages need lines)."""

from __future__ import annotations

import bisect
import re

Path = tuple  # keys (str) and array positions (int), from the top: ("returns", 2, "rules", 0, "kind")

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


def key_lines(text: str) -> dict[Path, int]:
    """Path → 1-based line for the text's keys, tables and array elements; a text tomllib accepts is assumed."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except (IndexError, ValueError):
        pass  # keep the lines found so far: they only make messages more precise
    return scanner.lines


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, else of its nearest ancestor that has one."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


class _Scanner:
    """A small recursive reader that follows TOML's structure without building values."""

    def __init__(self, text: str) -> None:
        self.t, self.i = text, 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}
        self.tables: dict[tuple, int] = {}  # array-of-tables header (keys only) → its current index

    def line(self) -> int:
        return bisect.bisect_right(self.starts, self.i)

    def mark(self, path: Path) -> None:
        self.lines.setdefault(path, self.line())

    def document(self) -> None:
        table: Path = ()
        while self.skip(newlines=True):
            if self.t.startswith("[", self.i):
                table = self.header()
            else:
                self.pair(table)

    def header(self) -> Path:
        many = self.t.startswith("[[", self.i)
        self.i += 2 if many else 1
        keys = self.key()
        self.i = self.t.index("]]" if many else "]", self.i) + (2 if many else 1)
        if many:
            self.tables[keys] = self.tables.get(keys, -1) + 1
            for other in [k for k in self.tables if len(k) > len(keys) and k[: len(keys)] == keys]:
                del self.tables[other]  # a new [[returns]] starts its own [[returns.x]] count
        path = self.resolve(keys)
        self.mark(path)
        return path

    def resolve(self, keys: tuple) -> Path:
        path: list = []
        for end in range(1, len(keys) + 1):
            path.append(keys[end - 1])
            if keys[:end] in self.tables:
                path.append(self.tables[keys[:end]])
        return tuple(path)

    def pair(self, table: Path) -> None:
        path = table + self.key()
        self.mark(path)
        self.skip()
        self.i += 1  # "="
        self.value(path)

    def key(self) -> tuple:
        parts = []
        while True:
            self.skip()
            parts.append(self.string() if self.t[self.i] in "\"'" else self.bare())
            self.skip()
            if self.t[self.i] != ".":
                return tuple(parts)
            self.i += 1

    def bare(self) -> str:
        m = _BARE.match(self.t, self.i)
        if not m:
            raise ValueError(self.i)
        self.i = m.end()
        return m.group()

    def value(self, path: Path) -> None:
        self.skip()
        ch = self.t[self.i]
        if ch in "\"'":
            self.string()
        elif ch == "[":
            self.sequence(path, "]", self.element)
        elif ch == "{":
            self.sequence(path, "}", self.member)
        else:
            m = _SCALAR_END.search(self.t, self.i)
            self.i = m.start() if m else len(self.t)

    def sequence(self, path: Path, close: str, item) -> None:
        self.i += 1
        n = 0
        while True:
            self.skip(newlines=True)
            if self.t[self.i] == close:
                self.i += 1
                return
            if self.t[self.i] == ",":
                self.i += 1
                continue
            item(path, n)
            n += 1

    def element(self, path: Path, n: int) -> None:
        self.mark(path + (n,))
        self.value(path + (n,))

    def member(self, path: Path, n: int) -> None:
        self.pair(path)

    def string(self) -> str:
        quote = self.t[self.i]
        if self.t.startswith(quote * 3, self.i):
            end = self.t.index(quote * 3, self.i + 3)
            while self.t.startswith(quote, end + 3):
                end += 1  # up to two quotes may close a multi-line string's content
            text, self.i = self.t[self.i + 3: end], end + 3
            return text
        j = self.i + 1
        while self.t[j] != quote:
            j += 2 if quote == '"' and self.t[j] == "\\" else 1
        text, self.i = self.t[self.i + 1: j], j + 1
        return text  # keys with escapes are rare; such a key simply finds no line

    def skip(self, newlines: bool = False) -> bool:
        """Skip blanks and comments (and line breaks if asked); False at the end of the text."""
        while self.i < len(self.t):
            ch = self.t[self.i]
            if ch == "#":
                end = self.t.find("\n", self.i)
                self.i = end if end >= 0 else len(self.t)
            elif ch in " \t\r" or (newlines and ch == "\n"):
                self.i += 1
            else:
                return True
        return False
