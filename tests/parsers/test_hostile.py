"""Hostile and broken attachments: each becomes a clear Chinese problem, nothing crashes, nothing big is loaded."""

from __future__ import annotations

import random
import string
import struct

import openpyxl
import pytest

import parsers.xlsx.read
from parsers import Limits, read_attachment
from parsers.errors import UnreadableFile
from parsers.mail.decode import decode_message
from parsers.safety.guard import check_zip
from parsers.xlsx.read import read_xlsx
from tests.routing.test_parse_build import campaign, docx_table, good_row, sheet_rows, xlsx
from tests.support.hostile_files import (
    EXTERNAL,
    LAUGHS,
    column_letters,
    encrypted_ooxml,
    good_xlsx,
    number_rows,
    part,
    rezip,
    sheet_xml,
    with_doctype,
    with_sheet,
    zipped,
)


@pytest.fixture(scope="module")
def camp():
    return campaign()


def codes(result) -> list[str]:
    return [p.code for p in result.problems]


def refused(camp, data: bytes, name: str = "附件3.xlsx", **kw) -> tuple[str, str]:
    """(code, message) of the one file-level problem; the file gave no return."""
    result = read_attachment(data, name, camp, **kw)
    assert result.returns == [] and len(result.problems) == 1, result.problems
    assert name in result.problems[0].message  # the sender is told which file
    return result.problems[0].code, result.problems[0].message


@pytest.fixture
def never_loaded(monkeypatch):
    """Fail the test if the workbook reader is ever reached: the guard must stop the file first."""
    def refuse(*args, **kwargs):
        raise AssertionError("the workbook reader was reached")
    monkeypatch.setattr(parsers.xlsx.read, "open_package", refuse)


# ---- zip bombs dressed as .xlsx/.docx ----

def test_declared_unzipped_total_over_the_limit_is_refused(camp, never_loaded):
    data = rezip(good_xlsx(), add={"xl/media/image1.png": b"\0" * (9 << 20)})
    code, message = refused(camp, data, limits=Limits(max_unzipped=8 << 20))
    assert code == "file-too-large" and "解压后过大" in message


def test_a_part_compressed_beyond_the_ratio_is_refused(camp, never_loaded):
    data = rezip(good_xlsx(), add={"xl/worksheets/sheet2.xml": b" " * (3 << 20)}, level=9)
    assert refused(camp, data)[0] == "hostile-file"


def test_the_whole_archive_ratio_is_checked_too(camp, never_loaded):
    # Many parts just under 1 MB each, every one highly compressed: no single part trips the per-part check.
    pads = {f"xl/media/pad{i}.bin": b"\0" * ((1 << 20) - 1) for i in range(40)}
    assert refused(camp, rezip(good_xlsx(), add=pads, level=9))[0] == "hostile-file"


def test_a_docx_bomb_is_refused_before_python_docx(camp, monkeypatch):
    data = rezip(docx_table(3, [good_row(3)]), add={"word/media/pad.bin": b"\0" * (3 << 20)}, level=9)
    monkeypatch.setattr("docx.Document", lambda *a, **k: (_ for _ in ()).throw(AssertionError("docx reached")))
    assert refused(camp, data, "附件3.docx")[0] == "hostile-file"


def test_a_part_that_lies_about_its_size_is_a_corrupt_file(camp, never_loaded):
    data = rezip(good_xlsx(), add={"xl/pad.xml": b"<a>" + b"x" * 100_000 + b"</a>"})
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/pad.xml"))
    lying = data[:central + 24] + struct.pack("<I", 10) + data[central + 28:]  # uncompressed size := 10
    assert refused(camp, lying)[0] == "corrupt-file"


# ---- XML entities ----

def test_entity_expansion_in_a_workbook_part_is_refused(camp, never_loaded):
    data = good_xlsx()
    bomb = with_doctype(part(data, "xl/workbook.xml"), b"workbook", LAUGHS)
    code, message = refused(camp, rezip(data, {"xl/workbook.xml": bomb}))
    assert code == "hostile-file" and "不允许的内容" in message and "DOCTYPE" not in message  # the sender reads no XML jargon


