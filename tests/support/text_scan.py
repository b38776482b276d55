"""What a person must never read in a mail we write: codes, English, doubled punctuation, two greetings."""

from __future__ import annotations

import re

# What the sender or a server wrote, quoted back to a person as it is: addresses, links, file and sheet names, cell refs.
_QUOTED = [
    re.compile(r"键 [\w.\[\]-]+"),  # the key of a configuration file an operator must correct, as written there
    re.compile(r"mailbot(?: (?:--[a-z][a-z-]*(?: (?!--)\S+)?|[a-z][a-z-]*))+"),  # a command the operator is told to run, with its options
    re.compile(r"(?<![\w-])--[a-z][a-z-]*"),  # an option of that command (请加 --keep 目录 重新运行)
    re.compile(r"“[^“”\n]*”"),  # a value quoted from the return (填写为“abc”), a sheet named “Sheet1”
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"https?://\S+"),
    re.compile(r"(?<![\w/])/[\w.+-]+(?:/[\w.+-]+)+"),  # a file's path on the server, for the operator who fixes it
    re.compile(r"(?<![A-Za-z0-9])[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?![A-Za-z0-9])", re.I),  # server names (imap.qq.com:993)
    re.compile(r"[^\s，。：；、“”《》]+\.(?:xlsx|xlsm|xls|docx|doc|wps|et|pdf|zip|rar|7z|txt|csv|jpg|jpeg|png|gif|eml|bin|ofd|htm|html)(?![A-Za-z0-9])", re.I),
    re.compile(r"\.(?:xlsx|docx|xls|doc|et|wps)(?![A-Za-z0-9])"),  # 另存为 .xlsx
    re.compile(r"工作表：[^，。）\n]+"),
    re.compile(r"键 [\w.\[\]-]+"),  # the key of a configuration file an operator must correct, as written there  # the sheet's own name, as the department sees it on its tab
    re.compile(r"(?<![A-Za-z])[A-Z]{1,3}\d{1,7}(?![A-Za-z\d])"),  # cell references (B3, AA12), paper sizes (A3)
]
# Words a Chinese office uses as they are (mail-client settings, units, brands).
ALLOWED = {"IMAP", "SMTP", "POP3", "SSL", "TLS", "STARTTLS", "SPF", "DKIM", "DMARC", "MB", "KB", "GB", "QQ", "WPS", "Excel", "Word", "Office", "ID", "PDF", "OFD", "RTF", "TOML"}
_CODE = re.compile(r"(?<![A-Za-z0-9])[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+(?![A-Za-z0-9])")  # rule ids and snake_case keys
_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
_DOUBLED = re.compile(r"““|””|。。|：：|！！|，，|、、|；；|？？")
_TWO_GREETINGS = re.compile(r"您好[：！，]\s*您好")


def findings(text: str) -> list[str]:
    """Every fault in the text, as a short description (empty when clean)."""
    faults = [f"doubled punctuation {m.group()!r}" for m in _DOUBLED.finditer(text)]
    faults += [f"two greetings {m.group()!r}" for m in _TWO_GREETINGS.finditer(text)]
    plain = text
    for pattern in _QUOTED:
        plain = pattern.sub(" ", plain)
    faults += [f"code {m.group()!r}" for m in _CODE.finditer(plain)]
    faults += [f"English {m.group()!r}" for m in _WORD.finditer(_CODE.sub(" ", plain)) if m.group() not in ALLOWED]
    return faults
