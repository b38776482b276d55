"""The 涉密 gate's detection: every marking form in every place, every trap, the order, hostile files."""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from parsers.gate import scan as marking
from parsers.gate.ooxml import unescape
from parsers.gate.scan import Marking, MarkingTerms, scan_body, scan_delivery, scan_subject, scan_text
from parsers.safety.limits import DEFAULT_LIMITS
from parsers.xlsx.read import read_xlsx
from tests.support.canary import find_canary, make_canary

CONFIG = Path(__file__).resolve().parents[2] / "config" / "campaigns" / "liangyou" / "campaign.toml"
TERMS = MarkingTerms.from_config(tomllib.loads(CONFIG.read_text("utf-8"))["classified"])
FOOTNOTE = "注：此表报盟委编办，联系人：苏旭，电话：0482-8267388。如内容涉密，不要发邮箱，请使用光盘报送。"

MARKINGS = ["秘密★1年", "机密★启用前", "绝密★长期", "秘密☆6个月", "机密＊2年", "秘　密★1年", "秘 密 ★ 长期"]
SUBJECT_LABELS = ["【涉密】两优清单", "涉密件：两优清单", "两优清单（涉密）", "[涉密]两优清单", "Re: 涉密-两优清单", "密级：秘密"]
TRAPS = [
    "在保护个人隐私、商业秘密和确保数据安全的前提下推进电子证照应用",
    "做好工作秘密管理",
    "加强保密工作，签订保密协议",
    "涉密人员管理办法",
    "本单位材料非涉密，现报送",
    "经审核不涉密",
    "数据的机密性和完整性",
    "涉密信息系统集成资质审批",
    FOOTNOTE,
    "密级：非密",
]


# ---------------------------------------------------------------- building files in memory

