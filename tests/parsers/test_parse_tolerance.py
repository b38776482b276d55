"""How departments really fill the forms: odd headers, shifted tables, formulas, CJK dates, WPS files."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from parsers import read_attachment
from parsers.problems import flatten
from tests.routing.test_parse_build import HEAD3, campaign, docx_table, good_row, sheet_rows, xlsx


@pytest.fixture(scope="module")
def camp():
    return campaign()


def only(result):
    assert not result.problems, result.problems
    assert len(result.returns) == 1
    return result.returns[0]


def test_header_spaces_width_and_line_breaks(camp):
    rows = sheet_rows(2, [good_row(2)], unit="某局")
    rows[2] = ["部门(单位)盖章:某局"]
    rows.insert(3, ["填表日期： 2023.1.5"])
    rows[4] = ["序 号", "事项\n名称", "事项类别", None, "取消和下放的\n依据或理由", "承接主体 ", "取消或下放\n后续措施", "备　注"]
    ret = only(read_attachment(xlsx(rows), "a.xlsx", camp))
    assert (ret.kind, ret.unit_name, ret.filled_date, ret.problems) == ("attachment2", "某局", dt.date(2023, 1, 5), [])


def test_unmerged_two_row_header_and_shifted_table(camp):
    ret = only(read_attachment(xlsx(sheet_rows(3, [good_row(3)]), merge=False, offset=(1, 1)), "a.xlsx", camp))
    assert (ret.kind, ret.problems, ret.cells[0]["事项名称"]) == ("attachment3", [], "C7")


def test_missing_seq_column_and_extra_trailing_columns(camp):
    rows = sheet_rows(1, [good_row(1)[1:] + [None, "多余"]])
    rows[3] = ["需要调整的职能职责", "调整建议", "调整依据或理由", "备注", "联系人"]
    ret = only(read_attachment(xlsx(rows), "a.xlsx", camp))
    assert (ret.kind, ret.problems, list(ret.rows[0])) == ("attachment1", [], ["需要调整的职能职责", "调整建议", "调整依据或理由", "备注"])


def test_headers_below_a_title_cell_holding_unit_and_date(camp):
    rows = [[None], ["附件3"], ["保留职权事项及减环节、减材料、减时限清单"], [None], ["部门（单位）（盖章）", "兴安盟某局", None, "填表日期", "2023/1/5"],
            *map(list, HEAD3), good_row(3)]
    ret = only(read_attachment(xlsx(rows), "a.xlsx", camp))
    assert (ret.unit_name, ret.filled_date, ret.problems) == ("兴安盟某局", dt.date(2023, 1, 5), [])


@pytest.mark.parametrize("date", ["2023年1月5日", "2023.1.5", "2023-01-05", "2023/1/5"])
def test_filled_date_formats(camp, date):
    ret = only(read_attachment(xlsx(sheet_rows(1, [good_row(1)], date=date)), "a.xlsx", camp))
    assert ret.filled_date == dt.date(2023, 1, 5)


def test_date_as_an_excel_serial_next_to_the_label(camp):
    rows = sheet_rows(1, [good_row(1)])
    rows[2] = ["部门（单位）盖章：某局", None, "填表日期：", 44931]
    ret = only(read_attachment(xlsx(rows), "a.xlsx", camp))
    assert ret.filled_date == dt.date(2023, 1, 5)


def test_docx_plan_and_table_in_one_document(camp):
    plan = "兴安盟某局“两优”专项行动实施方案"
    body = "为深入贯彻落实盟委、行署部署，" * 5
    data = docx_table(1, [good_row(1)], paragraphs=(plan, body, "联络人：张三  职务：科长  电话：0482-8261234"))
    result = read_attachment(data, "a.docx", camp)
    assert sorted(r.kind for r in result.returns) == ["attachment1", "plan"]
    assert all(r.problems == [] for r in result.returns)
    # The plan's contact is handed on; the message decides it is a contact return (routing.stages.contacts).
    assert [(c.source, c.name, c.position, c.phone) for c in result.contacts] == [("plan", "张三", "科长", "0482-8261234")]


def test_trivial_formula_without_cached_value_is_evaluated(camp):
    rows = sheet_rows(3, [good_row(3)])
    rows[-1][12], rows[-1][13], rows[-1][14] = 20, 5, "=M6-N6"
    ret = only(read_attachment(xlsx(rows), "a.xlsx", camp))
    assert ret.rows[0]["压缩自然日/工作日"] == "15" and ret.problems == []


def test_other_formula_without_cached_value_is_a_warning_not_a_blank(camp):
    rows = sheet_rows(1, [good_row(1)])
    rows[-1][2] = '=CONCATENATE("集中","审批")'
    ret = only(read_attachment(xlsx(rows), "a.xlsx", camp))
    assert flatten(ret.problems)[0] == (1, "调整建议", "formula-no-value")
    assert ret.problems[0].cell == "C5"


def _rewrite(data: bytes, part: str, edit) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, edit(body) if info.filename == part else body)
    return out.getvalue()


def test_cjk_builtin_date_format_31_is_a_date(camp):
    book = openpyxl.Workbook()
    ws = book.active
    for r, row in enumerate(sheet_rows(1, [good_row(1)]), start=1):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    ws["C3"], ws["D3"] = "填表日期：", 44931
    ws["D3"].number_format = 'yyyy"年"m"月"d"日"'
    out = io.BytesIO()
    book.save(out)
    # What Chinese Excel writes: the built-in id 31 with no <numFmt> entry of its own.
    data = _rewrite(out.getvalue(), "xl/styles.xml", lambda b: re.sub(rb'<numFmts.*?</numFmts>', b"", b).replace(b'numFmtId="164"', b'numFmtId="31"'))
    ret = only(read_attachment(data, "a.xlsx", camp))
    assert ret.filled_date == dt.date(2023, 1, 5)


def test_wps_wrong_dimension_still_reads_every_row(camp):
    data = xlsx(sheet_rows(1, [good_row(1, 1), good_row(1, 2)]))
    data = _rewrite(data, "xl/worksheets/sheet1.xml", lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', b))
    ret = only(read_attachment(data, "a.xlsx", camp))
    assert len(ret.rows) == 2


def test_doctype_in_a_part_is_refused(camp):
    data = xlsx(sheet_rows(1, [good_row(1)]))
    data = _rewrite(data, "xl/workbook.xml", lambda b: b.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY a "b">]><workbook', 1))
    result = read_attachment(data, "a.xlsx", camp)
    assert (result.returns, [p.code for p in result.problems]) == ([], ["hostile-file"])


def test_zip_bomb_ratio_and_size_are_refused(camp):
    from parsers.safety.limits import Limits

    data = xlsx(sheet_rows(1, [good_row(1)]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            dst.writestr(info, zipfile.ZipFile(io.BytesIO(data)).read(info))
        dst.writestr("xl/media/padding.bin", b"\x00" * (4 << 20))
    result = read_attachment(out.getvalue(), "a.xlsx", camp)
    assert [p.code for p in result.problems] == ["hostile-file"]
    result = read_attachment(data, "a.xlsx", camp, limits=Limits(max_unzipped=1000))
    assert [p.code for p in result.problems] == ["file-too-large"]


def test_row_cap(camp):
    from parsers.safety.limits import Limits

    data = xlsx(sheet_rows(1, [good_row(1, n) for n in range(1, 30)]))
    result = read_attachment(data, "a.xlsx", camp, limits=Limits(max_rows=20))
    assert [p.code for p in result.problems] == ["sheet-too-large"]
