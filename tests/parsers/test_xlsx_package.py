"""The xlsx reader without openpyxl's Workbook: values as openpyxl gives them, parts found as Excel and WPS place them."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile

import openpyxl
import pytest

from parsers.errors import UnreadableFile
from parsers.safety.limits import DEFAULT_LIMITS
from parsers.xlsx.read import read_xlsx
from tests.support.hostile_files import part, rezip

CT = "[Content_Types].xml"
RELS = "xl/_rels/workbook.xml.rels"


def book(*sheets: tuple[str, list[list[object]]], formats: dict[str, str] | None = None, epoch1904=False) -> bytes:
    """A workbook written by openpyxl: named sheets of rows; ``formats`` maps a cell ref of every sheet to a number format."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if epoch1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for ref, fmt in (formats or {}).items():
            ws[ref].number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit(data: bytes, name: str, *subs: tuple[bytes, bytes]) -> bytes:
    xml = part(data, name)
    for pattern, repl in subs:
        xml = re.sub(pattern, repl, xml)
    return rezip(data, {name: xml})


def renamed(data: bytes, old: str, new: str) -> bytes:
    """The package with one part moved to another name."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(new if info.filename == old else info.filename, source.read(info.filename))
    return out.getvalue()


def values(data: bytes) -> dict[str, list[list[object]]]:
    return {g.name: [[c.value for c in row] for row in g.rows] for g in read_xlsx(data, DEFAULT_LIMITS)}


def openpyxl_values(data: bytes) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


SAMPLES = ["兴安盟教育局", "", "2023年1月5日", 0, 1, -3, 2.5, 44927, 45000.25, True, False,
           dt.datetime(2023, 1, 5), dt.datetime(2023, 1, 5, 9, 30), dt.date(2022, 12, 30), "x&<y>", " 空格 "]
FORMATS = ["General", "0.00", "yyyy-mm-dd", "0%", 'yyyy"年"m"月"d"日"', "[h]:mm:ss", "h:mm", "@", "#,##0"]


@pytest.mark.parametrize("seed", range(12))
def test_values_are_the_ones_openpyxl_load_workbook_gives(seed):
    rng = random.Random(seed)
    rows = [[rng.choice(SAMPLES) for _ in range(rng.randint(1, 6))] for _ in range(rng.randint(1, 8))]
    formats = {f"{c}{r}": rng.choice(FORMATS) for c in "ABCD" for r in range(1, 5) if rng.random() < 0.5}
    data = book(("表一", rows), ("表二", rows[::-1]), formats=formats, epoch1904=seed % 3 == 0)
    assert values(data) == openpyxl_values(data)


def test_a_1904_workbook_dates_from_1904():
    data = book(("表", [[dt.datetime(2023, 1, 5)]]), formats={"A1": "yyyy-mm-dd"}, epoch1904=True)
    assert b"date1904" in part(data, "xl/workbook.xml")
    assert values(data)["表"][0][0] == dt.datetime(2023, 1, 5)
    # The same serial number read on the 1900 calendar is four years and a day earlier.
    plain = edit(data, "xl/workbook.xml", (rb'\s*date1904="[^"]*"', b""))
    assert values(plain)["表"][0][0] == dt.datetime(2019, 1, 4)


def test_a_custom_format_reusing_a_cjk_builtin_id_is_not_a_date():
    # Custom codes win over built-in ids, as in Excel: id 31 defined as "0.0" is a plain number.
    data = book(("表", [[44931]]), formats={"A1": "0.0"})
    data = edit(data, "xl/styles.xml", (rb'numFmtId="164"', b'numFmtId="31"'))
    assert values(data)["表"][0][0] == 44931
    builtin = edit(data, "xl/styles.xml", (rb"<numFmts.*?</numFmts>", b""))
    assert values(builtin)["表"][0][0] == dt.date(2023, 1, 5)


def test_sheets_come_in_tab_order_with_their_names_as_written():
    data = book(("乙 & 丙", [["b"]]), ("甲", [["a"]]))
    assert list(values(data)) == ["乙 & 丙", "甲"]
    assert values(data)["甲"] == [["a"]]


@pytest.mark.parametrize("where, rels, prefix", [("xl/book.xml", "xl/_rels/book.xml.rels", b""),
                                                 ("book.xml", "_rels/book.xml.rels", b"xl/")])
def test_the_workbook_part_is_found_where_the_content_types_put_it(where, rels, prefix):
    data = book(("表", [["在别处"]]))
    moved = renamed(renamed(data, "xl/workbook.xml", where), RELS, rels)
    moved = edit(moved, CT, (rb'PartName="/xl/workbook.xml"', b'PartName="/' + where.encode() + b'"'))
    moved = edit(moved, rels, (rb'Target="(?!/)', b'Target="' + prefix))  # targets are relative to the workbook's folder
    assert values(moved) == {"表": [["在别处"]]}


def test_shared_strings_and_styles_are_followed_through_the_relationships():
    data = book(("表", [[dt.datetime(2023, 1, 5)]]), formats={"A1": "yyyy-mm-dd"})
    data = rezip(data, add={"xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                                    b"<si><t>\xe5\x85\xb1\xe4\xba\xab</t></si></sst>"})
    data = edit(data, "xl/worksheets/sheet1.xml", (rb"<row r=\"1\"", b'<row r="2"><c r="A2" t="s"><v>0</v></c></row><row r="1"'))
    moved = renamed(renamed(data, "xl/styles.xml", "xl/s/st.xml"), "xl/sharedStrings.xml", "xl/s/ss.xml")
    moved = edit(moved, RELS, (rb'Target="styles.xml"', b'Target="s/st.xml"'),
                 (rb"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
                                         b'2006/relationships/sharedStrings" Target="s/ss.xml"/></Relationships>'))
    assert values(moved)["表"] == [[dt.datetime(2023, 1, 5)], ["共享"]]


def test_a_chart_sheet_gives_no_grid():
    data = book(("表", [["a"]]))
    data = edit(data, "xl/workbook.xml", (rb"</sheets>", '<sheet name="图" sheetId="9" r:id="rId90"/></sheets>'.encode()))
    data = edit(data, RELS, (rb"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/'
                                                   b'officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>'))
    data = rezip(data, add={"xl/chartsheets/sheet1.xml": b'<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'})
    assert list(values(data)) == ["表"]


def test_a_sheet_whose_relationship_is_missing_is_a_corrupt_file():
    data = edit(book(("表", [["a"]])), RELS, (rb'Id="rId1"', b'Id="rId77"'))
    with pytest.raises(UnreadableFile) as caught:
        read_xlsx(data, DEFAULT_LIMITS)
    assert caught.value.code == "corrupt-file"


def test_a_style_index_past_the_stylesheet_reads_as_unstyled():
    # openpyxl's load_workbook stops with IndexError here; the value is still what the sender typed.
    data = edit(book(("表", [[44931, "a"]])), "xl/worksheets/sheet1.xml", (rb'<c r="A1"', b'<c r="A1" s="999"'))
    assert values(data)["表"] == [[44931, "a"]]
