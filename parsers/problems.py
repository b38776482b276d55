"""Validation findings as values: a stable code, a place, and a Chinese message that says how to fix it."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(str, enum.Enum):
    """An error makes a return invalid; a warning is only pointed out."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding: ``row`` is the 1-based data row, ``cell`` the sender's own cell reference."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: str | None = None
    file: str | None = None
    sheet: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The verdict's problem object."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return {k: data[k] for k in ("severity", "row", "column", "cell", "value", "code", "message")}

    @property
    def is_error(self) -> bool:
        """Whether this problem makes the return invalid."""
        return self.severity is Severity.ERROR


def error(code: str, message: str, **where: Any) -> Problem:
    """An error-level problem."""
    return Problem(code=code, message=message, severity=Severity.ERROR, **where)


def warning(code: str, message: str, **where: Any) -> Problem:
    """A warning-level problem."""
    return Problem(code=code, message=message, severity=Severity.WARNING, **where)


def flatten(problems: list[Problem]) -> list[tuple[int | None, str | None, str]]:
    """(row, column, code) triples, the shape tests compare."""
    return [(p.row, p.column, p.code) for p in problems]