def docx_bytes(lines=(), *, cell=None, header=None, footer=None, core=None) -> bytes:
    """A docx with body paragraphs, an optional table first, a header/footer and core properties."""
    document = docx.Document()
    if cell is not None:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = cell
        table.cell(0, 1).text = "事项名称"
    for line in lines:
        document.add_paragraph(line)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    for name, value in (core or {}).items():
        setattr(document.core_properties, name, value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows=(), *, header=None, footer=None, title=None, sheet="Sheet", custom=None) -> bytes:
    """A workbook whose first sheet holds ``rows``, with an optional header/footer and properties."""
    book = openpyxl.Workbook()
    sheet_ = book.active
    sheet_.title = sheet
    for row in rows:
        sheet_.append(list(row))
    if header is not None:
        sheet_.oddHeader.center.text = header
    if footer is not None:
        sheet_.oddFooter.left.text = footer
    if title is not None:
        book.properties.title = title
    for name, value in (custom or {}).items():
        from openpyxl.packaging.custom import StringProperty
        book.custom_doc_props.append(StringProperty(name=name, value=value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The same package with some members added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename not in parts:
                dst.writestr(item, src.read(item.filename))
        for name, body in parts.items():
            dst.writestr(name, body)
    return out.getvalue()


FORM2_ROWS = [
    ["附件2"],
    ["取消和下放职权事项清单"],
    ["部门(单位)盖章：兴安盟国家保密局", None, None, "填表日期：2023年1月10日"],
    ["序号", "事项名称", "事项类别", None, "取消和下放的依据或理由", "承接主体", "取消或下放后续措施", "备注"],
    [1, "涉密信息系统集成资质审批", "√", None, "国务院决定", "旗县保密局", "下放", "涉密人员管理"],
    [2, "保密工作检查", None, "√", "精简", None, "取消", "商业秘密"],
    [FOOTNOTE],
]


def scan_one(data: bytes, **kw) -> Marking | None:
    """The gate's answer for one ordinary-looking message carrying this attachment."""
    return scan_delivery("两优清单", ["清单.bin"], "您好，见附件。", [("清单.bin", data)], kw.get("terms", TERMS))


# ---------------------------------------------------------------- subject, filename, body

@pytest.mark.parametrize("text", MARKINGS + SUBJECT_LABELS)
def test_marking_in_subject(text):
    assert scan_subject(f"{text} 兴安盟某局", TERMS) == Marking("marking-in-subject", True, "主题")


@pytest.mark.parametrize("text", MARKINGS + ["【涉密】附件2", "附件2（涉密）", "涉密_附件2", "附件2-涉密件", "附件2涉密件"])
def test_marking_in_filename(text):
    hit = scan_delivery("两优清单", ["附件1.xlsx", f"{text}.xlsx"], "", [], TERMS)
    assert hit == Marking("marking-in-filename", True, "第2个附件的文件名")


@pytest.mark.parametrize("head", MARKINGS + ["【涉密】", "涉密：以下材料", "涉密件", "秘　密", "机密 特急", "密级：机密"])
def test_marking_in_body_head(head):
    body = f"编办：\n{head}\n现将我局两优清单报送，请查收。"
    assert scan_body(body, TERMS) == Marking("marking-in-body", True, "正文开头")


def test_star_marking_anywhere_in_body():
    body = "您好：\n" + "正文内容。\n" * 40 + "秘密★1年\n"
    assert scan_body(body, TERMS) == Marking("marking-in-body", True, "正文")


def test_label_past_the_head_of_the_body_is_held_for_a_person():
    body = "您好：\n" + "正文内容。\n" * 10 + "【涉密】\n"
    assert scan_body(body, TERMS) == Marking("unclear-label-in-body", False, "正文")


def test_label_mentioned_inside_a_sentence_past_the_head_is_nothing():
    body = "您好：\n" + "正文内容。\n" * 10 + "附件2（涉密）已通过光盘报送，本邮件不含涉密内容。\n"
    assert scan_body(body, TERMS) is None


@pytest.mark.parametrize("text", TRAPS + ["关于保守国家秘密的通知"])
def test_mentions_in_subject_body_filename_are_not_markings(text):
    assert scan_delivery(text, [f"{text}.xlsx"], f"{text}\n{text}", [], TERMS) is None


@pytest.mark.parametrize("line", ["涉密材料已通过光盘报送，本邮件不涉密", "附件2（涉密）已通过光盘报送", "秘密文件请勿发邮箱"])
def test_mentions_at_the_head_of_the_body_are_not_markings(line):
    assert scan_body(f"{line}\n现报送附件1、3。", TERMS) is None


def test_stray_label_in_subject_is_unclear():
    assert scan_subject("关于涉密载体自查情况", TERMS) == Marking("unclear-label-in-subject", False, "主题")


def test_stray_label_in_filename_is_unclear():
    hit = scan_delivery("两优清单", ["涉密载体清单.docx"], "", [], TERMS)
    assert hit == Marking("unclear-label-in-filename", False, "第1个附件的文件名")


def test_scan_text_generic_place():
    assert scan_text("附件(秘密)", TERMS, place="邮件头", rule="marking-in-header") == Marking("marking-in-header", True, "邮件头")
    assert scan_text("涉密载体", TERMS, place="主题", rule="r") is None  # no unclear_rule: a stray term is nothing


def test_configured_mail_header():
    terms = MarkingTerms.from_config({"header_names": ["X-Classification"]})
    hit = scan_delivery("两优清单", [], "", [], terms, headers={"x-classification": "机密"})
    assert hit == Marking("marking-in-header", True, "邮件头")
    assert scan_delivery("两优清单", [], "", [], TERMS, headers={"x-classification": "机密"}) is None


# ---------------------------------------------------------------- inside a docx

@pytest.mark.parametrize("text", MARKINGS + ["秘　密", "【涉密】", "密级：秘密"])
def test_marking_in_docx_first_lines(text):
    data = docx_bytes(["", "兴党办发电〔2022〕18号", text, "特急", "关于报送两优清单的函"])
    assert scan_one(data) == Marking("marking-in-document", True, "第1个附件的正文开头")


@pytest.mark.parametrize("text", ["秘密★1年", "机密"])
def test_marking_in_docx_table_first_cell(text):
    assert scan_one(docx_bytes(["正文"], cell=text)) == Marking("marking-in-document", True, "第1个附件的正文开头")


def test_star_marking_deep_in_docx():
    data = docx_bytes(["两优实施方案"] + ["正文段落。"] * 30 + ["附：机密★启用前"])
    assert scan_one(data) == Marking("marking-in-document", True, "第1个附件的正文")


def test_level_alone_past_the_head_of_a_docx_is_held_for_a_person():
    hit = scan_one(docx_bytes(["两优实施方案"] + ["正文段落。"] * 30 + ["秘密"]))
    assert hit == Marking("unclear-label-in-document", False, "第1个附件的正文")


def test_level_in_a_docx_table_cell_past_the_head_is_a_value():
    document = docx.Document()
    for line in ["两优实施方案"] + ["正文段落。"] * 30:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 0).text, table.cell(1, 1).text = "备注", "秘密", "涉密"
    out = io.BytesIO()
    document.save(out)
    assert scan_one(out.getvalue()) is None


@pytest.mark.parametrize("text", ["秘密★1年", "秘　密", "【涉密】"])
def test_marking_in_docx_header(text):
    assert scan_one(docx_bytes(["正文"], header=text)) == Marking("marking-in-document-header", True, "第1个附件的页眉")


@pytest.mark.parametrize("text", ["机密★长期", "涉密件"])
def test_marking_in_docx_footer(text):
    assert scan_one(docx_bytes(["正文"], footer=text)) == Marking("marking-in-document-footer", True, "第1个附件的页脚")


@pytest.mark.parametrize("core", [{"keywords": "两优;涉密"}, {"title": "秘密★1年 两优清单"}, {"category": "机密"},
                                  {"subject": "【涉密】"}])
def test_marking_in_docx_core_properties(core):
    assert scan_one(docx_bytes(["正文"], core=core)) == Marking("marking-in-properties", True, "第1个附件的文档属性")


def test_marking_in_docx_custom_property():
    custom = (
        '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns:vt="vt"><property fmtid="{x}" pid="2" name="密级">'
        "<vt:lpwstr>秘密</vt:lpwstr></property></Properties>"
    ).encode()
    data = with_parts(docx_bytes(["正文"]), {"docProps/custom.xml": custom})
    assert scan_one(data) == Marking("marking-in-properties", True, "第1个附件的文档属性")


def test_marking_in_docx_footnotes():
    notes = '<w:footnotes xmlns:w="w"><w:footnote><w:p><w:r><w:t>本件为秘密★1年</w:t></w:r></w:p></w:footnote></w:footnotes>'
    data = with_parts(docx_bytes(["正文"]), {"word/footnotes.xml": notes.encode()})
    assert scan_one(data) == Marking("marking-in-document-notes", True, "第1个附件的脚注或批注")


def test_marking_split_across_runs_in_docx():
    body = docx_bytes(["正文"])
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        xml = z.read("word/document.xml").decode()
    runs = "<w:p><w:r><w:t>秘</w:t></w:r><w:r><w:t xml:space=\"preserve\">\u200b密</w:t></w:r><w:r><w:t>★1年</w:t></w:r></w:p>"
    xml = xml.replace("<w:body>", "<w:body>" + runs, 1)
    data = with_parts(body, {"word/document.xml": xml.encode()})
    assert scan_one(data) == Marking("marking-in-document", True, "第1个附件的正文开头")


def test_docx_traps_are_not_markings():
    data = docx_bytes(
        ["“两优”专项行动实施方案"] + TRAPS,
        cell="涉密信息系统集成资质审批",
        header="兴安盟国家保密局",
        footer=FOOTNOTE,
        core={"title": "两优实施方案", "keywords": "保密工作;非涉密", "subject": "商业秘密保护"},
    )
    assert scan_one(data) is None


# ---------------------------------------------------------------- inside an xlsx

@pytest.mark.parametrize("text", MARKINGS + ["秘　密", "【涉密】", "涉密件", "（涉密）"])
def test_marking_in_sheet_title_cell(text):
    data = xlsx_bytes([[text], ["附件2"], ["取消和下放职权事项清单"]] + FORM2_ROWS[3:])
    assert scan_one(data) == Marking("marking-in-sheet-title", True, "第1个附件第1个工作表的标题行")


def test_field_across_two_title_cells():
    data = xlsx_bytes([["附件2", "密级", "机密"], ["取消和下放职权事项清单"]])
    assert scan_one(data) == Marking("marking-in-sheet-title", True, "第1个附件第1个工作表的标题行")


def test_bare_label_in_sheet_title_is_unclear():
    data = xlsx_bytes([["附件2", None, None, "涉密"]] + FORM2_ROWS[1:])
    assert scan_one(data) == Marking("unclear-label-in-sheet-title", False, "第1个附件第1个工作表的标题行")


@pytest.mark.parametrize("where", ["header", "footer"])
@pytest.mark.parametrize("text", ["秘密★1年", "机密", "【涉密】"])
def test_marking_in_sheet_header_footer(where, text):
    data = xlsx_bytes(FORM2_ROWS, **{where: text})
    assert scan_one(data) == Marking("marking-in-sheet-header", True, "第1个附件第1个工作表的页眉页脚")


def test_marking_in_xlsx_properties():
    assert scan_one(xlsx_bytes(FORM2_ROWS, title="秘密★1年")) == Marking("marking-in-properties", True, "第1个附件的文档属性")
    hit = scan_one(xlsx_bytes(FORM2_ROWS, custom={"密级": "机密"}))
    assert hit == Marking("marking-in-properties", True, "第1个附件的文档属性")


def test_marking_in_sheet_name():
    assert scan_one(xlsx_bytes(FORM2_ROWS, sheet="附件2(涉密)")) == Marking(
        "marking-in-sheet-name", True, "第1个附件第1个工作表的名称")


def test_star_marking_in_sheet_data_cell():
    data = xlsx_bytes(FORM2_ROWS + [[3, "备注：本行内容为秘密★1年"]])
    assert scan_one(data) == Marking("marking-in-sheet-cells", True, "第1个附件的表格内容")


def test_star_marking_in_shared_strings():
    shared = '<sst xmlns="x"><si><t>事项名称</t></si><si><r><t>本行为</t></r><r><t>机密★1年</t></r></si></sst>'
    data = with_parts(xlsx_bytes(FORM2_ROWS), {"xl/sharedStrings.xml": shared.encode()})
    assert scan_one(data) == Marking("marking-in-sheet-cells", True, "第1个附件的表格内容")


def test_shared_strings_are_found_through_the_relationships():
    # The reader follows the workbook's relationships to its shared strings; the gate must scan that part.
    shared = '<sst xmlns="x"><si><t>事项名称</t></si><si><t>机密★1年</t></si></sst>'
    data = xlsx_bytes(FORM2_ROWS)
    rels = zipfile.ZipFile(io.BytesIO(data)).read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="strings/shared.xml"/></Relationships>')
    data = with_parts(data, {"xl/strings/shared.xml": shared.encode(), "xl/_rels/workbook.xml.rels": rels})
    assert scan_one(data) == Marking("marking-in-sheet-cells", True, "第1个附件的表格内容")


def test_the_workbook_part_the_content_types_declare_is_the_one_scanned():
    # A second workbook part beside xl/workbook.xml: the reader reads the declared one, so the gate does too.
    clean = xlsx_bytes([["附件2"]])
    package = zipfile.ZipFile(io.BytesIO(clean))
    types = package.read("[Content_Types].xml").replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/book.xml"')
    rels = package.read("xl/_rels/workbook.xml.rels").replace(b"worksheets/sheet1.xml", b"worksheets/other.xml")
    marked = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["秘密★1年"]]))).read("xl/worksheets/sheet1.xml")
    data = with_parts(clean, {"[Content_Types].xml": types, "xl/book.xml": package.read("xl/workbook.xml"),
                              "xl/_rels/book.xml.rels": rels, "xl/worksheets/other.xml": marked})
    assert [g.rows[0][0].text for g in read_xlsx(data, DEFAULT_LIMITS)] == ["秘密★1年"]
    assert scan_one(data) == Marking("marking-in-sheet-title", True, "第1个附件第1个工作表的标题行")


