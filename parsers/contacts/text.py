"""Contact details written as text: labelled (联系人：王五（办公室主任），电话 0482-…), over several lines, or as columns.

Each label opens a segment that runs to the next label; a segment fills the person it belongs to, so the
phone written after 分管领导 is the leader's, not the contact's.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from parsers.contacts.details import (
    NAME,
    PHONE,
    POSITION,
    Contact,
    Labels,
    is_name,
    is_position,
    normal,
    phones_in,
    split_name_and_post,
)

_SEPARATORS = re.compile(r"[\s,，;；、/|:：。\"'“”‘’]+")
_PAREN = re.compile(r"\(([^()]*)\)")
_AREA_CODE = re.compile(r"\((0\d{2,3})\) ?(?=[2-9]\d{6})")
# Runs that may hold a number with its inner spaces and dashes (0482 8267388, 138-0000-0000, 8267388转801);
# one character class, so a scan never backtracks into a run.
_NUMBER = re.compile(r"[\d()\-+ ]+(?:(?:转|ext\.?|分机) ?\d{1,5})?")
LOOKAHEAD = 3  # lines below an empty "联络人：" that may hold its values
LOOKAHEAD_REACH = 12  # how far below (blank lines between) they are looked for
# A real contact block has a handful of labels; text with hundreds is no contact block, and is not read on.
MAX_SEGMENTS = 400
MAX_LINES = 5000  # lines read of one text (a long plan has a few hundred paragraphs)
MAX_VALUE = 200  # characters after a label that may hold its values
OTHER = "other"


@dataclass
class _Person:
    """Someone the text names: the contact, or another person (分管领导) whose details are not the contact's."""

    kind: str
    named: bool = False  # a name label introduced this person
    name: str = ""
    position: str = ""
    phones: list[str] = field(default_factory=list)
    raw_phone: str = ""


def contact_in_lines(lines: list[str], labels: Labels) -> Contact | None:
    """The contact the lines name, or None when no 联络人/联系人/姓名 label introduces one."""
    from parsers.contacts.table import contact_in_columns

    lines = [normal(line) for line in lines[:MAX_LINES]]
    tabular = contact_in_columns(lines, labels)
    if tabular is not None:
        return tabular
    people = _people(lines, labels)
    chosen = next((p for p in people if p.kind != OTHER and p.named and p.name), None)
    chosen = chosen or next((p for p in people if p.kind != OTHER and p.named and (p.position or p.phones)), None)
    if chosen is None:
        return None
    return Contact(name=chosen.name, position=chosen.position, phones=chosen.phones, raw_phone=chosen.raw_phone)


def _people(lines: list[str], labels: Labels) -> list[_Person]:
    pattern = label_pattern(labels)
    found, budget = [], MAX_SEGMENTS
    for line in lines:
        matches = list(itertools.islice(pattern.finditer(line), budget))
        found.append(matches)
        budget -= len(matches)
        if budget <= 0:
            break
    people: list[_Person] = []
    current: _Person | None = None
    for number, matches in enumerate(found):
        line = lines[number]
        for index, match in enumerate(matches):
            last = index + 1 == len(matches)
            value = line[match.end(): len(line) if last else matches[index + 1].start()][:MAX_VALUE]
            below = (lambda number=number: _lookahead(lines, found, number)) if last else list
            current = _segment(match, value, below, labels, people, current)
    return people


def label_pattern(labels: Labels) -> re.Pattern:
    """Every label (padded spaces allowed, 联系人及电话 read as one), then its colon, 为 (变更为) or 是."""
    words = sorted({*labels.names, *labels.generic, *labels.positions, *labels.phones, *labels.others}, key=len, reverse=True)
    fields = sorted({*labels.positions, *labels.phones}, key=len, reverse=True)
    spaced = "|".join("[ \t]*".join(map(re.escape, w)) for w in words)
    more = "|".join(map(re.escape, fields))
    return re.compile(rf"(?P<label>{spaced})(?:\s*(?:及其|及|和|与|、|/)\s*(?:{more}))*\s*(?P<sep>[:：]|(?:变更|更换|调整|改)?为|是)?\s*")


def _lookahead(lines: list[str], found: list[list], number: int) -> list[str]:
    below: list[str] = []
    for index in range(number + 1, min(len(found), number + 1 + LOOKAHEAD_REACH)):
        if found[index] or len(below) == LOOKAHEAD:
            break
        if lines[index].strip():
            below.append(lines[index][:MAX_VALUE])
    return below


