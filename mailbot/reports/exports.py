"""What coordinators report upward: the 汇总 of each table form, the metrics table (if any), the 未报送/逾期 list."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.orm import Session

from mailbot.reports.export_forms import write_form_summary
from mailbot.reports.export_results import write_late, write_missing, write_results
from mailbot.reports.workbook_data import required_kinds
from routing.model.campaign import Campaign


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_kinds(campaign: Campaign, office: str | None) -> list[str]:
    """The form kinds with columns (table layout) some unit owes (to ``office``)."""

    return [k for k in required_kinds(campaign, office) if campaign.form(k).layout == "table"]


def build_form_summary(session: Session, campaign: Campaign, now: dt.datetime, kind: str, office: str | None = None) -> bytes:
    """The 汇总 of one form as xlsx bytes."""
    book = Workbook()
    write_form_summary(book.active, session, campaign, now, campaign.form(kind), office)
    return _save(book)


def build_results(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> bytes:
    """The metrics table (the campaign's results_title) as xlsx bytes."""
    book = Workbook()
    write_results(book.active, session, campaign, now, office)
    return _save(book)


def build_missing(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> bytes:
    """The 未报送 list (and a sheet of late returns) as xlsx bytes."""
    book = Workbook()
    write_missing(book.active, session, campaign, now, office)
    write_late(book.create_sheet("逾期已报"), session, campaign, now, office)
    return _save(book)


def export_plan(campaign: Campaign, office: str | None = None) -> list[tuple[str, str, Callable]]:
    """(slug, file name, builder) of every export; an office's files carry its short name."""
    prefix = f"{campaign.offices[office].short}_" if office else ""
    plan = [(f"summary-{k}", f"{prefix}{campaign.form(k).label}汇总表.xlsx", partial(build_form_summary, kind=k)) for k in table_kinds(campaign, office)]
    if campaign.metrics:  # a notice without [[metrics]] asks for no such table
        plan.append(("results", f"{prefix}{campaign.texts.results_title}.xlsx", build_results))
    plan.append(("missing", f"{prefix}未报送及逾期名单.xlsx", build_missing))
    return plan


def export_files(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> dict[str, bytes]:
    """Every export, by file name."""
    return {name: build(session, campaign, now, office=office) for _, name, build in export_plan(campaign, office)}


def write_exports(session: Session, campaign: Campaign, now: dt.datetime, directory: Path, office: str | None = None) -> list[Path]:
    """Write every export into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in export_files(session, campaign, now, office).items():
        (directory / name).write_bytes(data)
        written.append(directory / name)
    return written