def many_sheets(count: int, first_rows=(("附件2",),)) -> bytes:
    book = openpyxl.Workbook()
    for row in first_rows:
        book.active.append(list(row))
    for k in range(2, count + 1):
        book.create_sheet(f"表{k}").append(["兴安盟教育局"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_sheets_past_the_gates_bound_go_to_a_person():
    # The reader reads every sheet; the gate looks at the first max_parts (64) of them.
    assert scan_one(many_sheets(64)) is None
    assert scan_one(many_sheets(65)) == Marking("unclear-too-many-sheets", False, "第1个附件第65个及以后的工作表")
    # A certain marking in a sheet the gate did read still refuses the message.
    assert scan_one(many_sheets(65, [["秘密★1年"]])).certain


def test_title_cell_from_shared_strings():
    shared = '<sst xmlns="x"><si><t>附件2</t><rPh><t>ふりがな</t></rPh></si><si><t>秘密★1年</t></si></sst>'
    sheet = ('<worksheet xmlns="x"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
             "</row></sheetData></worksheet>")
    data = with_parts(xlsx_bytes([["x"]]), {"xl/sharedStrings.xml": shared.encode(), "xl/worksheets/sheet1.xml": sheet.encode()})
    assert scan_one(data) == Marking("marking-in-sheet-title", True, "第1个附件第1个工作表的标题行")


def test_second_sheet_is_scanned():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(FORM2_ROWS)))
    book.create_sheet("附件3").append(["机密★1年"])
    out = io.BytesIO()
    book.save(out)
    assert scan_one(out.getvalue()) == Marking("marking-in-sheet-title", True, "第1个附件第2个工作表的标题行")


