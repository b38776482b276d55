"""read_attachment: formats, recognition tolerances, unit and date lines, several returns per file."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers import read_attachment
from parsers.problems import flatten
from tests.routing.test_parse_build import campaign, document, docx_table, good_row, sheet_rows, xlsx


@pytest.fixture(scope="module")
def camp():
    return campaign()


def kinds(result):
    return [r.kind for r in result.returns]


@pytest.mark.parametrize("form", [1, 2, 3])
def test_good_forms_parse_clean_from_xlsx_and_docx(camp, form):
    rows = [good_row(form, 1), good_row(form, 2), ["..."]]
    for data, name in ((xlsx(sheet_rows(form, rows)), "a.xlsx"), (docx_table(form, rows), "a.docx")):
        result = read_attachment(data, name, camp)
        assert kinds(result) == [f"attachment{form}"]
        ret = result.returns[0]
        assert (ret.unit_name, ret.filled_date, len(ret.rows), ret.problems) == ("兴安盟某某局", dt.date(2023, 1, 5), 2, [])


def test_cell_refs_point_into_the_senders_sheet(camp):
    result = read_attachment(xlsx(sheet_rows(2, [good_row(2)])), "a.xlsx", camp)
    assert result.returns[0].cells[0]["事项名称"] == "B6"
    result = read_attachment(docx_table(2, [good_row(2)]), "a.docx", camp)
    assert result.returns[0].cells[0]["事项名称"] == "表格1第3行第2列"


def test_sniffs_content_not_extension(camp):
    result = read_attachment(xlsx(sheet_rows(1, [good_row(1)])), "renamed.docx", camp)
    assert (result.format, kinds(result)) == ("xlsx", ["attachment1"])


@pytest.mark.parametrize("data, fmt", [
    (b"%PDF-1.4 scan", "pdf"),
    (b"\x89PNG\r\n\x1a\n....", "image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00\x00", "doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "ole"),
    (b"hello", "unknown"),
])
def test_unreadable_formats_ask_for_xlsx_or_docx(camp, data, fmt):
    result = read_attachment(data, "x.doc", camp)
    assert (result.format, result.returns, [p.code for p in result.problems]) == (fmt, [], ["unsupported-format"])
    assert "请另存为.xlsx/.docx后重新发送" in result.problems[0].message


def test_corrupt_zip_is_a_problem_not_a_crash(camp):
    data = xlsx(sheet_rows(1, [good_row(1)]))
    result = read_attachment(data[:300], "a.xlsx", camp)
    assert [p.code for p in result.problems] and result.returns == []


def test_several_sheets_several_returns(camp):
    data = xlsx(sheet_rows(2, [good_row(2)]), [["说明", "无关"]], sheet_rows(3, [good_row(3)]))
    result = read_attachment(data, "a.xlsx", camp)
    assert kinds(result) == ["attachment2", "attachment3"]
    assert [r.sheet for r in result.returns] == ["Sheet1", "Sheet3"]


def test_workbook_without_any_form(camp):
    result = read_attachment(xlsx([["甲", "乙"], [1, 2]]), "a.xlsx", camp)
    assert [p.code for p in result.problems] == ["no-form-found"]


def test_no_data_rows_is_an_error(camp):
    result = read_attachment(xlsx(sheet_rows(3, [[1], [2], ["..."]])), "a.xlsx", camp)
    assert flatten(result.returns[0].problems) == [(None, None, "no-data-rows")]
    assert result.returns[0].status == "invalid"
