"""Hostile attachments through the whole pipeline: each message gets a Chinese answer and the next one is processed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.intake.options import PipelineOptions
from mailbot.ledger.models import HeldRawRow, OutboxRow
from parsers import Limits
from tests.support.hostile_files import LAUGHS, encrypted_ooxml, number_rows, part, rezip, sheet_xml, with_doctype, with_sheet

ZWFW = "xamzfw@126.com"
PDF = b"%PDF-1.4\n% a stamped scan\n"


def mail(app, files, sender="jyj@example.com", day=10) -> bytes:
    when = dt.datetime(2023, 1, day, 9, tzinfo=app.campaign.timezone)
    return _mail(sender, ZWFW, "附件3", when, "请查收。", [(n, d, XLSX) for n, d in files])


def a3(app) -> bytes:
    return form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows_attachment3())


def run(app, raw: bytes, options: PipelineOptions | None = None) -> dict:
    return app.pipeline(options).process(delivery_from_bytes(raw, ZWFW))


def last_reply(app) -> str:
    with app.ledger.session() as s:
        return s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first().body


def test_a_batch_of_hostile_files_each_answered_then_a_good_return_accepted(app):
    good = a3(app)
    hostile = [
        ("加密.xlsx", encrypted_ooxml(), "encrypted-file"),
        ("程序.xlsx", b"MZ" + b"\0" * 500, "executable"),
        ("空.xlsx", b"", "empty-file"),
        ("十万行.xlsx", with_sheet(sheet_xml(number_rows(100_000))), "sheet-too-large"),
        ("损坏.xlsx", good[: len(good) // 2], "corrupt-file"),
    ]
    for day, (name, data, code) in enumerate(hostile, start=1):
        verdict = run(app, mail(app, [(name, data)], day=day))
        assert verdict["outcome"] == "unsupported", name
        assert [p["code"] for p in verdict["file_problems"]] == [code]
        assert name in last_reply(app) and ("请去除密码后重新发送" in last_reply(app)) == (code == "encrypted-file")
    assert run(app, mail(app, [("附件3.xlsx", good)], day=20))["outcome"] == "accepted"


def test_an_entity_bomb_workbook_is_answered_as_damaged_and_nothing_of_it_is_read(app):
    good = a3(app)
    bomb = with_doctype(part(good, "xl/workbook.xml"), b"workbook", LAUGHS)
    verdict = run(app, mail(app, [("炸弹.xlsx", rezip(good, {"xl/workbook.xml": bomb}))]))
    # Not held for a person: no reader opens such a file, so the sender is simply asked to re-save it.
    assert (verdict["outcome"], verdict["reason"], verdict["forms"]) == ("unsupported", "unreadable-only", [])
    assert [p["code"] for p in verdict["file_problems"]] == ["hostile-file"]
    reply = last_reply(app)
    assert "炸弹.xlsx" in reply and "已损坏" in reply and "另存" in reply and "未读取其中任何内容" in reply
    with app.ledger.session() as s:
        assert s.scalars(select(HeldRawRow)).all() == []


def test_a_pdf_scan_alone_asks_for_the_editable_file(app):
    verdict = run(app, mail(app, [("附件3（盖章）.pdf", PDF)]))
    assert verdict["outcome"] == "unsupported"
    assert ".xlsx/.docx" in last_reply(app)


def test_a_pdf_with_the_editable_return_is_kept_as_the_stamped_copy(app):
    verdict = run(app, mail(app, [("附件3.xlsx", a3(app)), ("附件3（盖章）.pdf", PDF)]))
    assert verdict["outcome"] == "accepted"
    assert [(p["code"], p["severity"]) for p in verdict["file_problems"]] == [("stamped-copy", "warning")]
    assert "盖章扫描件" in verdict["file_problems"][0]["message"]


def test_the_configured_size_limit_applies_in_the_pipeline(app):
    verdict = run(app, mail(app, [("附件3.xlsx", a3(app))]), PipelineOptions(limits=Limits(max_bytes=1000)))
    assert verdict["outcome"] == "unsupported" and verdict["file_problems"][0]["code"] == "file-too-large"


def test_settings_carry_the_limits(tmp_path):
    from mailbot.settings import SettingsError, build_settings

    assert build_settings({"limits": {"max_bytes": 5}}).parse_limits.max_bytes == 5
    try:
        build_settings({"limits": {"max_byte": 5}}).parse_limits
    except SettingsError as exc:
        assert "[limits]" in str(exc)
    else:
        raise AssertionError("a misspelt limit must be refused")
