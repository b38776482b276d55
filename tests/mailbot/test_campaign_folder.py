"""A campaign is one folder; the ledger records each row's campaign and never lends one campaign's roster to another.

The "Seen" of issue 20: with only a new campaign, `ledger` and `export` listed the 40 units of the first campaign,
`reminders send` queued reminders to them, and a form was matched to one of them.
"""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from mailbot.app import App
from mailbot.cli.main import main
from mailbot.config import load_campaign
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.errors import ConfigError
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import MessageRow, OutboxRow, SubmissionRow, UnitRow
from mailbot.ledger.units import load_roster
from tests.campaigns import ANJIAN, LIANGYOU, copy_campaign

ANJIAN_UNITS = {"科尔沁右翼前旗科尔沁镇人民政府", "科尔沁右翼前旗归流河镇人民政府", "科尔沁右翼前旗大石寨镇人民政府", "科尔沁右翼前旗住房和城乡建设局"}


def names(app: App) -> set[str]:
    with app.ledger.session() as s:
        return {u.name for u in load_roster(s)}


def test_a_new_campaign_on_an_empty_ledger_gets_its_own_roster_only(db_url):
    app = App(db=db_url, campaign_file=str(ANJIAN))
    assert names(app) == ANJIAN_UNITS


def test_a_ledger_of_the_first_campaign_lends_no_unit_to_the_next(db_url, tmp_path, capsys):
    first = App(db=db_url)
    assert len(names(first)) > 40
    second = App(db=db_url, campaign_file=str(ANJIAN))
    assert names(second) == ANJIAN_UNITS and len(names(first)) > 40  # each sees its own
    with second.ledger.session() as s:
        assert {row.campaign for row in s.scalars(select(UnitRow))} == {"kyqq-anjian-2026"}
    # `ledger` and `export` list the new campaign's units, none of the first's
    assert main(["--db", db_url, "--campaign", str(ANJIAN), "ledger"]) == 0
    out = capsys.readouterr().out
    assert "归流河镇" in out and "兴安盟" not in out
    assert main(["--db", db_url, "--campaign", str(ANJIAN), "export", str(tmp_path / "out")]) == 0
    listed = " ".join(str(c.value) for f in (tmp_path / "out").glob("*.xlsx") for ws in load_workbook(f) for r in ws.iter_rows() for c in r if c.value)
    assert "大石寨镇" in listed and "兴安盟" not in listed


def test_reminders_of_the_new_campaign_go_to_its_units_only(db_url, capsys):
    App(db=db_url).ledger.dispose()  # the first campaign's 40 units are in the ledger
    second = App(db=db_url, campaign_file=str(ANJIAN))
    assert main(["--db", db_url, "--campaign", str(ANJIAN), "reminders", "send", "--at", "2026-12-15T09:05", "--yes"]) == 0
    assert "新生成催报 3 封" in capsys.readouterr().out  # 大石寨镇 has no address: a call, not a mail
    with second.ledger.session() as s:
        sent = set(s.scalars(select(OutboxRow.to_addr).where(OutboxRow.kind == "reminder")))
    assert sent == {"kezq@kyqq.example.test", "glh@kyqq.example.test", "zjj@kyqq.example.test"}


def test_a_form_is_never_matched_to_a_unit_of_another_campaign(db_url):
    App(db=db_url).ledger.dispose()  # 兴安盟教育局 (jyj@example.com) is on the first campaign's roster
    second = App(db=db_url, campaign_file=str(ANJIAN))
    when = dt.datetime(2026, 12, 10, 10, tzinfo=second.campaign.timezone)
    spec = second.campaign.form("inspection")
    rows = [{"检查对象": "某加油站", "行业领域": "危险化学品", "发现隐患数": "2", "整改情况": "已整改", "责任人": "张明"}]
    raw = _mail("jyj@example.com", "anwei@kyqq.example.test", "检查情况表", when, "兴安盟教育局",
                [("检查情况表.xlsx", form_xlsx(spec, "兴安盟教育局", rows), XLSX)])
    verdict = second.pipeline().process(delivery_from_bytes(raw, "anwei@kyqq.example.test", received_at=when))
    assert verdict["unit"] is None and verdict["outcome"] == "unknown_sender"
    with second.ledger.session() as s:
        assert s.scalars(select(SubmissionRow)).all() == []
        assert s.scalars(select(MessageRow.campaign)).one() == "kyqq-anjian-2026"


