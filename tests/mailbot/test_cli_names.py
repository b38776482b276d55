"""Commands that name a unit, a material or an office take aliases and Chinese names, and say which one they matched."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.cli.names import match_kind, match_office, match_unit
from mailbot.errors import UsageError
from mailbot.ledger.models import MessageRow
from mailbot.ledger.units import load_roster, unit_row
from tests.mailbot.test_stranger import ROSTER, STRANGER, form_mail, run

pytestmark = pytest.mark.db
UNIT, ALIAS = "兴安盟教育局", "盟教育局"  # config/roster.csv gives the alias


def test_roster_pause_takes_an_alias_and_says_which_unit(app, capsys):
    assert main(["--db", app.ledger.url, "roster", "pause", ALIAS, "--until", "2023-01-10"]) == 0
    assert "“兴安盟教育局”（按“盟教育局”匹配）" in capsys.readouterr().out
    with app.ledger.session() as s:
        assert unit_row(s, UNIT).paused_until == dt.datetime(2023, 1, 11, tzinfo=app.campaign.timezone)


def test_roster_exempt_takes_an_alias_and_the_chinese_name_of_a_material(app, capsys):
    assert main(["--db", app.ledger.url, "roster", "exempt", ALIAS, "附件1", "实施方案"]) == 0
    out = capsys.readouterr().out
    assert "兴安盟教育局" in out and "附件1" in out and "实施方案" in out
    with app.ledger.session() as s:
        assert set(unit_row(s, UNIT).exempt) == {"attachment1", "plan"}
    assert main(["--db", app.ledger.url, "roster", "exempt", UNIT, "attachment1", "--undo"]) == 0  # the keys still work
    with app.ledger.session() as s:
        assert unit_row(s, UNIT).exempt == ["plan"]


def test_roster_add_email_takes_an_alias(app, capsys):
    assert main(["--db", app.ledger.url, "roster", "add-email", ALIAS, "new@example.com"]) == 0
    assert "按“盟教育局”匹配" in capsys.readouterr().out
    with app.ledger.session() as s:
        assert load_roster(s).by_email("new@example.com").name == UNIT


def test_review_accept_takes_an_alias(app, capsys):
    run(app, form_mail(app, "attachment3", ROSTER, 10), day=10)
    held = run(app, form_mail(app, "attachment3", STRANGER, 11, marker="新联络人报送"), day=11)
    with app.ledger.session() as s:
        message_id = s.scalars(select(MessageRow.id).where(MessageRow.receipt_no == held["receipt_no"])).one()
    assert main(["--db", app.ledger.url, "review", "accept", str(message_id), "--unit", ALIAS]) == 0
    assert "登记为“兴安盟教育局”（按“盟教育局”匹配）的报送" in capsys.readouterr().out


def test_an_unknown_unit_is_refused_with_the_nearest_names(app, capsys):
    assert main(["--db", app.ledger.url, "roster", "pause", "教育局局", "--until", "2023-01-10"]) == 2
    err = capsys.readouterr().err
    assert "名册中没有单位“教育局局”" in err and "兴安盟教育局" in err


def test_user_add_takes_the_chinese_office_name(app, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-password\n"))
    assert main(["--db", app.ledger.url, "user", "add", "li", "--office", "政务服务局", "--password-stdin"]) == 0
    assert "盟行政审批和政务服务局" in capsys.readouterr().out


def test_the_ledger_says_which_office_a_key_matched(app, capsys):
    assert main(["--db", app.ledger.url, "ledger", "--office", "zwfw", "--json"]) == 0
    captured = capsys.readouterr()
    assert "办公室：“盟行政审批和政务服务局”（按“zwfw”匹配）" in captured.err
    assert captured.out.lstrip().startswith("[")  # the note never spoils the JSON


def test_names_are_matched_loosely_but_never_guessed(app):
    campaign = app.campaign
    assert match_kind(campaign, "附件１").key == "attachment1"  # a full-width digit
    assert match_kind(campaign, "ATTACHMENT2").key == "attachment2"
    assert match_kind(campaign, "联络人").key == "contact"
    assert match_office(campaign, " 编办 ").key == "bianban"
    assert match_office(campaign, "管理员", admin=True).key == "admin"
    with pytest.raises(UsageError):
        match_office(campaign, "管理员")
    with app.ledger.session() as s:
        roster = load_roster(s)
    assert match_unit(roster, "兴安盟 教育局").key == UNIT
    with pytest.raises(UsageError, match="名册中没有单位"):
        match_unit(roster, "教育")
