"""The campaign file: the shipped notice reads as the notice says, and a bad file is refused in Chinese."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from mailbot.config import load_campaign
from mailbot.errors import ConfigError
from routing.errors import CampaignError
from routing.model.campaign import Campaign
from routing.model.campaign_load import build_campaign
from tests.campaigns import LIANGYOU


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign()


def test_offices_and_inboxes_as_printed(campaign):
    assert campaign.office_for_inbox("794605082@qq.com").name == "盟委编办"
    assert campaign.office_for_inbox("XAMZFW@126.com").key == "zwfw"
    # The footnote of 附件3 misprints the address; mail sent there is still the 政务服务局's.
    assert campaign.office_for_inbox("xamzfwf@126.com").key == "zwfw"
    assert campaign.office_for_inbox("someone@example.com") is None
    assert campaign.offices["bianban"].phone == "0482-8267388"
    assert campaign.offices["zwfw"].paper_address == "盟政务服务中心四楼403室"


def test_routing_follows_the_footnotes(campaign):
    assert [campaign.handler("党群", k).key for k in campaign.kinds] == ["bianban"] * 5
    gov = {k: campaign.handler("政府", k).key for k in campaign.kinds}
    assert gov == {"plan": "zwfw", "contact": "zwfw", "attachment1": "bianban", "attachment2": "zwfw", "attachment3": "zwfw"}


def test_deadlines_end_of_day_in_shanghai(campaign):
    end = campaign.deadline_for("plan").end(campaign.timezone)
    assert end == dt.datetime(2023, 1, 5, 0, 0, tzinfo=campaign.timezone)
    assert campaign.deadline_for("attachment3").date == dt.date(2023, 1, 18)


def test_two_row_headers_as_printed(campaign):
    a3 = campaign.form("attachment3")
    assert a3.title == "保留职权事项及减环节、减材料、减时限清单"
    assert a3.groups == ("事项类别", "简化办事程序", "精减办事要件", "压缩办事时限")
    assert [c.name for c in a3.columns if c.group == "压缩办事时限"] == ["原办理时限", "现办理时限", "压缩自然日/工作日"]
    assert campaign.form("attachment2").column("权责清单事项").group == "事项类别"


def test_receipt_numbers(campaign):
    assert campaign.receipt_number(campaign.offices["bianban"], 2023, 42) == "编办〔2023〕收字第0042号"


def _mutated(change) -> dict:
    data = tomllib.loads((LIANGYOU / "campaign.toml").read_text(encoding="utf-8"))
    change(data)
    return data


@pytest.mark.parametrize("change, words", [
    (lambda d: d.pop("offices"), "offices"),
    (lambda d: d["routing"]["政府"].update(plan="nowhere"), "不存在的办公室"),
    (lambda d: d["returns"][0].update(deadline="never"), "不存在的截止时间"),
    (lambda d: d["deadlines"]["plan"].update(date="soon"), "不是日期"),
    (lambda d: d["returns"][2].update(layout="poster"), "layout"),
])
def test_bad_campaign_is_refused_in_chinese(change, words):
    with pytest.raises(CampaignError, match=words):
        build_campaign(_mutated(change))


def test_unreadable_campaign_file(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[campaign\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="格式有误"):
        load_campaign(bad)


def test_metrics_are_typed_at_load_and_a_bad_one_is_refused_there(campaign):
    first, *_, last = campaign.metrics
    assert (first.key, first.label, first.form, first.kind, first.where) == ("delegation.total", "权力下放：事项总数", "attachment2", "count", None)
    assert (last.kind, last.column, last.minuend, last.unit) == ("sum-duration", "压缩自然日/工作日", "原办理时限", "working")
    unlabelled = build_campaign(_mutated(lambda d: d["metrics"][0].pop("label")))
    assert unlabelled.metrics[0].label == "delegation.total"  # the schema's default: the key
    with pytest.raises(CampaignError, match="count-items"):  # not at the first export, not in the parse child
        build_campaign(_mutated(lambda d: d["metrics"][3].pop("column")))


def test_the_reminders_table_is_kept_as_written_for_the_policy(campaign):
    assert campaign.reminders_table == _mutated(lambda d: None)["reminders"]
