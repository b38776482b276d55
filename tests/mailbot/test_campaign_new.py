"""`mailbot campaign new FOLDER`: a campaign folder from a few answers, or from the notice's blank forms."""

from __future__ import annotations

import io
import tomllib

import pytest

from mailbot.cli.main import main
from mailbot.config import load_campaign
from parsers import read_attachment
from parsers.blanks.document import docx_template
from parsers.blanks.workbook import xlsx_template
from routing.model.campaign import Campaign
from routing.model.campaign_load import build_campaign
from tests.mailbot.test_form_capabilities import RIVERS
from tests.mailbot.test_templates import filled
from tests.routing.test_parse_build import campaign as shipped

FLAGS = ["--no-input", "--name", "河长制联络员报送", "--office-name", "旗水利局", "--office-email", "hz@example.org",
         "--deadline", "2024-03-01"]


@pytest.mark.parametrize("build, ext", [(xlsx_template, "xlsx"), (docx_template, "docx")])
def test_from_the_notices_blank_forms_the_new_campaign_reads_their_returns(tmp_path, build, ext, capsys):
    notice = shipped()
    sources = []
    for kind in ("attachment2", "attachment3"):
        path = tmp_path / f"{kind}.{ext}"
        path.write_bytes(build(notice.form(kind)))
        sources += ["--from", str(path)]
    folder = tmp_path / "new"
    assert main(["campaign", "new", str(folder), *FLAGS, *sources]) == 0
    camp = load_campaign(folder)  # the folder passes the same check as the worker's
    a3 = camp.form("attachment3")
    assert (a3.label, a3.title, a3.unit_label, a3.date_label) == ("附件3", notice.form("attachment3").title, "部门（单位）盖章", "填表日期")
    assert [(c.name, c.group) for c in a3.columns] == [(c.name, c.group) for c in notice.form("attachment3").columns]
    assert a3.extra["footnotes"][-1].endswith("如内容涉密，不要发邮箱，请使用光盘报送。")
    assert [c.role for c in camp.form("attachment2").columns if c.group == "事项类别"] == ["tick", "tick"]
    # A return the notice's departments fill in is read by the drafted campaign without a problem.
    data = xlsx_template(notice.form("attachment2"), filled(notice.form("attachment2"), 2), unit="某局", date="2023年1月10日")
    ret = read_attachment(data, "a2.xlsx", camp).returns[0]
    assert (ret.kind, len(ret.rows), ret.problems) == ("attachment2", 2, [])
    assert sorted(p.name for p in (folder / "forms").iterdir()) == [f"attachment2.{ext}", f"attachment3.{ext}"]
    assert (folder / "roster.csv").read_text(encoding="utf-8").startswith("单位名称,别名,类别,邮箱")


def test_the_drop_down_of_a_blank_workbook_becomes_the_columns_choices(tmp_path):
    rivers = build_campaign(tomllib.loads(RIVERS))
    path = tmp_path / "附表1.xlsx"
    path.write_bytes(xlsx_template(rivers.form("liaisons")))
    assert main(["campaign", "new", str(tmp_path / "c"), *FLAGS, "--from", str(path)]) == 0
    form = load_campaign(tmp_path / "c").form("attachment1")
    assert form.column("联络员类别").choices == ("专职", "兼职")
    assert form.extra["footnotes"] == ["每个苏木镇确定1至2名联络员。", "如内容涉密，不要发邮箱，请使用光盘报送。"]


def test_from_the_questionnaire(tmp_path, monkeypatch, capsys):
    answers = iter(["河长制联络员报送", "hz@example.org", "", "", "旗水利局", "2024-03-01", "苏木镇、旗直部门", "否", "是"])
    monkeypatch.setattr("sys.stdin", io.StringIO())
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["campaign", "new", str(tmp_path / "q"), "--form", "附表1：河段清单：序号、河段名称、长度"]) == 0
    camp = load_campaign(tmp_path / "q")
    assert (camp.name, camp.offices["office"].address, camp.categories) == ("河长制联络员报送", "hz@example.org", ("苏木镇", "旗直部门"))
    assert camp.kinds == ("contact", "attachment1") and camp.form("attachment1").title == "河段清单"
    assert str(camp.deadlines["main"].date) == "2024-03-01"


def test_refuses_to_overwrite_and_asks_for_what_it_cannot_guess(tmp_path, capsys):
    assert main(["campaign", "new", str(tmp_path / "c"), *FLAGS, "--form", "名单：姓名、职务、电话"]) == 0
    assert main(["campaign", "new", str(tmp_path / "c"), *FLAGS, "--form", "名单：姓名、职务"]) != 0
    assert "已存在" in capsys.readouterr().err
    assert main(["campaign", "new", str(tmp_path / "d"), "--no-input", "--deadline", "2024-03-01"]) != 0
    assert "请给出收件邮箱" in capsys.readouterr().err
