"""What coordinators print: every workbook rendered to PDF by LibreOffice on A3 landscape, its pages counted, its smallest text measured."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import openpyxl
import pytest

from mailbot.reports.exports import export_files
from mailbot.reports.workbook import build_ledger_workbook
from tests.mailbot.test_workbook import NOW, desk_app  # noqa: F401 (the shared ledger state: 67 units after both deadlines)
from tests.support.prints import SOFFICE, render

MIN_POINTS = 9.0
A3_LANDSCAPE = (1190.6, 841.9)


def _cjk_font() -> bool:
    try:
        return bool(subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout.strip())
    except OSError:
        return False


pytestmark = [pytest.mark.prints, pytest.mark.skipif(not os.path.exists(SOFFICE) or shutil.which("fc-list") is None or not _cjk_font(),
                                                   reason="needs LibreOffice Calc and a CJK font (apt-get install libreoffice-calc fonts-wqy-microhei)")]


def sheets_apart(data: bytes) -> dict[str, bytes]:
    """Each sheet of a workbook as a workbook of its own, so each is measured alone."""
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    found = {}
    for name in names:
        book = openpyxl.load_workbook(io.BytesIO(data))
        for other in [n for n in book.sheetnames if n != name]:
            del book[other]
        out = io.BytesIO()
        book.save(out)
        found[name] = out.getvalue()
    return found


def assert_legible(printout, pages: int, what: str) -> None:
    assert printout.pages == pages, (what, printout.pages)
    assert printout.smallest >= MIN_POINTS, (what, printout.smallest)
    assert all(abs(w - A3_LANDSCAPE[0]) < 2 and abs(h - A3_LANDSCAPE[1]) < 2 for w, h in printout.sizes), (what, printout.sizes)


# Pages of each 台账 sheet for the seeded ledger (67 units; one office sees 40 or 27 of them).
LEDGER_PAGES = {
    None: {"报送情况": 2, "报送详情（实施方案和联络人）": 3, "报送详情（四项成果和清单）": 3, "收件记录": 1, "问题明细": 1},
    "zwfw": {"报送情况": 2, "报送详情（实施方案和联络人）": 2, "报送详情（四项成果和清单）": 2, "收件记录": 1, "问题明细": 1},
}


@pytest.mark.parametrize("office", [None, "zwfw"], ids=["all", "zwfw"])
def test_every_ledger_sheet_prints_legibly_on_a3_landscape(desk_app, tmp_path, office):  # noqa: F811
    with desk_app.ledger.session() as s:
        data = build_ledger_workbook(s, desk_app.campaign, NOW, office)
    for number, (name, sheet) in enumerate(sheets_apart(data).items()):
        printout = render(sheet, tmp_path / str(number))
        assert_legible(printout, LEDGER_PAGES[office][name], name)
        if name == "报送情况":
            text = "\n".join(printout.texts)
            assert "合计：逾期未报" in text and text.count(printout.texts[0].splitlines()[0]) == printout.pages  # the title once a page


def test_every_export_prints_legibly_and_names_its_title_once_a_page(desk_app, tmp_path):  # noqa: F811
    with desk_app.ledger.session() as s:
        files = export_files(s, desk_app.campaign, NOW, "zwfw")
    for number, (name, data) in enumerate(files.items()):
        for part, (sheet, book) in enumerate(sheets_apart(data).items()):
            printout = render(book, tmp_path / f"{number}-{part}")
            assert printout.smallest >= MIN_POINTS, (name, sheet, printout.smallest)
            title = openpyxl.load_workbook(io.BytesIO(book)).active.cell(1, 1).value
            for page in printout.texts:
                assert page.count(title) == 1, (name, sheet, page[:200])  # title rows repeat; the page header does not repeat them
        assert printout.pages >= 1


def test_the_missing_list_prints_a_phone_column(desk_app, tmp_path):  # noqa: F811
    with desk_app.ledger.session() as s:
        data = export_files(s, desk_app.campaign, NOW, "zwfw")["政务服务局_未报送及逾期名单.xlsx"]
    printout = render(sheets_apart(data)["未报送及逾期未报"], tmp_path)
    assert "联系电话" in printout.texts[0] and printout.smallest >= MIN_POINTS


def test_an_annotated_copy_prints_its_problems_in_words(tmp_path):
    from parsers import read_attachment
    from parsers.annotate import annotate_workbook
    from tests.routing.test_parse_build import campaign, good_row, sheet_rows, xlsx

    rows = [good_row(2, 1), good_row(2, 2)]
    rows[1][2] = None
    data = xlsx(sheet_rows(2, rows))
    problems = read_attachment(data, "a.xlsx", campaign()).returns[0].problems
    printout = render(annotate_workbook(data, problems), tmp_path)
    text = "\n".join(printout.texts)
    assert "C7" in text and "选择一项划" in text  # the comment's words are on paper, not only in a tooltip