def test_an_external_entity_in_a_docx_is_refused_before_python_docx(camp, monkeypatch):
    data = docx_table(3, [good_row(3)])
    evil = with_doctype(part(data, "word/document.xml"), b"w:document", EXTERNAL)
    monkeypatch.setattr("docx.Document", lambda *a, **k: (_ for _ in ()).throw(AssertionError("docx reached")))
    assert refused(camp, rezip(data, {"word/document.xml": evil}), "附件3.docx")[0] == "hostile-file"


@pytest.mark.parametrize("name", ["xl/worksheets/sheet1.dat", "customXml/item1"])
def test_a_doctype_in_a_part_of_any_name_is_refused(camp, name, never_loaded):
    data = rezip(good_xlsx(), add={name: b'<?xml version="1.0"?><!DOCTYPE a [' + LAUGHS + b"]><a>&l9;</a>"})
    assert refused(camp, data)[0] == "hostile-file"


def test_a_doctype_in_utf16_is_refused(camp, never_loaded):
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'.encode("utf-16")
    assert refused(camp, rezip(good_xlsx(), add={"xl/extra.xml": xml}))[0] == "hostile-file"


SST = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>'


@pytest.mark.parametrize("name, root", [("xl/worksheets/sheet1.xml", b"worksheet"), ("xl/styles.xml", b"styleSheet"),
                                        ("xl/sharedStrings.xml", b"sst")])
@pytest.mark.parametrize("subset", [LAUGHS, EXTERNAL], ids=["laughs", "external"])
def test_the_reader_itself_refuses_entities_in_every_part_it_parses_when_the_guard_is_skipped(name, root, subset):
    # Defence in depth: every XML part the reader parses goes through defusedxml (the workbook part
    # and relationships are only searched as text, so an entity there is never expanded).
    data = good_xlsx()
    xml = SST if name == "xl/sharedStrings.xml" else part(data, name)
    bomb = with_doctype(xml, root, subset)
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(UnreadableFile) as caught:
        read_xlsx(rezip(data, add={name: bomb}) if name == "xl/sharedStrings.xml" else rezip(data, {name: bomb}), Limits())
    assert {"EntitiesForbidden", "DTDForbidden"} & set(_chain(caught.value)), _chain(caught.value)


def _chain(exc: BaseException | None) -> list[str]:
    """The class names of an exception and of every exception it was raised from or during."""
    names = []
    while exc is not None and len(names) < 10:
        names.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    return names


# ---- encrypted, corrupt, executable, empty, too large ----

@pytest.mark.parametrize("pad", [0, 2100])  # 2100 sectors put the directory past the first megabyte
def test_password_protected_ooxml_asks_to_remove_the_password(camp, pad):
    code, message = refused(camp, encrypted_ooxml(pad))
    assert code == "encrypted-file" and "请去除密码后重新发送" in message


@pytest.mark.parametrize("damage", ["truncated", "flipped"])
def test_truncated_or_corrupt_zips(camp, damage):
    data = good_xlsx()
    middle = len(data) // 2
    broken = data[:middle] if damage == "truncated" else data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 200]) + data[middle + 200:]
    code, message = refused(camp, broken)
    assert code in ("corrupt-file", "unsupported-format") and "重新" in message


@pytest.mark.parametrize("head", [b"MZ\x90\x00\x03\x00\x00\x00", b"\x7fELF\x02\x01\x01\x00"])
def test_a_renamed_executable_is_refused(camp, head):
    code, message = refused(camp, head + b"\0" * 2000)
    assert code == "executable" and "可执行程序" in message


def test_an_empty_file(camp):
    code, message = refused(camp, b"")
    assert code == "empty-file" and "0 字节" in message


def test_a_file_over_the_configured_size(camp, never_loaded):
    code, message = refused(camp, good_xlsx(), limits=Limits(max_bytes=1024))
    assert code == "file-too-large" and "过大" in message


# ---- shape: rows, columns, merges, control characters ----

def test_100000_rows_are_refused_before_openpyxl_loads_them(camp, never_loaded):
    code, message = refused(camp, with_sheet(sheet_xml(number_rows(100_000))))
    assert code == "sheet-too-large" and "行" in message


def test_16384_columns_are_refused(camp):
    cells = b"".join(b'<c r="%s1"><v>1</v></c>' % column_letters(n).encode() for n in range(1, 16385))
    assert refused(camp, with_sheet(sheet_xml([b'<row r="1">' + cells + b"</row>"])))[0] == "sheet-too-large"


