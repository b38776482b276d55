"""Messages for the 涉密 gate tests: a marking (or a mere mention) placed anywhere the robot reads, each with a canary.

Every builder returns raw message bytes; the canary sits next to the marking, in the same container,
so that a test can prove that nothing of a marked message was kept.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import docx
import openpyxl
from openpyxl.comments import Comment

ZWFW = "xamzfw@126.com"
SENDER = "jyj@example.com"
WHEN = dt.datetime(2023, 1, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLS = "application/vnd.ms-excel"

# Certain markings (GB/T 9704 密级 with ★, a filled 密级 field) and labels; all must be refused or held.
MARKINGS = ["秘密★1年", "机密★启用前", "绝密★长期", "秘密☆6个月", "机密＊2年", "秘　密★1年", "密级：秘密"]
LABELS = ["【涉密】", "（涉密）", "[机密]", "涉密件"]
# Invisible characters a sender (or a copy-paste) may leave inside a marking.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\u202a", "\u202e", "\u2066", "\u180e", "\ufe0f"]
# Ordinary text that merely mentions secrecy: never refused, never held (zero false errors).
MENTIONS = [
    "在保护个人隐私、商业秘密和确保数据安全的前提下推进电子证照应用",
    "做好工作秘密管理，加强保密工作，签订保密协议",
    "涉密人员管理办法",
    "本单位材料非涉密，现报送",
    "经审核不涉密",
    "数据的机密性和完整性",
    "涉密信息系统集成资质审批",
    "如内容涉密，不要发邮箱，请使用光盘报送。",
    "关于保守国家秘密的规定",
    "涉密材料已通过光盘报送，本邮件不涉密",
]


def hide(marking: str, char: str) -> str:
    """The marking with an invisible character between every two of its characters."""
    return char.join(marking)


def mail(subject: str = "两优清单", body: str = "您好，附件请查收。", files=(), *, sender: str = SENDER, to: str = ZWFW,
         html: str | None = None, message_id: str | None = None, **headers) -> bytes:
    """A message; ``html`` adds an HTML alternative (or makes the body HTML-only when ``body`` is None)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"], msg["Message-ID"] = format_datetime(WHEN), message_id or make_msgid(domain="example.com")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    if body is not None:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    else:
        msg.set_content(html, subtype="html")
    for name, data, ctype in files:
        if isinstance(data, EmailMessage):
            msg.add_attachment(data)  # message/rfc822: forwarded as an attachment
        else:
            maintype, subtype = ctype.split("/", 1)
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def forwarded(subject: str, body: str) -> EmailMessage:
    """A message to forward as an attachment."""
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "someone@example.org", SENDER, subject
    inner.set_content(body)
    return inner


def docx_file(paragraphs=(), *, table=None, header=None, comment=None) -> bytes:
    """A docx: paragraphs, then a table of rows; a header; a comment on the first paragraph."""
    document = docx.Document()
    made = [document.add_paragraph(text) for text in paragraphs] or [document.add_paragraph("两优实施方案")]
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(r) for r in table))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if comment is not None:
        document.add_comment(made[0].runs or made[0].add_run("批注"), text=comment, author="审核")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_file(rows=(), *, comment=None, cached=None, sheet="附件2") -> bytes:
    """A workbook: ``rows`` from A1; a comment on A1; a formula in a far cell whose cached value is ``cached``."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    if comment is not None:
        ws["A1"].comment = Comment(comment, "审核")
    if cached is not None:
        ws["H9"] = '="两优"&"清单"'
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    return _cache(data, cached) if cached is not None else data


def _cache(data: bytes, value: str) -> bytes:
    """Give the formula cell the cached string Excel would have stored (openpyxl writes none)."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                text = re.sub(r'<c r="H9"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?', rf'<c r="H9"\1 t="str"><f>\2</f><v>{escaped}</v>', text)
                assert escaped in text
                body = text.encode()
            dst.writestr(item, body)
    return out.getvalue()


def xls_file(rows=(), *, sheet="附件2") -> bytes:
    """A legacy .xls (BIFF8) workbook: ``rows`` from A1."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(*files: tuple[str, bytes]) -> bytes:
    """A zip archive of the files, names in UTF-8."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return out.getvalue()


def sheet_name(text: str) -> str:
    """A legal sheet name for the text: at most 31 characters, []:*?/\\ in their full-width forms (NFKC folds them back)."""
    return text.translate(str.maketrans("[]:*?/\\", "［］：＊？／＼"))[:31]


def lines_before(count: int) -> list[str]:
    """``count`` ordinary non-blank lines."""
    return [f"第{n}段：按照通知要求报送相关材料。" for n in range(1, count + 1)]


# ---------------------------------------------------------------- one message per place

def _plain(canary: str) -> bytes:
    return docx_file([f"内容{canary}"])


