"""Mail body helpers: text from HTML-only bodies, and the "超大附件" download links (found, never fetched)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
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
BIG_MARKERS = ("超大附件", "网盘附件", "大附件", "文件中转站")


class TextExtractor(HTMLParser):
    """Collects the visible text of an HTML body, one line per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        """Open a line on block tags; hide scripts and styles."""
        if tag in ("script", "style", "head", "title"):
            self.hidden += 1
        elif tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        """Close hidden regions and blocks."""
        if tag in ("script", "style", "head", "title"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCK_TAGS:
            self.chunks.append("\n")

    def handle_data(self, data):
        """Keep visible text."""
        if not self.hidden:
            self.chunks.append(data)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML body: blocks on their own lines, blank runs collapsed."""
    parser = TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.chunks).splitlines()]
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
