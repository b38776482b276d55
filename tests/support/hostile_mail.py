"""Builders of hostile and broken messages (raw bytes written here) and of good returns to put among them."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
from email.utils import format_datetime

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment2, rows_attachment3

ZWFW, BIANBAN = "xamzfw@126.com", "794605082@qq.com"
# Roster units of the government category (their returns go to 政务服务局) and their registered addresses.
UNITS = (("jyj@example.com", "兴安盟教育局"), ("czj@example.com", "兴安盟财政局"), ("mzj@example.com", "兴安盟民政局"))
WHEN = dt.datetime(2023, 1, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_numbers = itertools.count(1)  # Message-IDs unique within a test run, the same on every run


def head(subject: bytes = b"test", message_id: bytes | None = None, sender: bytes = b"dept@example.com", extra: bytes = b"") -> bytes:
    """A plain header block (ends with the blank line only when ``extra`` does not add a body type)."""
    mid = message_id if message_id is not None else b"<hostile-%d@example.com>" % next(_numbers)
    return (b"From: " + sender + b"\r\nTo: " + ZWFW.encode() + b"\r\nSubject: " + subject + b"\r\nDate: "
            + format_datetime(WHEN).encode() + b"\r\nMessage-ID: " + mid + b"\r\nMIME-Version: 1.0\r\n" + extra)


def deep_nesting(depth: int = 1000) -> bytes:
    """multipart/mixed inside multipart/mixed ``depth`` times (about 68 KB at 1,000): exhausts a recursive parser."""
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(depth))
    closing = b"".join(b"\r\n--b%d--" % i for i in reversed(range(depth)))
    return head(b"deep", extra=b"") + opening + b"Content-Type: text/plain\r\n\r\nhello" + closing + b"\r\n"


def deep_forwards(depth: int = 300) -> bytes:
    """message/rfc822 inside message/rfc822 ``depth`` times."""
    inner = b"From: a@example.com\r\nSubject: inner\r\n\r\nhello\r\n"
    for _ in range(depth):
        inner = b"From: a@example.com\r\nSubject: fwd\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    return head(b"forwards", extra=b"Content-Type: message/rfc822\r\n\r\n") + inner


def many_parts(count: int = 10_000, kind: bytes = b"application/octet-stream") -> bytes:
    """One multipart with ``count`` small attachments."""
    parts = b"".join(b"--p\r\nContent-Type: " + kind + b'\r\nContent-Disposition: attachment; filename="f%d.bin"\r\n\r\nx%d\r\n' % (i, i)
                     for i in range(count))
    return head(b"many", extra=b'Content-Type: multipart/mixed; boundary="p"\r\n\r\n') + parts + b"--p--\r\n"


def nul_in_header() -> bytes:
    """A NUL byte hidden in an encoded word of the subject (and in the sender's display name)."""
    return head(b"=?utf-8?q?=E9=99=84=E4=BB=B63=00abc?=", sender=b"=?utf-8?q?a=00b?= <dept@example.com>",
                extra=b"Content-Type: text/plain\r\n\r\n") + b"body\r\n"


def nuls_everywhere() -> bytes:
    """NUL bytes raw in headers, boundary, part headers and bodies."""
    return (head(b"nul\x00subject", message_id=b"<nul\x00%d@x>" % next(_numbers), sender=b"du\x00d@example.com",
                 extra=b'Content-Type: multipart/mixed; boundary="n\x00b"\r\n\r\n')
            + b'--n\x00b\r\nContent-Type: text/plain; charset="utf\x008"\r\n\r\nbo\x00dy\r\n'
            + b'--n\x00b\r\nContent-Type: application/vnd.ms-excel\r\nContent-Disposition: attachment; filename="a\x00.xlsx"\r\n\r\nPK\x03\x04\x00\x00\r\n'
            + b"--n\x00b--\r\n")


def long_message_id(length: int = 600, tag: str = "a") -> bytes:
    """A Message-ID longer than the ledger's column (500)."""
    # Words of its own (digits would not do: the loop guard reads 600 and 601 alike): not a repeat of an answered message.
    body = b"long id " + "".join(chr(ord("a") + int(d)) for d in str(length)).encode() + b"\r\n"
    return head(b"long id", message_id=b"<" + tag.encode() * length + b"@example.com>", extra=b"Content-Type: text/plain\r\n\r\n") + body


def long_from(length: int = 330) -> bytes:
    """A From address longer than the ledger's column (320)."""
    return head(b"long from", sender=b"c" * length + b"@example.com", extra=b"Content-Type: text/plain\r\n\r\n") + b"x\r\n"


def giant_header(size: int = 1_000_000) -> bytes:
    """A subject of ``size`` bytes, folded into lines, and thousands of extra header lines."""
    folded = b"\r\n ".join([b"A" * 70] * (size // 72))
    lines = b"".join(b"X-Junk-%d: %s\r\n" % (i, b"y" * 50) for i in range(5000))
    return head(folded, extra=lines + b"Content-Type: text/plain\r\n\r\n") + b"x\r\n"


def broken_boundaries() -> bytes:
    """A boundary declared but never used, a part opened and never closed, a base64 body cut mid-way."""
    return (head(b"broken", extra=b'Content-Type: multipart/mixed; boundary="never"\r\n\r\n')
            + b"--other\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBAo=\r\n"
            + b"--never\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain\r\n"
            + b"Content-Transfer-Encoding: base64\r\n\r\n5Lq65rCR\r\n")


def unknown_charsets() -> bytes:
    """Charsets no codec knows, in headers, parameters and bodies."""
    return (head(b"=?x-klingon?B?5Lq6?= =?utf-99?Q?=FF?=", extra=b'Content-Type: multipart/mixed; boundary="c"\r\n\r\n')
            + b"--c\r\nContent-Type: text/plain; charset=x-unknown-42\r\n\r\n\xff\xfe\xfd\r\n"
            + b"--c\r\nContent-Type: text/html; charset=\"\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>=ZZ=</p>\r\n"
            + b"--c\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=x-nope''%FF%FE.xlsx\r\n\r\nabc\r\n"
            + b"--c--\r\n")


def long_filename_return(app, sender: str = "czj@example.com", length: int = 320) -> bytes:
    """A 附件2 with errors (so the receipt carries an annotated copy) under a file name longer than 300 characters."""
    data = form_xlsx(app.campaign.form("attachment2"), "兴安盟财政局", rows_attachment2(bad=True))
    return _mail(sender, ZWFW, "附件2", WHEN, "请查收。", [("附件2" + "长" * length + ".xlsx", data, XLSX)])


def good_return(app, index: int, to: str = ZWFW, units=UNITS) -> bytes:
    """A correct 附件3 from one of ``units`` (roster units of 政府), distinct for each ``index`` (its own rows and Message-ID)."""
    sender, unit = units[index % len(units)]
    rows = rows_attachment3()
    rows[0]["事项名称"] = f"教师资格认定（第{index}批）"
    data = form_xlsx(app.campaign.form("attachment3"), unit, rows)
    return _mail(sender, to, f"{unit}附件3（{index}）", WHEN, "请查收。", [("附件3.xlsx", data, XLSX)],
                 message_id=f"<good-{index}-{next(_numbers)}@example.com>")


ADVERSARIAL = {
    "deep-nesting": lambda app: deep_nesting(1000),
    "deep-forwards": lambda app: deep_forwards(300),
    "ten-thousand-parts": lambda app: many_parts(10_000),
    "nul-in-header": lambda app: nul_in_header(),
    "nuls-everywhere": lambda app: nuls_everywhere(),
    "long-message-id": lambda app: long_message_id(600),
    "long-from": lambda app: long_from(330),
    "giant-header": lambda app: giant_header(),
    "broken-boundaries": lambda app: broken_boundaries(),
    "unknown-charsets": lambda app: unknown_charsets(),
    "long-filename": lambda app: long_filename_return(app),
}


def renamed(raw: bytes, name: str) -> bytes:
    """The same message under another Message-ID (the first one of its header block)."""
    end = min((i for i in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if i >= 0), default=len(raw))
    head = re.sub(rb"(?im)^message-id:[^\r\n]*", b"Message-ID: <%s@example.com>" % name.encode(), raw[:end], count=1)
    return head + raw[end:]


def mutate(raw: bytes, rng: random.Random) -> bytes:
    """A random damage of a message: bytes flipped, NULs or CR/LFs or boundaries inserted, a cut, a run duplicated."""
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        if not data:
            break  # cut to nothing
        at = rng.randrange(len(data))
        how = rng.randrange(6)
        if how == 0:
            data[at] = rng.randrange(256)
        elif how == 1:
            data[at:at] = b"\x00" * rng.randint(1, 8)
        elif how == 2:
            data[at:at] = rng.choice([b"\r\n", b"\r\n\r\n", b"\n--", b"=?utf-8?b?", b"?=", b"\r\nContent-Type: multipart/mixed; boundary=x\r\n"])
        elif how == 3:
            del data[at:]
            data += b"\r\n"
        elif how == 4:
            end = min(len(data), at + rng.randint(1, 4000))
            data[end:end] = data[at:end] * rng.randint(1, 5)
        else:
            del data[at:at + rng.randint(1, 200)]
    return bytes(data) or b"\r\n"  # a server refuses to store zero bytes


def fuzzed_inbox(app, rng: random.Random, mutants: int, good_every: int) -> list[tuple[str, bytes]]:
    """(kind, raw) in delivery order: the hostile set, mutants, and good returns interleaved."""
    bases = [good_return(app, 1000 + i) for i in range(8)]  # apart from the good ones below: no damaged copy shares their files
    hostile = [(name, make(app)) for name, make in ADVERSARIAL.items()]
    small = [raw for _name, raw in hostile if len(raw) < 100_000]
    # Each mutant gets a Message-ID of its own first, so it is read through rather than stopped as a duplicate.
    damaged = [("mutant", mutate(renamed(rng.choice(bases + small), f"mutant-{n}"), rng)) for n in range(mutants)]
    bad = hostile + damaged
    rng.shuffle(bad)
    inbox, good = [], 0
    for index, item in enumerate(bad):
        if index % good_every == 0:
            inbox.append(("good", good_return(app, good)))
            good += 1
        inbox.append(item)
    inbox.append(("good", good_return(app, good)))
    return inbox


def append_all(dovecot, user: str, messages: list[tuple[str, bytes]]) -> dict[int, tuple[str, bytes]]:
    """APPEND every message to the user's INBOX on one connection; UID -> (kind, raw)."""
    taken = {}
    with dovecot.connect(user) as client:
        for kind, raw in messages:
            reply = client.append("INBOX", raw)
            taken[int(reply.split(b"]")[0].split()[-1])] = (kind, raw)
    return taken


def stored_groups(dovecot, user: str) -> list[list[int]]:
    """The INBOX's UIDs grouped by the bytes the server stored (it writes line ends as CRLF, "\r\r\n" too).

    Byte-identical messages in one inbox are one delivery by design (the same bytes seen again after a
    UIDVALIDITY change or a restore), and random damage makes a few: each group must be recorded once.
    """
    groups: dict[bytes, list[int]] = {}
    for uid, raw in sorted(dovecot.read_mailbox(user).items()):
        groups.setdefault(raw, []).append(uid)
    return list(groups.values())


def message_id_of(raw: bytes) -> str:
    """The Message-ID header of a message this module wrote."""
    return re.search(rb"(?im)^message-id:\s*([^\r\n]*)", raw).group(1).strip().decode()
