"""What a campaign may now say of a form: row-count bounds, file type, drop-downs and footnotes, quote styles, strict phones.

The campaign is invented (a 旗's list of river-chief liaisons): nothing here belongs to the 两优 notice.
"""

from __future__ import annotations

import argparse
import io
import tomllib

import docx
import openpyxl
import pytest

from mailbot.cli.commands import templates
from parsers import read_attachment
from parsers.blanks.document import docx_template
from parsers.blanks.workbook import xlsx_template
from parsers.problems import flatten
from routing.model.campaign import Campaign
from routing.model.campaign_load import build_campaign

RIVERS = '''
[campaign]
id = "hezhang-2024"
name = "河长制联络员报送"
[offices.shuili]
name = "旗水利局"
inboxes = ["hezhang@example.org"]
[deadlines.list]
date = 2024-03-01
[routing."苏木镇"]
liaisons = "shuili"
reaches = "shuili"
[[returns]]
kind = "liaisons"
label = "附表1"
title = "河长制联络员名单"
deadline = "list"
layout = "table"
file_type = "excel"
min_rows = 1
max_rows = 2
footnotes = ["每个苏木镇确定1至2名联络员。", "如内容涉密，不要发邮箱，请使用光盘报送。"]
columns = [
  { name = "序号", role = "seq" },
  { name = "姓名" },
  { name = "职务" },
  { name = "联系电话" },
  { name = "联络员类别", choices = ["专职", "兼职"] },
]
rules = [
  { kind = "required", columns = ["姓名", "联系电话"] },
  { kind = "pattern", column = "联系电话", pattern = "phone-strict" },
]
[[returns]]
kind = "reaches"
label = "附表2"
title = "“一河一策”河段清单"
deadline = "list"
layout = "table"
file_type = "word"
columns = [
  { name = "序号", role = "seq" },
  { name = "“一河一策”河段" },
  { name = "河段长度" },
]
'''


@pytest.fixture(scope="module")
def rivers() -> Campaign:
    return build_campaign(tomllib.loads(RIVERS))


def _liaisons(camp, *rows) -> list:
    names = [c.name for c in camp.form("liaisons").columns]
    return [dict(zip(names, [n, *row])) for n, row in enumerate(rows, start=1)]


def _read(camp, kind, rows, build=xlsx_template):
    data = build(camp.form(kind), rows, unit="某苏木", date="2024年2月1日")
    result = read_attachment(data, f"{kind}.{'xlsx' if build is xlsx_template else 'docx'}", camp)
    assert len(result.returns) == 1, result.problems
    return result.returns[0]


def test_one_or_two_rows_are_right(rivers):
    for rows in ([["张三", "科长", "0482-8267388", "专职"]], [["张三", "科长", "13912345678", "专职"], ["李四", "干部", "13812345678", "兼职"]]):
        assert _read(rivers, "liaisons", _liaisons(rivers, *rows)).problems == []


def test_three_rows_are_too_many(rivers):
    three = _liaisons(rivers, *[[f"人{i}", "干部", "13912345678", "兼职"] for i in range(3)])
    ret = _read(rivers, "liaisons", three)
    assert flatten(ret.problems) == [(None, None, "too-many-rows")]
    assert ret.problems[0].message == "附表1《河长制联络员名单》应填写1至2行，现填写了3行，请按通知要求核减后重新发送"


def test_a_value_outside_the_drop_down_is_a_problem_and_width_or_spaces_are_not(rivers):
    rows = _liaisons(rivers, ["张三", "科长", "13912345678", "临时"], ["李四", "干部", "13812345678", " 兼职。"])
    ret = _read(rivers, "liaisons", rows)
    assert flatten(ret.problems) == [(1, "联络员类别", "value-not-in-list")]
    assert "请从“专职、兼职”中选择一项填写" in ret.problems[0].message


def test_strict_phone_refuses_a_landline_without_area_code_and_says_so(rivers):
    ret = _read(rivers, "liaisons", _liaisons(rivers, ["张三", "科长", "8267388", "专职"]))
    assert flatten(ret.problems) == [(1, "联系电话", "pattern-mismatch")]
    assert "不带区号的座机号码，请写明区号" in ret.problems[0].message


def test_the_loose_phone_pattern_still_takes_it():
    text = RIVERS.replace('pattern = "phone-strict"', 'pattern = "phone"')
    camp = build_campaign(tomllib.loads(text))
    assert _read(camp, "liaisons", _liaisons(camp, ["张三", "科长", "8267388", "专职"])).problems == []


