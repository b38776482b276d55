"""Behaviours the faster header recogniser, unescape and zip guard must keep: each test fails if one is lost."""

from __future__ import annotations

import dataclasses
import html

import pytest

from parsers.errors import UnreadableFile
from parsers.forms.grid import Cell, Grid
from parsers.forms.recognise import recognise
from parsers.forms.spec import Column, FormSpec
from parsers.gate.ooxml import unescape
from parsers.gate.scan import Marking, MarkingTerms
from parsers.safety.guard import CHUNK, check_zip
from parsers.safety.limits import DEFAULT_LIMITS, Limits
from parsers.safety.shape import Shape, scan_chunks
from tests.parsers.test_marking import scan_one, xlsx_bytes
from tests.routing.test_parse_build import campaign
from tests.support.hostile_files import zipped


def grid(*rows: list[str]) -> Grid:
    """A grid of plain text cells."""
    return Grid("Sheet1", [[Cell(text, f"R{r}C{c}") for c, text in enumerate(row)] for r, row in enumerate(rows)])


def with_form(*columns: Column):
    """The shipped campaign with one table form made of ``columns`` in place of its own."""
    spec = FormSpec(kind="t", label="表", title="表", deadline="d", layout="table", columns=columns)
    return dataclasses.replace(campaign(), forms=(spec,))


# ---------------------------------------------------------------- recognise

def test_repeated_column_name_keeps_its_last_hit_and_frees_the_earlier_column():
    camp = with_form(Column("甲"), Column("甲", aliases=("乙",)), Column("丙", aliases=("甲",)))
    layout = recognise(grid(["甲", "乙", "丙"], ["1", "2", "3"]), camp)
    assert layout.columns == {"甲": 1, "丙": 0}


def test_repeated_column_name_counts_by_the_role_of_its_first_column():
    # 序号 is first a seq column: a later 序号 hit does not make it a named column, so one named is too few.
    camp = with_form(Column("序号", role="seq"), Column("序号", aliases=("编号",)), Column("名称"))
    assert recognise(grid(["编号", "名称"], ["1", "x"]), camp) is None
    camp = with_form(Column("序号"), Column("序号", role="seq", aliases=("编号",)), Column("名称"))
    assert recognise(grid(["编号", "名称"], ["1", "x"]), camp).columns == {"序号": 0, "名称": 1}


def test_unhashable_column_is_still_recognised():
    camp = with_form(Column("名称", aliases=["品名"]), Column("数量"))  # a list, as a hand-built Column may hold
    layout = recognise(grid(["标题"], ["品 名", "数量"], ["x", "1"]), camp)
    assert (layout.header_top, layout.data_start, layout.columns) == (1, 2, {"名称": 0, "数量": 1})


def test_two_row_header_and_merged_name_below():
    camp = with_form(Column("序号", role="seq"), Column("名称"), Column("本级", group="层级"), Column("下级", group="层级"))
    layout = recognise(grid(["序号", "名称", "层级", ""], ["序号", "", "本级", "下级"], ["1", "x", "√", ""]), camp)
    assert (layout.header_top, layout.data_start) == (0, 2)
    assert layout.columns == {"序号": 0, "名称": 1, "本级": 2, "下级": 3}


def test_header_only_within_the_first_thirty_rows():
    camp = with_form(Column("名称"), Column("数量"))
    rows = [["说明"]] * 30 + [["名称", "数量"], ["x", "1"]]
    assert recognise(grid(*rows), camp) is None
    assert recognise(grid(*rows[1:]), camp).header_top == 29


# ---------------------------------------------------------------- unescape (the 涉密 gate's reading of XML text)

# Code points as XML may refer to them: ASCII, Latin-1, C1 (html.unescape reads 0x80-0x9F as cp1252),
# CJK, full width, noncharacters html drops, and the astral planes.
CODE_POINTS = [0x9, 0xA, 0xD, 0x20, 0x26, 0x3C, 0x41, 0x7E, 0x80, 0x85, 0x9F, 0xA0, 0xFF, 0x3000, 0x79D8, 0x5BC6,
               0x2605, 0xFF0A, 0xD7FF, 0xE000, 0xFDD0, 0xFFFD, 0x10000, 0x1F600, 0x20000, 0x10FFFF]
XML_LEGAL = [
    "", "两优清单", "plain text, no references", "&lt;&gt;&amp;&quot;&apos;", "&amp;lt;", "&amp;#31192;", "a&amp;b",
    "&#31192;&#23494;★1年", "&#x79D8;&#x5bc6;&#x2605;", "&#0000000000031192;&#x00000079D8;", "【&#28041;&#23494;】",
    "&#38468;&#20214;1\n&#20248;&#21270;", "&#60;&#x3e;",
    *(f"{ch}&#{cp};{ch}&#x{cp:x};&#x{cp:X};" for cp in CODE_POINTS for ch in ("", "密")),
]


@pytest.mark.parametrize("text", XML_LEGAL)
def test_unescape_reads_xml_exactly_as_html_unescape(text):
    assert unescape(text) == html.unescape(text)


