"""The 台账 workbook: sheets, two-row merged headers, status colours, print setup (and the ledger state other desk tests share)."""

from __future__ import annotations

import argparse
import datetime as dt
import io

import openpyxl
import pytest

from mailbot.app import App
from mailbot.cli.commands import ledger as ledger_command
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState, SubmissionRow, UnitRow
from mailbot.reports.workbook import build_ledger_workbook

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2023, 1, 21, 9, 0, tzinfo=TZ)  # after both deadlines
BIANBAN, ZWFW = "794605082@qq.com", "xamzfw@126.com"
PROBLEM = {"severity": "error", "row": 2, "column": "事项类别", "cell": "C6", "value": "√√", "code": "category-not-single", "message": "第2行“事项类别”应选择一项"}
WARNING = {"severity": "warning", "row": 1, "column": "事项依据", "cell": "Q5", "value": "条例", "code": "basis-incomplete", "message": "第1行“事项依据”应写明文件名称"}


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    """A moment of the campaign, Beijing time."""
    return dt.datetime(2022 if month == 12 else 2023, month, day, hour, tzinfo=TZ)


def _unit(session, name: str) -> UnitRow:
    return session.query(UnitRow).filter_by(name=name).one()


def add_message(session, unit: str | None, mailbox: str, when: dt.datetime, receipt: str | None, outcome: str = "accepted", **extra) -> MessageRow:
    """A received message as the pipeline would have recorded it, with its reply queued."""
    office = "bianban" if mailbox == BIANBAN else "zwfw"
    row = MessageRow(mailbox=mailbox, content_hash=f"h{receipt}{when}", sender=extra.pop("sender", "unit@example.com"),
                     subject=extra.pop("subject", f"报送材料{receipt}"), received_at=when, processed_at=when, outcome=outcome,
                     office=office, handled_by=extra.pop("handled_by", office), unit_id=_unit(session, unit).id if unit else None,
                     receipt_no=receipt, **extra)
    session.add(row)
    session.flush()
    sent = when + dt.timedelta(minutes=3) if receipt and receipt.endswith("1号") else None
    session.add(OutboxRow(message_ref=row.id, kind=f"reply:{outcome}", office=office, to_addr=row.sender, subject=f"回执：{receipt}", body="回执正文",
                          created_at=when, next_attempt_at=when, sent_at=sent, state=OutboxState.SENT if sent else OutboxState.QUEUED))
    return row


def add_return(session, message: MessageRow, kind: str, version: int = 1, status: str = "accepted", rows=(), problems=(), metrics=None, overdue=False, handled_by=None) -> None:
    """A registered return (one version) carried by ``message``."""
    session.add(SubmissionRow(message_id=message.id, unit_id=message.unit_id, kind=kind, version=version, status=status,
                              handled_by=handled_by or message.office, received_at=message.received_at, overdue=overdue,
                              rows=list(rows), problems=list(problems), metrics=metrics or {}, file=f"{kind}.xlsx"))


A1_ROWS = [{"序号": "1", "需要调整的职能职责": "政务服务事项办理指导", "调整建议": "移交统一指导", "调整依据或理由": "一件事一个部门负责"}]
A2_ROWS = [{"序号": "1", "事项名称": "民办学校设立初审", "权责清单事项": "√", "内部管理事项": "", "取消和下放的依据或理由": "国发〔2020〕13号", "承接主体": "各旗县市教育局", "取消或下放后续措施": "加强监管"},
           {"序号": "2", "事项名称": "年度总结重复报送", "权责清单事项": "", "内部管理事项": "√", "取消和下放的依据或理由": "内容重复", "承接主体": "", "取消或下放后续措施": "信息共享"}]
A3_ROWS = [{"序号": "1", "事项名称": "教师资格认定", "权责清单事项": "√", "原办理环节": "受理、审查、决定、送达", "现办理环节": "受理、审查决定",
            "原办理时限": "20个工作日", "现办理时限": "10个工作日", "压缩自然日/工作日": "10个工作日", "事项依据": "《教师资格条例》第十三条"}]
M2 = {"delegation.total": 2.0, "delegation.delegated": 1.0, "delegation.cancelled": 1.0}
M3 = {"materials.removed": 2.0, "steps.removed": 1.0, "time.natural_days": 0.0, "time.working_days": 10.0}


