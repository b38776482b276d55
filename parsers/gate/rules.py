"""What the gate decides about one piece of text, by the kind of place it sits in."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.gate.terms import MarkingTerms

# A verdict: True = a certain marking, False = truly unclear (a person decides), None = nothing.
Verdict = bool | None


@dataclass(frozen=True)
class Marking:
    """A hit: the rule that fired and where, never the marked text itself (it is content)."""

    rule: str
    certain: bool
    place: str


def found(verdict: Verdict, rule: str, place: str, unclear_rule: str | None = None) -> Marking | None:
    """The Marking for a verdict (an unclear verdict takes the ``unclear-…`` rule code)."""
    if verdict is None:
        return None
    if verdict:
        return Marking(rule=rule, certain=True, place=place)
    return Marking(rule=unclear_rule or f"unclear-{rule}", certain=False, place=place)


def _always(text: str, terms: MarkingTerms) -> bool:
    # Markings that are never a mention: ★ after a level, a filled 密级 field, the operator's patterns.
    return bool(terms.star_re.search(text) or terms.field_re.search(text) or any(p.search(text) for p in terms.extra))


def title_verdict(text: str, terms: MarkingTerms, *, unclear_leftover: bool = False) -> Verdict:
    """A short title (subject, filename, document property): a delimited or suffixed term is a label."""
    text = terms.prepare(text)
    if _always(text, terms) or terms.level_line_re.search(text):
        return True
    if terms.delimited_re.search(text) or terms.suffixed_re.search(text):
        return True
    if unclear_leftover and terms.label_re.search(text):
        return False
    return None


def head_line_verdict(line: str, terms: MarkingTerms) -> Verdict:
    """A line near the top (body head, docx first lines, header/footer): a label counts only where it opens the line."""
    line = terms.prepare(line)
    if _always(line, terms) or terms.level_line_re.search(line) or terms.at_start_re.search(line):
        return True
    return None


def cell_verdict(cell: str, terms: MarkingTerms) -> Verdict:
    """A sheet title cell or sheet name: bracketed or suffixed labels are certain; a bare 涉密 is unclear."""
    cell = terms.prepare(cell)
    if _always(cell, terms) or terms.level_line_re.search(cell):
        return True
    if terms.bracketed_re.search(cell) or terms.suffixed_re.search(cell):
        return True
    # A bare 涉密 in a title row may be a column heading as much as a label: a person decides.
    return False if terms.delimited_re.search(cell) else None


def deep_verdict(text: str, terms: MarkingTerms, *, cells: bool = False) -> Verdict:
    """Text past the head, many lines at once: an unmistakable marking is certain; a line shaped like a label is unclear.

    A label (【涉密】…, 涉密：…, a level alone on its line) past the lines where labels are looked for is
    no mention in prose, yet not where a marking belongs either: a person decides. With ``cells`` each line
    is a table cell, where a bare 秘密 or 涉密 is a value (a column such as 密级 or 备注), so only a
    bracketed or suffixed label counts.
    """
    text = terms.prepare(text)
    if _always(text, terms):
        return True
    shape = terms.label_cell_re if cells else terms.label_line_re
    return False if shape.search(text) else None


def prose_verdict(text: str, terms: MarkingTerms) -> Verdict:
    """Running text (the whole body, footnotes, shared strings): only the unmistakable markings count."""
    return True if _always(terms.prepare(text), terms) else None


def first_of(lines: list[str], judge, terms: MarkingTerms) -> Verdict:
    """The strongest verdict over some lines: the first certain one, else unclear if any was."""
    unclear = None
    for line in lines:
        verdict = judge(line, terms)
        if verdict:
            return True
        if verdict is False:
            unclear = False
    return unclear