def test_xlsx_form2_with_licence_row_and_footnote_is_not_marked():
    data = xlsx_bytes(FORM2_ROWS + [[3, "秘密"], [4, "涉密"]], header="附件2", footer="第&P页", title="两优清单",
                      custom={"密级": "非密"})
    assert scan_one(data) is None


# ---------------------------------------------------------------- inside a plain zip of forms

def zip_bytes(members: dict[str, bytes], *, utf8: bool = True) -> bytes:
    """A zip as a department would send it; ``utf8=False`` stores names as GBK, as Windows zip tools do."""
    out, swaps = io.BytesIO(), []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for k, (name, data) in enumerate(members.items()):
            raw = name.encode("gb18030")
            # zipfile would store a non-ASCII name as UTF-8: write an ASCII stand-in, then put the GBK bytes in.
            stand_in = name if utf8 else f"~{k}".ljust(len(raw), "~")
            swaps.append((stand_in.encode(), raw))
            z.writestr(stand_in, data)
    data = out.getvalue()
    for stand_in, raw in swaps if not utf8 else ():
        data = data.replace(stand_in, raw)
    return data


def test_marking_in_a_zipped_document():
    data = zip_bytes({"附件1.xlsx": xlsx_bytes(FORM2_ROWS), "附件2.docx": docx_bytes(["机密★1年"])})
    assert scan_one(data) == Marking("marking-in-document", True, "第1个附件压缩包内第2个附件的正文开头")


