"""The 涉密 gate's detection: does a message carry a 密级 marking or a 涉密 label, and where.

Rule codes (stable; the pipeline records them): marking-in-header, marking-in-subject,
marking-in-filename, marking-in-body, marking-in-document, marking-in-document-header,
marking-in-document-footer, marking-in-document-notes, marking-in-properties, marking-in-document-parts,
marking-in-sheet-name, marking-in-sheet-title, marking-in-sheet-header, marking-in-sheet-cells,
marking-in-sheet-comments;
unclear (held for review): unclear-label-in-subject, unclear-label-in-filename, unclear-label-in-body,
unclear-label-in-document, unclear-label-in-document-notes, unclear-label-in-sheet-title,
unclear-label-in-sheet-name, unclear-label-in-sheet-cells, unclear-label-in-sheet-comments,
unclear-hostile-document, unclear-too-many-sheets, unclear-beyond-extent.

Where a label alone refuses (the head: ``body_head_lines``, ``document_head_lines``, ``sheet_title_rows``)
and how much is read at all (``max_text_chars``, ``max_part_bytes``) are the extent; past the head a
line shaped like a label is held for a person, and what lies past the read bounds is held too when the
parsers would read it (see README, 处理规则).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from parsers.gate.docs import scan_document
from parsers.gate.rules import Marking, deep_verdict, first_of, found, head_line_verdict, title_verdict
from parsers.gate.terms import MarkingTerms
from parsers.safety.limits import Limits

__all__ = ["Marking", "MarkingTerms", "scan_delivery", "scan_text", "scan_headers", "scan_subject",
           "scan_filenames", "scan_body", "scan_document"]


def scan_text(text: str, terms: MarkingTerms, *, place: str, rule: str, unclear_rule: str | None = None) -> Marking | None:
    """A short title-like text (subject, filename, header value); with ``unclear_rule`` a stray 涉密 is unclear."""
    verdict = title_verdict(text, terms, unclear_leftover=unclear_rule is not None)
    return found(verdict, rule, place, unclear_rule)


def scan_headers(headers: Mapping[str, str], terms: MarkingTerms) -> Marking | None:
    """The mail headers the operator named in ``header_names`` (none by default)."""
    wanted = {name.lower() for name in terms.header_names}
    values = [str(v) for k, v in headers.items() if k.lower() in wanted]
    return found(first_of(values, title_verdict, terms), "marking-in-header", "邮件头")


def scan_subject(subject: str, terms: MarkingTerms) -> Marking | None:
    """The subject: 【涉密】…, 涉密件, (涉密), 秘密★1年; a 涉密 that is no clear label is unclear."""
    return scan_text(subject, terms, place="主题", rule="marking-in-subject", unclear_rule="unclear-label-in-subject")


def scan_filenames(filenames: list[str], terms: MarkingTerms) -> Iterator[Marking]:
    """Each attachment's filename, without its extension, judged like a subject."""
    for number, name in enumerate(filenames, 1):
        stem = name.rsplit(".", 1)[0] if "." in name else name
        hit = scan_text(stem, terms, place=f"第{number}个附件的文件名", rule="marking-in-filename",
                        unclear_rule="unclear-label-in-filename")
        if hit:
            yield hit


def scan_body(body: str, terms: MarkingTerms, where: str = "正文") -> Marking | None:
    """The head of the body for a label, level or field; all of it for a ★ marking or a line shaped like a label."""
    text = body[: terms.max_text_chars]
    lines = [line for line in text.splitlines() if line.strip()]
    head = found(first_of(lines[: terms.body_head_lines], head_line_verdict, terms), "marking-in-body", where + "开头")
    deep = head or found(deep_verdict(text, terms), "marking-in-body", where, "unclear-label-in-body")
    if (deep is None or not deep.certain) and len(body) > terms.max_text_chars:
        # The readers read the whole body: what the gate did not read goes to a person.
        return Marking("unclear-beyond-extent", False, where + "超出检查范围的部分")
    return deep


def scan_more(texts: Iterable[tuple[str, str, str]], terms: MarkingTerms) -> Iterator[Marking]:
    """The message's other texts, as (kind, place, text): forwarded subjects, other body versions, archive names."""
    for kind, where, text in texts:
        if kind == "subject":
            # A forwarded subject (a bounce of our own notice says 涉密材料…): only a real label counts.
            hit = scan_text(text, terms, place=where, rule="marking-in-subject")
        elif kind == "filename":
            hit = scan_text(text.rsplit(".", 1)[0], terms, place=where, rule="marking-in-filename",
                            unclear_rule="unclear-label-in-filename")
        else:
            hit = scan_body(text, terms, where)
        if hit:
            yield hit


def scan_delivery(subject: str, filenames: list[str], body: str, documents: list[tuple[str, bytes]],
                  terms: MarkingTerms, *, headers: Mapping[str, str] | None = None,
                  texts: Iterable[tuple[str, str, str]] = (), limits: Limits | None = None) -> Marking | None:
    """The first certain marking, cheapest place first; else the first unclear one; else None.

    ``limits`` are the parsers' (parsers.read): a document the parsers would refuse whole need not be
    read past the gate's own bounds, since nothing of it would be kept.
    """
    unclear = None
    for hit in _candidates(subject, filenames, body, documents, terms, headers or {}, tuple(texts), limits):
        if hit.certain:
            return hit
        unclear = unclear or hit
    return unclear


def _candidates(subject: str, filenames: list[str], body: str, documents: list[tuple[str, bytes]],
                terms: MarkingTerms, headers: Mapping[str, str], texts: tuple, limits: Limits | None) -> Iterator[Marking]:
    # Lazy on purpose: a certain hit in the subject means no attachment is ever opened.
    yield from _present(scan_headers(headers, terms), scan_subject(subject, terms))
    yield from scan_filenames(filenames, terms)
    yield from scan_more((t for t in texts if t[0] != "body"), terms)
    yield from _present(scan_body(body, terms))
    yield from scan_more((t for t in texts if t[0] == "body"), terms)
    for number, (_name, data) in enumerate(documents, 1):
        yield from scan_document(number, data, terms, limits=limits)


def _present(*hits: Marking | None) -> Iterable[Marking]:
    return [hit for hit in hits if hit is not None]
