"""What the parsers hand back: returns read from a file, with their rows and problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from parsers.problems import Problem


@dataclass
class ParsedReturn:
    """One return recognised in a file (a sheet, a docx table, a plan or a contact block)."""

    kind: str
    file: str
    sheet: str | None = None
    unit_name: str | None = None
    filled_date: dt.date | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    cells: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    text: str = ""
    sha256: str = ""  # of the attachment it came from, for audits
    contact: dict[str, str] | None = None  # a contact return's values as read: {"name", "position", "phone"}

    @property
    def status(self) -> str:
        """``accepted`` unless an error-level problem was found."""
        return "invalid" if any(p.is_error for p in self.problems) else "accepted"

    def to_json(self) -> dict[str, Any]:
        """The verdict's form object."""
        return {
            "kind": self.kind,
            "file": self.file,
            "sheet": self.sheet,
            "status": self.status,
            "rows": len(self.rows),
            "unit_named": self.unit_name,
            "filled_date": self.filled_date.isoformat() if self.filled_date else None,
            "problems": [p.to_json() for p in self.problems],
            **({"contact": dict(self.contact)} if self.contact is not None else {}),
        }


@dataclass
class FileResult:
    """Everything read from one attachment: its returns and file-level problems."""

    file: str
    format: str
    returns: list[ParsedReturn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    contacts: list = field(default_factory=list)  # parsers.contacts.details.Contact found in it; routing decides if they are a return

