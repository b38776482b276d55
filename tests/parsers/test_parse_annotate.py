"""The annotated copy: offending cells highlighted and commented, nothing else changed."""

from __future__ import annotations

import io
import zipfile

import openpyxl

from parsers import read_attachment
from parsers.annotate import annotate_workbook
from tests.routing.test_parse_build import campaign, good_row, sheet_rows, xlsx


def test_annotated_copy_marks_the_offending_cells():
    rows = [good_row(2, 1), good_row(2, 2)]
    rows[1][2] = None
    data = xlsx(sheet_rows(2, rows))
    result = read_attachment(data, "a.xlsx", campaign())
    problems = result.returns[0].problems
    assert [p.cell for p in problems] == ["C7"]
    copy = openpyxl.load_workbook(io.BytesIO(annotate_workbook(data, problems)))
    ws = copy["Sheet1"]
    assert "选择一项划“√”" in ws["C7"].comment.text
    assert ws["C7"].fill.start_color.rgb == "FFFFC7CE"
    assert ws["C6"].comment is None and ws["B7"].value == "事项2"
    original = openpyxl.load_workbook(io.BytesIO(data))["Sheet1"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in original.iter_rows()]
    assert ws.merged_cells.ranges == original.merged_cells.ranges


def test_the_annotated_copy_leaves_no_zip_open(monkeypatch):
    # An unclosed in-memory zip is closed later by the garbage collector, after its buffer is freed:
    # "Exception ignored in ZipFile.__del__" in the worker's log, once per annotated copy.
    opened, init = [], zipfile.ZipFile.__init__

    def tracked(self, *args, **kwargs):
        init(self, *args, **kwargs)
        opened.append(self)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", tracked)  # openpyxl holds its own reference to the class
    data = xlsx(sheet_rows(2, [good_row(2, 1)]))
    problems = read_attachment(data, "a.xlsx", campaign()).returns[0].problems or []
    annotate_workbook(data, problems)
    writers = [z for z in opened if z.mode in ("w", "a", "x")]
    assert writers and all(z.fp is None for z in writers)


def test_the_annotated_copy_says_each_problem_in_words_on_a_sheet_that_prints():
    rows = [good_row(2, 1), good_row(2, 2)]
    rows[1][2] = None
    data = xlsx(sheet_rows(2, rows))
    problems = read_attachment(data, "a.xlsx", campaign()).returns[0].problems
    copy = openpyxl.load_workbook(io.BytesIO(annotate_workbook(data, problems)))
    assert copy.sheetnames == ["Sheet1", "问题说明"]
    ws = copy["问题说明"]
    assert [c.value for c in ws[1]] == ["序号", "工作表", "单元格", "级别", "说明"]
    assert [c.value for c in ws[2]][:4] == [1, "Sheet1", "C7", "需修改"] and "选择一项划“√”" in ws["E2"].value
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
