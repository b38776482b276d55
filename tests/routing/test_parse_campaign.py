"""A made-up second campaign (a 旗's own list) parses with its own columns and rules: no code change."""

from __future__ import annotations

import tomllib

from parsers import read_attachment
from parsers.problems import flatten
from routing.model.campaign import Campaign
from routing.model.campaign_load import build_campaign
from tests.routing.test_parse_build import xlsx

BANNER = '''
[campaign]
id = "banner-2023"
name = "嘎查村联络表"
[offices.office]
name = "旗委办"
inboxes = ["office@example.org"]
[deadlines.list]
date = 2023-03-01
[routing."苏木镇"]
villages = "office"
[[returns]]
kind = "villages"
label = "附件"
title = "嘎查村联络员名单"
deadline = "list"
layout = "table"
unit_label = "填报单位"
date_label = "填报日期"
none_words = ["无"]
optional_columns = ["备注"]
columns = [
  { name = "序号", role = "seq" },
  { name = "嘎查村名称" },
  { name = "类型" },
  { name = "联络员电话" },
  { name = "户数" },
  { name = "脱贫户数" },
  { name = "备注" },
]
rules = [
  { kind = "required", columns = ["嘎查村名称", "联络员电话"], code = "village-missing" },
  { kind = "one-of", column = "类型", values = ["嘎查", "村", "社区"], code = "type-unknown" },
  { kind = "pattern", column = "联络员电话", pattern = "phone", code = "phone-invalid" },
  { kind = "number", column = "户数", code = "households-not-number" },
  { kind = "number", column = "脱贫户数", code = "households-not-number" },
  { kind = "compare", column = "脱贫户数", op = "<=", other = "户数", as = "number", code = "more-than-total", message = "第{row}行脱贫户数（{value}）不能多于户数（{other_value}）" },
]
[[metrics]]
key = "villages.households"
form = "villages"
kind = "count"
'''


def test_second_campaign_needs_only_a_config_file():
    camp = build_campaign(tomllib.loads(BANNER))
    rows = [["嘎查村联络员名单"], ["填报单位：某苏木", "填报日期：2023年2月1日"],
            ["序号", "嘎查村名称", "类型", "联络员电话", "户数", "脱贫户数", "备注"],
            [1, "巴彦嘎查", "嘎查", "13912345678", 120, 5],
            [2, "新村", "屯", "0482-8267388", "无", "无"],
            [3, "东风社区", "社区", "12345", "一百", 200],
            [4, None, "村", "0482 8267388", 30, "很多"]]
    result = read_attachment(xlsx(rows), "list.xlsx", camp)
    ret = result.returns[0]
    assert (ret.kind, ret.unit_name, len(ret.rows), ret.metrics) == ("villages", "某苏木", 4, {"villages.households": 4.0})
    assert flatten(ret.problems) == [
        (2, "类型", "type-unknown"),
        (3, "联络员电话", "phone-invalid"),
        (3, "脱贫户数", "more-than-total"),
        (4, "嘎查村名称", "village-missing"),
        (4, "脱贫户数", "households-not-number"),
    ]
    assert ret.problems[2].message == "第3行脱贫户数（200）不能多于户数（一百）"
