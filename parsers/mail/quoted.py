"""The sender's own words: a mail body without the earlier mail that QQ, Coremail, Foxmail and Outlook quote below it.

Only the readers of returns use this (contact details, acknowledgements, big-attachment wording); the
涉密 gate reads the whole message.
"""

from __future__ import annotations

import functools
import re

from parsers.mail.body import html_to_text

# A line that opens the quoted original on its own: the separators of QQ, Outlook, Coremail (126/163),
# 网易邮箱大师, Android and Gmail, and the "在…写道：" / "On … wrote:" attribution lines.
_SEPARATOR = re.compile(
    r"^(?:[-—_=*]{2,}\s*(?:原始邮件|原邮件|邮件原件|回复的原邮件|转发邮件(?:信息)?|转发的邮件|Original(?: Message)?|Replied Message|"
    r"Forwarded message|邮件原文)\s*[-—_=*]{2,}$"
    r"|^-{2,}\s*Original Message\s*-{2,}"
    r"|^_{10,}$"
    r"|^在\s*.{4,160}写道\s*[:：]?$"
    r"|^On\s.{6,200}\swrote:?$"
    r"|^.{0,80}\d{1,2}:\d{2}.{0,80}写道\s*[:：]$)",
    re.I,
)
# A header block of the quoted original: 发件人/From, then a 发送时间/时间/日期/Sent/Date line close below.
_BLOCK_FROM = re.compile(r"^[|\s*>]*(?:发件人|发信人|From)\s*[|:：]", re.I)
_BLOCK_WHEN = re.compile(r"^[|\s*>]*(?:发送时间|发送日期|时间|日期|Sent|Date)\s*[|:：]", re.I)
BLOCK_REACH = 3
# Containers in which clients put the quoted original of an HTML reply.
_QUOTE_IDS = ("isreplycontent", "isforwardcontent", "reference", "original-content")
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "qmquote", "replycontent")
# Outlook on the web marks where the original starts and writes it after the mark, not inside it.
_QUOTE_MARKS = ("divrplyfwdmsg", "appendonsend")
SEPARATOR = "-----Original Message-----"


def own_text(body: str) -> str:
    """``body`` up to the first quoted original, without '>' lines; blank runs kept as they were."""
    lines = body.splitlines()
    kept: list[str] = []
    for number, line in enumerate(lines):
        stripped = line.strip().replace("\u00a0", " ")
        if quote_starts(stripped, lines[number + 1: number + 1 + BLOCK_REACH]):
            break
        if not stripped.startswith((">", "＞")):
            kept.append(line)
    return "\n".join(kept).strip()


def quote_starts(line: str, below: list[str]) -> bool:
    """Whether ``line`` opens the quoted original (a separator, or a 发件人/From line with a date line below)."""
    if _SEPARATOR.match(line):
        return True
    return bool(_BLOCK_FROM.match(line)) and any(_BLOCK_WHEN.match(b.strip()) for b in below)


def html_own_text(markup: str) -> str:
    """The own text of an HTML body: quote containers (<blockquote>, QQ's <includetail> …) dropped, then cut."""
    return own_text(html_to_text(without_quote_elements(markup)))


def without_quote_elements(markup: str) -> str:
    """``markup`` with the elements clients wrap quoted mail in removed (their tails kept)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=_html_parser())
    except (etree.ParserError, ValueError):
        return markup
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    for element in elements:
        if (element.get("id") or "").lower() in _QUOTE_MARKS:
            element.clear()
            element.tag, element.text = "div", SEPARATOR  # own_text cuts here, and so drops what follows
        elif _is_quote(element) and element.getparent() is not None:
            element.drop_tree()
    return etree.tostring(root, encoding="unicode", method="html")


def _is_quote(element) -> bool:
    if element.tag.lower() in ("blockquote", "includetail"):
        return True
    ident = (element.get("id") or "").lower()
    classes = (element.get("class") or "").lower()
    return ident in _QUOTE_IDS or any(name in classes for name in _QUOTE_CLASSES)


def own_body(plain: str, markup: str) -> str:
    """The own text of a message with a plain and/or an HTML body: the shorter cut, since both hold the same words."""
    text = own_text(plain) if plain.strip() else ""
    if not markup.strip():
        return text
    from_html = html_own_text(markup)
    if not text or (from_html and len(_squeeze(from_html)) < len(_squeeze(text))):
        return from_html
    return text


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@functools.cache
def _html_parser():
    # lxml is imported with the first HTML body, not at start: an idle worker has no use for it.
    from lxml import html as lxml_html

    return lxml_html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
