"""The 涉密 gate reads what the readers read, from the raw bytes on, as the parse child runs it (routing.stages.prepare).

One test per place the issue found unread, then the pipeline: each of them refused or held with nothing
of the message kept in any table, log or download, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import unicodedata

import pytest
from sqlalchemy import select

from mailbot.config import load_campaign
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import MessageRow, OutboxRow
from parsers.gate.scan import MarkingTerms, scan_subject
from parsers.safety.limits import DEFAULT_LIMITS
from routing.stages.prepare import job_of, prepare
from tests.support import gate_cases as g
from tests.support.canary import find_canary, in_database, make_canary

CAMPAIGN = load_campaign()
TERMS = MarkingTerms.from_config(CAMPAIGN.classified)
# (case, text, place in tests.support.gate_cases.PLACES, refused for certain)
SEEN = [
    ("xls-a1", "秘密★1年", "xls-row-1", True),
    ("forwarded-subject", "【涉密】", "forwarded-subject", True),
    ("html-alternative-only", "秘密★1年", "html-alternative", True),
    ("zero-width-space", g.hide("秘密★", "\u200b") + "1年", "body-line-6", True),
    ("left-to-right-mark", g.hide("秘密★", "\u200e") + "1年", "docx-paragraph-10", True),
    ("byte-order-mark", g.hide("秘密★", "\ufeff") + "1年", "xlsx-row-4", True),
    ("label-body-line-6", "【涉密】", "body-line-6", False),
    ("label-docx-paragraph-10", "【涉密】", "docx-paragraph-10", False),
    ("label-sheet-row-4", "【涉密】", "xlsx-row-4", False),
    ("cell-comment", "秘密★1年", "xlsx-comment", True),
    ("formula-cached-value", "秘密★1年", "xlsx-cached-value", True),
]


def gate(raw: bytes):
    """The gate's verdict on raw message bytes, exactly as the parse child computes it."""
    delivery = delivery_from_bytes(raw, g.ZWFW, received_at=g.WHEN)
    return prepare(job_of(delivery), CAMPAIGN, TERMS, DEFAULT_LIMITS)


@pytest.mark.parametrize("case, text, where, certain", SEEN, ids=[s[0] for s in SEEN])
def test_the_gate_sees_it(case, text, where, certain):
    prepared = gate(g.placed(where, text, make_canary()))
    assert prepared.marking is not None and prepared.marking.certain is certain
    assert prepared.files is None  # the parsers never read a marked message


def test_the_xls_reader_and_the_gate_agree_with_the_xlsx_ones():
    for where in ("xls-row-1", "xlsx-row-1"):
        assert gate(g.placed(where, "秘密★1年", make_canary())).marking.certain


def test_every_invisible_format_character_is_removed_before_matching():
    # Every code point Unicode calls a format character (Cf), and the other default-ignorables we drop.
    invisible = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    invisible += ["\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\ufe00", "\ufe0f", "\u180b", "\U000e0100"]
    missed = [f"U+{ord(ch):04X}" for ch in invisible if not scan_subject(g.hide("秘密★", ch) + "1年", TERMS)]
    assert missed == []


def test_a_marking_only_in_the_html_version_with_character_references():
    assert gate(g.placed("html-entities", "秘密★1年", make_canary())).marking.certain


def test_a_marking_in_a_zip_in_a_zip_name_reaches_the_gate_through_the_decoders_problem():
    inner = g.zipped(("清单.docx", g.docx_file(["内容"])))
    raw = g.mail(files=[("材料.zip", g.zipped(("【涉密】材料.zip", inner)), "application/zip")])
    assert gate(raw).marking.certain


def test_the_document_python_docx_reads_is_the_one_scanned():
    import io
    import zipfile

    from tests.parsers.test_marking import with_parts

    decoy = g.docx_file(["两优实施方案"])
    with zipfile.ZipFile(io.BytesIO(g.docx_file(["【涉密】", "正文"]))) as marked:
        real = marked.read("word/document.xml")
    with zipfile.ZipFile(io.BytesIO(decoy)) as z:
        rels = z.read("_rels/.rels").replace(b'Target="word/document.xml"', b'Target="word/main.xml"')
        types = z.read("[Content_Types].xml").replace(b'PartName="/word/document.xml"', b'PartName="/word/main.xml"')
        own_rels = z.read("word/_rels/document.xml.rels")
    data = with_parts(decoy, {"word/main.xml": real, "_rels/.rels": rels, "[Content_Types].xml": types,
                              "word/_rels/main.xml.rels": own_rels})
    import docx

    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "【涉密】"  # python-docx reads word/main.xml
    assert gate(g.mail(files=[("方案.docx", data, g.DOCX)])).marking.certain


