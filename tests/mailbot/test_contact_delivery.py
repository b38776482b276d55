"""When contact details are a return, and what the receipt, the verdict, the ledger and the dashboard say of them."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import select

from mailbot.demo.forms import form_xlsx, plan_docx
from mailbot.demo.inbox import rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow, SubmissionRow, UnitRow
from mailbot.reports.matrix import ledger_rows
from mailbot.reports.workbook import build_ledger_workbook
from mailbot.web import create_app
from mailbot.web.users import add_user
from tests.support.corpus.clients import DOCX, XLSX, message
from tests.support.corpus.files import plan_docx as written_plan

ZWFW, BIANBAN = "xamzfw@126.com", "794605082@qq.com"
WANG = {"name": "王五", "position": "办公室主任", "phone": "0482-8261234"}


def when(app, day: int, hour: int = 10) -> dt.datetime:
    month = 12 if day > 20 else 1
    return dt.datetime(2022 if month == 12 else 2023, month, day, hour, tzinfo=app.campaign.timezone)


def run(app, raw: bytes, mailbox: str = ZWFW, day: int = 3) -> dict:
    pipeline = app.pipeline()
    pipeline.now = lambda: when(app, day, 11)
    return pipeline.process(delivery_from_bytes(raw, mailbox, received_at=when(app, day)))


def send(app, text: str, files=(), *, subject: str = "报送材料", sender: str = "jyj@example.com", client: str = "qq", day: int = 3,
         mailbox: str = ZWFW) -> dict:
    return run(app, message(client, sender, mailbox, subject, when(app, day), text, files=files), mailbox, day)


def forms(verdict: dict) -> dict:
    return {f["kind"]: (f["status"], [(p["code"], p["column"]) for p in f["problems"] if p["severity"] == "error"]) for f in verdict["forms"]}


def contact_of(verdict: dict) -> dict | None:
    return next((f.get("contact") for f in verdict["forms"] if f["kind"] == "contact"), None)


def last_reply(app) -> str:
    with app.ledger.session() as s:
        return s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc())).first().body


def a3(app, unit: str = "兴安盟教育局") -> tuple[str, bytes, str]:
    return "附件3.xlsx", form_xlsx(app.campaign.form("attachment3"), unit, rows_attachment3()), XLSX


def contact_book(*rows: list[str]) -> tuple[str, bytes, str]:
    book = openpyxl.Workbook()
    book.active.title = "联络人"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return "两优联络人.xlsx", out.getvalue(), XLSX


LEADER_AND_CONTACT = (["兴安盟教育局“两优”专项行动联络人"],
                      ["单位", "分管领导", "职务", "联系电话", "联络人", "职务", "办公电话"],
                      ["兴安盟教育局", "赵六", "副局长", "13904821111", "王五", "办公室主任", "0482-8261234"])


# ---------------------------------------------------------------- a signature is not a return

@pytest.mark.parametrize("client", ["qq", "126", "foxmail", "outlook"])
def test_a_signature_under_a_form_is_no_contact_return(app, client):
    verdict = send(app, "附件3请查收。\n\n联系人：李明 13800000000\n兴安盟教育局", [a3(app)], subject="附件3", client=client, day=10)
    assert verdict["outcome"] == "accepted" and set(forms(verdict)) == {"attachment3"}
    with app.ledger.session() as s:
        assert [r.kind for r in s.scalars(select(SubmissionRow))] == ["attachment3"]


def test_mentioning_contact_details_sent_earlier_does_not_make_the_signature_a_return(app):
    text = "附件3请查收。我局“两优”专项行动联络人信息已于12月28日报送。\n\n联系人：李明 13800000000"
    verdict = send(app, text, [a3(app)], subject="附件3", day=10)
    assert forms(verdict) == {"attachment3": ("accepted", [])}


def test_a_word_form_with_a_name_and_phone_on_its_stamp_line_is_only_that_form(app):
    from tests.routing.test_parse_build import docx_table, good_row

    data = docx_table(1, [good_row(1)], unit="兴安盟教育局", paragraphs=("联系人：张三  电话：13800000000",))
    verdict = send(app, "附件1请查收", [("附件1.docx", data, DOCX)], subject="附件1", mailbox=BIANBAN, day=10)
    assert forms(verdict) == {"attachment1": ("accepted", [])}  # not a late, invalid 联络人 return besides


# ---------------------------------------------------------------- the shapes of a real contact return

def test_a_contact_workbook_with_a_leader_beside_the_plan(app):
    verdict = send(app, "现将我局“两优”专项行动实施方案及联络人报上，请审阅。",
                   [("实施方案.docx", plan_docx("兴安盟教育局"), DOCX), contact_book(*LEADER_AND_CONTACT)], subject="教育局实施方案及联络人")
    assert verdict["outcome"] == "accepted" and verdict["file_problems"] == []
    assert forms(verdict) == {"plan": ("accepted", []), "contact": ("accepted", [])}
    assert contact_of(verdict) == WANG  # the 联络人's own post and phone, not the leader's
    assert "本系统读取为：联络人：王五，职务：办公室主任，电话：0482-8261234。" in last_reply(app)


@pytest.mark.parametrize("text", [
    "联系人：王五（办公室主任），电话 0482-8261234",
    "现将我局联络人报送如下：\n联络人：王五\n职务：办公室主任\n座机：0482-8261234",
    "我局“两优”专项行动联络人为王五同志，办公室主任，办公电话0482－8261234。",
    "姓名\t职务\t联系电话\n王五\t办公室主任\t0482-8261234",
])
def test_contact_details_in_the_body_alone(app, text):
    verdict = send(app, text, subject="兴安盟教育局")
    assert forms(verdict) == {"contact": ("accepted", [])} and contact_of(verdict) == WANG


def test_a_subject_ending_in_the_word_does_not_read_the_bodys_first_line_as_the_name(app):
    text = "政务服务局：\n我委“两优”专项行动联络人如下：\n联络人：王五\n职务：办公室主任\n座机：0482-8261234\n\n兴安盟国资委"
    verdict = send(app, text, subject="国资委两优联络人", sender="gzw@example.com")
    assert forms(verdict) == {"contact": ("accepted", [])} and contact_of(verdict) == WANG


def test_contact_in_the_plans_last_paragraph(app):
    plan = written_plan("兴安盟教育局", closing=("联系人：王五（办公室主任），联系电话：0482-8261234。",))
    verdict = send(app, "实施方案请审阅。", [("实施方案.docx", plan, DOCX)], subject="教育局实施方案")
    assert forms(verdict) == {"plan": ("accepted", []), "contact": ("accepted", [])} and contact_of(verdict) == WANG


# ---------------------------------------------------------------- a missing field, only when it is really missing

def test_a_message_that_says_it_sends_the_contact_without_a_post_is_told_so(app):
    verdict = send(app, "联系人：李明 13800000000", subject="报送“两优”联络人")
    assert forms(verdict) == {"contact": ("invalid", [("contact-missing-field", "职务")])}
    assert "本系统读取为：联络人：李明，职务：（未找到），电话：13800000000。" in last_reply(app)


def test_the_plan_with_a_signature_is_the_plan_and_contact_stage(app):
    verdict = send(app, "实施方案请审阅。\n联系人：李明 13800000000", [("实施方案.docx", plan_docx("兴安盟教育局"), DOCX)],
                   subject="教育局实施方案")
    assert forms(verdict)["contact"] == ("invalid", [("contact-missing-field", "职务")])


def test_a_post_given_elsewhere_in_the_message_is_not_missing(app):
    book = contact_book(["联络人", "职务"], ["王五", "办公室主任"])
    verdict = send(app, "联系人：王五，电话：0482-8261234", [book], subject="联络人")
    assert forms(verdict) == {"contact": ("accepted", [])} and contact_of(verdict) == WANG


def test_thanks_with_a_signature_is_no_contact_return(app):
    verdict = send(app, "收到，谢谢！\n联系人：李明 13800000000", subject="回复：【催报】请于2023年1月4日前报送实施方案、联络人")
    assert (verdict["outcome"], verdict["reply"]) == ("ignored", None)


# ---------------------------------------------------------------- the ledger and the dashboard keep the contact's own values

def test_the_ledger_and_the_dashboard_show_the_contacts_own_post_and_phone(app):
    send(app, "实施方案及联络人请审阅。", [("实施方案.docx", plan_docx("兴安盟教育局"), DOCX), contact_book(*LEADER_AND_CONTACT)],
         subject="教育局实施方案及联络人")
    now = when(app, 5)
    with app.ledger.session() as s:
        sub = s.scalars(select(SubmissionRow).where(SubmissionRow.kind == "contact")).one()
        assert sub.rows == [{"联络人": "王五", "职务": "办公室主任", "电话": "0482-8261234"}]
        row = next(r for r in ledger_rows(s, app.campaign, now) if r["unit"] == "兴安盟教育局")
        assert (row["contact"], row["position"], row["phone"]) == ("王五", "办公室主任", "0482-8261234")
        data = build_ledger_workbook(s, app.campaign, now)
        unit_id = s.scalars(select(UnitRow.id).where(UnitRow.name == "兴安盟教育局")).one()
    ws = openpyxl.load_workbook(io.BytesIO(data))["报送情况"]
    line = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value == "兴安盟教育局")
    assert [ws.cell(line, c).value for c in (4, 5, 6)] == ["王五", "办公室主任", "0482-8261234"]
    with app.ledger.transaction() as s:
        add_user(s, app.campaign, "admin", "admin", "admin-pass-1", now)
    client = create_app(app, secret="test-secret-0123456789", session_hours=8, now=lambda: now).test_client()
    from tests.mailbot.test_web import token

    client.post("/login", data={"username": "admin", "password": "admin-pass-1", "csrf_token": token(client.get("/login").text)})
    page = client.get(f"/unit/{unit_id}").text
    assert '<span id="contact-name">王五</span>' in page and '<span id="contact-position">办公室主任</span>' in page
    assert '<span id="contact-phone">0482-8261234</span>' in page and "13904821111" not in page
    assert "联络人：王五，职务：办公室主任，电话：0482-8261234" in page
