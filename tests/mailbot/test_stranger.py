"""Who may change what counts: an address outside the roster never replaces a roster address's version, and is told nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment1, rows_attachment2, rows_attachment3
from mailbot.ledger.models import MessageRow, OutboxRow
from mailbot.ledger.status import unit_matrix
from mailbot.ledger.units import load_roster, unit_row
from tests.mailbot.test_pipeline import ZWFW, run, when

ROSTER, STRANGER, UNIT = "jyj@example.com", "someone@mail.example.net", "兴安盟教育局"
ROWS = {"attachment1": rows_attachment1, "attachment2": rows_attachment2, "attachment3": rows_attachment3}


def form_mail(app, kind: str, sender: str, day: int, marker: str = "") -> bytes:
    rows = ROWS[kind]()
    if marker:
        rows[0]["事项名称" if kind != "attachment1" else "需要调整的职能职责"] = marker
    data = form_xlsx(app.campaign.form(kind), UNIT, rows)
    return _mail(sender, ZWFW, f"{UNIT}{kind}", when(app, day), "请查收。", [(f"{kind}.xlsx", data, XLSX)])


def counting(app, kind: str):
    with app.ledger.session() as s:
        cell = next(c for c in unit_matrix(s, app.campaign, unit_row(s, UNIT), when(app, 20)) if c.kind == kind)
        return (cell.counting.version, cell.counting.message.sender) if cell.counting else None


def reply_to(app, verdict) -> str:
    with app.ledger.session() as s:
        message = s.scalars(select(MessageRow).where(MessageRow.receipt_no == verdict["receipt_no"])).one()
        return s.scalars(select(OutboxRow.body).where(OutboxRow.message_ref == message.id)).one()


@pytest.mark.parametrize("kind", ["attachment1", "attachment2", "attachment3"])
def test_a_stranger_never_replaces_the_roster_version(app, kind):
    assert run(app, form_mail(app, kind, ROSTER, 10), day=10)["outcome"] == "accepted"
    held = run(app, form_mail(app, kind, STRANGER, 11, marker="冒名替换的事项"), day=11)
    assert held["outcome"] == "held_for_review" and held["reason"] == "stranger-return"
    assert counting(app, kind) == (1, ROSTER)
    body = reply_to(app, held)
    assert "您的发件邮箱尚未在名册中登记" in body and "已有名册邮箱" not in body and "附件" not in body.split("收件编号")[1].split("需由")[0]


def test_the_reviewer_accepts_and_adds_the_address(app, capsys):
    run(app, form_mail(app, "attachment3", ROSTER, 10), day=10)
    held = run(app, form_mail(app, "attachment3", STRANGER, 11, marker="新联络人报送"), day=11)
    with app.ledger.session() as s:
        message_id = s.scalars(select(MessageRow.id).where(MessageRow.receipt_no == held["receipt_no"])).one()
    assert main(["--db", app.ledger.url, "review"]) == 0
    listed = capsys.readouterr().out
    assert f"[{message_id}]" in listed and "已有名册邮箱报送的版本" in listed
    assert main(["--db", app.ledger.url, "review", "accept", str(message_id), "--unit", UNIT, "--add-address"]) == 0
    assert "已登记为该单位邮箱" in capsys.readouterr().out
    assert counting(app, "attachment3") == (2, STRANGER)
    with app.ledger.session() as s:
        assert load_roster(s).by_email(STRANGER).name == UNIT
    # From now on the address is the unit's own: its next return counts without anyone's help.
    again = run(app, form_mail(app, "attachment3", STRANGER, 12, marker="第三版"), day=12)
    assert again["outcome"] == "accepted" and counting(app, "attachment3") == (3, STRANGER)


def test_a_stranger_first_then_the_roster_then_another_stranger(app):
    held = run(app, form_mail(app, "attachment2", STRANGER, 10), day=10)
    assert held["outcome"] == "accepted"  # nothing from the roster yet: registered, flagged
    assert run(app, form_mail(app, "attachment2", ROSTER, 11), day=11)["outcome"] == "accepted"
    assert run(app, form_mail(app, "attachment2", "third@mail.example.net", 12), day=12)["outcome"] == "held_for_review"
    assert counting(app, "attachment2") == (2, ROSTER)


def test_a_receipt_to_a_stranger_says_nothing_about_the_units_other_returns(app):
    run(app, form_mail(app, "attachment1", ROSTER, 9), day=9)
    first = run(app, form_mail(app, "attachment3", STRANGER, 10), day=10)
    second = run(app, form_mail(app, "attachment3", STRANGER, 11, marker="修改后的事项"), day=11)
    assert first["outcome"] == second["outcome"] == "accepted" and counting(app, "attachment3") == (2, STRANGER)
    for verdict in (first, second):
        body = reply_to(app, verdict)
        assert "本回执只涉及本次收到的材料" in body
        assert "尚未报送" not in body and "均已报送合格" not in body and "实施方案" not in body  # nothing owed is listed
        assert "第2版" not in body and "与上一版相比" not in body  # nor that an earlier version exists
    roster = reply_to(app, run(app, form_mail(app, "attachment2", ROSTER, 12), day=12))
    assert "尚未报送或尚需修改" in roster and "实施方案" in roster  # the roster address is told, as before


def test_another_address_reusing_a_message_id_learns_nothing_of_the_earlier_receipt(app):
    from mailbot.ledger.models import OutboxState

    raw = form_mail(app, "attachment3", ROSTER, 10)
    first = run(app, raw, day=10)
    with app.ledger.transaction() as s:
        reply = s.scalars(select(OutboxRow)).one()
        reply.state, reply.sent_at = OutboxState.SENT, when(app, 10, 12)
    copied = raw.replace(f"From: {ROSTER}".encode(), f"From: {STRANGER}".encode())
    assert copied != raw
    again = run(app, copied, day=13)
    assert again["outcome"] == "duplicate" and again["reply"] is None
    own = run(app, raw.replace(b"Subject:", b"X-Resent: 1\nSubject:"), day=13)  # the same sender, days later: reminded
    assert own["outcome"] == "duplicate" and own["reply"]["kind"] == "duplicate" and first["receipt_no"] in reply_to_duplicate(app)


def reply_to_duplicate(app) -> str:
    with app.ledger.session() as s:
        return s.scalars(select(OutboxRow.body).where(OutboxRow.kind == "reply:duplicate")).one()
