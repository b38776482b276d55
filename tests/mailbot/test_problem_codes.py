"""The problem codes are one frozen catalogue (parsers.problem_codes): every code the code emits is in it, with its template."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from parsers import problem_texts as messages
from parsers.errors import ParserError
from parsers.forms.rules.context import KIND_CODES
from parsers.problem_codes import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent.parent

# Changing this set changes a contract (verdict JSON, ledger, exports): do it on purpose, and say so in the README.
FROZEN = {
    "missing-column", "unit-missing", "date-missing", "date-invalid", "no-data-rows", "plan-empty", "contact-missing-field",
    "contact-phone-invalid", "formula-no-value", "seq-gap", "missing-value", "not-single-tick", "value-not-allowed",
    "not-a-number", "not-a-duration", "compare-failed", "difference-mismatch", "pattern-mismatch", "set-inconsistent",
    "no-group-filled", "group-incomplete", "no-form-found", "stamped-copy", "unsupported-format", "empty-file", "executable",
    "corrupt-file", "encrypted-file", "file-too-large", "hostile-file", "sheet-too-large", "sheet-too-complex",
    "unreadable-file", "unknown-rule", "unreadable-message", "attachment-too-large", "zip-unreadable", "zip-too-many-entries",
    "zip-too-large", "zip-encrypted", "zip-suspicious", "zip-nested",
    # The campaign format's capabilities (drop-down lists, row-count bounds, file type per form, strict phones)
    "value-not-in-list", "too-few-rows", "too-many-rows", "wrong-file-type", "phone-no-area-code",
}


def test_the_catalogue_is_frozen():
    assert set(CATALOGUE) == FROZEN
    assert messages.DEFAULTS is CATALOGUE  # keyed by code, not by rule kind


def test_every_template_is_chinese_and_well_formed():
    for code, template in CATALOGUE.items():
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        assert all(name.isidentifier() for name in fields), code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in template), code


def emitted_codes() -> set[str]:
    """Every code literal the source hands to error()/warning(), code=…, a ParserError's class code, a rule kind's code."""
    found = set(KIND_CODES.values())
    for folder in ("parsers", "routing", "mailbot"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                found |= _codes_in(node)
    found |= {cls.code for cls in _subclasses(ParserError)}
    return found


def _codes_in(node) -> set[str]:
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("error", "warning") and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return {first.value}
    if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
        return {node.value.value}
    return set()


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_code_the_source_emits_is_catalogued():
    import parsers.forms.rules.registry  # noqa: F401 - registers UnknownRule
    import parsers.read  # noqa: F401 - its refusals by code

    assert emitted_codes() <= set(CATALOGUE)
    assert set(parsers.read.REFUSALS.values()) <= set(CATALOGUE)
