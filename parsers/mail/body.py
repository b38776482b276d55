"""Mail body helpers: text from HTML-only bodies, and the "超大附件" download links (found, never fetched)."""

from __future__ import annotations

import functools
import html
import re

BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
HIDDEN_TAGS = {"script", "style", "head", "title"}
# No network, no comments or processing instructions: only the visible text is wanted.
# QQ 超大附件 / 文件中转站 and NetEase 大附件 / 网盘附件 download pages: where such a link starts.
BIG_LINK_START = re.compile(
    r"https?://(?:[\w.-]*\.)?(?:"
    r"mail\.qq\.com/cgi-bin/ftnExs_download|wx\.mail\.qq\.com/ftn/download|mail\.qq\.com/cgi-bin/ftnDownload"
    r"|(?:mail|dashi)\.(?:163|126|yeah)\.com/(?:large-attachment-download|ftn|netfolder)"
    r")",
    re.I,
)
# Any other 163.com/126.com address counts when "bigattach" follows in the same link; the shortest host
# is tried first, so the mark may sit anywhere after it.
NETEASE_START = re.compile(r"https?://(?:[\w.-]*?\.)??(?:163|126)\.com/", re.I)
# Runs of characters a link may hold, and <a …> tags up to the next '<': each scan is one pass over the
# body, so a hostile body cannot make it quadratic (a single pattern spanning both took 10 s for 120 KB).
_RUN = re.compile(r"[^\s\"'<>]+")
_HTTP = re.compile(r"https?://", re.I)
_ANCHOR = re.compile(r"<a\b([^<>]*)", re.I)
_ANCHOR_ATTR = re.compile(r"(?<![\w:-])([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))")
BIG_MARKERS = ("超大附件", "大附件", "云附件", "网盘", "云盘", "文件中转站")


def html_to_text(markup: str) -> str:
    """Readable text of an HTML body: blocks on their own lines, scripts and styles left out, blank runs collapsed.

    libxml2's HTML parser (through lxml) reads damaged markup in linear time; the standard library's
    HTMLParser of this Python took 53 s for 60 KB of "<a <a <a …", in the worker's own process.
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=_html_parser())
    except (etree.ParserError, ValueError):  # nothing but whitespace, or nothing libxml2 can make a document of
        return ""
    chunks: list[str] = []
    hidden = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):  # iterative: nesting depth costs no stack
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HIDDEN_TAGS:
            hidden += 1 if event == "start" else -1
        elif tag in BLOCK_TAGS:
            chunks.append("\n")
        text = element.text if event == "start" else element.tail
        if text and not hidden and (tag or event == "end"):
            chunks.append(text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(chunks).splitlines()]
    return "\n".join(line for line in lines if line)


def find_big_attachment_links(*bodies: str) -> list[str]:
    """Download links of QQ/NetEase big attachments in the bodies (plain or HTML), in order, once each."""
    links: dict[str, None] = {}  # ordered, and a membership test that does not grow with the links
    for body in bodies:
        for item in [*_anchor_links(body), *_big_links(body)]:
            links.setdefault(html.unescape(item))
    return list(links)


def _anchor_links(body: str):
    """href of each <a> whose class names a big attachment (NetEase marks them so)."""
    for tag in _ANCHOR.finditer(body):
        attrs = {name.lower(): a or b or c for name, a, b, c in _ANCHOR_ATTR.findall(tag.group(1))}
        if "bigattach" in attrs.get("class", "").lower() and attrs.get("href"):
            yield attrs["href"]


def _big_links(body: str):
    """Each run of link characters holding a big-attachment link, from where the link starts to the run's end."""
    for run in _RUN.finditer(body):
        text = run.group(0)
        last_mark = text.lower().rfind("bigattach")
        for http in _HTTP.finditer(text):
            netease = NETEASE_START.match(text, http.start())
            if BIG_LINK_START.match(text, http.start()) or (netease and last_mark >= netease.end()):
                yield text[http.start():]
                break


def mentions_big_attachment(text: str) -> bool:
    """Whether a body says it carries a big attachment (even if the link did not survive)."""
    return any(marker in text for marker in BIG_MARKERS)


@functools.cache
def _html_parser():
    # lxml is imported with the first HTML body, not at start: an idle worker has no use for it.
    from lxml import html as lxml_html

    return lxml_html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
