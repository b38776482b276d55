"""The plan (实施方案) and the contact (联络人、职务、电话): from docx text, a docx table, or the mail body."""

from __future__ import annotations

import re

from routing.campaign import FormSpec

from parsers import messages
from parsers.problems import error, warning
from parsers.returns import ParsedReturn
from parsers.rules_basic import PATTERNS
from parsers.text import clean, key
from parsers.word import WordDoc

def is_plan(spec: FormSpec, title: str, subject: str) -> bool:
    """Whether the document's title or the mail's subject names the plan (实施方案)."""
    return any(k in key(title) or k in key(subject) for k in map(key, spec.keywords or (spec.label,)))


def read_plan(spec: FormSpec, doc: WordDoc, file: str) -> ParsedReturn:
    """The plan's text; an empty or near-empty plan is an error."""
    text = "\n".join(p for p in doc.paragraphs if p)
    ret = ParsedReturn(kind=spec.kind, file=file, text=text)
    minimum = int(spec.extra.get("min_chars", 50))
    if len(re.sub(r"\s", "", text)) < minimum:
        ret.problems.append(error("plan-empty", messages.render("plan-empty", min_chars=minimum)))
    return ret


def find_contact(spec: FormSpec, lines: list[str], file: str, *, quiet: bool = True) -> ParsedReturn | None:
    """A contact return if the lines name a contact person (or ``quiet`` is False), checking its fields."""
    values = {f["name"]: _field(f, lines) for f in spec.fields}
    first = spec.fields[0]["name"] if spec.fields else None
    if quiet and (not first or not values.get(first)):
        return None
    ret = ParsedReturn(kind=spec.kind, file=file, rows=[{k: v or "" for k, v in values.items()}], cells=[{}])
    ret.problems += _contact_problems(spec, values)
    return ret


def _field(field: dict, lines: list[str]) -> str | None:
    names = [field["name"], *field.get("aliases", ())]
    labels = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    for line in lines:
        match = re.search(rf"(?:{labels})\s*[:：]?\s*([^\s:：，,；;、|\t]+)", clean(line))
        if match and not re.fullmatch(r"(?:职务|电话|联络人|联系人|姓名|手机)", match.group(1)):
            return match.group(1)
    return None


def _contact_problems(spec: FormSpec, values: dict) -> list:
    found = []
    for field in spec.fields:
        value = values.get(field["name"])
        if field.get("required") and not value:
            found.append(error("contact-missing-field", messages.render("contact-missing-field", column=field["name"]), column=field["name"]))
        elif value and field.get("pattern") and not re.search(PATTERNS.get(field["pattern"], field["pattern"]), value):
            text = messages.render("contact-phone-invalid", value=value)
            found.append(error("contact-phone-invalid", text, column=field["name"], value=value))
    return found
