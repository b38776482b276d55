"""The exports: 附件1–3 汇总 in the notice's layout, the 四项成果 table with its totals, the 未报送/逾期 list."""

from __future__ import annotations

import argparse
import datetime as dt
import io

import openpyxl

from mailbot.cli.commands import export as export_command
from mailbot.reports.export_results import metric_header
from mailbot.reports.exports import build_form_summary, build_missing, build_results, export_files
from parsers.forms.spec import Metric
from tests.mailbot.test_workbook import NOW, desk_app  # noqa: F401  (the shared ledger state)


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _build(app, builder, *args):
    with app.ledger.session() as s:
        return _sheet(builder(s, app.campaign, NOW, *args))


def test_attachment3_summary_keeps_the_notice_header(desk_app):
    ws = _build(desk_app, build_form_summary, "attachment3")
    spec = desk_app.campaign.form("attachment3")
    assert ws.cell(1, 1).value == f"{spec.title}（汇总）"
    assert [ws.cell(3, c).value for c in (1, 2, 3, 4, 6, 10, 14)] == ["序号", "单位", "事项名称", "事项类别", "简化办事程序", "精减办事要件", "压缩办事时限"]
    assert [ws.cell(4, c).value for c in range(4, 17)] == [c.name for c in spec.columns if c.group]
    assert ws.cell(3, ws.max_column).value == "来源（收件编号）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "D3:E3", "F3:I3", "J3:M3", "N3:P3", "Q3:Q4"} <= merged


def test_summary_renumbers_and_names_source(desk_app):
    ws = _build(desk_app, build_form_summary, "attachment3")
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [r[0] for r in data] == [1, 2, 3]
    assert [r[1] for r in data] == ["中共兴安盟委员会组织部", "兴安盟教育局", "兴安盟教育局"]
    assert data[1][-1] == "政务服务局〔2023〕收字第0001号"
    assert data[0][-1].endswith("（待修改）")


def test_summary_uses_only_the_counting_version(desk_app):
    ws = _build(desk_app, build_form_summary, "attachment2")
    sources = [ws.cell(r, ws.max_column).value for r in range(5, ws.max_row + 1)]
    assert "政务服务局〔2023〕收字第0002号" not in sources  # 财政局's invalid first version
    assert sources.count("政务服务局〔2023〕收字第0004号") == 2


def test_attachment1_has_a_one_row_header(desk_app):
    ws = _build(desk_app, build_form_summary, "attachment1")
    assert [ws.cell(3, c).value for c in range(1, 7)] == ["序号", "单位", "需要调整的职能职责", "调整建议", "调整依据或理由", "备注"]
    assert ws.cell(4, 2).value == "中共兴安盟委员会组织部" and ws.freeze_panes == "A4"


def test_office_summary_has_only_its_units(desk_app):
    ws = _build(desk_app, build_form_summary, "attachment2", "zwfw")
    assert {ws.cell(r, 2).value for r in range(5, ws.max_row + 1)} == {"兴安盟财政局"}


def test_results_totals_equal_the_sum_of_unit_rows(desk_app):
    ws = _build(desk_app, build_results)
    assert (ws.cell(3, 4).value, ws.cell(4, 4).value, ws.cell(4, 5).value) == ("权力下放", "事项总数", "下放")
    assert "D3:F3" in {str(r) for r in ws.merged_cells.ranges}
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    units, total = rows[:-1], rows[-1]
    assert total[1] == "合计" and len(units) == 4
    for col in range(3, 10):
        assert total[col] == sum(r[col] for r in units)
    assert total[3:10] == [5, 3, 2, 6, 3, 0, 30]


def test_metric_header_groups_shared_heads():
    labels = ("权力下放：取消", "办事要件精简（件）", "办事时限缩短（自然日）", "办事时限缩短（工作日）")
    metrics = tuple(Metric(key=str(i), label=label, form="attachment3", kind="count") for i, label in enumerate(labels))
    assert metric_header(metrics) == [("权力下放", "取消"), (None, "办事要件精简（件）"), ("办事时限缩短", "自然日"), ("办事时限缩短", "工作日")]