def seed_ledger(app: App) -> None:
    """A ledger after both deadlines: good, bad, late, misrouted, resubmitted, 涉密 and held messages."""
    with app.ledger.transaction() as s:
        m = add_message(s, "中共兴安盟委员会组织部", BIANBAN, at(12, 28), "编办〔2022〕收字第0001号")
        add_return(s, m, "plan"), add_return(s, m, "contact")
        m = add_message(s, "中共兴安盟委员会组织部", BIANBAN, at(1, 12), "编办〔2023〕收字第0002号", outcome="invalid")
        add_return(s, m, "attachment1", rows=A1_ROWS), add_return(s, m, "attachment2", rows=A2_ROWS, metrics=M2)
        add_return(s, m, "attachment3", status="invalid", rows=A3_ROWS, problems=[PROBLEM, WARNING], metrics=M3)
        m = add_message(s, "共青团兴安盟委员会", BIANBAN, at(1, 20), "编办〔2023〕收字第0003号", overdue=True)
        add_return(s, m, "attachment1", rows=A1_ROWS, overdue=True), add_return(s, m, "attachment2", rows=A2_ROWS[:1], metrics={"delegation.total": 1.0, "delegation.delegated": 1.0, "delegation.cancelled": 0.0}, overdue=True)
        m = add_message(s, "兴安盟教育局", ZWFW, at(1, 10), "政务服务局〔2023〕收字第0001号")
        add_return(s, m, "attachment3", rows=A3_ROWS * 2, metrics={k: v * 2 for k, v in M3.items()}, problems=[WARNING])
        m = add_message(s, "兴安盟财政局", ZWFW, at(1, 11), "政务服务局〔2023〕收字第0002号", outcome="invalid")
        add_return(s, m, "attachment2", status="invalid", rows=A2_ROWS, problems=[PROBLEM], metrics=M2)
        m = add_message(s, "兴安盟财政局", ZWFW, at(1, 16), "政务服务局〔2023〕收字第0004号")
        add_return(s, m, "attachment2", version=2, rows=A2_ROWS, metrics=M2)
        m = add_message(s, "兴安盟民政局", ZWFW, at(1, 12), "政务服务局〔2023〕收字第0003号", handled_by="bianban", misrouted=True)
        add_return(s, m, "attachment1", rows=A1_ROWS, handled_by="bianban")
        add_message(s, "兴安盟公安局", BIANBAN, at(1, 14), "编办〔2023〕收字第0004号", outcome="refused_classified", subject=None)
        add_message(s, None, ZWFW, at(1, 13), "政务服务局〔2023〕收字第0005号", outcome="held_for_review", review_state="pending", sender="someone@mail.example.net", subject="附件3")
        add_message(s, None, BIANBAN, at(1, 13, 11), "编办〔2023〕收字第0005号", outcome="held_for_review", review_state="pending", sender="who@mail.example.net", subject="报送材料")
        s.add(OutboxRow(kind="reminder", office="zwfw", to_addr="jyj@example.com", subject="关于催报“两优”材料的提醒", body="催报", created_at=at(1, 17), next_attempt_at=at(1, 17), sent_at=at(1, 17, 11), state=OutboxState.SENT))


@pytest.fixture
def desk_app(tmp_path) -> App:
    """An App over a fresh SQLite ledger holding ``seed_ledger``'s state."""
    app = App(db=f"sqlite:///{tmp_path}/t.db")
    seed_ledger(app)
    return app


def _book(app: App, office: str | None = None) -> openpyxl.Workbook:
    with app.ledger.session() as s:
        return openpyxl.load_workbook(io.BytesIO(build_ledger_workbook(s, app.campaign, NOW, office)))


def _find_row(ws, name: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == name)


LISTS = "报送详情（四项成果和清单）"


