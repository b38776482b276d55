"""Raw messages as QQ Mail, 126 (Coremail), Foxmail and Outlook write them: charsets, filenames, and how each quotes.

Each client's reply puts the earlier mail below the sender's words in its own way, in the plain text and in
the HTML alternative; attachments carry file names encoded as that client encodes them.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
from dataclasses import dataclass
from email.utils import format_datetime

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
CLIENTS = ("qq", "126", "foxmail", "outlook")


@dataclass(frozen=True)
class Quoted:
    """The earlier mail a reply quotes: who sent it, when, its subject and text."""

    sender: str
    sender_name: str
    when: dt.datetime
    subject: str
    text: str


@dataclass(frozen=True)
class Client:
    """How one client writes: its X-Mailer, body charset, filename encoding and quote style."""

    name: str
    mailer: str
    charset: str
    filename_charset: str


STYLES = {
    "qq": Client("qq", "QQMail 2.x", "gb18030", "gb18030"),
    "126": Client("126", "Coremail Webmail Server Version XT5.0.14 build 20220826(0e4d1d4e)", "GBK", "GBK"),
    "foxmail": Client("foxmail", "Foxmail 7.2.25.228[cn]", "gb2312", "gb2312"),
    "outlook": Client("outlook", "Microsoft Outlook 16.0", "gb2312", "gb2312"),
}


def message(client: str, sender: str, to: str, subject: str, when: dt.datetime, text: str, *,
            quote: Quoted | None = None, files=(), message_id: str | None = None, name: str = "", html: str | None = None) -> bytes:
    """The raw bytes of one message written with ``client``, replying to ``quote`` when given.

    ``html`` replaces the HTML alternative the client would make of ``text`` (a table pasted from Excel).
    """
    style = STYLES[client]
    plain, markup = text, html if html is not None else _html(text)
    if quote is not None:
        plain, markup = plain + QUOTE_TEXT[client](quote), markup + QUOTE_HTML[client](quote)
    boundary_alt, boundary_mix = f"----=_Alt_{client}_001", f"----=_Mix_{client}_001"
    head = [
        f"From: {_word(name, style.charset) + ' ' if name else ''}<{sender}>",
        f"To: {to}",
        f"Subject: {_word(subject, style.charset)}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: {message_id or _message_id(client, sender, subject, when, text)}",
        f"X-Mailer: {style.mailer}",
        "MIME-Version: 1.0",
    ]
    alternative = _alternative(boundary_alt, plain, markup, style.charset)
    if not files:
        return _crlf(head + [f'Content-Type: multipart/alternative; boundary="{boundary_alt}"', ""] + alternative)
    parts = [f"--{boundary_mix}", f'Content-Type: multipart/alternative; boundary="{boundary_alt}"', "", *alternative]
    for filename, data, ctype in files:
        parts += [f"--{boundary_mix}", *_attachment_headers(style, filename, ctype), "", *_b64(data)]
    parts.append(f"--{boundary_mix}--")
    return _crlf(head + [f'Content-Type: multipart/mixed; boundary="{boundary_mix}"', ""] + parts)


def _message_id(client: str, sender: str, subject: str, when: dt.datetime, text: str) -> str:
    digest = hashlib.sha1(f"{client}{sender}{subject}{when}{text}".encode()).hexdigest()[:16]
    return f"<{client}.{digest}@{sender.split('@')[1]}>"


def _alternative(boundary: str, plain: str, markup: str, charset: str) -> list[str]:
    lines = []
    for kind, body in (("plain", plain), ("html", markup)):
        lines += [f"--{boundary}", f'Content-Type: text/{kind}; charset="{charset}"', "Content-Transfer-Encoding: base64", "",
                  *_b64(body.encode(_codec(charset)))]
    return lines + [f"--{boundary}--"]


def _attachment_headers(style: Client, filename: str, ctype: str) -> list[str]:
    word = _word(filename, style.filename_charset)
    if style.name == "126":  # Coremail: RFC 2231 in the disposition, an encoded word in the type
        encoded = "".join(f"%{b:02X}" for b in filename.encode(_codec(style.filename_charset)))
        return [f'Content-Type: {ctype}; name="{word}"', "Content-Transfer-Encoding: base64",
                f"Content-Disposition: attachment; filename*={style.filename_charset}''{encoded}"]
    return [f'Content-Type: {ctype}; name="{word}"', "Content-Transfer-Encoding: base64",
            f'Content-Disposition: attachment; filename="{word}"']


def _codec(charset: str) -> str:
    return "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset


def _word(text: str, charset: str) -> str:
    if text.isascii():
        return text
    return f"=?{charset}?B?{base64.b64encode(text.encode(_codec(charset))).decode()}?="


def _b64(data: bytes) -> list[str]:
    encoded = base64.b64encode(data).decode()
    return [encoded[i:i + 76] for i in range(0, len(encoded), 76)] or [""]


def _crlf(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _html(text: str) -> str:
    return "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in text.split("\n"))


def _cn_time(when: dt.datetime) -> str:
    week = "一二三四五六日"[when.weekday()]
    noon = "上午" if when.hour < 12 else "下午"
    return f"{when.year}年{when.month}月{when.day}日(星期{week}) {noon}{when.hour % 12 or 12}:{when.minute:02d}"


def _qq_text(q: Quoted) -> str:
    return (f"\n\n\n------------------ 原始邮件 ------------------\n发件人: \"{q.sender_name}\"<{q.sender}>;\n"
            f"发送时间: {_cn_time(q.when)}\n收件人: \"dept\"<dept@example.com>;\n主题: {q.subject}\n\n\n{q.text}\n")


def _qq_html(q: Quoted) -> str:
    return ('<div><br></div><div><br></div><includetail><div style="font:Verdana normal 14px;color:#000;">'
            '<div style="FONT-SIZE: 12px;FONT-FAMILY: Arial Narrow;padding:2px 0 2px 0;">------------------&nbsp;原始邮件&nbsp;------------------</div>'
            f'<div style="FONT-SIZE: 12px;background:#efefef;padding:8px;"><div><b>发件人:</b>&nbsp;"{html.escape(q.sender_name)}"&lt;{q.sender}&gt;;</div>'
            f'<div><b>发送时间:</b>&nbsp;{_cn_time(q.when)}</div><div><b>主题:</b>&nbsp;{html.escape(q.subject)}</div></div><div><br></div>'
            f'{_html(q.text)}</div></includetail>')


def _coremail_text(q: Quoted) -> str:
    quoted = "\n".join(f">{line}" for line in q.text.split("\n"))
    return f"\n\n\n\n\n在 {q.when:%Y-%m-%d %H:%M:%S}，\"{q.sender_name}\" <{q.sender}> 写道：\n{quoted}\n"


def _coremail_html(q: Quoted) -> str:
    return (f'<br><br><br><div style="position:relative;zoom:1"></div><div id="divNeteaseMailCard"></div><br>'
            f'在 {q.when:%Y-%m-%d %H:%M:%S}，"{html.escape(q.sender_name)}"&nbsp;&lt;{q.sender}&gt; 写道：<br> '
            f'<blockquote id="isReplyContent" style="PADDING-LEFT: 1ex; MARGIN: 0px 0px 0px 0.8ex; BORDER-LEFT: #ccc 1px solid">'
            f'{_html(q.text)}</blockquote>')


def _foxmail_text(q: Quoted) -> str:
    return (f"\n\n\n\ndept@example.com\n \n发件人： {q.sender_name}\n发送时间： {q.when:%Y-%m-%d %H:%M}\n"
            f"收件人： dept@example.com\n主题： {q.subject}\n{q.text}\n")


def _foxmail_html(q: Quoted) -> str:
    return ('<div><br></div><hr style="width: 210px; height: 1px;" color="#b5c4df" size="1" align="left">'
            '<div><span><div style="MARGIN: 10px; FONT-FAMILY: verdana; FONT-SIZE: 10pt"><div>dept@example.com</div></div></span></div>'
            '<blockquote style="margin-Top: 0px; margin-Bottom: 0px; margin-Left: 0.5em; margin-Right: inherit"><div>&nbsp;</div>'
            '<div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            f'<div style="PADDING-RIGHT: 8px; PADDING-LEFT: 8px; FONT-SIZE: 12px;FONT-FAMILY:tahoma;COLOR:#000000; BACKGROUND: #efefef; PADDING-BOTTOM: 8px; PADDING-TOP: 8px">'
            f'<div><b>发件人：</b>&nbsp;<a href="mailto:{q.sender}">{html.escape(q.sender_name)}</a></div>'
            f'<div><b>发送时间：</b>&nbsp;{q.when:%Y-%m-%d %H:%M}</div><div><b>主题：</b>&nbsp;{html.escape(q.subject)}</div></div></div>'
            f'<div>{_html(q.text)}</div></blockquote>')


def _outlook_text(q: Quoted) -> str:
    return (f"\n\n-----邮件原件-----\n发件人: {q.sender_name} <{q.sender}>\n发送时间: {q.when:%Y年%m月%d日 %H:%M}\n"
            f"收件人: dept@example.com\n主题: {q.subject}\n\n{q.text}\n") if q.when.minute % 2 else (
            f"\n\n-----Original Message-----\nFrom: {q.sender_name} <{q.sender}>\nSent: {q.when:%A, %B %d, %Y %I:%M %p}\n"
            f"To: dept@example.com\nSubject: {q.subject}\n\n{q.text}\n")


def _outlook_html(q: Quoted) -> str:
    return ('<p class="MsoNormal"><o:p>&nbsp;</o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            f'<p class="MsoNormal"><b>发件人:</b> {html.escape(q.sender_name)} &lt;{q.sender}&gt; <br><b>发送时间:</b> {q.when:%Y年%m月%d日 %H:%M}<br>'
            f'<b>收件人:</b> dept@example.com<br><b>主题:</b> {html.escape(q.subject)}<o:p></o:p></p></div></div>'
            f'<p class="MsoNormal"><o:p>&nbsp;</o:p></p>{_html(q.text)}')


QUOTE_TEXT = {"qq": _qq_text, "126": _coremail_text, "foxmail": _foxmail_text, "outlook": _outlook_text}
QUOTE_HTML = {"qq": _qq_html, "126": _coremail_html, "foxmail": _foxmail_html, "outlook": _outlook_html}


def reminder_text(unit: str) -> str:
    """What our own reminder says (templates/replies/reminder.txt), as a department's reply quotes it."""
    return (f"{unit}：\n\n您好！根据《关于开展“优化职能职责优化工作流程”专项行动服务大局提质提效的通知》（兴党办发电〔2022〕18号）要求，"
            "在2023年1月4日前报送“两优”专项行动实施方案和联络人、职务、电话。经核对，截至2023年1月3日9时，盟行政审批和政务服务局尚未收到贵单位以下材料的合格版本：\n\n"
            "1. 实施方案《“两优”专项行动实施方案》：未报送\n2. 联络人《联络人、职务、电话》：未报送\n\n"
            "请于2023年1月4日前将上述材料以电子版发送至 xamzfw@126.com（请勿发往其他邮箱）。如已报送，请忽略本提醒。\n\n"
            "如内容涉密，不要发邮箱，请使用光盘报送。\n联系人：盟行政审批和政务服务局齐丹丹同志，电话：0482-8288095。\n\n"
            "感谢贵单位的支持配合！\n\n盟行政审批和政务服务局\n2023年1月3日\n（本邮件由“两优”报送系统根据台账自动发送。）")
