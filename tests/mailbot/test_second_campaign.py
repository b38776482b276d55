"""The campaign is data: a made-up banner campaign with its own office, form and deadline runs with no code change."""

from __future__ import annotations

import datetime as dt
import textwrap

from sqlalchemy import select

from mailbot.app import App
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow, SubmissionRow

BANNER = textwrap.dedent("""
    [campaign]
    id = "kyqq-villages-2023"
    name = "嘎查村便民服务站点摸底"
    notice = "科右前旗办发〔2023〕7号"
    title = "关于开展嘎查村便民服务站点摸底的通知"
    timezone = "Asia/Shanghai"
    receipt_format = "前旗〔{year}〕第{seq:03d}号"

    [offices.qiban]
    name = "科右前旗政务服务局"
    short = "前旗"
    inboxes = ["kyqq-zwfw@example.test"]
    contact = "王红"
    phone = "0482-5555555"
    paper_address = "前旗政务服务中心二楼"

    [routing."苏木镇"]
    village_list = "qiban"

    [deadlines.list]
    label = "站点清单"
    date = 2023-03-31

    [[returns]]
    kind = "village_list"
    label = "附表"
    title = "嘎查村便民服务站点清单"
    deadline = "list"
    layout = "table"
    unit_label = "填报单位"
    date_label = "填报日期"
    columns = [
      { name = "序号", role = "seq" },
      { name = "嘎查村名称" },
      { name = "站点负责人" },
      { name = "联系电话" },
    ]
    rules = [
      { kind = "required", columns = ["嘎查村名称", "站点负责人"] },
      { kind = "pattern", column = "联系电话", pattern = "phone" },
    ]
""")
ROSTER = "单位名称,别名,类别,邮箱,联系人\n科尔沁镇,,苏木镇,kezq@example.test,\n归流河镇,,苏木镇,glh@example.test,\n"


def test_a_banner_campaign_runs_through_the_same_pipeline(tmp_path, db_url):
    (tmp_path / "banner.toml").write_text(BANNER, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    app = App(db=db_url, campaign_file=str(tmp_path / "banner.toml"))
    from mailbot.ledger.roster_io import read_roster_file
    from mailbot.ledger.units import import_units

    with app.ledger.transaction() as s:
        import_units(s, read_roster_file(tmp_path / "roster.csv", categories=app.campaign.categories))
    spec = app.campaign.form("village_list")
    rows = [{"嘎查村名称": "乌兰嘎查", "站点负责人": "包金山", "联系电话": "13904821234"}, {"嘎查村名称": "白音嘎查", "站点负责人": "", "联系电话": "12345"}]
    when = dt.datetime(2023, 4, 3, 9, tzinfo=app.campaign.timezone)
    raw = _mail("kezq@example.test", "kyqq-zwfw@example.test", "站点清单", when, "请查收", [("清单.xlsx", form_xlsx(spec, "科尔沁镇", rows), XLSX)])
    verdict = app.pipeline().process(delivery_from_bytes(raw, "kyqq-zwfw@example.test", received_at=when))
    assert verdict["unit"] == "科尔沁镇" and verdict["handled_by"] == "qiban" and verdict["overdue"]
    problems = [(p["row"], p["column"]) for p in verdict["forms"][0]["problems"] if p["severity"] == "error"]
    assert verdict["outcome"] == "invalid" and problems == [(2, "站点负责人"), (2, "联系电话")]
    assert verdict["receipt_no"] == "前旗〔2023〕第001号"
    with app.ledger.session() as s:
        assert s.scalars(select(SubmissionRow.kind)).all() == ["village_list"]
        body = s.scalars(select(OutboxRow.body)).one()
    assert "科右前旗政务服务局" in body and "0482-5555555" in body and "两优" not in body