def test_sheets_and_two_row_header(desk_app):
    book = _book(desk_app)
    assert book.sheetnames == ["报送情况", "报送详情（实施方案和联络人）", LISTS, "收件记录", "问题明细"]
    ws = book["报送情况"]
    assert [ws.cell(1, c).value for c in range(1, 12)] == ["序号", "类别", "单位名称", "联络人", "职务", "电话", "实施方案", "联络人", "附件1", "附件2", "附件3"]
    ws = book["报送详情（实施方案和联络人）"]
    assert [ws.cell(1, c).value for c in range(1, 7)] == ["序号", "类别", "单位名称", "联络人", "职务", "电话"]
    assert ws.cell(1, 7).value == "实施方案" and [ws.cell(2, c).value for c in range(7, 12)] == ["状态", "收到时间", "版本", "收件编号", "问题数"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:A2", "C1:C2", "G1:K1", "L1:P1"} <= merged
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")


def test_status_cells_coloured_and_counting_version_shown(desk_app):
    book = _book(desk_app)
    ws = book[LISTS]
    col = {ws.cell(1, c).value: c for c in range(7, ws.max_column + 1) if ws.cell(1, c).value}["附件2"]
    row = _find_row(ws, "兴安盟财政局")
    assert ws.cell(row, col).value == "已报送-合格"
    assert ws.cell(row, col).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.cell(row, col + 2).value == "第2版" and ws.cell(row, col + 3).value == "政务服务局〔2023〕收字第0004号"
    late = _find_row(ws, "共青团兴安盟委员会")
    assert ws.cell(late, col).value == "逾期已报" and ws.cell(late, col).fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.cell(late, col + 1).value == dt.datetime(2023, 1, 20, 10, 0) and "月" in ws.cell(late, col + 1).number_format
    summary = book["报送情况"]
    assert summary.cell(_find_row(summary, "兴安盟财政局"), 10).value == "已报送-合格"


def test_the_status_sheet_ends_with_a_totals_row_per_status_outside_the_filter(desk_app):
    ws = _book(desk_app)["报送情况"]
    rows = {ws.cell(r, 3).value: r for r in range(2, ws.max_row + 1)}
    units = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value and not ws.cell(r, 3).value.startswith("合计")]
    for status in ("未报送", "已报送-合格", "已报送-待修改", "逾期未报", "逾期已报", "涉密拒收-待光盘报送", "豁免"):
        total = rows[f"合计：{status}"]
        for col in range(7, 12):
            assert ws.cell(total, col).value == sum(1 for r in units if ws.cell(r, col).value == status), (status, col)
    assert rows["合计：已报送-合格"] > max(units) and ws.auto_filter.ref.endswith(str(max(units)))
    assert ws.cell(rows["合计：逾期已报"], 10).value == 1  # 共青团's late 附件2


def test_office_scope_leaves_out_other_offices_returns(desk_app):
    book = _book(desk_app, "zwfw")
    ws = book["报送情况"]
    assert [ws.cell(1, c).value for c in range(7, ws.max_column + 1)] == ["实施方案", "联络人", "附件2", "附件3"]
    groups = [ws.cell(1, c).value for c in range(7, book[LISTS].max_column + 1) if book[LISTS].cell(1, c).value]
    assert [book[LISTS].cell(1, c).value for c in range(7, book[LISTS].max_column + 1) if book[LISTS].cell(1, c).value] == ["附件2", "附件3"]
    names = {ws.cell(r, 3).value for r in range(3, ws.max_row + 1)}
    assert "兴安盟教育局" in names and "中共兴安盟委员会组织部" not in names and groups


def test_message_sheet_lists_every_message_without_classified_subject(desk_app):
    ws = _book(desk_app)["收件记录"]
    assert [c.value for c in ws[1]] == ["序号", "收件编号", "收件时间", "收件箱", "发件人", "主题", "单位", "结论", "是否投错邮箱", "回复发送时间"]
    rows = {ws.cell(r, 2).value: [c.value for c in ws[r]] for r in range(2, ws.max_row + 1)}
    assert len(rows) == 10
    refused = rows["编办〔2023〕收字第0004号"]
    assert refused[5] in (None, "") and refused[7] == "涉密拒收"
    assert rows["政务服务局〔2023〕收字第0003号"][8] == "是"
    assert rows["编办〔2022〕收字第0001号"][9] == dt.datetime(2022, 12, 28, 10, 3)
    assert rows["编办〔2023〕收字第0002号"][9] == "待发送"


def test_problem_sheet_lists_counting_versions_only(desk_app):
    ws = _book(desk_app)["问题明细"]
    assert [c.value for c in ws[1]] == ["序号", "单位", "材料", "版本", "收件编号", "级别", "行", "单元格", "列", "说明"]
    found = [(ws.cell(r, 2).value, ws.cell(r, 3).value, ws.cell(r, 8).value) for r in range(2, ws.max_row + 1)]
    # 财政局's invalid first version no longer counts: its problem is not listed.
    assert sorted(found) == sorted([("中共兴安盟委员会组织部", "附件3", "C6"), ("中共兴安盟委员会组织部", "附件3", "Q5"), ("兴安盟教育局", "附件3", "Q5")])


def test_print_setup_and_font(desk_app):
    ws = _book(desk_app)[LISTS]
    assert ws.page_setup.paperSize == int(ws.PAPERSIZE_A3) and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2"
    assert "报送台账" in ws.oddHeader.center.text and ws.oddHeader.right.text == "打印日期：2023年1月21日"
    assert ws.cell(3, 3).font.name == "宋体"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width


def test_ledger_command_writes_xlsx(desk_app, tmp_path, capsys):
    out = tmp_path / "台账.xlsx"
    args = argparse.Namespace(db=desk_app.ledger.url, campaign=None, settings=None, json=False, office="编办", xlsx=str(out))
    assert ledger_command.run(args) == 0
    assert "台账已保存" in capsys.readouterr().out
    ws = openpyxl.load_workbook(out)["报送情况"]
    assert "盟委编办" in ws.oddHeader.center.text
