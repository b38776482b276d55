"""Bytes in, returns and problems out: pure readers for mail, forms and markings."""

from __future__ import annotations

import importlib

# Each public name and the module that defines it. They load on first use (PEP 562): importing one small
# module (parsers.problems) must not drag in openpyxl and lxml, so `mailbot ledger` and the idle worker stay light.
_HOMES = {
    "annotate_workbook": "parsers.annotate",
    "ParserError": "parsers.errors", "UnreadableFile": "parsers.errors", "UnsupportedFormat": "parsers.errors",
    "DEFAULT_LIMITS": "parsers.safety.limits", "Limits": "parsers.safety.limits",
    "Problem": "parsers.problems", "Severity": "parsers.problems",
    "read_attachment": "parsers.read",
    "FileResult": "parsers.returns", "ParsedReturn": "parsers.returns",
}

__all__ = [
    "ParserError", "UnreadableFile", "UnsupportedFormat", "Problem", "Severity", "FileResult", "ParsedReturn",
    "Limits", "DEFAULT_LIMITS", "read_attachment", "annotate_workbook",
]


def __getattr__(name: str):
    """Load a public name's module when the name is first asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'parsers' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
