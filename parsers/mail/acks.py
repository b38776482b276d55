"""A bare acknowledgement (收到, 好的, 谢谢), perhaps signed: a reply that asks nothing and needs no answer."""

from __future__ import annotations

import re

_ACK_WORDS = re.compile(r"已收到|收到了|收到|收悉|已阅|知悉|知道了|明白|好的|谢谢|感谢|多谢|辛苦了|辛苦|ok|嗯|您好|你好|好|"
                        r"[\s　。！!，,、~～.…]", re.I)
# What mobile clients and signatures add below the words themselves.
_CLIENT_FOOTER = re.compile(r"^(?:发自我的|来自|Sent from|Get Outlook|从我的).{0,40}$", re.I)
_ASKING = re.compile(r"[?？]|请|问|吗|能否|是否|如何|怎么|为什么|附件|材料|报送|修改|表")
MAX_LENGTH = 160
SIGNATURE_LINE = 40


def is_acknowledgement(text: str) -> bool:
    """Whether ``text`` (the sender's own words) is only a thank-you or "received", with at most a short signature."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not _CLIENT_FOOTER.match(line.strip())]
    if not lines or len("".join(lines)) > MAX_LENGTH:
        return not lines
    if _ACK_WORDS.sub("", lines[0]):
        return False
    # Below the words, only a signature: short lines (a name, a unit, a phone, a date) that ask for nothing.
    return all(len(line) <= SIGNATURE_LINE and not _ASKING.search(line) for line in lines[1:])
