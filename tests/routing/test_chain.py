"""The decision chain on hand-made deliveries (pure: no mail server, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from mailbot.config import load_campaign
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import rows_attachment1, rows_attachment2, rows_attachment3
from parsers.gate.scan import MarkingTerms
from parsers.mail.attachment import Attachment
from routing.chain import CHAIN, run_chain
from routing.context import Context
from routing.delivery import Delivery, Outcome
from routing.model.roster import Roster, Unit

CAMPAIGN = load_campaign()
TZ = CAMPAIGN.timezone
ROSTER = Roster([
    Unit("兴安盟教育局", ("盟教育局",), "政府", ("jyj@example.com",)),
    Unit("兴安盟财政局", ("盟财政局",), "政府", ("czj@example.com",)),
    Unit("中共兴安盟委员会组织部", ("盟委组织部",), "党群", ("zzb@example.org",)),
], CAMPAIGN.texts.name_prefixes)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ctx() -> Context:
    return Context(campaign=CAMPAIGN, roster=ROSTER, marking_terms=MarkingTerms.from_config(CAMPAIGN.classified))


def delivery(sender="jyj@example.com", mailbox="xamzfw@126.com", subject="附件3", body="请查收。", files=(), when=(2023, 1, 10), **headers) -> Delivery:
    d = Delivery(raw=f"{sender}{subject}{body}".encode(), mailbox=mailbox, received_at=dt.datetime(*when, 10, tzinfo=TZ))
    d.message_id, d.sender, d.subject, d.body_text, d.headers = f"<{sender}-{subject}>", sender, subject, body, dict(headers)
    d.attachments = [Attachment(name, XLSX, data) for name, data in files]
    d.office = CAMPAIGN.office_for_inbox(mailbox)
    return d


def a3(unit="兴安盟教育局", rows=None) -> tuple[str, bytes]:
    return "附件3.xlsx", form_xlsx(CAMPAIGN.form("attachment3"), unit, rows or rows_attachment3())


def decide(d: Delivery) -> Outcome:
    return run_chain(d, ctx())


def test_a_valid_return_from_a_roster_unit_is_accepted():
    d = delivery(files=[a3()])
    assert decide(d) is Outcome.ACCEPTED
    assert d.unit.name == "兴安盟教育局" and d.handlers == {"attachment3": "zwfw"} and not d.misrouted


def test_problems_make_it_invalid_with_the_rule_recorded():
    d = delivery(sender="czj@example.com", files=[("附件2.xlsx", form_xlsx(CAMPAIGN.form("attachment2"), "兴安盟财政局", rows_attachment2(bad=True)))])
    assert decide(d) is Outcome.INVALID
    assert d.reason == "verdict" and any(p.is_error for r in d.returns for p in r.problems)


def test_attachment1_sent_to_the_government_inbox_is_passed_to_bianban():
    d = delivery(files=[("附件1.xlsx", form_xlsx(CAMPAIGN.form("attachment1"), "兴安盟教育局", rows_attachment1()))])
    assert decide(d) is Outcome.ACCEPTED
    assert d.handlers == {"attachment1": "bianban"} and d.misrouted


def test_party_unit_writing_to_the_government_inbox_is_misrouted():
    d = delivery(sender="zzb@example.org", files=[a3("中共兴安盟委员会组织部")])
    decide(d)
    assert d.handlers == {"attachment3": "bianban"} and d.misrouted


def test_late_return_is_registered_and_marked_overdue():
    d = delivery(files=[a3()], when=(2023, 1, 19))
    assert decide(d) is Outcome.ACCEPTED and d.overdue and d.facts["overdue_kinds"] == ["attachment3"]
    on_time = delivery(files=[a3()], when=(2023, 1, 18))
    decide(on_time)
    assert not on_time.overdue  # end of the due day still counts


def test_own_mail_is_ignored():
    d = delivery(sender="794605082@qq.com", files=[a3()])
    assert decide(d) is Outcome.IGNORED and d.reason == "own-mail"


@pytest.mark.parametrize("headers, subject, body", [
    ({"Auto-Submitted": "auto-replied"}, "Re: 附件3", "x"),
    ({"Precedence": "bulk"}, "通知", "x"),
    ({"List-Id": "<news.example.com>"}, "通知", "x"),
    ({"Return-Path": "<>"}, "Undelivered Mail", "x"),
    ({}, "自动回复：附件3", "您好，您的邮件我已收到"),
    ({}, "Re: 附件3", "这是来自QQ邮箱的假期自动回复邮件。\n您好，我最近正在休假中。"),
])
def test_auto_replies_are_never_answered(headers, subject, body):
    d = delivery(subject=subject, body=body, **headers)
    assert decide(d) is Outcome.IGNORED and d.reason == "auto-reply"


def test_auto_submitted_no_is_a_person():
    d = delivery(files=[a3()], **{"Auto-Submitted": "no"})
    assert decide(d) is Outcome.ACCEPTED


def test_mailer_daemon_is_ignored():
    assert decide(delivery(sender="MAILER-DAEMON@126.com", subject="系统退信")) is Outcome.IGNORED


def test_a_plain_thank_you_is_not_answered():
    d = delivery(subject="回复：收件回执", body="收到，谢谢！")
    assert decide(d) is Outcome.IGNORED and d.reason == "nothing-asked"


def test_a_question_without_attachment_gets_no_forms():
    d = delivery(subject="请问附件3怎么填", body="请问保留职权事项清单中的事项类别应如何勾选？")
    assert decide(d) is Outcome.NO_FORMS


def test_duplicate_found_by_the_runner_stops_the_chain():
    d = delivery(files=[a3()])
    d.duplicate_of = {"id": 1, "received_at": d.received_at, "receipt_no": "x", "answered_at": None}
    assert decide(d) is Outcome.DUPLICATE and not d.returns


def test_subject_marking_refuses_before_reading_anything():
    d = delivery(subject="【涉密】附件3", files=[a3()])
    assert decide(d) is Outcome.REFUSED_CLASSIFIED
    assert not d.returns and d.withhold_content and "read-forms" not in d.trail


def test_unknown_address_but_unit_on_the_form_is_registered_with_a_flag():
    d = delivery(sender="wang@mail.example.net", files=[a3("兴安盟财政局")])
    assert decide(d) is Outcome.ACCEPTED
    assert d.unit.name == "兴安盟财政局" and d.unit_flags == ["发件地址不在名册"]


def test_no_unit_anywhere_is_unknown_sender():
    d = delivery(sender="wang@mail.example.net", subject="材料", files=[("清单.xlsx", a3("")[1])])
    assert decide(d) is Outcome.UNKNOWN_SENDER


def test_form_naming_another_unit_is_held():
    d = delivery(files=[a3("兴安盟财政局")])
    assert decide(d) is Outcome.HELD_FOR_REVIEW and d.reason == "unit-conflict"


def test_failed_dkim_for_a_roster_address_is_held_when_the_server_is_trusted():
    # An aligned SPF pass alone would verify the sender (DMARC's rule, tests/mailbot/test_sender_auth.py): both fail here.
    headers = {"Authentication-Results": "mx.126.com; spf=softfail smtp.mailfrom=example.com; dkim=fail header.d=example.com"}
    d = delivery(files=[a3()], **headers)
    assert run_chain(d, Context(campaign=CAMPAIGN, roster=ROSTER, trusted_auth=("mx.126.com",))) is Outcome.HELD_FOR_REVIEW
    assert d.reason == "sender-unverified"
    untrusted = delivery(files=[a3()], **headers)
    assert run_chain(untrusted, Context(campaign=CAMPAIGN, roster=ROSTER, trusted_auth=("mx.other.example",))) is Outcome.ACCEPTED


def test_the_chain_is_declared_in_order():
    names = [link.name for link in CHAIN]
    assert names.index("classified") < names.index("read-forms") < names.index("identify-unit") < names.index("route")
    assert names[-1] == "verdict"


def test_thank_you_above_a_quoted_receipt_is_not_answered():
    body = "收到，谢谢\n\n------------------ 原始邮件 ------------------\n发件人: 794605082@qq.com\n您单位报送的材料已收到……请修改第3行"
    d = delivery(subject="回复：收件回执", body=body)
    assert decide(d) is Outcome.IGNORED and d.reason == "nothing-asked"


def test_signature_names_the_unit_of_an_unknown_address():
    body = "附件请查收。\n\n兴安盟财政局办公室\n2023年1月10日"
    d = delivery(sender="wang@mail.example.net", subject="材料", body=body, files=[("清单.xlsx", a3("")[1])])
    assert decide(d) is Outcome.ACCEPTED and d.unit.name == "兴安盟财政局"


def test_quoting_several_units_in_the_body_is_no_reason_to_hold():
    body = "根据中共兴安盟委员会组织部、兴安盟财政局的要求，现报送材料。\n请查收。"
    d = delivery(sender="wang@mail.example.net", subject="材料", body=body, files=[("清单.xlsx", a3("")[1])])
    assert decide(d) is Outcome.UNKNOWN_SENDER
