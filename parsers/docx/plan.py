"""The plan (实施方案): a document named so by its title, its file name or the mail's subject."""

from __future__ import annotations

import re

from parsers import problem_texts as messages
from parsers.docx.read import WordDoc
from parsers.forms.spec import FormSpec
from parsers.forms.text import key
from parsers.problems import error
from parsers.returns import ParsedReturn


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
