"""What a rule sees (the return, its form, the tick marks) and how it reports a problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from parsers import problem_texts as messages
from parsers.forms.spec import FormSpec
from parsers.problems import Problem, Severity
from parsers.returns import ParsedReturn

Rule = Mapping[str, Any]

# The code a rule kind reports unless the campaign file names its own (its template is that code's, in parsers.problem_codes).
KIND_CODES = {
    "required": "missing-value",
    "exactly-one-ticked": "not-single-tick",
    "one-of": "value-not-allowed",
    "number": "not-a-number",
    "duration": "not-a-duration",
    "compare": "compare-failed",
    "equals-difference": "difference-mismatch",
    "pattern": "pattern-mismatch",
    "required-if": "missing-value",
    "set-consistency": "set-inconsistent",
    "any-group": "no-group-filled",
    "group-complete": "group-incomplete",
}


@dataclass
class RuleContext:
    """A return being checked against its form."""

    spec: FormSpec
    ret: ParsedReturn
    marks: tuple[str, ...]
    _sentinels: dict = field(default_factory=dict)

    def text(self, i: int, column: str) -> str:
        """The text of a column in data row i (0-based)."""
        return self.ret.rows[i].get(column, "")

    def present(self, column: str) -> bool:
        """Whether the sender's table has this column at all."""
        return bool(self.ret.rows) and column in self.ret.rows[0]

    def sentinels(self, rule: Rule) -> dict[str, float | None]:
        """Words that stand for zero days (即办) or for nothing to report (无)."""
        if id(rule) not in self._sentinels:
            self._sentinels[id(rule)] = self._read_sentinels(rule)
        return self._sentinels[id(rule)]

    def _read_sentinels(self, rule: Rule) -> dict[str, float | None]:
        zero = rule.get("zero_words", self.spec.extra.get("zero_words", ()))
        none = rule.get("none_words", self.spec.extra.get("none_words", ()))
        return {**{w: 0.0 for w in zero}, **{w: None for w in none}}

    def emit(self, rule: Rule, i: int, column: str | None, *, cell_of: str | None = None, **fields: Any) -> Problem:
        """A problem at data row i, rendered from the rule's message template or the kind's default."""
        kind = rule["kind"]
        value = fields.pop("value", self.text(i, column) if column else None)
        values = {**rule_fields(rule), "row": i + 1, "column": column, "value": value, **fields}
        values.setdefault("because", f"{values['reason']}，" if values.get("reason") else "")  # required-if says why
        text = messages.render(KIND_CODES.get(kind, kind), rule.get("message"), **values)
        return Problem(
            code=rule.get("code", KIND_CODES.get(kind, kind)),
            message=text,
            severity=Severity(rule.get("severity", "error")),
            row=i + 1,
            column=rule.get("label", column),
            cell=self.ret.cells[i].get(cell_of or column) if (cell_of or column) else None,
            value=value or None,
        )


def rule_fields(rule: Rule) -> dict[str, Any]:
    """The rule's plain string settings, usable as message placeholders."""
    return {k: v for k, v in rule.items() if isinstance(v, str) and k not in ("kind", "code", "message", "severity")}
