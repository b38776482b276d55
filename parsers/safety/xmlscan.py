"""Elements and text of raw XML found in time linear in its length, however the XML is damaged.

The 涉密 gate reads parts as text. A pattern such as ``<row…>(.*?)</row>`` retried from every ``<row``
of a part that never closes one costs the square of its length: 100 KB of ``<row>`` took 40 s, two
megabytes would take hours. Here a closing tag is searched for once per element (and no more once one
is missing), and an opening tag's attributes stop at the next ``<``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

_NS = r"(?:[\w.-]+:)?"
# Attribute values may hold '>' but never '<' (XML forbids it), so a tag ends before the next '<'. A quote
# that closes nothing (a damaged part) is taken as a character, so the rest of the tag is still read.
TAG_ATTRS = r"((?:[^<>\"']|\"[^\"<]*\"|'[^'<]*'|[\"'])*+)"  # possessive: a failed tag is given up at once


@functools.cache
def _tags(name: str) -> tuple[re.Pattern, re.Pattern]:
    return re.compile(rf"<{_NS}{name}\b{TAG_ATTRS}>"), re.compile(rf"</{_NS}{name}\s*>")


def elements(xml: str, name: str) -> Iterator[tuple[str, str]]:
    """(attributes, inner text) of each ``<name …>…</name>`` or ``<name …/>``, in order, not nested."""
    for start, end in _spans(xml, name):
        attrs = start.group(1)
        yield (attrs[:-1], "") if end is None else (attrs, xml[start.end():end.start()])


def without(xml: str, name: str) -> str:
    """The text with every whole ``<name>…</name>`` (or ``<name/>``) element cut out."""
    kept, pos = [], 0
    for start, end in _spans(xml, name):
        kept.append(xml[pos:start.start()])
        pos = (end or start).end()
    kept.append(xml[pos:])
    return "".join(kept)


def _spans(xml: str, name: str) -> Iterator[tuple[re.Match, re.Match | None]]:
    """(opening tag, closing tag) of each whole element; the closing tag is None for an empty element."""
    opening, closing = _tags(name)
    pos, unclosed = 0, False
    while (start := opening.search(xml, pos)) is not None:
        pos = start.end()
        if start.group(1).endswith("/"):
            yield start, None
            continue
        # Once a closing tag is missing, none follows: later elements can only be empty ones.
        end = None if unclosed else closing.search(xml, pos)
        if end is None:
            unclosed = True  # left open: skipped, as the old pattern skipped it
            continue
        yield start, end
        pos = end.end()


def texts(xml: str) -> list[str]:
    """The text between one tag's '>' and the next '<' (what ``>([^<]+)<`` finds), in one pass."""
    segments = xml.split("<")
    return [text for text in (segment.partition(">")[2] for segment in segments[:-1]) if text]
