"""One contact extractor for every shape offices use: text, tables of their own design, the plan; and when it is a return."""

from __future__ import annotations

import io
import random
import unicodedata

import docx
import openpyxl
import pytest

from parsers import read_attachment
from parsers.contacts.details import FILE, PLAN, TEXT, labels_of, phones_in
from parsers.contacts.table import contact_in_grid
from parsers.contacts.text import contact_in_lines
from parsers.forms.grid import Cell, Grid
from tests.routing.test_parse_build import campaign, docx_table, good_row

CAMP = campaign()
LABELS = labels_of(CAMP.form("contact"), CAMP.offices.values())
WANG = ("王五", "办公室主任", "0482-8261234")


def read(text: str):
    found = contact_in_lines(text.split("\n"), LABELS)
    return found and (found.name, found.position, found.phone)


# ---------------------------------------------------------------- text

@pytest.mark.parametrize("text, expected", [
    ("联络人：王五 职务：办公室主任 电话：0482-8261234", WANG),
    ("联系人：王五（办公室主任），电话 0482-8261234", WANG),
    ("联系人:王五(办公室主任),电话:0482-8261234", WANG),
    ("联系人：王五\n职务：办公室主任\n电话：0482-8261234", WANG),
    ("联络人：王五\n职务：办公室主任\n办公电话：0482－8261234", WANG),
    ("联络人：王五，办公室主任，座机：(0482)8261234", WANG),
    ("联系人：办公室主任王五，联系电话：0482 8261234", WANG),
    ("联 系 人：王　五\n职　　务：办公室主任\n联系电话：0482—8261234", WANG),
    ("我局“两优”专项行动联络人为王五同志（办公室主任），联系电话0482-8261234。", WANG),
    ("现将我局联络人报送如下：\n王五  办公室主任  0482-8261234", WANG),
    ("联络人信息如下：\n姓名：王五\n职务：办公室主任\n电话：0482-8261234", WANG),
    ("姓名\t职务\t联系电话\n王五\t办公室主任\t0482-8261234", WANG),
    ("姓名 职务 联系电话\n王五 办公室主任 0482-8261234", WANG),
    ("分管领导：赵六（副局长，13904821111）；联络人：王五（办公室主任，0482-8261234）", WANG),
    ("分管领导：\n姓名：赵六\n职务：副局长\n电话：13904821111\n联络人：\n姓名：王五\n职务：办公室主任\n电话：0482-8261234", WANG),
    ("联络人：王五 职务：办公室主任 手机：13804822222 座机：0482-8261234", ("王五", "办公室主任", "13804822222、0482-8261234")),
    ("联系人：王五（办公室主任，138 0482 2222）", ("王五", "办公室主任", "13804822222")),
    ("联络人：乌云其其格（四级主任科员） 手机号码：139-0482-0000", ("乌云其其格", "四级主任科员", "13904820000")),
    ("联络人：王五 0482-8261234转801", ("王五", "", "0482-8261234转801")),
    ("联络员：王五，综合股股长，电话：8261234", ("王五", "综合股股长", "8261234")),
    ("联系人及电话：王五 13804822222", ("王五", "", "13804822222")),
    ("联系人：李明 13800000000", ("李明", "", "13800000000")),
    ("电话：待定\n联系人：王五", ("王五", "", "待定")),
])
def test_contact_in_text(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text", [
    "请各单位明确联络人，及时报送。",
    "在局党组领导下，成立工作专班，电话：0482-8261234",
    "联系人：盟行政审批和政务服务局齐丹丹同志，电话：0482-8288095。",  # our own footer, quoted
    "附件3请查收。",
    "分管领导：赵六 副局长 13904821111",
    "联络人：\n政务服务局：\n附件请查收。",  # a heading over the addressee line: 政务服务局 is no person
])
def test_no_contact_in_text(text):
    found = contact_in_lines(text.split("\n"), LABELS)
    assert found is None or found.is_excluded(LABELS)


FULL = str.maketrans({":": "：", ",": "，", "(": "（", ")": "）", ";": "；", "-": "－"})


@pytest.mark.parametrize("seed", range(200))
def test_contacts_written_any_way_read_the_same(seed):
    rng = random.Random(seed)
    name = rng.choice(["王五", "李明", "乌云其其格", "张晓燕", "包金山"])
    post = rng.choice(["办公室主任", "综合科科长", "四级主任科员", "政策法规股副股长", "办公室工作人员"])
    phones = rng.sample(["0482-8261234", "13804822222", "0482-8215678", "15947320000"], rng.randint(1, 2))
    name_label = rng.choice(["联络人", "联系人", "联络员"])
    phone_labels = ["电话", "联系电话", "手机", "座机", "办公电话", "联系方式"]
    sep = rng.choice([":", "：", " ", "：  "])
    shape = rng.randrange(4)
    if shape == 0:
        text = f"{name_label}{sep}{name}({post}),{rng.choice(phone_labels)}{sep}{'、'.join(phones)}"
    elif shape == 1:
        lines = [f"{name_label}{sep}{name}", f"职务{sep}{post}"] + [f"{rng.choice(phone_labels)}{sep}{p}" for p in phones]
        text = rng.choice(["\n", " ", "，", "；", "\n\n"]).join(lines)
    elif shape == 2:
        text = f"{name_label}{sep}{name}，{post}，{'，'.join(phones)}"
    else:
        leader = f"分管领导{sep}赵六(副局长,13904821111)"
        text = f"{leader}\n{name_label}{sep}{name}(职务:{post},电话:{'/'.join(phones)})"
    if rng.random() < 0.5:
        text = text.translate(FULL)
    if rng.random() < 0.3:
        text = unicodedata.normalize("NFKC", text)
    found = contact_in_lines(text.split("\n"), LABELS)
    assert found is not None, text
    assert (found.name, found.position, found.phones) == (name, post, phones), text