def _segment(match: re.Match, value: str, below, labels: Labels, people: list[_Person], current: _Person | None):
    """Fill the person this label's segment is about; ``below()`` gives the lines under an empty heading."""
    label, explicit = re.sub(r"\s", "", match.group("label")), bool(match.group("sep"))
    role = NAME if labels.is_other(label) else labels.role(label)
    tokens = tokens_of(value)
    if role == NAME and not _useful(tokens):
        tokens = [t for line in below() for t in tokens_of(line)] or tokens
    if role == NAME:
        if not explicit and not _useful(tokens):
            return current  # the word in prose (在局党组领导下, 各联络人要…), not a label
        kind = OTHER if labels.is_other(label) else _kind_of_generic(label, labels, current)
        if current is None or current.kind != kind or current.name:
            current = _Person(kind)
            people.append(current)
        current.named = True
        _fill(current, tokens, NAME, explicit)
        return current
    if current is None:
        current = _Person("contact")
        people.append(current)
    if role == POSITION:
        _fill_position(current, value, explicit)
    else:
        _fill(current, tokens, role, explicit)
    return current


def _kind_of_generic(label: str, labels: Labels, current: _Person | None) -> str:
    # 姓名 under an empty "分管领导：" heading is the leader's name; elsewhere it is the contact's.
    generic = label in {re.sub(r"\s", "", g) for g in labels.generic}
    if generic and current is not None and current.kind == OTHER and not current.name:
        return OTHER
    return "contact"


def tokens_of(text: str) -> list[tuple[str, bool]]:
    """(token, inside brackets) pairs: 王五（办公室主任，0482-…） gives 王五, 办公室主任, 0482-…; 王 五 is rejoined."""
    found: list[tuple[str, bool]] = []
    last = 0
    text = _AREA_CODE.sub(r"\1-", text)  # (0482)8267388 is one number, not a bracketed remark
    for match in _PAREN.finditer(text):
        found += [(t, False) for t in _split(text[last:match.start()])]
        found += [(t, True) for t in _split(match.group(1))]
        last = match.end()
    found += [(t, False) for t in _split(text[last:])]
    return _rejoin(found)


def _split(text: str) -> list[str]:
    # Numbers keep their inner spaces and dashes (0482 8267388, 138-0000-0000): cut them out first.
    parts, last = [], 0
    for match in _NUMBER.finditer(text):
        if sum(ch.isdigit() for ch in match.group(0)) < 6:
            continue
        parts += _SEPARATORS.split(text[last:match.start()]) + [match.group(0).strip()]
        last = match.end()
    parts += _SEPARATORS.split(text[last:])
    return [p.strip("()（）") for p in parts if p.strip("()（）")]


def _rejoin(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    # A two-character name padded to three ("王　五") reads as two one-character tokens.
    out: list[tuple[str, bool]] = []
    for text, paren in tokens:
        if out and len(out[-1][0]) == 1 and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", text) and re.fullmatch(r"[\u4e00-\u9fff]", out[-1][0]):
            out[-1] = (out[-1][0] + text, paren)
        else:
            out.append((text, paren))
    return out


def _useful(tokens: list[tuple[str, bool]]) -> bool:
    return any(phones_in(t) or is_name(t) or is_position(t) for t, _ in tokens)


def _fill(person: _Person, tokens: list[tuple[str, bool]], role: str, explicit: bool) -> None:
    for number, (text, paren) in enumerate(tokens):
        phones = phones_in(text)
        if phones:
            person.phones += [p for p in phones if p not in person.phones]
        elif role == PHONE and explicit and number == 0 and not person.phones and not person.raw_phone:
            person.raw_phone = text
        elif role == POSITION and number == 0 and not person.position and (explicit or is_position(text)):
            person.position = text
        elif not person.name and role == NAME and is_name(split_name_and_post(text)[0]):
            person.name, post = split_name_and_post(text)
            person.position = person.position or post
        elif not person.position and (is_position(text) or (paren and person.name and len(text) <= 15)):
            person.position = text


def _fill_position(person: _Person, value: str, explicit: bool) -> None:
    # 职务：办公室 主任 （13800000000） — the post is the text up to the first comma, numbers taken out.
    person.phones += [p for p in phones_in(value) if p not in person.phones]
    text = re.split(r"[,，;；。、]", _without_numbers(value), maxsplit=1)[0]
    text = re.sub(r"[\s()]+", "", text)
    if text and not person.position and (explicit or is_position(text)):
        person.position = text


def _without_numbers(text: str) -> str:
    return _NUMBER.sub(lambda m: " " if sum(ch.isdigit() for ch in m.group(0)) >= 6 else m.group(0), text)


def contact_in_lines_of_person(cells: dict[str, list[str]]) -> _Person:
    """One person from a table row's cells by field: the name cell may carry a post or phone in brackets too."""
    person = _Person("contact", named=True)
    for text in filter(None, cells.get(NAME, ())):
        tokens = tokens_of(normal(text))
        _fill(person, tokens, NAME, True)
        # The name column names the person whatever the name looks like (乌云其其格, a name with a Latin letter).
        plain = [t for t, _ in tokens if not phones_in(t) and not is_position(t)]
        person.name = person.name or (plain[0] if plain and len(plain[0]) <= 12 else "")
    for text in filter(None, cells.get(POSITION, ())):
        _fill_position(person, normal(text), True)
    for text in filter(None, cells.get(PHONE, ())):
        _fill(person, [(normal(text), False)] if not phones_in(text) else tokens_of(normal(text)), PHONE, True)
    return person