@pytest.mark.parametrize("utf8", [True, False])
def test_marking_in_a_zipped_filename(utf8):
    data = zip_bytes({"两优/附件2（涉密）.xlsx": b"x", "附件1.xlsx": b"y"}, utf8=utf8)
    assert scan_one(data) == Marking("marking-in-filename", True, "第1个附件的压缩包内第1个文件的文件名")


def test_zip_of_ordinary_forms_is_not_marked():
    assert scan_one(zip_bytes({"附件2.xlsx": xlsx_bytes(FORM2_ROWS), "实施方案.docx": docx_bytes(TRAPS)})) is None


# ---------------------------------------------------------------- the order of the checks

def _boom(*args, **kwargs):
    raise AssertionError("an attachment was opened after a certain hit")


def test_subject_hit_opens_no_document(monkeypatch):
    monkeypatch.setattr(marking, "scan_document", _boom)
    hit = scan_delivery("【涉密】清单", ["附件.docx"], "", [("附件.docx", b"PK\x03\x04corrupt")], TERMS)
    assert hit.rule == "marking-in-subject"


def test_filename_and_body_hits_open_no_document(monkeypatch):
    monkeypatch.setattr(marking, "scan_document", _boom)
    docs = [("附件.docx", b"PK\x03\x04corrupt")]
    assert scan_delivery("清单", ["秘密★1年.docx"], "", docs, TERMS).rule == "marking-in-filename"
    assert scan_delivery("清单", ["附件.docx"], "【涉密】\n正文", docs, TERMS).rule == "marking-in-body"


def test_subject_comes_before_filename_and_documents():
    docs = [("a.docx", docx_bytes(["秘密★1年"]))]
    assert scan_delivery("秘密★1年", ["机密★1年.docx"], "", docs, TERMS).rule == "marking-in-subject"
    assert scan_delivery("清单", ["机密★1年.docx"], "", docs, TERMS).rule == "marking-in-filename"