def test_phones_are_written_one_way():
    assert phones_in("手机 138-0482-2222，座机（0482）8261234、0482 8215678转801，+86 159 4732 0000") == [
        "13804822222", "0482-8261234", "0482-8215678转801", "15947320000"]
    assert phones_in("2023年1月3日 第18号 统一社会信用代码11152200011587651X") == []


# ---------------------------------------------------------------- tables of the sender's own design

def grid(*rows: list[str]) -> Grid:
    return Grid("联络人", [[Cell(text, f"{chr(65 + c)}{r + 1}") for c, text in enumerate(row)] for r, row in enumerate(rows)])


def from_grid(*rows: list[str]):
    found = contact_in_grid(grid(*rows), LABELS)
    return found and (found.name, found.position, found.phone)


def test_leader_beside_the_contact_keeps_the_contacts_own_post_and_phones():
    found = contact_in_grid(grid(
        ["兴安盟教育局“两优”专项行动联络人信息表"],
        ["单位", "分管领导", "职务", "联系电话", "承办科室", "联络人", "职务", "办公电话", "手机"],
        ["兴安盟教育局", "赵六", "副局长", "13904821111", "办公室", "王五", "办公室主任", "0482-8261234", "13804822222"],
    ), LABELS)
    assert (found.name, found.position, found.phone) == ("王五", "办公室主任", "0482-8261234、13804822222")
    assert found.refs == {"name": "F3", "position": "G3", "phone": "H3"} and found.source == FILE


def test_two_row_header_leader_and_contact_groups():
    assert from_grid(
        ["分管领导", "分管领导", "分管领导", "联络人", "联络人", "联络人"],
        ["姓名", "职务", "电话", "姓名", "职务", "电话"],
        ["赵六", "副局长", "13904821111", "王五", "办公室主任", "0482-8261234"],
    ) == WANG


def test_rows_with_a_role_column_pick_the_contact_row():
    assert from_grid(
        ["类别", "姓名", "职务", "办公电话", "手机"],
        ["分管领导", "赵六", "副局长", "0482-8260001", "13904821111"],
        ["联络人", "王五", "办公室主任", "0482-8261234", ""],
    ) == WANG
    assert from_grid(
        ["人员", "联系人", "职务", "电话"],
        ["分管领导", "赵六", "副局长", "13904821111"],
        ["联络员", "王五", "办公室主任", "0482-8261234"],
    ) == WANG


def test_several_contacts_take_the_first_and_blank_rows_are_skipped():
    assert from_grid(["序号", "联络人", "职务", "联系电话（手机）"], ["", "", "", ""], ["1", "王五", "办公室主任", "0482-8261234"],
                     ["2", "李明", "科员", "13800000000"]) == WANG


def test_sideways_and_label_value_tables():
    assert from_grid(["联络人", "王五"], ["职务", "办公室主任"], ["联系电话", "0482-8261234"]) == WANG
    assert from_grid(["联络人", "王五", "职务", "办公室主任"], ["电话", "0482-8261234", "", ""]) == WANG
    assert from_grid(["", "分管领导", "联络人"], ["姓名", "赵六", "王五"], ["职务", "副局长", "办公室主任"],
                     ["电话", "13904821111", "0482-8261234"]) == WANG


def test_name_column_with_post_and_phone_in_brackets():
    assert from_grid(["联络人", "电话"], ["王五（办公室主任）", "0482-8261234"]) == WANG