def test_missing_list_names_overdue_units_with_colour(desk_app):
    ws = _build(desk_app, build_missing)
    assert [ws.cell(3, c).value for c in range(1, 9)] == ["序号", "单位", "类别", "缺报材料", "状态", "办理办公室", "联络人", "联系电话"]
    rows = {(ws.cell(r, 2).value, ws.cell(r, 6).value): (ws.cell(r, 4).value, ws.cell(r, 5).value) for r in range(4, ws.max_row + 1)}
    assert rows[("兴安盟教育局", "政务服务局")] == ("实施方案、联络人、附件2", "逾期未报")
    assert rows[("兴安盟教育局", "编办")] == ("附件1", "逾期未报")
    assert ("中共兴安盟委员会组织部", "编办") not in rows
    assert rows[("兴安盟公安局", "编办")][1] == "涉密拒收-待光盘报送"  # a refusal is no submission: a CD is owed


def test_the_missing_list_carries_the_phone_to_call(desk_app):
    from mailbot.ledger.models import UnitRow

    with desk_app.ledger.transaction() as s:
        s.query(UnitRow).filter_by(name="兴安盟教育局").one().phone = "0482-8261234"
    ws = _build(desk_app, build_missing)
    phones = {ws.cell(r, 2).value: ws.cell(r, 8).value for r in range(4, ws.max_row + 1)}
    assert phones["兴安盟教育局"] == "0482-8261234"


def test_an_export_prints_its_title_once(desk_app):
    ws = _build(desk_app, build_missing)
    assert ws.cell(1, 1).value.endswith("未报送单位名单") and ws.print_title_rows == "$1:$3"
    assert not ws.oddHeader.center.text  # the title rows repeat on every page; the page header does not say it again
    assert ws.cell(4, 5).fill.fgColor.rgb.endswith("FFC7CE")


def test_late_sheet_lists_overdue_returns(desk_app):
    with desk_app.ledger.session() as s:
        ws = openpyxl.load_workbook(io.BytesIO(build_missing(s, desk_app.campaign, NOW)))["逾期已报"]
    assert [(ws.cell(r, 2).value, ws.cell(r, 4).value) for r in range(4, ws.max_row + 1)] == [("共青团兴安盟委员会", "附件1"), ("共青团兴安盟委员会", "附件2")]


def test_export_files_per_office(desk_app):
    with desk_app.ledger.session() as s:
        assert sorted(export_files(s, desk_app.campaign, NOW, "zwfw")) == sorted(["政务服务局_附件2汇总表.xlsx", "政务服务局_附件3汇总表.xlsx", "政务服务局_四项成果统计表.xlsx", "政务服务局_未报送及逾期名单.xlsx"])


def test_export_command_writes_the_files(desk_app, tmp_path, capsys):
    args = argparse.Namespace(db=desk_app.ledger.url, campaign=None, settings=None, directory=str(tmp_path / "out"), office=None)
    assert export_command.run(args) == 0
    assert "已导出 5 个文件" in capsys.readouterr().out
    assert (tmp_path / "out" / "附件3汇总表.xlsx").exists()


def test_exports_from_the_demo_inbox_through_the_pipeline(tmp_path):
    """The same path the robot takes: real xlsx/docx returns parsed, registered, then exported."""
    from mailbot.app import App
    from mailbot.demo.inbox import demo_inbox
    from mailbot.intake.inbound import delivery_from_bytes

    app = App(db=f"sqlite:///{tmp_path}/demo.db")
    for sample in demo_inbox(app.campaign):
        pipeline = app.pipeline()
        pipeline.now = lambda moment=sample.received_at: moment + dt.timedelta(minutes=1)
        pipeline.process(delivery_from_bytes(sample.raw, sample.mailbox, received_at=sample.received_at, now=NOW))
    ws = _build(app, build_results, "zwfw")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    units, total = rows[:-1], rows[-1]
    assert {r[1] for r in units} >= {"兴安盟教育局", "兴安盟财政局"}
    assert total[3:10] == [sum(r[c] for r in units) for c in range(3, 10)] and total[9] > 0
    summary = _build(app, build_form_summary, "attachment2", "zwfw")
    source = summary.cell(5, summary.max_column).value
    assert summary.cell(5, 2).value == "兴安盟财政局" and source.startswith("政务服务局〔2023〕收字第") and "待修改" not in source
