"""`mailbot campaign check`: mistakes in the campaign file are refused at load, in Chinese, naming file, line and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mailbot import doctor
from mailbot.campaigns.files import check_file
from mailbot.cli.main import main
from mailbot.config import DEFAULT_CAMPAIGN, load_campaign
from mailbot.errors import ConfigError
from parsers.forms.rules.registry import UnknownRule
from routing.model.campaign_load import build_campaign

SHIPPED = DEFAULT_CAMPAIGN.read_text(encoding="utf-8")


def _write(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert old in SHIPPED, old
    target = tmp_path / "campaign.toml"
    target.write_text(SHIPPED.replace(old, new, count), encoding="utf-8")
    return target


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# (what is changed, into what, the key named in the message, words of the message, a text on the faulty line)
MISTAKES = [
    pytest.param('unit_label = "部门（单位）盖章"', 'unit_lable = "部门（单位）盖章"', "returns[3].unit_lable",
                 "未知的键“unit_lable”，是否应为“unit_label”", "unit_lable", id="misspelt-key"),
    pytest.param('kind = "duration", column = "原办理时限"', 'kind = "durations", column = "原办理时限"',
                 "returns[5].rules[5].kind", "未知的规则类型“durations”，是否应为“duration”", "durations", id="unknown-kind"),
    pytest.param('op = "<=", other = "原办理时限",', 'op = "<=",', "returns[5].rules[8].other",
                 "缺少必需的键“other”", 'kind = "compare"', id="missing-parameter"),
    pytest.param('columns = ["事项名称"], message', 'columns = ["事项名"], message', "returns[5].rules[1].columns[1]",
                 "没有名为“事项名”的列，是否应为“事项名称”", '["事项名"]', id="unknown-column"),
    pytest.param('matches = "下放|委托|授权" }, message', 'matches = "下放|(委托" }, message', "returns[4].rules[3].when.matches",
                 "正则表达式“下放|(委托”有误", "下放|(委托", id="bad-pattern"),
    pytest.param('plan = "zwfw"', 'plan = "zwf"', "routing.政府.plan", "交给了不存在的办公室“zwf”，是否应为“zwfw”",
                 'plan = "zwf"', id="unknown-office"),
]


@pytest.mark.parametrize("old, new, key, words, on_line", MISTAKES)
def test_each_mistake_is_refused_naming_file_line_and_key(tmp_path, old, new, key, words, on_line):
    target = _write(tmp_path, old, new)
    with pytest.raises(ConfigError) as caught:
        load_campaign(target)
    message = str(caught.value)
    assert "\n" not in message
    assert f"{target} 第{_line_of(target, on_line)}行" in message
    assert f"键 {key}：" in message and words in message


def test_check_lists_every_mistake_and_accepts_a_folder(tmp_path, capsys):
    target = _write(tmp_path, 'unit_label = "部门（单位）盖章"', 'unit_lable = "部门（单位）盖章"', count=3)
    assert main(["campaign", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert len(re.findall("未知的键“unit_lable”", out)) == 3  # all three forms, not only the first
    assert f"{target} 有 3 处错误" in out


def test_the_shipped_campaign_passes(capsys):
    assert main(["campaign", "check", str(DEFAULT_CAMPAIGN)]) == 0
    assert "检查通过" in capsys.readouterr().out


def test_doctor_reports_the_mistake(tmp_path):
    target = _write(tmp_path, 'plan = "zwfw"', 'plan = "zwf"')
    finding = doctor.check_campaign(target)
    assert finding.level == doctor.FAIL and "交给了不存在的办公室“zwf”" in finding.detail


def test_the_worker_does_not_start_on_a_mistaken_file(tmp_path, capsys):
    target = _write(tmp_path, 'kind = "duration", column = "原办理时限"', 'kind = "durations", column = "原办理时限"')
    assert main(["--db", f"sqlite:///{tmp_path}/l.db", "--campaign", str(target), "run"]) != 0
    assert "未知的规则类型“durations”" in capsys.readouterr().err


def test_a_mistaken_rule_that_slips_past_the_loader_is_never_told_to_the_sender():
    # A hand-built campaign (no loader) with an unknown kind: the message is held for a person, not answered.
    from dataclasses import replace

    from parsers import read_attachment
    from tests.routing.test_parse_build import campaign as shipped
    from tests.routing.test_parse_build import xlsx

    camp = shipped()
    spec = replace(camp.form("attachment1"), rules=({"kind": "durations", "column": "备注"},))
    camp = replace(camp, forms=tuple(spec if f.kind == "attachment1" else f for f in camp.forms))
    rows = [["附件1"], ["优化部门职能职责建议清单"], ["序号", "需要调整的职能职责", "调整建议", "调整依据或理由", "备注"],
            [1, "职责", "建议", "理由", ""]]
    with pytest.raises(UnknownRule):
        read_attachment(xlsx(rows), "a1.xlsx", camp)


def test_check_file_is_quiet_on_a_right_file():
    assert check_file(DEFAULT_CAMPAIGN) == []


def _data() -> dict:
    import tomllib

    return tomllib.loads(SHIPPED)


@pytest.mark.parametrize("change, words", [
    (lambda d: d["returns"][3].update(kind="attachment1"), "材料“attachment1”重复定义"),
    (lambda d: d["metrics"][3].pop("column"), "统计方法“count-items”须给出 column"),
    (lambda d: d["returns"][3]["rules"][2]["when"].pop("columns"), "条件须给出判断的列"),
    (lambda d: d["returns"][2]["columns"].append("备注"), "列名“备注”重复"),
    (lambda d: d["metrics"][0].update(form="attachment9"), "材料“attachment9”未在 [[returns]] 中定义"),
    (lambda d: d["reminders"]["deadlines"].update(late={}), "截止时间“late”未在 [deadlines] 中定义"),
])
def test_what_would_fail_on_the_first_message_is_refused_at_load(change, words):
    from routing.errors import CampaignError
    from routing.model.campaign import Campaign

    data = _data()
    change(data)
    with pytest.raises(CampaignError, match=re.escape(words)):
        build_campaign(data)


def test_another_module_extends_the_format_by_adding_entries():
    # How a parallel part of the project (campaign texts) adds its keys: the check accepts them, the reference lists them.
    from routing.model import campaign_schema as schema
    from routing.model.campaign_check import check_data
    from routing.model.campaign_reference import render

    data = _data()
    data["extras"] = {"footer": "某办公室"}
    assert [f.where for f in check_data(data)] == ["extras"]
    schema.add_section("extras", "活动的其他文字。", schema.Key("footer", "文本", "邮件落款。", ""))
    schema.add_keys("", schema.Key("extras", "表", "活动的其他文字。", {}))
    try:
        assert check_data(data) == [] and "`footer`" in render()
        data["extras"]["foter"] = "x"
        assert [f.text() for f in check_data(data)] == ["extras.foter：未知的键“foter”，是否应为“footer”？"]
    finally:
        del schema.SECTIONS["extras"], schema.SECTIONS[""].keys["extras"]