def test_certain_hit_wins_over_an_earlier_unclear_one():
    docs = [("a.docx", docx_bytes(["机密★1年"]))]
    hit = scan_delivery("关于涉密载体自查", ["a.docx"], "", docs, TERMS)
    assert hit == Marking("marking-in-document", True, "第1个附件的正文开头")


def test_unclear_returned_when_nothing_certain():
    docs = [("a.docx", docx_bytes(["两优实施方案"]))]
    assert scan_delivery("关于涉密载体自查", ["a.docx"], "", docs, TERMS).rule == "unclear-label-in-subject"


def test_documents_are_numbered_in_order():
    docs = [("a.docx", docx_bytes(["正文"])), ("b.xlsx", xlsx_bytes([["秘密★1年"]]))]
    assert scan_delivery("清单", ["a.docx", "b.xlsx"], "", docs, TERMS).place == "第2个附件第1个工作表的标题行"


# ---------------------------------------------------------------- unreadable and hostile attachments

def test_legacy_ole_file_passes_but_its_filename_is_checked():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "秘密★1年".encode("utf-16-le") * 10
    assert scan_delivery("清单", ["附件2.xls"], "", [("附件2.xls", ole)], TERMS) is None
    assert scan_delivery("清单", ["附件2（涉密）.xls"], "", [("附件2（涉密）.xls", ole)], TERMS).rule == "marking-in-filename"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04broken", b"%PDF-1.7", b"PK\x05\x06" + b"\0" * 18])
def test_unreadable_attachments_are_left_to_the_parsers(data):
    assert scan_one(data) is None


LAUGHS_XML = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
              + ']><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')


def test_a_doctype_part_is_left_to_the_guard_which_refuses_the_whole_file():
    # Nothing of such a file is ever read (parsers.safety.guard refuses it before any reader opens it), so there is
    # nothing for a person to look at: the sender is asked to re-save it.
    from parsers import read_attachment
    from tests.routing.test_parse_build import campaign

    data = with_parts(docx_bytes(["正文"]), {"word/document.xml": LAUGHS_XML.encode()})
    assert scan_one(data) is None
    result = read_attachment(data, "清单.docx", campaign())
    assert (result.returns, result.contacts, [p.code for p in result.problems]) == ([], [], ["hostile-file"])


def test_a_dtd_spelled_so_the_guard_would_not_see_it_is_still_held_for_review():
    # The gate's pattern is wider than the guard's, which takes only what an XML parser would read as a DTD.
    odd = '<?xml version="1.0"?><!DocType x><w:document xmlns:w="w"><w:body/></w:document>'
    data = with_parts(docx_bytes(["正文"]), {"word/document.xml": odd.encode()})
    assert scan_one(data) == Marking("unclear-hostile-document", False, "第1个附件的文件结构")


