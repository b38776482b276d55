"""The 涉密 gate is the first rule: a marked auto-reply, bulk or list mail, noreply sender, own address or reused
Message-ID is refused with nothing of it kept, and the loop guards only decide that it gets no answer."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import MessageRow, OutboxRow
from mailbot.reports.exports import export_files
from mailbot.reports.workbook import build_ledger_workbook
from routing.chain import CHAIN
from tests.support.canary import find_canary, in_database, make_canary
from tests.support.gate_cases import ZWFW, docx_file, mail

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# (case, sender, headers): every rule that used to decide before the gate.
LOOP_GUARDED = [
    ("auto-submitted", "jyj@example.com", {"Auto_Submitted": "auto-replied"}),
    ("precedence-bulk", "jyj@example.com", {"Precedence": "bulk"}),
    ("list-id", "jyj@example.com", {"List_Id": "<notice.list.example.com>"}),
    ("noreply", "noreply@example.com", {}),
    ("own-address", ZWFW, {}),
    ("no-sender", "undisclosed-recipients:;", {}),
]


def marked(canary: str, sender: str, **headers) -> bytes:
    body = f"正文{canary}"
    return mail(f"【涉密】秘密★1年{canary}", body, [(f"{canary}.docx", docx_file([f"内容{canary}"]), DOCX)], sender=sender, **headers)


def process(app, raw: bytes, caplog, hour: int = 9) -> dict:
    caplog.set_level(logging.DEBUG)
    when = dt.datetime(2023, 1, 10, hour, tzinfo=app.campaign.timezone)
    pipeline = app.pipeline()
    pipeline.now = lambda: when
    return pipeline.process(delivery_from_bytes(raw, ZWFW, received_at=when))


def assert_nothing_kept(app, canary: str, caplog, verdict, *, downloads: bool = False) -> None:
    """No byte of the canary in any table or log; with ``downloads``, none in the dashboard's and export workbooks."""
    assert in_database(canary, app.ledger.engine) == []
    assert find_canary(canary, caplog.text, repr(verdict)) == []
    if downloads:  # built from the tables above, and slow (every unit's standing): checked once per ledger
        when = dt.datetime(2023, 1, 11, tzinfo=app.campaign.timezone)
        with app.ledger.session() as s:
            files = [build_ledger_workbook(s, app.campaign, when, None), *export_files(s, app.campaign, when).values()]
        assert find_canary(canary, *files) == []


def test_the_gate_is_the_first_rule():
    # parser-failure is the gate too: a scan that could not finish keeps nothing, before any other rule looks.
    assert [link.name for link in CHAIN[:2]] == ["parser-failure", "classified"]


@pytest.mark.parametrize("case, sender, headers", LOOP_GUARDED, ids=[c[0] for c in LOOP_GUARDED])
def test_a_marked_message_a_loop_guard_would_ignore_is_refused_and_unanswered(app, caplog, case, sender, headers):
    canary = make_canary()
    verdict = process(app, marked(canary, sender, **headers), caplog)
    assert verdict["outcome"] == "refused_classified" and verdict["subject"] is None and verdict["reply"] is None
    assert_nothing_kept(app, canary, caplog, verdict)
    with app.ledger.session() as s:
        message = s.scalars(select(MessageRow)).one()
        kinds = [row.kind for row in s.scalars(select(OutboxRow))]
    assert message.subject is None and message.outcome == "refused_classified" and message.reason == "classified"
    assert kinds == ["alert"]  # the coordinator is told; nobody is answered (no loop, no answer to ourselves)


def test_a_marked_message_reusing_an_earlier_message_id_is_refused_not_taken_for_a_duplicate(app, caplog):
    canary = make_canary()
    first = mail("两优清单", "请查收。", message_id="<same@example.com>")
    assert process(app, first, caplog)["outcome"] != "refused_classified"
    again = mail(f"【涉密】秘密★1年{canary}", f"正文{canary}", message_id="<same@example.com>")
    verdict = process(app, again, caplog, hour=10)
    assert verdict["outcome"] == "refused_classified" and verdict["reply"]["kind"] == "refused_classified"
    assert_nothing_kept(app, canary, caplog, verdict)


