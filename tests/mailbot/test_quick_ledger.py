"""`mailbot ledger` reads a current SQLite ledger without the ORM, and says exactly what the ORM path says."""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys

import pytest

from mailbot.app import App
from mailbot.cli.commands import ledger as ledger_command
from mailbot.cli.matrix_text import matrix_text, printable, width
from mailbot.ledger.models import UnitRow
from mailbot.reports.quick_matrix import quick_rows
from tests.mailbot.test_quick_commands import ROOT, loaded_after
from tests.mailbot.test_workbook import NOW, ZWFW, add_message, add_return, at, seed_ledger

MOMENTS = {"before-deadlines": at(1, 11), "after-deadlines": NOW}
TABLE_KEYS = ("status", "handled_by", "version", "versions")


def _app(tmp_path) -> App:
    """An App whose ledger exists: schema made, the campaign's roster imported (what the first command does)."""
    app = App(db=f"sqlite:///{tmp_path}/t.db")
    app.ledger.dispose()
    return app


def _filled(tmp_path) -> App:
    """seed_ledger's states (valid, needs fix, overdue, 涉密 owed on a CD, misrouted, several versions) and more."""
    app = _app(tmp_path)
    seed_ledger(app)
    with app.ledger.transaction() as s:
        unit = s.query(UnitRow).filter_by(name="兴安盟财政局").one()
        late = add_message(s, unit.name, ZWFW, at(1, 18), "政务服务局〔2023〕收字第0009号", outcome="invalid")
        add_return(s, late, "attachment2", version=3, status="invalid")  # v1 invalid, v2 valid, v3 invalid: v2 counts
        s.query(UnitRow).filter_by(name="兴安盟教育局").one().exempt = ["attachment1", "plan"]
        s.query(UnitRow).filter_by(name="兴安盟民政局").one().paused_until = at(1, 30)
        s.query(UnitRow).filter_by(name="兴安盟司法局").one().active = False  # off the roster, history kept
        s.add(UnitRow(campaign="another-campaign", name="别的活动的单位", category="政府", aliases=[], emails=[]))
    return app


def _both(app: App, now, office=None) -> tuple[list[dict], list[dict]]:
    quick = ledger_command.quick_matrix_rows(app, now, office)
    assert quick is not None, "the quick path refused a current SQLite ledger"
    return quick, ledger_command.orm_matrix_rows(app, now, office)


def _rendered(app: App, rows: list[dict]) -> str:
    labels = {spec.kind: spec.label for spec in app.campaign.forms}
    return matrix_text(rows, labels, app.campaign.texts.ledger_title, app.campaign.categories != ("",), color=True)


@pytest.mark.parametrize("office", [None, "bianban", "zwfw"])
@pytest.mark.parametrize("moment", MOMENTS, ids=list(MOMENTS))
def test_the_quick_path_prints_what_the_orm_path_prints(tmp_path, moment, office):
    app = _filled(tmp_path)
    quick, orm = _both(app, MOMENTS[moment], office)
    assert _rendered(app, quick) == _rendered(app, orm)
    assert quick == [{"unit": r["unit"], "category": r["category"],
                      "returns": {k: {key: c[key] for key in TABLE_KEYS} for k, c in r["returns"].items()}} for r in orm]
    seen = {c["status"] for r in quick for c in r["returns"].values()}
    want = {"已报送-合格", "已报送-待修改", "逾期已报", "涉密拒收-待光盘报送", "豁免", "逾期未报" if moment == "after-deadlines" else "未报送"}
    assert office or want <= seen  # the ledger reaches every status, so the comparison covers each branch
    assert "别的活动的单位" not in {r["unit"] for r in quick} and "兴安盟司法局" not in {r["unit"] for r in quick}


def test_an_empty_ledger_reads_the_same_both_ways(tmp_path):
    app = _app(tmp_path)
    quick, orm = _both(app, NOW)
    assert len(quick) == len(orm) == 67 and _rendered(app, quick) == _rendered(app, orm)


def test_the_command_takes_the_quick_path_and_prints_the_same(tmp_path, monkeypatch, capsys):
    app = _filled(tmp_path)
    args = argparse.Namespace(db=app.ledger.url, campaign=None, settings=None, json=False, office=None, xlsx=None)
    monkeypatch.setattr("mailbot.clock.now", lambda tz=None: NOW.astimezone(tz))
    assert ledger_command.run(args) == 0
    quick = capsys.readouterr().out
    monkeypatch.setattr(ledger_command, "quick_matrix_rows", lambda *a: None)
    assert ledger_command.run(args) == 0
    assert capsys.readouterr().out == quick
    assert "逾期已报 v1" in quick and "已报送-合格 v2" in quick


def test_anything_the_quick_path_cannot_be_sure_of_goes_the_orm_way(tmp_path):
    app = _app(tmp_path)
    app.ledger.dispose()
    url, campaign = app.ledger.url, app.campaign
    assert quick_rows(url, campaign, NOW) is not None
    assert quick_rows(f"sqlite:///{tmp_path}/none.db", campaign, NOW) is None  # no file: the ORM path makes it
    assert quick_rows("postgresql+psycopg://u:p@127.0.0.1/l", campaign, NOW) is None
    assert quick_rows("sqlite://", campaign, NOW) is None
    db = sqlite3.connect(f"{tmp_path}/t.db")
    with db:
        db.execute("UPDATE units SET campaign = NULL WHERE id = 1")  # unclaimed rows: claim_unowned writes first
    assert quick_rows(url, campaign, NOW) is None
    with db:
        db.execute("UPDATE units SET campaign = ?", (campaign.id,))
        db.execute("UPDATE alembic_version SET version_num = '0009'")  # an older schema: `db upgrade` is said by the ORM path
    assert quick_rows(url, campaign, NOW) is None
    with db:
        db.execute("UPDATE alembic_version SET version_num = (SELECT ?)", (_head(),))
        db.execute("DELETE FROM units")  # no roster yet: imported on first use
    assert quick_rows(url, campaign, NOW) is None
    db.close()


def _head() -> str:
    from mailbot.schema_head import shipped_head

    return shipped_head()


def test_ledger_on_a_current_sqlite_ledger_does_not_import_the_orm(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    subprocess.run([sys.executable, "-m", "mailbot", "--db", url, "ledger"], cwd=ROOT, check=True, capture_output=True, timeout=120)
    code = f"import contextlib, io\nfrom mailbot.cli.main import main\nwith contextlib.redirect_stdout(io.StringIO()):\n    main(['--db', {url!r}, 'ledger'])"
    loaded = loaded_after(code)
    assert "mailbot.reports.quick_matrix" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "rich", "alembic")}


def test_the_plain_table_lines_up_chinese_and_drops_control_characters():
    rows = [{"unit": "兴安盟\x1b[31m教育局", "category": "政府", "returns": {"a": {"status": "已报送-合格", "version": 2}}},
            {"unit": "Unit", "category": "政府", "returns": {}}]
    lines = matrix_text(rows, {"a": "附件1"}, "台账").splitlines()
    assert "\x1b" not in "".join(lines) and printable("a\x07b") == "ab"
    assert len({width(line) for line in lines[1:]}) == 1  # every box line as wide as the others
    assert "已报送-合格 v2" in lines[4] and "—" in lines[5]
