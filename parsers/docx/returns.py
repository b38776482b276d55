"""Returns in a .docx: form tables, the plan (实施方案), and contact details (联络人、职务、电话).

A document holding a form is that form: a name and phone on its 盖章 line or in its footnote are no contact
return. Contact details count from a document of their own, or from the plan (where the notice asks for both).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from parsers import problem_texts as messages
from parsers.contacts.details import FILE, PLAN, TEXT, Contact, labels_of
from parsers.contacts.table import contact_in_grid
from parsers.contacts.text import contact_in_lines
from parsers.docx.plan import is_plan, read_plan
from parsers.docx.read import WordDoc, read_docx
from parsers.forms.grid import Grid
from parsers.forms.recognise import recognise
from parsers.forms.spec import FormBook, FormSpec
from parsers.forms.table import build_return
from parsers.forms.text import key
from parsers.problems import error
from parsers.returns import FileResult
from parsers.safety.limits import Limits

# Below this many characters a document holding contact details is a contact document, not a plan.
SHORT_DOCUMENT = 200


def read_words(data: bytes, filename: str, campaign: FormBook, subject: str, limits: Limits, result: FileResult) -> None:
    """Add the returns a docx holds, and the contact details it carries, to ``result``."""
    doc = read_docx(data, limits)
    forms: list[tuple[Grid, FormSpec]] = []
    for grid in doc.tables:
        layout = recognise(grid, campaign)
        if layout:
            result.returns.append(build_return(grid, layout, campaign, filename))
            forms.append((grid, layout.spec))
    _add_documents(doc, forms, filename, campaign, subject, result)
    if not result.returns and not result.contacts:
        result.problems.append(error("no-form-found", messages.render("no-form-found", file=filename, expected=messages.expected_forms(campaign)), file=filename))


def _add_documents(doc: WordDoc, forms: list[tuple[Grid, FormSpec]], filename: str, campaign: FormBook, subject: str,
                   result: FileResult) -> None:
    title = next((p for p in doc.paragraphs if p), "")
    named = f"{title} {PurePath(filename).stem}"
    others = [g for g in doc.tables if all(g is not f for f, _ in forms)]
    contacts = [(spec, _contact(doc, others, forms, labels_of(spec, campaign.offices.values())))
                for spec in campaign.forms if spec.layout == "contact"]
    own = {spec.kind: found is not None and (_titled(spec, named) or found.source == FILE or _short(doc)) for spec, found in contacts}
    # The subject names the plan for the whole mail, but not a form, and not a contact's own document.
    plans = [p for p in campaign.forms if p.layout == "document"
             and (is_plan(p, named, "") or (not forms and not any(own.values()) and is_plan(p, "", subject)))]
    result.returns += [read_plan(plan, doc, filename) for plan in plans]
    for spec, found in contacts:
        if found is None or (forms and not plans):
            continue  # a form is a form: the name and phone on its 盖章 line or footnote are no contact return
        found.source = PLAN if plans else (FILE if own[spec.kind] else TEXT)
        found.file = filename
        result.contacts.append(found)


def _titled(spec: FormSpec, named: str) -> bool:
    return any(key(k) in key(named) for k in spec.keywords or (spec.label,))


def _contact(doc: WordDoc, tables: list[Grid], forms: list[tuple[Grid, FormSpec]], labels) -> Contact | None:
    """A contact in the document's own tables, else in its text (before any form it carries)."""
    for grid in tables:
        found = contact_in_grid(grid, labels)
        if found is not None and not found.is_excluded(labels):
            found.source = FILE  # a table of contact details is the document's own, whatever its layout
            return found
    found = contact_in_lines(_text_outside_forms(doc, forms), labels)
    return None if found is None or found.is_excluded(labels) else found


def _text_outside_forms(doc: WordDoc, forms: list[tuple[Grid, FormSpec]]) -> list[str]:
    # A form's 附件N, title, 盖章 and 填表日期 lines sit just above it and its footnotes below: read only
    # the text before the first form's own lines.
    if not forms:
        return doc.paragraphs
    grid, spec = forms[0]
    first = next(n for n, table in enumerate(doc.tables) if table is grid)
    head = doc.paragraphs[: doc.table_at[first]]
    while head and (not head[-1] or _form_line(head[-1], spec)):
        head.pop()
    return head


def _form_line(text: str, spec: FormSpec) -> bool:
    words = [spec.title, spec.label, spec.unit_label, spec.date_label, *spec.extra.get("unit_aliases", ()), *spec.extra.get("date_aliases", ())]
    flat = key(re.sub(r"[()（）]", "", text))
    return any(w and key(re.sub(r"[()（）]", "", w)) in flat for w in words) or bool(re.match(r"附件\s*\d", text))


def _short(doc: WordDoc) -> bool:
    return len(re.sub(r"\s", "", "".join(doc.paragraphs))) < SHORT_DOCUMENT

