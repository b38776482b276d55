"""`mailbot process` of a saved file applies the worker's fetch limits before decoding, as the IMAP intake does.

Random MIME trees decode the same after trimming when nothing is over the limits; with big parts, the trimmed file
decodes exactly like the same message fetched from dovecot in parts; and a saved 43 MB message is processed
without ever holding its 30 MiB attachment (Python's own allocation tracer, not a timing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tracemalloc
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest

from mailbot.cli.commands import process
from mailbot.config import load_campaign
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import rows_attachment3
from mailbot.intake.saved_mail import BytesSource, FileSource, read_saved_message, trim
from mailbot.mail.imap import Mailbox
from mailbot.mail.imap_parts import OMITTED_HEADER
from parsers.mail.decode import decode_message
from tests.campaigns import LIANGYOU

CAMPAIGN = load_campaign()
WHEN = dt.datetime(2023, 1, 10, 9, tzinfo=CAMPAIGN.timezone)
A3 = form_xlsx(CAMPAIGN.form("attachment3"), "兴安盟教育局", rows_attachment3())
HUGE = 1 << 40


def decoded_view(raw: bytes) -> tuple:
    """What the robot reads of a message: body, attachments (name, type, bytes), problem codes."""
    d = decode_message(raw)
    return (d.subject, d.sender, d.body_text, sorted((a.filename, a.content_type, a.data) for a in d.attachments),
            sorted(p.code for p in d.problems))


def random_message(rng: random.Random, depth: int = 0) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "jyj@example.com", "xamzfw@126.com", rng.choice(["附件3", "材料", "转发：报送"])
    msg["Date"], msg["Message-ID"] = format_datetime(WHEN), make_msgid(domain="example.com")
    msg.set_content(rng.choice(["请查收。", "各位好：\n\n附件为本单位材料。\n\n兴安盟教育局", "x" * rng.randrange(1, 3000)]),
                    cte=rng.choice(["base64", "quoted-printable", "8bit"]))
    if rng.random() < 0.5:
        msg.add_alternative(f"<p>{rng.choice(['请查收', '材料附后'])}</p>", subtype="html")
    for n in range(rng.randrange(0, 4)):
        kind = rng.choice(["xlsx", "bin", "image", "forward", "text"])
        if kind == "xlsx":
            msg.add_attachment(A3, maintype="application", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=f"附件3-{n}.xlsx")
        elif kind == "bin":
            msg.add_attachment(rng.randbytes(rng.randrange(0, 5000)), maintype="application", subtype="octet-stream", filename=f"数据{n}.bin")
        elif kind == "image":
            msg.add_attachment(rng.randbytes(rng.randrange(10, 3000)), maintype="image", subtype="png", filename=f"照片{n}.png")
        elif kind == "text":
            msg.add_attachment("说明文字\n" * rng.randrange(1, 50), filename=f"说明{n}.txt")
        elif depth < 2:
            msg.add_attachment(random_message(rng, depth + 1))
    return msg


def as_bytes(msg: EmailMessage, rng: random.Random) -> bytes:
    raw = msg.as_bytes()
    if rng.random() < 0.3:
        raw = raw.replace(b"\r\n", b"\n")  # saved by a tool that writes bare LF
    elif rng.random() < 0.5:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return raw


def test_within_the_limits_a_trimmed_message_reads_exactly_like_the_original():
    rng = random.Random(19)
    for _ in range(150):
        raw = as_bytes(random_message(rng), rng)
        assert decoded_view(trim(BytesSource(raw), max_part_bytes=HUGE)) == decoded_view(raw) or _only_media_differs(raw)


def _only_media_differs(raw: bytes) -> bool:
    # Photos are never fetched, even within the size limit: only they may be missing after trimming.
    before, after = decoded_view(raw), decoded_view(trim(BytesSource(raw), max_part_bytes=HUGE))
    kept = [a for a in before[3] if not a[1].startswith(("image/", "video/", "audio/"))]
    return before[:3] == after[:3] and kept == after[3]


def test_the_file_reader_finds_what_the_bytes_reader_finds(tmp_path):
    rng = random.Random(7)
    for n in range(40):
        raw = as_bytes(random_message(rng), rng)
        path = tmp_path / f"{n}.eml"
        path.write_bytes(raw)
        with path.open("rb") as handle:
            source = FileSource(handle, len(raw))
            for needle in (b"\n\n", b"\n--", b"Content-Type", b"zz-not-there"):
                for start in (0, 7, len(raw) // 2):
                    assert source.find(needle, start, len(raw)) == raw.find(needle, start, len(raw))
            assert trim(source, max_part_bytes=2000) == trim(BytesSource(raw), max_part_bytes=2000)


def big_message(forwarded: bool) -> bytes:
    """A 附件3 beside a 300 KB zip and a video; optionally all of it inside a forwarded message."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "jyj@example.com", "xamzfw@126.com", "附件3"
    msg["Date"], msg["Message-ID"] = format_datetime(WHEN), make_msgid(domain="example.com")
    msg.set_content("请查收。")
    msg.add_attachment(A3, maintype="application", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="附件3.xlsx")
    msg.add_attachment(os.urandom(300_000), maintype="application", subtype="zip", filename="佐证材料.zip")
    msg.add_attachment(os.urandom(50_000), maintype="video", subtype="mp4", filename="现场.mp4")
    if not forwarded:
        return msg.as_bytes()
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "bgs@example.com", "xamzfw@126.com", "转发：附件3"
    outer["Date"], outer["Message-ID"] = format_datetime(WHEN), make_msgid(domain="example.com")
    outer.set_content("转发教育局材料。")
    outer.add_attachment(msg)
    return outer.as_bytes()


