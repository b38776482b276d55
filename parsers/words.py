"""Returns in a .docx: form tables, the plan (实施方案) and the contact (联络人、职务、电话)."""

from __future__ import annotations

from routing.campaign import Campaign

from parsers import messages
from parsers.document import find_contact, is_plan, read_plan
from parsers.grid import Grid
from parsers.limits import Limits
from parsers.problems import error
from parsers.recognise import recognise
from parsers.returns import FileResult
from parsers.table import build_return
from parsers.word import WordDoc, read_docx


def read_words(data: bytes, filename: str, campaign: Campaign, subject: str, body: str, limits: Limits, result: FileResult) -> None:
    """Add the returns a docx holds (and a contact found in the mail body) to ``result``."""
    doc = read_docx(data, limits)
    for grid in doc.tables:
        layout = recognise(grid, campaign)
        if layout:
            result.returns.append(build_return(grid, layout, campaign, filename))
    _add_documents(doc, filename, campaign, subject, body, result)
    if not result.returns:
        result.problems.append(error("no-form-found", messages.render("no-form-found", file=filename), file=filename))


def _add_documents(doc: WordDoc, filename: str, campaign: Campaign, subject: str, body: str, result: FileResult) -> None:
    title = next((p for p in doc.paragraphs if p), "")
    tables = [g for g in doc.tables if not recognise(g, campaign)]
    # The subject names the plan for the whole mail; a docx that holds a form table is not the plan.
    subject = subject if len(tables) == len(doc.tables) else ""
    for spec in campaign.forms:
        if spec.layout == "document" and is_plan(spec, title, subject):
            result.returns.append(read_plan(spec, doc, filename))
        elif spec.layout == "contact":
            contact = find_contact(spec, doc.paragraphs + table_lines(tables) + body.splitlines(), filename)
            if contact:
                result.returns.append(contact)


def table_lines(grids: list[Grid]) -> list[str]:
    """Label/value lines from small tables: rows as they stand, and header-over-value pairs."""
    lines = []
    for grid in grids:
        lines += ["\t".join(c.text for c in row) for row in grid.rows]
        for upper, lower in zip(grid.rows, grid.rows[1:]):
            lines += [f"{a.text}：{b.text}" for a, b in zip(upper, lower) if a.text and b.text]
    return lines


def read_body(body: str, subject: str, campaign: Campaign) -> list:
    """A contact (联络人、职务、电话) given in the mail's text, as a return; [] when the text names none."""
    found = []
    for spec in (s for s in campaign.forms if s.layout == "contact"):
        contact = find_contact(spec, [subject, *body.splitlines()], "邮件正文")
        if contact:
            contact.sheet = None
            found.append(contact)
    return found