def test_a_version_records_its_campaign(app):
    when = dt.datetime(2023, 1, 10, 10, tzinfo=app.campaign.timezone)
    raw = _mail("jyj@example.com", "xamzfw@126.com", "附件3", when, "请查收",
                [("附件3.xlsx", form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3()), XLSX)])
    app.pipeline().process(delivery_from_bytes(raw, "xamzfw@126.com", received_at=when))
    with app.ledger.session() as s:
        assert s.scalars(select(SubmissionRow.campaign)).all() == ["liangyou-2022"]


def test_roster_remove_deletes_a_unit_or_retires_one_with_history(app, capsys):
    url = app.ledger.url
    test_a_version_records_its_campaign(app)
    assert main(["--db", url, "roster", "remove", "兴安盟财政局", "兴安盟教育局"]) == 0
    assert "删除2个单位" in capsys.readouterr().out
    with app.ledger.session() as s:
        rows = {r.name: r.active for r in s.scalars(select(UnitRow).where(UnitRow.name.in_(["兴安盟财政局", "兴安盟教育局"])))}
    assert rows == {"兴安盟教育局": False}  # its return stays on record; it is no longer asked or listed
    assert main(["--db", url, "roster", "remove", "兴安盟民政局", "不存在的单位"]) == 2
    assert "不存在的单位" in capsys.readouterr().err and "兴安盟民政局" in names(app)  # all or nothing


def test_the_default_folder_is_found_from_the_working_directory_not_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv("MAILBOT_CAMPAIGN", raising=False)
    monkeypatch.delenv("MAILBOT_SETTINGS", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="找不到活动配置文件：config/campaigns/liangyou/campaign.toml"):
        load_campaign()
    copy_campaign(ANJIAN, tmp_path / "config" / "campaigns" / "liangyou")
    assert load_campaign().id == "kyqq-anjian-2026"


def test_one_setting_selects_the_campaign_folder(tmp_path, monkeypatch, db_url):
    monkeypatch.delenv("MAILBOT_CAMPAIGN", raising=False)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'campaign = "{ANJIAN}"\n', encoding="utf-8")
    monkeypatch.setenv("MAILBOT_SETTINGS", str(settings))
    assert load_campaign().id == "kyqq-anjian-2026"
    assert App(db=db_url).campaign.id == "kyqq-anjian-2026"
    monkeypatch.setenv("MAILBOT_CAMPAIGN", str(LIANGYOU / "campaign.toml"))  # the environment, then --campaign, win
    assert load_campaign().id == "liangyou-2022"
    assert load_campaign(str(ANJIAN)).id == "kyqq-anjian-2026"


def test_the_shipped_settings_examples_name_the_campaign_folder():
    for name in ("settings.example.toml", "settings.dev.toml"):
        data = tomllib.loads((LIANGYOU.parent.parent / name).read_text(encoding="utf-8"))
        assert (LIANGYOU.parent.parent.parent / data["campaign"] / "campaign.toml").is_file()


def test_name_prefixes_come_from_the_campaign():
    from routing.model.names import canonical
    from routing.model.roster import Roster, Unit

    assert canonical("兴安盟教育局") == "兴安盟教育局"  # the code knows no region of its own
    anjian = load_campaign(str(ANJIAN))
    units = [Unit("科尔沁右翼前旗住房和城乡建设局", ("前旗住建局",), ""), Unit("科尔沁右翼前旗应急管理局", (), "")]
    assert Roster(units, anjian.texts.name_prefixes).match_name("住房和城乡建设局（盖章）").unit.name == units[0].name
    assert Roster(units).match_name("住房和城乡建设局（盖章）").unit is None


def test_a_notice_without_categories_routes_every_unit_alike(tmp_path):
    from mailbot.ledger.roster_io import read_roster_file

    anjian = load_campaign(str(ANJIAN))
    assert anjian.categories == ("",) and anjian.kinds_for("") == ("contact", "inspection")
    units = read_roster_file(ANJIAN / "roster.csv", anjian.categories)  # no 类别 column at all
    assert {u.category for u in units} == {""} and anjian.handler("", "inspection").key == "anwei"
