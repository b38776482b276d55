"""涉密 as a state of its own: a refusal is no submission, the unit owes those returns on a CD, and a CD's arrival is registered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import UnitRow
from mailbot.ledger.models_desk import ActionRow
from mailbot.ledger.status import Standing, outstanding, unit_matrix
from mailbot.ledger.units import unit_row
from mailbot.schedule.reminders import owed_by_office
from mailbot.schedule.reminders_send import REASONS
from tests.support.gate_cases import mail

ZWFW = "xamzfw@126.com"
UNIT = "兴安盟教育局"  # jyj@example.com; its returns are split between 编办 and 政务服务局


def at(app, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2023, 1, day, hour, tzinfo=app.campaign.timezone)


def refuse(app) -> str:
    pipeline = app.pipeline()
    pipeline.now = lambda: at(app, 5)
    verdict = pipeline.process(delivery_from_bytes(mail("【涉密】秘密★1年 两优材料", "请查收。"), ZWFW, received_at=at(app, 5)))
    assert verdict["outcome"] == "refused_classified"
    return verdict["receipt_no"]


def cells(app, now):
    with app.ledger.session() as s:
        return {c.kind: (c.standing, c.handled_by) for c in unit_matrix(s, app.campaign, unit_row(s, UNIT), now)}


def test_a_refusal_leaves_only_the_receiving_offices_returns_owed_on_a_cd(app):
    refuse(app)
    found = cells(app, at(app, 6))
    assert {k for k, (st, office) in found.items() if office == "zwfw"} and {k for k, (st, office) in found.items() if office == "bianban"}
    for kind, (standing, office) in found.items():
        assert standing is (Standing.CLASSIFIED if office == "zwfw" else Standing.MISSING), kind
        assert not standing.done  # a refusal is no submission: the unit still owes it
    with app.ledger.session() as s:
        owed = {c.kind: c.standing for c in outstanding(s, app.campaign, unit_row(s, UNIT), at(app, 6))}
    assert owed == {k: st for k, (st, _o) in found.items()}


def test_reminders_ask_for_a_cd_for_the_refused_returns(app):
    refuse(app)
    with app.ledger.session() as s:
        owed = owed_by_office(s, app.campaign, unit_row(s, UNIT), None, at(app, 6))
    assert {o.standing for o in owed["zwfw"]} == {Standing.CLASSIFIED} and "光盘" in REASONS[Standing.CLASSIFIED]
    assert Standing.CLASSIFIED not in {o.standing for o in owed["bianban"]}


def test_cd_received_registers_a_numbered_version_the_audit_calls_a_cd(app, capsys):
    refused_no = refuse(app)
    kind = next(k for k, (_st, office) in cells(app, at(app, 6)).items() if office == "zwfw")
    label = app.campaign.form(kind).label
    assert main(["--db", app.ledger.url, "cd-received", UNIT, label]) == 0
    out = capsys.readouterr().out
    receipt_no = out.split("收件编号：")[1].strip().rstrip("。")
    assert receipt_no != refused_no and "第1版" in out
    assert cells(app, dt.datetime.now(app.campaign.timezone))[kind][0] in (Standing.VALID, Standing.OVERDUE_DONE)
    assert main(["--db", app.ledger.url, "audit", receipt_no]) == 0
    audit = capsys.readouterr().out
    assert "光盘报送" in audit and f"报送单位：{UNIT}" in audit
    with app.ledger.session() as s:
        [action] = s.scalars(select(ActionRow)).all()
        unit_id = s.scalars(select(UnitRow.id).where(UnitRow.name == UNIT)).one()
    assert (action.action, action.unit_id) == ("cd-received", unit_id) and action.actor.startswith("命令行") and receipt_no in action.detail


def test_cd_received_accepts_an_alias_and_refuses_an_unknown_material(app, capsys):
    with app.ledger.session() as s:
        alias = next(u.aliases[0] for u in s.scalars(select(UnitRow)) if u.aliases)
    assert main(["--db", app.ledger.url, "cd-received", alias, "附件九"]) != 0
    assert "没有名为“附件九”的材料" in capsys.readouterr().err


def test_review_accepts_by_the_receipt_number_and_an_alias_and_logs_who(app, capsys):
    from tests.mailbot.test_pipeline import run
    from tests.mailbot.test_stranger import ROSTER, STRANGER, form_mail

    run(app, form_mail(app, "attachment3", ROSTER, 10), day=10)
    held = run(app, form_mail(app, "attachment3", STRANGER, 11, marker="新联络人报送"), day=11)
    assert main(["--db", app.ledger.url, "review", "accept", held["receipt_no"], "--unit", "盟教育局"]) == 0
    out = capsys.readouterr().out
    assert f"（{held['receipt_no']}）登记为“{UNIT}”" in out and "（按“盟教育局”匹配）的报送" in out  # the alias typed is said
    with app.ledger.session() as s:
        [action] = s.scalars(select(ActionRow)).all()
    assert action.action == "review-accept" and action.actor.startswith("命令行") and held["receipt_no"] in action.detail
    assert main(["--db", app.ledger.url, "review", "reject", "政务服务局〔2023〕收字第9999号", "--reason", "x"]) != 0
