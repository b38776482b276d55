"""Two campaigns of our own invention run end to end from their folders, and nothing of the first campaign shows.

anjian: a 旗 safety inspection with no unit categories, one office, a table and a contact in the mail body.
xuexiao: a city's school statistics with two categories routed to two offices, a table and a report document.
"""

from __future__ import annotations

import re

import pytest

from tests.campaigns import ANJIAN, XUEXIAO
from tests.support.other_campaign_world import World, run_campaign

# Words only the first (两优, 兴安盟) campaign has: its name, region, offices, inboxes, forms, results and categories.
FIRST_CAMPAIGN = ("两优", "兴安盟", "盟委", "编办", "政务服务局", "794605082", "xamzfw", "bianban", "zwfw", "附件1", "附件2",
                  "附件3", "附件1–3", "四项成果", "部门（单位）", "党群", "实施方案", "优化职能职责", "attachment1", "兴党办发", "8267388")


@pytest.fixture(scope="module", params=[ANJIAN, XUEXIAO], ids=["anjian", "xuexiao"])
def world(request, tmp_path_factory) -> World:
    tmp = tmp_path_factory.mktemp(request.param.name)
    return run_campaign(request.param, f"sqlite:///{tmp / 'ledger.db'}", tmp)


def outcomes(world: World) -> dict[str, str]:
    return {title: verdict["outcome"] for title, verdict in world.verdicts}


def test_returns_are_registered_checked_and_answered(world):
    campaign, got = world.app.campaign, outcomes(world)
    late = [v for t, v in world.verdicts if "逾期" in t]
    assert late and all(v["overdue"] for v in late)
    assert [o for t, o in got.items() if t.endswith(tuple(s.label for s in campaign.forms))] == ["accepted"] * len(campaign.kinds)
    assert "invalid" in {v["outcome"] for v in late}  # the late unit's faulty table
    assert got["名册外邮箱，未写单位"] == "unknown_sender" and got["主题标注【涉密】"] == "refused_classified"
    assert got["旧版 .doc"] == "unsupported" and got["没有附件的询问"] == "no_forms"
    assert got["同一封邮件（重复）"] == "duplicate" and got["无关的表格"] == "unsupported"
    stray = next(m.body for m in world.mails if m.kind == "reply:unsupported" and "其他.xlsx" in m.body)
    assert "、".join(s.label for s in campaign.forms) in stray  # what the notice asks for, by the campaign's labels
    numbers = [v["receipt_no"] for _, v in world.verdicts if v.get("receipt_no")]
    assert len(set(numbers)) == len(numbers) and all(re.search(r"〔20\d\d〕", n) for n in numbers)


def test_every_receipt_goes_from_the_campaign_office_that_handles_the_return(world):
    campaign = world.app.campaign
    for title, verdict in world.verdicts:
        if verdict["outcome"] == "accepted":
            assert verdict["handled_by"] in campaign.offices
    replies = [m for m in world.mails if m.kind.startswith("reply:")]
    assert {m.office for m in replies} <= set(campaign.offices) and replies
    assert all(campaign.texts.system in m.body for m in replies)


def test_reminders_digest_and_alert_come_from_the_campaign(world):
    campaign, kinds = world.app.campaign, {m.kind for m in world.mails}
    assert world.reminded and {"reminder", "digest", "alert"} <= kinds
    for mail in world.mails:
        if mail.kind in ("reminder", "digest", "alert"):
            assert campaign.texts.system in mail.body, mail.kind


def test_exports_follow_the_campaign(world):
    campaign = world.app.campaign
    tables = [s for s in campaign.forms if s.layout == "table"]
    expected = {f"{s.label}汇总表.xlsx" for s in tables} | {f"{campaign.texts.results_title}.xlsx", "未报送及逾期名单.xlsx"}
    assert set(world.exports) == expected
    summary = world.exports[f"{tables[0].label}汇总表.xlsx"]
    assert all(c.name in summary for c in tables[0].columns) and "示例" in summary


def test_blank_templates_carry_the_campaign_forms(world):
    for spec in (s for s in world.app.campaign.forms if s.layout == "table"):
        for suffix in (".xlsx", ".docx"):
            text = world.templates[f"{spec.label}_{spec.title}{suffix}"]
            assert spec.title in text and all(c.name in text for c in spec.columns if c.role != "seq")


def test_no_word_of_the_first_campaign_anywhere(world):
    leaks = {where: [w for w in FIRST_CAMPAIGN if w in text] for where, text in world.texts().items()}
    assert {where: words for where, words in leaks.items() if words} == {}
    assert len([k for k in world.printed if k.endswith("--help")]) > 40  # every command and action was asked
    assert len([k for k in world.printed if k.startswith("web download")]) >= 3  # the dashboard's exports too