def test_the_same_marked_message_twice_is_refused_twice_and_answered_once(app, caplog):
    canary = make_canary()
    raw = marked(canary, "jyj@example.com")
    resent = raw.replace(b"Date:", b"X-Resent: 1\nDate:", 1)  # other bytes, same Message-ID: a second delivery
    verdicts = [process(app, raw, caplog), process(app, resent, caplog, hour=10)]
    assert [v["outcome"] for v in verdicts] == ["refused_classified", "refused_classified"]
    with app.ledger.session() as s:
        replies = [row for row in s.scalars(select(OutboxRow)) if row.kind.startswith("reply:")]
    assert len(replies) == 1
    assert_nothing_kept(app, canary, caplog, verdicts)


def test_all_of_them_in_one_ledger_leave_nothing_in_the_downloads(app, caplog):
    canary = make_canary()
    verdicts = [process(app, marked(canary, sender, **headers), caplog) for _case, sender, headers in LOOP_GUARDED]
    assert {v["outcome"] for v in verdicts} == {"refused_classified"}
    assert_nothing_kept(app, canary, caplog, verdicts, downloads=True)


def test_the_search_finds_the_canary_where_an_unmarked_message_put_it(app, caplog):
    # The checks above can fail: an ordinary subject is kept, in the tables and in the (deflated) ledger workbook.
    canary = make_canary()
    process(app, mail(f"附件3{canary}", "请查收。", [("附件3.docx", docx_file(["内容"]), DOCX)]), caplog)
    assert "messages" in in_database(canary, app.ledger.engine)
    with app.ledger.session() as s:
        workbook = build_ledger_workbook(s, app.campaign, dt.datetime(2023, 1, 11, tzinfo=app.campaign.timezone), None)
    assert workbook.startswith(b"PK") and canary.encode() not in workbook and find_canary(canary, workbook) != []


def test_an_unmarked_auto_reply_is_still_ignored(app, caplog):
    verdict = process(app, mail("自动回复：两优清单", "这是来自QQ邮箱的假期自动回复邮件。", Auto_Submitted="auto-replied"), caplog)
    assert verdict["outcome"] == "ignored" and verdict["reason"] == "auto-reply"


def test_our_own_mail_coming_back_to_an_inbox_passes_the_gate(app, caplog):
    """The gate now reads our own mail first: a CD notice, an alert, a hold notice or a digest whose ledger says
    涉密拒收 must not itself look marked, or every refusal would put our own alert in the review queue."""
    from mailbot.config import load_campaign
    from mailbot.outbox.envelope import build_message
    from mailbot.schedule.digest import digest_row
    from parsers.gate.scan import MarkingTerms
    from parsers.safety.limits import DEFAULT_LIMITS
    from routing.stages.prepare import job_of, prepare
    from tests.support.gate_cases import placed

    process(app, marked(make_canary(), "jyj@example.com"), caplog)
    process(app, placed("body-line-6", "【涉密】", make_canary()), caplog, hour=10)  # held: its notice too
    when = dt.datetime(2023, 1, 10, 16, 30, tzinfo=app.campaign.timezone)
    with app.ledger.transaction() as s:
        s.add(digest_row(s, app.campaign, app.campaign.offices["zwfw"], ZWFW, when, "digest:zwfw:test"))
    with app.ledger.session() as s:
        rows = list(s.scalars(select(OutboxRow)))
        raws = [build_message(row, ZWFW, "盟行政审批和政务服务局").as_bytes() for row in rows]
    assert {row.kind for row in rows} == {"reply:refused_classified", "reply:held_for_review", "alert", "digest"}
    terms = MarkingTerms.from_config(load_campaign().classified)
    for raw in raws:
        delivery = delivery_from_bytes(raw, ZWFW)
        assert prepare(job_of(delivery), app.campaign, terms, DEFAULT_LIMITS).marking is None, delivery.subject