def test_an_excel_only_form_sent_in_word_is_told_which_type(rivers):
    ret = _read(rivers, "liaisons", _liaisons(rivers, ["张三", "科长", "13912345678", "专职"]), build=docx_template)
    assert flatten(ret.problems) == [(None, None, "wrong-file-type")]
    assert ret.problems[0].message == ("附表1《河长制联络员名单》应以Excel 表格（.xlsx）报送，收到的是Word 文档（.docx）；"
                                       "请使用通知所附的Excel 表格（.xlsx）填写后重新发送")
    assert _read(rivers, "reaches", [{"序号": 1, "“一河一策”河段": "某河", "河段长度": "3公里"}], build=docx_template).problems == []


@pytest.mark.parametrize("header", ['"一河一策"河段', "“一河一策”河段", "「一河一策」河段", "‘一河一策’河段", "一河一策河段"])
def test_header_quotes_in_any_style_match(rivers, header):
    book = openpyxl.Workbook()
    ws = book.active
    for row in (["“一河一策”河段清单"], ["序号", header, "河段长度"], [1, "某河", "3公里"]):
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    camp = build_campaign(tomllib.loads(RIVERS.replace('file_type = "word"', 'file_type = "any"')))
    result = read_attachment(out.getvalue(), "r.xlsx", camp)
    assert [r.kind for r in result.returns] == ["reaches"] and result.returns[0].problems == []
    assert result.returns[0].rows == [{"序号": "1", "“一河一策”河段": "某河", "河段长度": "3公里"}]


def test_blank_xlsx_carries_the_drop_down_and_the_footnotes(rivers):
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_template(rivers.form("liaisons")))).active
    lists = [(dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation]
    assert lists == [('"专职,兼职"', "E5:E7")]  # the 1, 2, ... rows under the header in column 联络员类别
    texts = [row[0] for row in ws.iter_rows(values_only=True)]
    assert texts[-2:] == ["注：1. 每个苏木镇确定1至2名联络员。", "2. 如内容涉密，不要发邮箱，请使用光盘报送。"]


def test_blank_docx_carries_the_footnotes_and_the_choices(rivers):
    camp = build_campaign(tomllib.loads(RIVERS.replace('file_type = "excel"', 'file_type = "any"')))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(docx_template(camp.form("liaisons")))).paragraphs]
    assert paragraphs[-3:] == ["注：1. 每个苏木镇确定1至2名联络员。", "2. 如内容涉密，不要发邮箱，请使用光盘报送。",
                               "“联络员类别”一栏请从以下选项中选择一项填写：专职、兼职。"]


def test_templates_command_writes_only_the_file_type_a_form_asks_for(tmp_path, capsys):
    config = tmp_path / "campaign.toml"
    config.write_text(RIVERS, encoding="utf-8")
    templates.run(argparse.Namespace(dir=str(tmp_path / "out"), campaign=str(config)))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["附表1_河长制联络员名单.xlsx", "附表2_“一河一策”河段清单.docx"]


def test_bad_drop_down_lists_are_refused_at_load():
    from routing.errors import CampaignError

    with pytest.raises(CampaignError, match="不能有半角逗号"):
        build_campaign(tomllib.loads(RIVERS.replace('["专职", "兼职"]', '["专职,全职", "兼职"]')))
    with pytest.raises(CampaignError, match="max_rows（1）小于 min_rows（2）"):
        build_campaign(tomllib.loads(RIVERS.replace("min_rows = 1\nmax_rows = 2", "min_rows = 2\nmax_rows = 1")))


def test_contact_field_with_strict_phone_asks_for_the_area_code():
    from parsers.contacts.details import Contact
    from parsers.contacts.merge import contact_return
    from tests.routing.test_parse_build import campaign as shipped

    spec = shipped().form("contact")
    strict = type(spec)(**{**spec.__dict__, "fields": tuple({**f, "pattern": "phone-strict"} if f.get("role") == "phone" else f
                                                            for f in spec.fields)})
    contact = Contact(name="张三", position="科长", phones=["8267388"])
    assert contact_return(spec, contact).problems == []
    problems = contact_return(strict, contact).problems
    assert [(p.code, p.value) for p in problems] == [("phone-no-area-code", "8267388")]
    assert contact_return(strict, Contact(name="张三", position="科长", phones=["0482-8267388"])).problems == []
