"""Returns in a workbook: every sheet whose headers match a form becomes a return; a contact sheet is noted."""

from __future__ import annotations

from parsers import problem_texts as messages
from parsers.contacts.details import FILE, TEXT, labels_of
from parsers.contacts.table import contact_in_grid
from parsers.forms.grid import Grid
from parsers.forms.recognise import recognise
from parsers.forms.spec import FormBook
from parsers.forms.table import build_return
from parsers.problems import error
from parsers.returns import FileResult
from parsers.safety.limits import Limits
from parsers.xls.read import read_xls
from parsers.xlsx.read import read_xlsx

# A sheet with no more filled cells than this, holding contact details, is a contact sheet.
SMALL_SHEET = 40


def read_sheets(data: bytes, fmt: str, filename: str, campaign: FormBook, limits: Limits, result: FileResult) -> None:
    """Add a return to ``result`` for each recognised sheet; a workbook with none (and no contact) is a file-level error."""
    grids = read_xls(data, limits) if fmt == "xls" else read_xlsx(data, limits)
    for grid in grids:
        layout = recognise(grid, campaign)
        if layout:
            result.returns.append(build_return(grid, layout, campaign, filename))
        else:
            _add_contact(grid, filename, campaign, result)
    if not result.returns and not result.contacts:
        result.problems.append(error("no-form-found", messages.render("no-form-found", file=filename, expected=messages.expected_forms(campaign)), file=filename))


def _add_contact(grid: Grid, filename: str, campaign: FormBook, result: FileResult) -> None:
    """A contact table of the sender's own design (any columns, leaders beside the contact) on a sheet that is no form."""
    for spec in (s for s in campaign.forms if s.layout == "contact"):
        labels = labels_of(spec, campaign.offices.values())
        contact = contact_in_grid(grid, labels)
        if contact is None or contact.is_excluded(labels) or result.contacts:
            continue
        filled = sum(1 for row in grid.rows for cell in row if cell.text)
        if contact.source == TEXT and filled <= SMALL_SHEET:
            contact.source = FILE
        contact.file, contact.sheet = filename, grid.name
        result.contacts.append(contact)