def test_two_far_apart_cells_cannot_make_a_huge_dense_grid(camp):
    corners = [b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="19999"><c r="GR19999"><v>1</v></c></row>']
    assert refused(camp, with_sheet(sheet_xml(corners)))[0] == "sheet-too-large"


def test_10000_merged_ranges_are_refused_before_loading(camp, never_loaded):
    merges = [f"A{r}:B{r}" for r in range(1, 10_001)]
    code, message = refused(camp, with_sheet(sheet_xml(number_rows(3), merges)))
    assert code == "sheet-too-complex" and "合并单元格" in message


def test_one_merge_over_the_whole_sheet_is_refused_before_loading(camp, never_loaded):
    # openpyxl would create a MergedCell for each of the 17 billion cells of A1:XFD1048576.
    assert refused(camp, with_sheet(sheet_xml(number_rows(3), ["A1:XFD1048576"])))[0] == "sheet-too-complex"


def test_a_merge_placed_where_the_guard_cuts_its_chunks_is_still_counted(camp, never_loaded):
    # The guard reads 64 KB at a time; here the only '<' before the cut opens the merge that straddles it.
    token = b'<mergeCell ref="A1:XFD1048576"/>'
    head = sheet_xml(number_rows(3)).replace(b"</worksheet>", b"") + b'<mergeCells count="1">'
    body = head + b" " * (65408 - len(head)) + token
    body += b" " * (65536 - len(body)) + b"</mergeCells></worksheet>"
    assert body.index(token) == 65408
    assert refused(camp, with_sheet(body))[0] == "sheet-too-complex"


def test_control_characters_in_sheet_names_and_cells_are_dropped(camp):
    rows = [good_row(3, 1), good_row(3, 2)]
    rows[0][1] = "事项_x0007__x001B_甲\x7f\x85"  # OOXML stores BEL and ESC escaped; DEL and NEL are raw
    data = xlsx(sheet_rows(3, rows))
    book = part(data, "xl/workbook.xml").replace(b'name="Sheet1"', b'name="\xe9\x99\x84\xe4\xbb\xb63\x7f\xc2\x85"')
    result = read_attachment(rezip(data, {"xl/workbook.xml": book}), "附件3.xlsx", camp)
    [ret] = result.returns
    assert ret.sheet == "附件3" and ret.rows[0]["事项名称"] == "事项甲"


def test_limits_in_the_guard_are_the_limits_object(camp):
    # 300 rows pass the defaults and are refused under a lower configured cap.
    data = with_sheet(sheet_xml(number_rows(300)))
    assert read_attachment(data, "a.xlsx", camp).problems[0].code == "no-form-found"
    assert refused(camp, data, "a.xlsx", limits=Limits(max_rows=200))[0] == "sheet-too-large"


# ---- archives inside archives ----

def test_nested_archives_beyond_depth_one_are_not_opened(camp):
    inner = zipped({"附件3.xlsx": good_xlsx()})
    outer = zipped({"材料.zip": inner, "附件3.xlsx": good_xlsx()})
    raw = (b"From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: application/zip; name=\"m.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
    import base64

    decoded = decode_message(raw + base64.encodebytes(outer))
    assert [a.filename for a in decoded.attachments] == ["附件3.xlsx"]
    assert [p.code for p in decoded.problems] == ["zip-nested"] and "不再解压" in decoded.problems[0].message


@pytest.mark.timeout(30)
def test_the_guard_scans_a_part_full_of_unclosed_merge_tags_in_linear_time():
    # Each "<mergeCell" was searched to the end of its 64 KB chunk for a ref=: 1.9 MB took 92 s. The real
    # merges after the junk are still all counted.
    rng = random.Random(1)
    junk = b"".join(b"<mergeCell " + "".join(rng.choices(string.ascii_letters, k=8)).encode() for _ in range(100_000))
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (r, r) for r in range(1, 1002))
    with pytest.raises(UnreadableFile) as caught:
        check_zip(rezip(good_xlsx(), {"xl/worksheets/sheet1.xml": b"<x>" + junk + merges}), Limits(max_merges=1000))
    assert caught.value.code == "sheet-too-complex"