@pytest.mark.imap
@pytest.mark.parametrize("forwarded", [False, True])
def test_over_the_limits_a_saved_file_reads_like_the_same_mail_fetched_over_imap(dovecot_server, imap_user, tmp_path, forwarded):
    user, password = imap_user
    raw = big_message(forwarded)
    dovecot_server.append(user, raw)
    limit = 100_000  # encoded bytes: the zip (about 400 KB in base64) is left out, the 附件3 is kept
    with Mailbox.open(dovecot_server_settings(dovecot_server), user, password) as box:
        box.select("INBOX")
        [fetched] = list(box.fetch_uids(box.list_uids_after(0), whole_below=10_000, max_part_bytes=limit))
    path = tmp_path / "saved.eml"
    path.write_bytes(raw)
    saved = read_saved_message(path, whole_below=10_000, max_part_bytes=limit)
    assert fetched.partial and saved.count(OMITTED_HEADER.encode()) == len(fetched.omitted) == 2
    assert decoded_view(saved) == decoded_view(fetched.raw)
    assert [a[0] for a in decoded_view(saved)[3]] == ["附件3.xlsx"] and decoded_view(saved)[4] == ["attachment-too-large"]


def dovecot_server_settings(server):
    from mailbot.settings import Server

    return Server(server.host, server.port, "plain", timeout=10)


def test_a_saved_43_mb_message_is_processed_without_holding_its_attachment(tmp_path, db_url, monkeypatch, capsys):
    monkeypatch.delenv("MAILBOT_SETTINGS", raising=False)
    monkeypatch.chdir(tmp_path)  # no config/settings.toml here: the shipped defaults (10 MB per part)
    monkeypatch.setenv("MAILBOT_CAMPAIGN", str(Path(__file__).resolve().parent.parent.parent / "config" / "campaigns" / "liangyou"))  # campaigns are found from the working directory
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "jyj@example.com", "xamzfw@126.com", "附件3"
    msg["Date"], msg["Message-ID"] = format_datetime(WHEN), make_msgid(domain="example.com")
    msg.set_content("请查收。")
    msg.add_attachment(A3, maintype="application", subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="附件3.xlsx")
    msg.add_attachment(os.urandom(30 * 1024 * 1024), maintype="application", subtype="zip", filename="佐证材料.zip")
    path = tmp_path / "big.eml"
    path.write_bytes(msg.as_bytes())
    del msg
    assert path.stat().st_size > 40_000_000
    args = argparse.Namespace(db=db_url, campaign=str(LIANGYOU), settings=None, files=[str(path)], mailbox="xamzfw@126.com",
                              received_at=None, json=True)
    process.App.from_args(args).ledger.dispose()  # schema and roster first: not part of reading the message
    tracemalloc.start()
    try:
        assert process.run(args) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert '"outcome": "accepted"' in capsys.readouterr().out
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB allocated at the peak"  # the attachment alone is 31 MB