def test_a_dtd_in_a_part_the_guard_does_not_scan_is_still_held_for_review():
    # The guard leaves pictures and other binaries alone; a sheet moved to a ".bin" part is read all the same.
    data = xlsx_bytes([["秘密★1年"], ["事项名称"]])
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    sheet = parts.pop("xl/worksheets/sheet1.xml").replace(b"<worksheet", b"<!DOCTYPE x><worksheet", 1)
    moved = {n: b.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.bin") for n, b in parts.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in {**moved, "xl/worksheets/sheet1.bin": sheet}.items():
            dst.writestr(name, body)
    assert scan_one(out.getvalue()) == Marking("unclear-hostile-document", False, "第1个附件的文件结构")


def test_entities_are_never_expanded():
    xml = ('<!DOCTYPE x [<!ENTITY m "秘密★1年">]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&m;</w:t></w:r></w:p>'
           "</w:body></w:document>")
    data = with_parts(docx_bytes(["正文"]), {"word/header1.xml": xml.encode()})
    from parsers import read_attachment
    from tests.routing.test_parse_build import campaign

    # The gate does not expand the entity, and no reader ever does: the guard refuses the whole file.
    assert scan_one(data) is None
    assert [p.code for p in read_attachment(data, "清单.docx", campaign()).problems] == ["hostile-file"]


def _bomb(data: bytes, name: str, head: bytes, size: int, tail: bytes) -> bytes:
    """The package with ``name`` replaced by head + ``size`` spaces + tail, streamed (never in memory whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item.filename))
        with dst.open(name, "w", force_zip64=True) as part:
            part.write(head)
            block = b" " * 1_048_576
            for _ in range(size // len(block)):
                part.write(block)
            part.write(tail)
    return out.getvalue()


def test_zip_bomb_part_is_read_only_up_to_the_bound():
    head = b'<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>'
    tail = "</w:t></w:r></w:p><w:p><w:r><w:t>秘密★1年</w:t></w:r></w:p></w:body></w:document>".encode()
    data = _bomb(docx_bytes(["正文"]), "word/document.xml", head, 100 * 1_048_576, tail)
    assert len(data) < 1_000_000
    assert scan_one(data) is None  # the marking lies past max_part_bytes: not inflated, not seen


def test_sheet_header_found_past_a_large_sheet_but_within_the_inflate_bound():
    data = xlsx_bytes([["附件2"]], header="秘密★1年")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    cut = xml.index(b"</sheetData>")
    data = _bomb(data, "xl/worksheets/sheet1.xml", xml[:cut], 8 * 1_048_576, xml[cut:])
    small = MarkingTerms.from_config({"max_part_bytes": 100_000, "max_inflate_bytes": 4_000_000})
    wide = MarkingTerms.from_config({"max_part_bytes": 100_000, "max_inflate_bytes": 16_000_000})
    assert scan_one(data, terms=small) is None
    assert scan_one(data, terms=wide) == Marking("marking-in-sheet-header", True, "第1个附件第1个工作表的页眉页脚")


def test_more_members_than_the_gate_reads_is_held_for_a_person():
    parts = {f"junk/{i}.xml": b"x" for i in range(30)}
    data = with_parts(docx_bytes(["秘密★1年"]), parts)
    hit = scan_one(data, terms=MarkingTerms.from_config({"max_entries": 20}))
    assert hit == Marking("unclear-beyond-extent", False, "第1个附件的超出检查范围的部分")
    assert scan_one(data).certain


def test_a_sheet_its_relationships_name_but_the_zip_lacks_is_no_crash():
    data = xlsx_bytes([["附件2"]])
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                if item.filename != "xl/worksheets/sheet1.xml":
                    dst.writestr(item, src.read(item.filename))
    assert scan_one(out.getvalue()) is None  # the parsers then answer that the file is damaged


def test_a_reference_of_thousands_of_digits_is_no_crash():
    huge = "&#" + "1" * 5000 + ";"
    assert unescape(f"甲{huge}乙") == f"甲{huge}乙"
    assert scan_one(xlsx_bytes([[f"附件2{huge}"], ["秘密★1年"]])).certain  # the rest of the sheet is still read


# ---------------------------------------------------------------- config and the canary

def test_terms_come_from_config():
    terms = MarkingTerms.from_config({"levels": ["内部"], "patterns": ["限国内★"], "harmless": []})
    assert scan_subject("内部★1年", terms).certain
    assert scan_subject("秘密★1年", terms) is None
    assert scan_subject("限国内★ 清单", terms).certain
    assert scan_subject("商业秘密(涉密)", terms).certain


def test_harmless_words_come_from_config():
    assert scan_subject("非涉密", MarkingTerms.from_config({"harmless": []})) is not None
    assert scan_subject("非涉密", TERMS) is None


@pytest.mark.parametrize("bad", [{"levels": "秘密"}, {"body_head_lines": -1}, {"patterns": ["("]}])
def test_bad_config_is_refused_at_load(bad):
    with pytest.raises(ValueError):
        MarkingTerms.from_config(bad)


def test_marking_carries_no_content():
    canary = make_canary()
    name = f"{canary}秘密★1年.docx"
    docs = [(name, docx_bytes([f"秘密★1年{canary}"], header=f"{canary}【涉密】", core={"title": canary}))]
    hits = [
        scan_delivery(f"【涉密】{canary}", [name], f"{canary}\n秘密★1年", docs, TERMS),
        scan_delivery(canary, [name], f"{canary}\n秘密★1年", docs, TERMS),
        scan_delivery(canary, [canary + ".docx"], f"涉密：{canary}", docs, TERMS),
        scan_delivery(canary, [canary + ".docx"], canary, docs, TERMS),
    ]
    assert all(hit and hit.certain for hit in hits)
    assert find_canary(canary, *hits, [repr(h) for h in hits], str(hits)) == []
    assert find_canary(canary, repr(Marking("x", True, canary))) != []  # the helper itself can fail