def test_unescape_values():
    assert unescape("&#20248;&#21270;") == "优化"
    assert unescape("&#x1F600;&#128512;") == "\U0001F600" * 2
    assert unescape("&lt;&gt;&amp;&quot;&apos;") == "<>&\"'"
    assert unescape("&amp;lt;") == "&lt;"  # expanded once, never twice
    assert unescape("&#000000000065;") == "A"


@pytest.mark.parametrize("text", ["&", "& ", "a & b", "&;", "&#;", "&#x;", "&#xZ;", "&foo;", "&#", "1 &&& 2"])
def test_unescape_leaves_malformed_sequences_as_they_are(text):
    assert unescape(text) == text


def test_unescape_reads_a_damaged_part_as_leniently_as_before():
    # Not XML (no DTD may declare &nbsp;, a reference needs its ';'), but a marking spelt so is still seen.
    assert unescape("秘&nbsp;密") == "秘\xa0密"
    assert unescape("&#31192&#23494;★") == "秘密★"
    assert unescape("&#X79D8;") == "秘"
    assert unescape("&amp x &AMP;") == "& x &"


# ---------------------------------------------------------------- the sheet's header/footer, cut from the head

def _long_sheet_with_header() -> bytes:
    return xlsx_bytes([[f"事项{n}", n, "说明" * 20] for n in range(2000)], header="秘密★1年")


def test_sheet_header_found_at_the_end_of_a_long_sheet_read_whole():
    hit = Marking("marking-in-sheet-header", True, "第1个附件第1个工作表的页眉页脚")
    assert scan_one(_long_sheet_with_header()) == hit


def test_sheet_header_past_the_inflate_bound_is_not_read_but_held_for_a_person():
    # The budget stops the gate before the header; the parsers would read the file, so it does not pass unseen.
    terms = dataclasses.replace(MarkingTerms(), max_inflate_bytes=70_000)
    assert scan_one(_long_sheet_with_header(), terms=terms) == Marking("unclear-beyond-extent", False, "第1个附件的超出检查范围的部分")


# ---------------------------------------------------------------- the zip guard

DECLARATIONS = [m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")]


def guard_code(part: bytes) -> str | None:
    """The code check_zip refuses a one-part zip with, None when it lets it through."""
    try:
        check_zip(zipped({"xl/worksheets/sheet1.xml": part}), DEFAULT_LIMITS)
    except UnreadableFile as exc:
        return exc.code
    return None


@pytest.mark.parametrize("marker", DECLARATIONS + [b"<!doctype"])
def test_declaration_cut_by_the_chunk_boundary_is_refused(marker):
    for before in range(len(marker) + 1):  # the marker starts ``before`` bytes ahead of the boundary
        assert guard_code(b" " * (CHUNK - before) + marker + b" x>" + b" " * 100) == "hostile-file", before


def test_declaration_deep_in_a_part_and_parts_without_one():
    assert guard_code(b"<a>" * 70_000 + b"<!ENTITY x>") == "hostile-file"
    assert guard_code(b"<a>x!</a><!-- note --><![CDATA[a]]>" * 5000) is None  # '!' alone is no declaration
    assert guard_code(b"<!DocType x>") is None  # only the spellings an XML parser accepts


def counts(data: bytes, size: int) -> tuple[int, int, int, int]:
    """Rows, cells, merges and merged cells of ``data`` streamed in chunks of ``size`` bytes."""
    shape = Shape("p")
    scan_chunks(shape, (data[i : i + size] for i in range(0, len(data), size)), DEFAULT_LIMITS)
    return shape.rows, shape.cells, shape.merges, shape.merged_cells


def test_tokens_are_counted_once_however_the_part_is_chunked():
    unit = (b'<row r="1"><c r="A1"><v>1</v></c><x:c/></row><x:row><tr><w:tc></w:tc><tc/></tr>'
            b'<rows><cc><row:c ><mergeCell ref="A1:C3"/><x:mergeCell  s="1" ref="D4"/><mergeCell ref="a1:b2"/>')
    assert counts(unit, CHUNK) == (3, 5, 2, 10)  # <cc>, <rows>, a lower-case ref are no tokens; <row:c is a cell
    for size in (100, 1000, 4096, CHUNK, 10 * CHUNK):
        assert counts(unit * 500, size) == (3 * 500, 5 * 500, 2 * 500, 10 * 500), size


def test_limits_are_checked_while_the_part_streams():
    read = []

    def chunks():
        for n in range(1000):
            read.append(n)
            yield b"<row><c/></row>" * 100

    with pytest.raises(UnreadableFile) as refused:
        scan_chunks(Shape("p"), chunks(), Limits(max_rows=250))
    assert refused.value.code == "sheet-too-large" and len(read) <= 4
    merges = (b'<mergeCell ref="A1:B2"/>' * 100 for _ in range(1000))
    with pytest.raises(UnreadableFile) as refused:
        scan_chunks(Shape("p"), merges, Limits(max_merges=150))
    assert refused.value.code == "sheet-too-complex"
