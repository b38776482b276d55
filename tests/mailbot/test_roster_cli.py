"""The roster commands: import all or nothing (exit 2 on a bad file), adopt an address, refuse one owned by another unit."""

from __future__ import annotations

from mailbot.cli.main import main
from mailbot.ledger.units import load_roster


def test_import_then_add_email(app, tmp_path, capsys):
    good = tmp_path / "r.csv"
    good.write_text("单位名称,别名,类别,邮箱,联系人\n测试局,,政府,a@example.com,张三\n", encoding="utf-8-sig")
    assert main(["--db", app.ledger.url, "roster", "import", str(good)]) == 0
    assert "新增1个单位" in capsys.readouterr().out
    assert main(["--db", app.ledger.url, "roster", "add-email", "测试局", "B@Example.com"]) == 0
    with app.ledger.session() as s:
        assert load_roster(s).by_email("b@example.com").name == "测试局"


def test_bad_roster_imports_nothing(app, tmp_path, capsys):
    with app.ledger.session() as s:
        before = len(load_roster(s))
    bad = tmp_path / "bad.csv"
    bad.write_text("单位名称,别名,类别,邮箱,联系人\n新单位甲,,政府,x@example.com,\n新单位乙,,部门,y@example.com,\n", encoding="utf-8")
    assert main(["--db", app.ledger.url, "roster", "import", str(bad)]) == 2
    assert "第3行" in capsys.readouterr().err
    with app.ledger.session() as s:
        assert len(load_roster(s)) == before


def test_an_address_cannot_belong_to_two_units(app, capsys):
    assert main(["--db", app.ledger.url, "roster", "add-email", "兴安盟财政局", "jyj@example.com"]) == 2
    assert "兴安盟教育局" in capsys.readouterr().err
    assert main(["--db", app.ledger.url, "roster", "add-email", "兴安盟财政局", "not-an-address"]) == 2


def test_exempt_and_pause(app, capsys):
    import datetime as dt

    from mailbot.ledger.status import Standing, unit_matrix
    from mailbot.ledger.units import unit_row

    assert main(["--db", app.ledger.url, "roster", "exempt", "兴安盟教育局", "attachment1", "plan"]) == 0
    assert main(["--db", app.ledger.url, "roster", "exempt", "兴安盟教育局", "poster"]) == 2
    assert main(["--db", app.ledger.url, "roster", "pause", "兴安盟教育局", "--until", "2023-01-10"]) == 0
    with app.ledger.session() as s:
        row = unit_row(s, "兴安盟教育局")
        cells = {c.kind: c.standing for c in unit_matrix(s, app.campaign, row, dt.datetime(2023, 1, 20, tzinfo=app.campaign.timezone))}
        assert row.paused_until == dt.datetime(2023, 1, 11, tzinfo=app.campaign.timezone)
    assert cells["plan"] is Standing.EXEMPT and cells["contact"] is Standing.OVERDUE_MISSING
    assert main(["--db", app.ledger.url, "roster", "exempt", "兴安盟教育局", "plan", "--undo"]) == 0
    assert "附件1" in capsys.readouterr().out.splitlines()[-1]
