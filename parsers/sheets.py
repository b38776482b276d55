"""Returns in a workbook: every sheet whose headers match a form becomes a return."""

from __future__ import annotations

from routing.campaign import Campaign

from parsers import messages
from parsers.limits import Limits
from parsers.problems import error
from parsers.recognise import recognise
from parsers.returns import FileResult
from parsers.table import build_return
from parsers.xls import read_xls
from parsers.xlsx import read_xlsx


def read_sheets(data: bytes, fmt: str, filename: str, campaign: Campaign, limits: Limits, result: FileResult) -> None:
    """Add a return to ``result`` for each recognised sheet; a workbook with none is a file-level error."""
    grids = read_xls(data, limits) if fmt == "xls" else read_xlsx(data, limits)
    for grid in grids:
        layout = recognise(grid, campaign)
        if layout:
            result.returns.append(build_return(grid, layout, campaign, filename))
    if not result.returns:
        result.problems.append(error("no-form-found", messages.render("no-form-found", file=filename), file=filename))
