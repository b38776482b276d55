"""Contact details in a table of the sender's own design: any columns, one or more rows, leaders beside the contact.

Each name column (联络人, 分管领导, 姓名) opens a group that owns the columns after it (职务, 办公电话, 手机 …) up
to the next name column; a two-row header (联络人 over 姓名/职务/电话) says whose group it is; a row whose role
cell says 联络人 picks the row when the name column is only 姓名. Tables written sideways are read turned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.contacts.details import FILE, NAME, PHONE, POSITION, Contact, Labels, normal
from parsers.forms.grid import Cell, Grid
from parsers.forms.text import key

HEADER_ROWS = 12
DATA_ROWS = 30
HEADER_WIDTH = 12  # a line of more labels than this is no header
MAX_COLUMNS = 40  # columns of a sheet looked at for a contact table
MAX_TEXT_TABLES = 3  # header lines tried in one text
CONTACT, OTHER, GENERIC = "contact", "other", "generic"
_BRACKETED = re.compile(r"\([^()]*\)")


@dataclass
class _Group:
    """The columns of one person: whose (contact, other or given per row) and which column holds each field."""

    kind: str
    columns: dict[str, list[int]] = field(default_factory=dict)


def contact_in_grid(grid: Grid, labels: Labels) -> Contact | None:
    """The contact a table holds (headed, headed sideways, or label/value cells), or None."""
    from parsers.contacts.text import contact_in_lines

    grid = _corner(grid)
    found = [c for c in (_headed(grid, labels), _headed(turned(grid), labels)) if c is not None]
    if not found or found[0].filled < 3:
        lines = ["\t".join(cell.text for cell in _distinct(row)) for row in grid.rows]
        found.append(contact_in_lines(lines, labels))
    # The most complete reading, a headed one first when it is as complete.
    return max((c for c in found if c is not None), key=lambda c: c.filled, default=None)


def contact_in_columns(lines: list[str], labels: Labels) -> Contact | None:
    """A table typed or pasted as text: a line of labels (姓名 职务 电话) over lines of values."""
    heads = [_is_header_line(line, labels) for line in lines]
    tried = 0
    for number, line in enumerate(lines):
        if not heads[number] or number + 1 == len(lines) or heads[number + 1] or tried == MAX_TEXT_TABLES:
            continue  # a header line needs a line of values below it
        tried += 1
        rows = [line.split()] + [row.split() for row in lines[number + 1: number + 1 + DATA_ROWS] if row.strip()]
        found = _headed(Grid("正文", [[Cell(text, "") for text in row] for row in rows], source="text"), labels)
        if found is not None and found.filled:
            found.refs = {}
            return found
    return None


def _is_header_line(line: str, labels: Labels) -> bool:
    heads = line.split(maxsplit=HEADER_WIDTH)
    return 2 <= len(heads) <= HEADER_WIDTH and all(_header(h, labels) for h in heads)


def _corner(grid: Grid) -> Grid:
    # A contact table is small and sits at the top left; a large sheet is read no further than that.
    rows = [row[:MAX_COLUMNS] for row in grid.rows[: HEADER_ROWS + DATA_ROWS]]
    return Grid(grid.name, rows, source=grid.source, text_before=grid.text_before)


def turned(grid: Grid) -> Grid:
    """The grid with rows and columns swapped (a table whose labels run down its first column)."""
    width = grid.width
    rows = [[grid.cell(r, c) or Cell("", "") for r in range(len(grid.rows))] for c in range(width)]
    return Grid(grid.name, rows, source=grid.source)


def _distinct(row: list[Cell]) -> list[Cell]:
    # A merged cell repeats its text across the range: once is enough.
    return [cell for n, cell in enumerate(row) if cell.text and (n == 0 or cell.text != row[n - 1].text)]


def _header(text: str, labels: Labels) -> tuple[str, str] | None:
    """(whose, field) a header cell names: 联络人 → (contact, name), 分管领导电话 → (other, phone), 职务 → ('', position)."""
    text = _BRACKETED.sub("", normal(text)).strip()
    if not text:
        return None
    if labels.is_other(text):
        return OTHER, NAME
    role = labels.role(text)
    if role == NAME:
        return (GENERIC if key(text) in {key(g) for g in labels.generic} else CONTACT), NAME
    if role:
        return "", role
    for whose, words in ((CONTACT, labels.names), (OTHER, labels.others)):
        for word in sorted(words, key=len, reverse=True):
            if key(text).startswith(key(word)) and labels.role(text[len(word):].lstrip("的")) in (NAME, POSITION, PHONE):
                return whose, labels.role(text[len(word):].lstrip("的"))
    return None


def _headed(grid: Grid, labels: Labels) -> Contact | None:
    for r in range(min(len(grid.rows), HEADER_ROWS)):
        groups, depth = _groups(grid, r, labels)
        usable = [g for g in groups if NAME in g.columns and (POSITION in g.columns or PHONE in g.columns) and g.kind != OTHER]
        found = _read(grid, r + depth, usable[0], groups, labels) if usable else None
        if found is not None:
            return found
    return None


def _groups(grid: Grid, r: int, labels: Labels) -> tuple[list[_Group], int]:
    up = [_header(grid.text(r, c), labels) for c in range(grid.width)]
    low = [_header(grid.text(r + 1, c), labels) for c in range(grid.width)]
    over = [_is_person(u) and lo is not None and lo[0] in ("", GENERIC) and grid.text(r, c) != grid.text(r + 1, c)
            for c, (u, lo) in enumerate(zip(up, low))]
    if not any(over):
        return _grouped(up), 1
    # A two-row header: the person above (联络人 merged over 姓名/职务/电话), the field below.
    return _grouped([(u[0], lo[1]) if is_over else (lo if u is None else u) for u, lo, is_over in zip(up, low, over)]), 2


def _is_person(head: tuple[str, str] | None) -> bool:
    return head is not None and head[1] == NAME and head[0] in (CONTACT, OTHER)


def _grouped(heads: list[tuple[str, str] | None]) -> list[_Group]:
    groups: list[_Group] = []
    pending: dict[str, list[int]] = {}
    for c, head in enumerate(heads):
        if head is None:
            continue
        whose, role = head
        if role == NAME and (not groups or NAME in groups[-1].columns or (whose and whose != groups[-1].kind)):
            groups.append(_Group(whose or GENERIC, {k: list(v) for k, v in pending.items()}))
            pending = {}
        target = groups[-1].columns if groups else pending
        target.setdefault(role, []).append(c)
    return groups


def _read(grid: Grid, start: int, group: _Group, groups: list[_Group], labels: Labels) -> Contact | None:
    """The contact's row: the one whose role cell says 联络人, else the first filled row that is no one else's."""
    rows = [r for r in range(start, min(len(grid.rows), start + DATA_ROWS)) if _filled(grid, r, group, labels)]
    owned = {c for g in groups for cols in g.columns.values() for c in cols}
    roles = {r: _row_role(grid, r, owned, labels) for r in rows}
    rows = [r for r in rows if roles[r] == CONTACT] or [r for r in rows if roles[r] is None]
    return _contact(grid, rows[0], group) if rows else None


def _filled(grid: Grid, r: int, group: _Group, labels: Labels) -> bool:
    # A row of values, not another header: its name cell is no label.
    texts = [grid.text(r, c) for cols in group.columns.values() for c in cols]
    names = [grid.text(r, c) for c in group.columns.get(NAME, ())]
    return any(texts) and not any(_header(t, labels) for t in names if t)


def _row_role(grid: Grid, r: int, owned: set[int], labels: Labels) -> str | None:
    for c in range(grid.width):
        text = _BRACKETED.sub("", normal(grid.text(r, c)))
        if c not in owned and text:
            if labels.is_other(text):
                return OTHER
            if labels.role(text) == NAME:
                return CONTACT
    return None


def _contact(grid: Grid, r: int, group: _Group) -> Contact:
    from parsers.contacts.text import contact_in_lines_of_person

    cells = {role: [grid.cell(r, c) for c in cols if grid.cell(r, c) is not None] for role, cols in group.columns.items()}
    person = contact_in_lines_of_person({role: [c.text for c in found] for role, found in cells.items()})
    refs = {role: next((c.ref for c in found if c.text), found[0].ref if found else "") for role, found in cells.items()}
    return Contact(name=person.name, position=person.position, phones=person.phones, raw_phone=person.raw_phone,
                   refs={k: v for k, v in refs.items() if v}, source=FILE, file="", sheet=grid.name)

