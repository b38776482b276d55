"""The shipped campaign's blank forms carry the notice's 注 (with its 涉密 line), and a form filled in them is accepted."""

from __future__ import annotations

import io

import openpyxl
import pytest

from mailbot.demo.inbox import DOCX, XLSX, _mail
from parsers.blanks.document import docx_template
from parsers.blanks.workbook import xlsx_template
from tests.mailbot.test_pipeline import BIANBAN, ZWFW, run
from tests.mailbot.test_templates import filled

NOTICE_LINE = "如内容涉密，不要发邮箱，请使用光盘报送。"


def test_every_blank_form_ends_with_the_notices_footnotes(app):
    for kind, count in (("attachment1", 1), ("attachment2", 3), ("attachment3", 5)):
        ws = openpyxl.load_workbook(io.BytesIO(xlsx_template(app.campaign.form(kind)))).active
        notes = [row[0] for row in ws.iter_rows(values_only=True)][-count:]
        assert notes[0].startswith("注：") and notes[-1].endswith(NOTICE_LINE)


@pytest.mark.parametrize("build, ext, ctype", [(xlsx_template, "xlsx", XLSX), (docx_template, "docx", DOCX)])
@pytest.mark.parametrize("kind, mailbox", [("attachment1", BIANBAN), ("attachment2", ZWFW), ("attachment3", ZWFW)])
def test_a_form_filled_in_the_template_is_accepted_not_held(app, build, ext, ctype, kind, mailbox):
    spec = app.campaign.form(kind)
    data = build(spec, filled(spec, 2), unit="兴安盟教育局", date="2023年1月10日")
    raw = _mail("jyj@example.com", mailbox, spec.label, _day(app), "请查收。", [(f"{spec.label}.{ext}", data, ctype)])
    verdict = run(app, raw, mailbox=mailbox)
    assert verdict["outcome"] == "accepted", verdict
    assert [f["kind"] for f in verdict["forms"]] == [kind] and verdict["forms"][0]["problems"] == []


def _day(app):
    import datetime as dt

    return dt.datetime(2023, 1, 10, 10, tzinfo=app.campaign.timezone)