def xlsx(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_contact_workbook_is_a_contact_file_not_a_missing_form():
    # It was "附件中没有找到通知附件1–3的表格" before, and the plan then lacked its 职务 and 电话.
    data = xlsx(["“两优”专项行动联络人"], ["分管领导", "职务", "联系电话", "联络人", "职务", "联系电话"],
                ["赵六", "副局长", "13904821111", "王五", "办公室主任", "0482-8261234"])
    result = read_attachment(data, "联络人.xlsx", CAMP)
    assert (result.returns, result.problems) == ([], [])
    assert [(c.source, c.name, c.position, c.phone, c.sheet) for c in result.contacts] == [(FILE, *WANG, "Sheet")]


def test_a_notes_sheet_quoting_the_notices_footnote_is_no_contact():
    data = xlsx(["填表说明"], ["注：此表报盟委编办，联系人：苏旭，电话：0482-8267388。"])
    result = read_attachment(data, "说明.xlsx", CAMP)
    assert result.contacts == [] and [p.code for p in result.problems] == ["no-form-found"]


# ---------------------------------------------------------------- documents

def document(*paragraphs: str, table: list[list[str]] | None = None, title_first: bool = True) -> bytes:
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid_ = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid_.cell(r, c).text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


PLAN_BODY = "为深入贯彻落实盟委、行署关于开展“两优”专项行动的部署要求，结合本单位实际，制定本实施方案。" * 3


def test_the_plans_last_paragraph_names_the_contact():
    data = document("兴安盟教育局“两优”专项行动实施方案", PLAN_BODY, "联系人：王五（办公室主任），电话：0482-8261234")
    result = read_attachment(data, "实施方案.docx", CAMP)
    assert [r.kind for r in result.returns] == ["plan"]
    assert [(c.source, c.name, c.position, c.phone) for c in result.contacts] == [(PLAN, *WANG)]


def test_a_table_inside_the_plan_names_the_contact():
    data = document("兴安盟教育局“两优”专项行动实施方案", PLAN_BODY, "附：联络人信息",
                    table=[["分管领导", "职务", "电话", "联络人", "职务", "电话"], ["赵六", "副局长", "13904821111", *WANG]])
    result = read_attachment(data, "实施方案.docx", CAMP)
    assert [(c.source, c.name, c.position, c.phone) for c in result.contacts] == [(PLAN, *WANG)]


def test_a_contact_document_is_not_the_plan_even_when_the_subject_names_the_plan():
    data = document("兴安盟教育局“两优”专项行动联络人", table=[["联络人", "职务", "电话"], list(WANG)])
    result = read_attachment(data, "联络人.docx", CAMP, subject="报送实施方案及联络人")
    assert [r.kind for r in result.returns] == []  # no "实施方案内容为空" for this page
    assert [(c.source, c.name) for c in result.contacts] == [(FILE, "王五")]


@pytest.mark.parametrize("where", ["盖章", "footnote"])
def test_a_name_and_phone_on_a_word_forms_own_lines_are_no_contact(where):
    # A Word 附件1 whose 盖章 line or footnote carries a name and phone is a form, and only a form.
    lines = ("联系人：张三  电话：13800000000",) if where == "盖章" else ()
    data = docx_table(1, [good_row(1)], paragraphs=lines)
    if where == "footnote":
        doc = docx.Document(io.BytesIO(data))
        doc.add_paragraph("注：此表报盟委编办，联系人：苏旭，电话：0482-8267388。填表人：张三 电话：13800000000")
        out = io.BytesIO()
        doc.save(out)
        data = out.getvalue()
    result = read_attachment(data, "附件1.docx", CAMP)
    assert [r.kind for r in result.returns] == ["attachment1"] and result.contacts == []


def test_a_long_document_that_is_neither_plan_nor_form_holds_only_a_signature():
    data = document("关于“两优”专项行动工作情况的说明", PLAN_BODY * 3, "联系人：李明 13800000000")
    result = read_attachment(data, "情况说明.docx", CAMP)
    assert [(c.source, c.name) for c in result.contacts] == [(TEXT, "李明")]


# ---------------------------------------------------------------- hostile text

@pytest.mark.timeout(120)
@pytest.mark.parametrize("unit", ["联系人：", "主任", "办公室主任王", "0", "(", "(0482)", "138 ", "联系人主任", "王", "联系人：王五 ", "电话：",
                                  "姓名 职务 电话\n", "分管领导：\n", "联络人\n\n", " ", "、", "—"])
def test_hostile_text_is_read_in_linear_time(unit):
    # 2 MB of one piece repeated, on one line or on many: a message must never stall the worker.
    body = unit * (2_000_000 // len(unit))
    contact_in_lines(body.split("\n"), LABELS)
    contact_in_lines([body.replace("\n", "")], LABELS)


@pytest.mark.timeout(120)
def test_a_large_sheet_that_is_no_form_is_searched_for_a_contact_only_in_its_corner():
    rows = [[f"{r}-{c}" for c in range(100)] for r in range(1000)]
    rows[1][:3] = ["联络人", "职务", "电话"]
    rows[2][:3] = list(WANG)
    found = contact_in_grid(grid(*rows), LABELS)
    assert (found.name, found.position, found.phone) == WANG


def test_a_campaign_without_a_contact_form_still_reads_its_plan():
    import dataclasses

    camp = dataclasses.replace(CAMP, forms=tuple(s for s in CAMP.forms if s.layout != "contact"))
    data = document("兴安盟教育局“两优”专项行动实施方案", PLAN_BODY, "联系人：王五（办公室主任），电话：0482-8261234")
    result = read_attachment(data, "实施方案.docx", camp)
    assert [r.kind for r in result.returns] == ["plan"] and result.contacts == []
