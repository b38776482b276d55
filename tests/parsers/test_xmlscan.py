"""Raw-XML scanning for the 涉密 gate: the same findings as the patterns it replaced, in linear time on damaged parts."""

from __future__ import annotations

import io
import random
import re

import docx
import pytest

from parsers.safety.xmlscan import elements, texts, without
from parsers.xlsx.parts import attributes
from tests.parsers.test_marking import scan_one, with_parts, xlsx_bytes

# The patterns the gate used before: right on whole elements, quadratic on parts that leave them open.
OLD_ROW = re.compile(r"<(?:[\w.-]+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?row>)", re.S)
OLD_PHONETIC = re.compile(r"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>", re.S)
OLD_TEXTS = re.compile(r">([^<]+)<")
TOKENS = ['<row r="1">', '<x:row spans="1:3">', "</row>", "</x:row>", '<row r="2"/>', "<rowBreaks>", "<rPh>", "</rPh>",
          '<c r="A1" t="s">', "</c>", "<v>3</v>", "秘密", " a > b ", '"', "'", "&amp;", "\n"]


def soup(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("seed", range(300))
def test_the_same_elements_texts_and_cuts_as_the_old_patterns(seed):
    xml = soup(random.Random(seed))
    assert list(elements(xml, "row")) == [(a, b or "") for a, b in OLD_ROW.findall(xml)]
    assert without(xml, "rPh") == OLD_PHONETIC.sub("", xml)
    assert texts(xml) == OLD_TEXTS.findall(xml)


def test_an_empty_element_is_whole_by_itself():
    # The old pattern ran from <rPh/> on to the next </rPh>, cutting the text between.
    assert without("<rPh sb='0'/>甲<rPh>乙</rPh>丙", "rPh") == "甲丙"


def test_an_attribute_value_may_hold_a_closing_bracket():
    assert list(elements('<sheet name="A>B" r:id="rId1"/><sheet name="C"/>', "sheet")) == [(' name="A>B" r:id="rId1"', ""), (' name="C"', "")]


# Two megabytes of each: the old patterns took 40 s for 100 KB of <row> and would take hours here.
PATHOLOGICAL = 2_000_000


@pytest.mark.timeout(60)
@pytest.mark.parametrize("unit", ["<row>", "<row ", "<c ", '<row r="', "<rPh>", "> "])
def test_parts_that_never_close_are_scanned_in_linear_time(unit):
    xml = unit * (PATHOLOGICAL // len(unit))
    assert list(elements(xml, "row")) == [] and list(elements(xml, "c")) == []
    assert without(xml, "rPh") == xml
    assert len(texts(xml)) <= 1


@pytest.mark.timeout(120)
@pytest.mark.parametrize("part, unit", [
    ("xl/worksheets/sheet1.xml", b"<row>"), ("xl/worksheets/sheet1.xml", b"<row><c "), ("xl/sharedStrings.xml", b"<si>"),
    ("xl/sharedStrings.xml", b"<si><t "), ("xl/workbook.xml", b"<sheet "), ("xl/_rels/workbook.xml.rels", b"<Relationship "),
    ("[Content_Types].xml", b"<Override "), ("docProps/custom.xml", b"<property "), ("docProps/core.xml", b"> "),
])
def test_the_gate_finishes_on_a_workbook_part_that_never_closes_its_elements(part, unit):
    # No marking anywhere, so the gate reads every part to the end, the damaged one included.
    data = with_parts(xlsx_bytes([["附件2"], ["兴安盟教育局"]]), {part: b"<x>" + unit * (PATHOLOGICAL // len(unit))})
    assert scan_one(data) is None


@pytest.mark.timeout(120)
@pytest.mark.parametrize("unit", [b"<w:t ", b"<w:p><w:t>", b"<w:t>"])
def test_the_gate_finishes_on_a_document_body_that_never_closes_its_runs(unit):
    document = docx.Document()
    document.add_paragraph("附件2")
    out = io.BytesIO()
    document.save(out)
    data = with_parts(out.getvalue(), {"word/document.xml": b"<w:document><w:body>" + unit * (PATHOLOGICAL // len(unit))})
    assert scan_one(data) is None


@pytest.mark.timeout(30)
def test_attributes_after_a_two_megabyte_word_are_read_in_linear_time():
    # The name pattern was retried at every letter of the word: 20,000 letters took 10 s.
    assert attributes(" " + "a" * PATHOLOGICAL + ' b="1" r:id=\'rId1\'') == {"b": "1", "r:id": "rId1"}
