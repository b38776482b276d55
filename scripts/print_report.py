"""Render every workbook of the demo ledger to PDF with LibreOffice and report, per sheet, the pages and the smallest printed text.

Usage: python scripts/print_report.py   (needs libreoffice-calc, a CJK font and pdfplumber; runs in a private temp dir)
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mailbot.app import App  # noqa: E402
from mailbot.reports.exports import export_files  # noqa: E402
from mailbot.reports.workbook import build_ledger_workbook  # noqa: E402
from scripts.screenshots import demo_ledger  # noqa: E402
from tests.support.prints import render  # noqa: E402


def sheets(data: bytes):
    for name in openpyxl.load_workbook(io.BytesIO(data)).sheetnames:
        book = openpyxl.load_workbook(io.BytesIO(data))
        for other in [n for n in book.sheetnames if n != name]:
            del book[other]
        out = io.BytesIO()
        book.save(out)
        yield name, out.getvalue()


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        app = App(db=f"sqlite:///{work}/ledger.db")
        now = dt.datetime(2023, 1, 21, 10, 0, tzinfo=app.campaign.timezone)
        demo_ledger(app, now)
        books = {}
        with app.ledger.session() as s:
            for office in (None, "bianban", "zwfw"):
                books[f"台账（{office or '全部'}）"] = build_ledger_workbook(s, app.campaign, now, office)
            books.update(export_files(s, app.campaign, now, None))
        print("| 工作簿 | 工作表 | 页数（A3 横向） | 最小字号（磅） |\n|---|---|---|---|")
        for number, (book, data) in enumerate(books.items()):
            for part, (name, sheet) in enumerate(sheets(data)):
                printout = render(sheet, Path(work) / f"{number}-{part}")
                print(f"| {book} | {name} | {printout.pages} | {printout.smallest:.1f} |")
        app.ledger.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
