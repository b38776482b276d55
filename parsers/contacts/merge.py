"""The contact return (联络人、职务、电话): the contacts read in one message merged into one, checked, and said back."""

from __future__ import annotations

import re
from dataclasses import replace

from parsers import problem_texts as messages
from parsers.contacts.details import FILE, PHONE, PLAN, ROLES, Contact
from parsers.forms.rules.basic import PATTERNS
from parsers.problems import Problem, error
from parsers.returns import ParsedReturn

_RANK = {FILE: 0, PLAN: 1}
NOT_FOUND = "（未找到）"


def field_names(spec) -> dict[str, str]:
    """The spec's field name for each role (name → 联络人, position → 职务, phone → 电话)."""
    found = {}
    for number, spec_field in enumerate(spec.fields):
        role = spec_field.get("role") or (ROLES[number] if number < len(ROLES) else spec_field["name"])
        found.setdefault(role, spec_field["name"])
    return found


def merge(contacts: list[Contact]) -> Contact:
    """The most complete contact from the best place (own file, then the plan, then text), gaps filled from the others.

    A contact naming someone else is never mixed in: only one with the same name, or with none, fills a gap.
    """
    ordered = sorted(contacts, key=lambda c: (_RANK.get(c.source, 2), -c.filled))
    best = replace(ordered[0], phones=list(ordered[0].phones), refs=dict(ordered[0].refs))
    for other in ordered[1:]:
        if other.name and best.name and other.name != best.name:
            continue
        best.name = best.name or other.name
        best.position = best.position or other.position
        if not best.phones:
            best.phones, best.raw_phone = list(other.phones), best.raw_phone or other.raw_phone
    return best


def contact_return(spec, contact: Contact) -> ParsedReturn:
    """A ParsedReturn of ``spec``'s kind holding the contact's values, with a problem for each field really missing."""
    names = field_names(spec)
    values = contact.values()
    row = {names.get(role, role): values[role] for role in ROLES}
    cells = {names.get(role, role): ref for role, ref in contact.refs.items()}
    ret = ParsedReturn(kind=spec.kind, file=contact.file, sheet=contact.sheet, rows=[row], cells=[cells], contact=values)
    ret.problems = [replace(p, file=contact.file, sheet=contact.sheet) for p in _problems(spec, contact, names)]
    return ret


def understood(spec, values: dict[str, str]) -> str:
    """What was read, in the spec's words: 联络人：王五，职务：办公室主任，电话：0482-8267388."""
    names = field_names(spec)
    return "，".join(f"{names.get(role, role)}：{values.get(role) or NOT_FOUND}" for role in ROLES if role in names)


def _problems(spec, contact: Contact, names: dict[str, str]) -> list[Problem]:
    found = []
    values = contact.values()
    for spec_field in spec.fields:
        role = next((r for r, n in names.items() if n == spec_field["name"]), None)
        value, column = values.get(role, ""), spec_field["name"]
        cell = contact.refs.get(role)
        if spec_field.get("required") and not value:
            text = messages.render("contact-missing-field", column=column)
            found.append(error("contact-missing-field", text, column=column, cell=cell))
        elif role == PHONE and value and spec_field.get("pattern"):
            found += _phone_problems(spec_field["pattern"], contact, column, cell)
    return found


def _phone_problems(pattern: str, contact: Contact, column: str, cell: str | None) -> list[Problem]:
    regex = PATTERNS.get(pattern, pattern)
    bad = [contact.raw_phone] if not contact.phones else [p for p in contact.phones if not re.search(regex, p)]
    return [error(code, messages.render(code, value=v), column=column, cell=cell, value=v)
            for v in bad for code in [_phone_code(pattern, v)]]


def _phone_code(pattern: str, value: str) -> str:
    # Under the strict pattern a landline that only lacks its area code is told so, not called invalid.
    lacks_area = pattern == "phone-strict" and re.search(PATTERNS["phone"], value)
    return "phone-no-area-code" if lacks_area else "contact-phone-invalid"