# How to put a text (a marking or a mention) into each container the robot reads, next to the canary.
PLACES = {
    "subject": lambda t, c: mail(f"{t}{c}"),
    "body-head": lambda t, c: mail(body="\n".join([t, f"正文{c}"])),
    "body-line-6": lambda t, c: mail(body="\n".join(lines_before(5) + [t, f"正文{c}"])),
    "body-line-40": lambda t, c: mail(body="\n".join(lines_before(39) + [t, f"正文{c}"])),
    "html-only": lambda t, c: mail(body=None, html=f"<p>您好</p><p>{t}</p><p>{c}</p>"),
    "html-alternative": lambda t, c: mail(body=f"您好，附件请查收。{c}", html=f"<div>您好</div><div>{t}</div><div>{c}</div>"),
    "html-entities": lambda t, c: mail(body=None, html=f"<p>您好</p><p>{''.join(f'&#{ord(ch)};' for ch in t)}</p><p>{c}</p>"),
    "forwarded-subject": lambda t, c: mail(files=[("", forwarded(f"{t}{c}", "正文"), "")]),
    "forwarded-body": lambda t, c: mail(files=[("", forwarded(f"转发{c}", f"{t}\n{c}"), "")]),
    "filename": lambda t, c: mail(files=[(f"{t}{c}.docx", _plain(c), DOCX)]),
    "zip-name": lambda t, c: mail(files=[(f"{t}{c}.zip", zipped(("清单.docx", _plain(c))), "application/zip")]),
    "zip-member-name": lambda t, c: mail(files=[("材料.zip", zipped((f"{t}{c}.docx", _plain(c))), "application/zip")]),
    "docx-paragraph-1": lambda t, c: mail(files=[("方案.docx", docx_file([t, f"内容{c}"]), DOCX)]),
    "docx-paragraph-10": lambda t, c: mail(files=[("方案.docx", docx_file(lines_before(9) + [t, f"内容{c}"]), DOCX)]),
    "docx-paragraph-60": lambda t, c: mail(files=[("方案.docx", docx_file(lines_before(59) + [t, f"内容{c}"]), DOCX)]),
    "docx-header": lambda t, c: mail(files=[("方案.docx", docx_file([f"内容{c}"], header=t), DOCX)]),
    "docx-comment": lambda t, c: mail(files=[("方案.docx", docx_file([f"内容{c}"], comment=t), DOCX)]),
    "docx-zipped": lambda t, c: mail(files=[("材料.zip", zipped(("方案.docx", docx_file(lines_before(20) + [t, c]))), "application/zip")]),
    "xlsx-row-1": lambda t, c: mail(files=[("附件2.xlsx", xlsx_file([[t], ["附件2"], [c]]), XLSX)]),
    "xlsx-row-4": lambda t, c: mail(files=[("附件2.xlsx", xlsx_file([["附件2"], ["清单"], ["盖章"], [t], [c]]), XLSX)]),
    "xlsx-row-30": lambda t, c: mail(files=[("附件2.xlsx", xlsx_file([["附件2"]] + [[n, "事项"] for n in range(28)] + [[t, c]]), XLSX)]),
    "xlsx-comment": lambda t, c: mail(files=[("附件2.xlsx", xlsx_file([["附件2"], [c]], comment=t), XLSX)]),
    "xlsx-cached-value": lambda t, c: mail(files=[("附件2.xlsx", xlsx_file([["附件2"], [c]], cached=t), XLSX)]),
    "xlsx-sheet-name": lambda t, c: mail(files=[("附件2.xlsx", xlsx_file([["附件2"], [c]], sheet=sheet_name(t)), XLSX)]),
    "xlsx-zipped": lambda t, c: mail(files=[("材料.zip", zipped(("附件2.xlsx", xlsx_file([["附件2"], [t], [c]]))), "application/zip")]),
    "xls-row-1": lambda t, c: mail(files=[("附件2.xls", xls_file([[t], ["附件2"], [c]]), XLS)]),
    "xls-row-4": lambda t, c: mail(files=[("附件2.xls", xls_file([["附件2"], ["清单"], ["盖章"], [t], [c]]), XLS)]),
    "xls-zipped": lambda t, c: mail(files=[("材料.zip", zipped(("附件2.xls", xls_file([[t], [c]]))), "application/zip")]),
}


def placed(where: str, text: str, canary: str) -> bytes:
    """A message carrying ``text`` in the container ``where`` (a key of PLACES), next to the canary."""
    return PLACES[where](text, canary)


# Where a label (as opposed to a ★ marking) is a marking by position; elsewhere it is held for a person.
HEAD_PLACES = {"subject", "body-head", "filename", "zip-name", "zip-member-name", "docx-paragraph-1", "docx-header",
               "xlsx-row-1", "xlsx-sheet-name", "xls-row-1", "forwarded-subject"}
