"""Mail body helpers: text from HTML-only bodies, and the "超大附件" download links (found, never fetched)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}
# QQ 超大附件 / 文件中转站 and NetEase 大附件 / 网盘附件 download pages.
BIG_LINK = re.compile(
    r"https?://(?:[\w.-]*\.)?(?:"
    r"mail\.qq\.com/cgi-bin/ftnExs_download|wx\.mail\.qq\.com/ftn/download|mail\.qq\.com/cgi-bin/ftnDownload"
    r"|(?:mail|dashi)\.(?:163|126|yeah)\.com/(?:large-attachment-download|ftn|netfolder)"
    r"|(?:163|126)\.com/[^\s\"'<>]*bigattach"
    r")[^\s\"'<>]*",
    re.I,
)
BIG_ANCHOR = re.compile(r"<a\b[^>]*class=[\"'][^\"']*bigattach[^\"']*[\"'][^>]*href=[\"']([^\"']+)", re.I)
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
    links: list[str] = []
    for body in bodies:
        found = BIG_ANCHOR.findall(body) + BIG_LINK.findall(body)
        for link in (html.unescape(item) for item in found):
            if link not in links:
                links.append(link)
    return links


def mentions_big_attachment(text: str) -> bool:
    """Whether a body says it carries a big attachment (even if the link did not survive)."""
    return any(marker in text for marker in BIG_MARKERS)
