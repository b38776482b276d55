"""End to end over saved messages: bytes in, one verdict, one ledger row, one queued receipt."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from mailbot.cli.main import main
from mailbot.demo.forms import form_xlsx, plan_docx
from mailbot.demo.inbox import DOCX, XLSX, _mail, rows_attachment2, rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import MessageRow, OutboxRow, SubmissionRow
from mailbot.ledger.status import Standing, unit_matrix
from mailbot.ledger.units import unit_row

ZWFW, BIANBAN = "xamzfw@126.com", "794605082@qq.com"


def when(app, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2023, 1, day, hour, tzinfo=app.campaign.timezone)


def a3_mail(app, sender="jyj@example.com", unit="兴安盟教育局", rows=None, day=10, **kw) -> bytes:
    data = form_xlsx(app.campaign.form("attachment3"), unit, rows or rows_attachment3())
    return _mail(sender, ZWFW, "附件3", when(app, day), "请查收。", [("附件3.xlsx", data, XLSX)], **kw)


def run(app, raw: bytes, mailbox=ZWFW, day=10) -> dict:
    pipeline = app.pipeline()
    pipeline.now = lambda: when(app, day, 11)
    return pipeline.process(delivery_from_bytes(raw, mailbox, received_at=when(app, day)))


def count(app, model) -> int:
    with app.ledger.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_valid_attachment3_is_registered_and_answered_once(app):
    verdict = run(app, a3_mail(app))
    assert verdict["outcome"] == "accepted" and verdict["unit"] == "兴安盟教育局"
    assert verdict["handled_by"] == "zwfw" and verdict["reply"]["kind"] == "accepted"
    assert verdict["receipt_no"] == "政务服务局〔2023〕收字第0001号"
    with app.ledger.session() as s:
        sub = s.scalars(select(SubmissionRow)).one()
        reply = s.scalars(select(OutboxRow)).one()
        cells = {c.kind: c.standing for c in unit_matrix(s, app.campaign, unit_row(s, "兴安盟教育局"), when(app, 11))}
    assert (sub.kind, sub.version, sub.status, len(sub.rows)) == ("attachment3", 1, "accepted", 2)
    assert reply.to_addr == "jyj@example.com" and reply.subject == "回复：附件3" and "政务服务局〔2023〕收字第0001号" in reply.body
    assert reply.headers["In-Reply-To"].startswith("<")
    assert "实施方案（逾期未报" in reply.body and "其中已逾期的材料请尽快报送" in reply.body  # the plan was due 2023-01-04
    assert cells["attachment3"] is Standing.VALID and cells["plan"] is Standing.OVERDUE_MISSING


def test_the_same_delivery_twice_is_recorded_once(app):
    raw = a3_mail(app)
    first, second = run(app, raw), run(app, raw)
    assert first["receipt_no"] == second["receipt_no"]
    assert (count(app, MessageRow), count(app, SubmissionRow), count(app, OutboxRow)) == (1, 1, 1)


def test_the_same_message_id_again_is_a_silent_duplicate(app):
    run(app, a3_mail(app, message_id="<same@example.com>"))
    verdict = run(app, a3_mail(app, message_id="<same@example.com>", day=11), day=11)
    assert verdict["outcome"] == "duplicate" and verdict["reply"] is None
    assert count(app, SubmissionRow) == 1


def test_two_copies_of_one_form_in_one_message_become_consecutive_versions(app):
    run(app, a3_mail(app, rows=rows_attachment3()[:1]))  # version 1, one row, registered earlier
    form = app.campaign.form("attachment3")
    full = form_xlsx(form, "兴安盟教育局", rows_attachment3())
    files = [("附件3.xlsx", full, XLSX), ("附件3（修改）.xlsx", full + b"", XLSX)]
    run(app, _mail("jyj@example.com", ZWFW, "附件3", when(app, 12), "请查收。", files), day=12)
    with app.ledger.session() as s:
        subs = s.scalars(select(SubmissionRow).order_by(SubmissionRow.id)).all()
        body = s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first().body
    assert [(x.file, x.version) for x in subs] == [("附件3.xlsx", 1), ("附件3.xlsx", 2), ("附件3（修改）.xlsx", 3)]
    # The receipt reports the last copy against the one before it in the same message, not against version 1.
    assert "内容无变化" in body and "新增1行" not in body


def test_invalid_resubmission_never_hides_the_valid_version(app):
    run(app, a3_mail(app))
    bad = [dict(rows_attachment3()[0], 内部管理事项="√")]  # both 事项类别 ticked
    verdict = run(app, a3_mail(app, rows=bad, day=12), day=12)
    assert verdict["outcome"] == "invalid"
    with app.ledger.session() as s:
        cell = next(c for c in unit_matrix(s, app.campaign, unit_row(s, "兴安盟教育局"), when(app, 12)) if c.kind == "attachment3")
        body = s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first().body
    assert cell.standing is Standing.VALID and cell.counting.version == 1 and cell.versions[-1].version == 2
    assert "第2版" in cell.note and "第2版" in body and "修改1行" in body


def test_misrouted_late_return_is_passed_on_and_marked(app):
    f2 = app.campaign.form("attachment2")
    raw = _mail("czj@example.com", BIANBAN, "附件2", when(app, 19), "请查收", [("附件2.xlsx", form_xlsx(f2, "兴安盟财政局", rows_attachment2()), XLSX)])
    verdict = run(app, raw, mailbox=BIANBAN, day=19)
    assert verdict["misrouted"] and verdict["overdue"] and verdict["handled_by"] == "zwfw"
    with app.ledger.session() as s:
        reply = s.scalars(select(OutboxRow)).one()
    assert reply.office == "bianban"  # the inbox that received it answers
    assert "xamzfw@126.com" in reply.body and "已超过截止时间" in reply.body


def test_classified_subject_keeps_no_content(app):
    raw = _mail("jyj@example.com", ZWFW, "【涉密】金丝雀XYZZY", when(app, 10), "正文金丝雀XYZZY", [("附件3.xlsx", form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3()), XLSX)])
    verdict = run(app, raw)
    assert verdict["outcome"] == "refused_classified" and verdict["subject"] is None and verdict["forms"] == []
    with app.ledger.session() as s:
        msg = s.scalars(select(MessageRow)).one()
        reply = s.scalars(select(OutboxRow).where(OutboxRow.kind == "reply:refused_classified")).one()
        unit_name = msg.unit.name
    assert msg.subject is None and msg.verdict is None and unit_name == "兴安盟教育局"
    assert "XYZZY" not in reply.subject + reply.body and "光盘" in reply.body and reply.priority == 0
    assert count(app, SubmissionRow) == 0


def test_plan_from_a_party_unit(app):
    raw = _mail("zzb@example.org", BIANBAN, "实施方案", when(app, 3), "实施方案见附件。", [("实施方案.docx", plan_docx("中共兴安盟委员会组织部"), DOCX)])
    verdict = run(app, raw, mailbox=BIANBAN, day=3)
    assert [f["kind"] for f in verdict["forms"]] == ["plan"] and verdict["outcome"] == "accepted" and not verdict["overdue"]


def test_cli_process_prints_one_json_verdict_per_message_and_skips_bad_files(app, tmp_path, capsys):
    good = tmp_path / "good.eml"
    good.write_bytes(a3_mail(app))
    junk = tmp_path / "junk.eml"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n not a mail")
    code = main(["--db", app.ledger.url, "process", str(junk), str(good), "--mailbox", ZWFW, "--json", "--received-at", "2023-01-10T10:00"])
    out, err = capsys.readouterr()
    verdicts = [json.loads(line) for line in out.splitlines()]
    assert code == 2 and "不是邮件文件" in err
    assert [v["outcome"] for v in verdicts] == ["accepted"] and verdicts[0]["received_at"] == "2023-01-10T10:00:00+08:00"


def test_cli_refuses_an_inbox_that_is_not_ours(app, tmp_path, capsys):
    eml = tmp_path / "a.eml"
    eml.write_bytes(a3_mail(app))
    assert main(["--db", app.ledger.url, "process", str(eml), "--mailbox", "other@example.com"]) == 2
    assert "不是本活动配置的收件邮箱" in capsys.readouterr().err


def test_invalid_workbook_comes_back_annotated(app):
    import io

    import openpyxl

    bad = [dict(rows_attachment3()[0], 内部管理事项="√")]
    run(app, a3_mail(app, rows=bad))
    with app.ledger.session() as s:
        reply = s.scalars(select(OutboxRow)).one()
        [copy] = reply.attachments
        body, data, name = reply.body, copy.data, copy.filename
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    flagged = [c for row in ws.iter_rows() for c in row if c.comment is not None]
    assert name == "批注-附件3.xlsx" and "批注-附件3.xlsx" in body
    assert flagged and any("事项类别" in c.comment.text for c in flagged)
    assert any(c.coordinate.startswith(("C", "D")) for c in flagged)


def test_duplicate_answered_more_than_a_day_ago_gets_a_short_reply(app):
    run(app, a3_mail(app, message_id="<again@example.com>"))
    with app.ledger.transaction() as s:
        row = s.scalars(select(OutboxRow)).one()
        row.sent_at = when(app, 10, 12)
    verdict = run(app, a3_mail(app, message_id="<again@example.com>", day=12), day=12)
    assert verdict["outcome"] == "duplicate" and verdict["reply"]["kind"] == "duplicate"
    with app.ledger.session() as s:
        body = s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first().body
    assert "已于2023年1月10日" in body and "政务服务局〔2023〕收字第0001号" in body