def test_the_extent_is_configurable_and_past_it_a_label_is_held_not_passed():
    raw = g.placed("body-line-6", "【涉密】", make_canary())
    wider = MarkingTerms.from_config({**CAMPAIGN.classified, "body_head_lines": 6})
    delivery = delivery_from_bytes(raw, g.ZWFW, received_at=g.WHEN)
    assert prepare(job_of(delivery), CAMPAIGN, wider, DEFAULT_LIMITS).marking.certain
    assert prepare(job_of(delivery), CAMPAIGN, TERMS, DEFAULT_LIMITS).marking.certain is False


def test_a_body_longer_than_the_gate_reads_is_held():
    body = "您好：\n" + "正文内容。\n" * 300 + "秘密★1年\n"
    terms = MarkingTerms.from_config({**CAMPAIGN.classified, "max_text_chars": 1000})
    delivery = delivery_from_bytes(g.mail(body=body), g.ZWFW, received_at=g.WHEN)
    hit = prepare(job_of(delivery), CAMPAIGN, terms, DEFAULT_LIMITS).marking
    assert (hit.rule, hit.certain) == ("unclear-beyond-extent", False)
    assert prepare(job_of(delivery), CAMPAIGN, TERMS, DEFAULT_LIMITS).marking.certain


def test_a_part_longer_than_the_gate_reads_is_held_when_the_parsers_would_read_it():
    rows = [["附件2"]] + [[n, "事项名称" * 20] for n in range(2000)] + [["秘密★1年"]]
    raw = g.mail(files=[("附件2.xlsx", g.xlsx_file(rows), g.XLSX)])
    delivery = delivery_from_bytes(raw, g.ZWFW, received_at=g.WHEN)
    small = MarkingTerms.from_config({**CAMPAIGN.classified, "max_part_bytes": 50_000})
    hit = prepare(job_of(delivery), CAMPAIGN, small, DEFAULT_LIMITS).marking
    assert (hit.rule, hit.certain) == ("unclear-beyond-extent", False)
    assert prepare(job_of(delivery), CAMPAIGN, TERMS, DEFAULT_LIMITS).marking.certain


def test_parts_that_together_inflate_past_the_gates_budget_are_held_when_the_parsers_would_read_them():
    import random

    from tests.parsers.test_marking import with_parts

    rng = random.Random(1)
    filler = "".join(rng.choice("0123456789abcdef") for _ in range(400_000))  # compresses ~2:1, so the guard lets it be
    parts = {f"word/header{n}.xml": f'<w:hdr xmlns:w="w"><w:p><w:r><w:t>{filler}</w:t></w:r></w:p></w:hdr>'.encode() for n in range(1, 5)}
    parts["word/header5.xml"] = '<w:hdr xmlns:w="w"><w:p><w:r><w:t>秘密★1年</w:t></w:r></w:p></w:hdr>'.encode()
    raw = g.mail(files=[("方案.docx", with_parts(g.docx_file(["两优实施方案"]), parts), g.DOCX)])
    delivery = delivery_from_bytes(raw, g.ZWFW, received_at=g.WHEN)
    small = MarkingTerms.from_config({**CAMPAIGN.classified, "max_inflate_bytes": 1_000_000})
    hit = prepare(job_of(delivery), CAMPAIGN, small, DEFAULT_LIMITS).marking
    assert (hit.rule, hit.certain) == ("unclear-beyond-extent", False)
    assert prepare(job_of(delivery), CAMPAIGN, TERMS, DEFAULT_LIMITS).marking.certain


# ---------------------------------------------------------------- through the pipeline: nothing kept

def process(app, raw: bytes, caplog) -> dict:
    caplog.set_level(logging.DEBUG)
    when = dt.datetime(2023, 1, 10, 9, tzinfo=app.campaign.timezone)
    pipeline = app.pipeline()
    pipeline.now = lambda: when
    return pipeline.process(delivery_from_bytes(raw, g.ZWFW, received_at=when))


@pytest.mark.parametrize("case, text, where, certain", SEEN, ids=[s[0] for s in SEEN])
def test_nothing_of_it_is_kept(app, caplog, tmp_path, case, text, where, certain):
    canary = make_canary()
    verdict = process(app, g.placed(where, text, canary), caplog)
    assert verdict["outcome"] == ("refused_classified" if certain else "held_for_review")
    with app.ledger.session() as s:
        message = s.scalars(select(MessageRow)).one()
        reply = s.scalars(select(OutboxRow).where(OutboxRow.kind.like("reply:%"))).one()
    assert message.subject is None and message.verdict is None and reply.headers == {}
    assert in_database(canary, app.ledger.engine) == []  # the downloads are built from these tables (test_gate_first)
    assert find_canary(canary, caplog.text, repr(verdict), tmp_path) == []
