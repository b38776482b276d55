"""Benchmark: the real pipeline (intake over a local dovecot, SQLite) against a bare fetch-and-load loop over the same mail.

Run from the repository root: ``python bench/pipeline_bench.py [--messages 1000] [--first 100]``.
Needs dovecot (as the tests do). Prints messages per second for both, their ratio (goal ≤ 1.3), and the
worker's peak RSS for a backlog of ``--first`` messages and then of ``--messages`` (goal: flat), then the
p50/p95 receipt latency with IDLE over ``--latency`` messages sent one at a time (goal: p95 ≤ 2 s).

The worker reads attachments in its parse child (settings ``parse_ahead``, on by default), which overlaps
with recording on a second core. So the same backlog is also run with ``parse_ahead = false``: that figure
is the pipeline's cost on one core, and is printed beside the other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.desk import OFFICES, settings_text  # noqa: E402
from tests.support.servers import Dovecot, SmtpSink  # noqa: E402

ZWFW = OFFICES["zwfw"]
KINDS = ("attachment1", "attachment2", "attachment3")


def make_messages(count: int, start: int) -> list[bytes]:
    """``count`` realistic messages, three filled returns each, from distinct senders of roster units."""
    from mailbot.config import load_campaign
    from mailbot.demo.forms import form_xlsx
    from mailbot.demo.inbox import XLSX, _mail, rows_attachment1, rows_attachment2, rows_attachment3

    campaign = load_campaign()
    units = ["兴安盟教育局", "兴安盟财政局", "兴安盟民政局", "兴安盟公安局", "兴安盟交通运输局", "兴安盟卫生健康委员会"]
    rows = {"attachment1": rows_attachment1(), "attachment2": rows_attachment2(), "attachment3": rows_attachment3()}
    files = {u: [(f"{campaign.form(k).label}.xlsx", form_xlsx(campaign.form(k), u, rows[k]), XLSX) for k in KINDS] for u in units}
    when = dt.datetime(2023, 1, 10, 9, tzinfo=campaign.timezone)
    return [_mail(f"dept{n}@example.test", ZWFW, f"报送附件1-3（{n}）", when + dt.timedelta(seconds=n), "请查收。",
                  files[units[n % len(units)]]) for n in range(start, start + count)]


def fill(dovecot: Dovecot, messages: list[bytes]) -> None:
    """APPEND the messages to the office inbox over one connection."""
    with dovecot.connect(ZWFW) as client:
        for raw in messages:
            client.append("INBOX", raw)


def child(kind: str, settings_file: str, db_url: str) -> None:
    """Run one measured loop in this fresh process and print its figures as JSON."""
    watch = DescendantPeak()
    watch.start()
    start = time.perf_counter()
    count = bare_loop(settings_file) if kind == "bare" else pipeline_loop(settings_file, db_url)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"messages": count, "seconds": seconds, "peak_mb": peak, "child_peak_mb": watch.stop()}))


class DescendantPeak(threading.Thread):
    """The largest peak RSS (VmHWM) of any process below this one (the parse child), sampled from /proc."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb, self.done = 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            for pid in descendants(os.getpid()):
                self.peak_kb = max(self.peak_kb, status_kb(pid, "VmHWM"))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak_kb / 1024


def descendants(root: int) -> list[int]:
    """Process ids whose parent chain leads to ``root``."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parents[int(entry)] = status_kb(int(entry), "PPid")
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, ppid in parents.items() if ppid in frontier]
        found += children
        frontier = children
    return found


def status_kb(pid: int, field: str) -> int:
    """One numeric field of /proc/PID/status (kB for memory fields), 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            line = next((line for line in status if line.startswith(field + ":")), "")
    except OSError:
        return 0
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def pipeline_loop(settings_file: str, db_url: str) -> int:
    """The real intake: fetch, decode, gate, parse, validate, identify, route, register, queue the receipt, file."""
    from mailbot.app import App
    from mailbot.intake.poll import poll_all

    app = App(db=db_url, settings_file=settings_file)
    app.ledger  # create the schema and import the roster before the clock runs fairly for both loops
    return sum(r.processed for r in poll_all(app))


def bare_loop(settings_file: str) -> int:
    """imapclient fetch of every message, then openpyxl/python-docx load of each attachment; nothing else."""
    import docx
    import openpyxl
    from imapclient import IMAPClient

    from mailbot.settings import load_settings

    inbox = next(i for i in load_settings(settings_file).inboxes if i.address == ZWFW)
    count = 0
    with IMAPClient(inbox.server.host, port=inbox.server.port, ssl=False) as client:
        client.login(inbox.credentials.username, inbox.credentials.read_password())
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        for n in range(0, len(uids), 50):
            for data in client.fetch(uids[n:n + 50], ["BODY.PEEK[]"]).values():
                load_parts(email.message_from_bytes(data[b"BODY[]"], policy=policy.default), openpyxl, docx)
                count += 1
    return count


def load_parts(message, openpyxl, docx) -> None:
    """Load every attachment as its library would."""
    for part in message.iter_attachments():
        data = part.get_content()
        name = part.get_filename() or ""
        if name.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        elif name.endswith(".docx"):
            docx.Document(io.BytesIO(data))


def measure(kind: str, settings_file: Path, db_url: str) -> dict:
    """Run a loop in a child process (so its peak RSS is its own)."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(settings_file), db_url],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Fill dovecot in two stages, time both loops on the large backlog, print the figures."""
    args = parse_args()
    if args.child:
        child(*args.child)
        return
    dovecot = Dovecot.create()
    dovecot.start()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        for address in OFFICES.values():
            dovecot.add_user(address)
        sink = SmtpSink(dovecot=None)  # never contacted: the bench does not drain the outbox
        settings = work / "settings.toml"
        settings.write_text(settings_text(dovecot, sink, work), encoding="utf-8")
        db_url = f"sqlite:///{work}/ledger.db"
        report(args, dovecot, settings, db_url)
    finally:
        dovecot.destroy()
    report_latency(args.latency)


def report_latency(messages: int) -> None:
    """Receipt latency with IDLE, one message at a time (bench/mail_latency.py, on its own dovecot)."""
    import statistics

    from bench.mail_latency import latency

    seconds = latency(messages)
    cuts = statistics.quantiles(seconds, n=100)
    print(f"latency   : APPEND to receipt accepted by SMTP, IDLE, {len(seconds)} msgs: p50 {statistics.median(seconds):.2f} s, "
          f"p95 {cuts[94]:.2f} s, max {max(seconds):.2f} s (goal p95 <= 2 s)")


def report(args, dovecot: Dovecot, settings: Path, db_url: str) -> None:
    """Stage 1: a small backlog through the pipeline (RSS); stage 2: the full one, bare then pipeline."""
    start = time.perf_counter()
    fill(dovecot, make_messages(args.first, 0))
    small = measure("pipeline", settings, db_url)
    fill(dovecot, make_messages(args.messages, args.first))
    print(f"filled {args.first + args.messages} messages in {time.perf_counter() - start:.0f} s")
    bare = measure("bare", settings, db_url)
    full = measure("pipeline", settings, db_url)
    fill(dovecot, make_messages(args.messages, args.first))  # the same backlog again: the first run filed it away
    inline = measure("pipeline", one_process(settings), one_process_db(db_url))
    assert bare["messages"] == full["messages"] == inline["messages"] == args.messages, (bare, full, inline)
    rate_bare, rate_full, rate_inline = (m["messages"] / m["seconds"] for m in (bare, full, inline))
    print(f"bare loop : {bare['messages']} msgs in {bare['seconds']:.1f} s = {rate_bare:.1f} msg/s (peak RSS {bare['peak_mb']:.0f} MB)")
    print(f"pipeline  : {full['messages']} msgs in {full['seconds']:.1f} s = {rate_full:.1f} msg/s (parse child on)")
    print(f"ratio     : pipeline takes {rate_bare / rate_full:.2f}x the bare loop's time (goal <= 1.3)")
    print(f"one core  : {inline['messages']} msgs in {inline['seconds']:.1f} s = {rate_inline:.1f} msg/s with parse_ahead = false, "
          f"{rate_bare / rate_inline:.2f}x the bare loop's time")
    print(f"peak RSS  : backlog {args.first}: {small['peak_mb']:.0f} MB; backlog {args.messages}: {full['peak_mb']:.0f} MB (goal: flat); "
          f"parse child {small['child_peak_mb']:.0f} MB and {full['child_peak_mb']:.0f} MB")


def one_process(settings: Path) -> Path:
    """The same settings with the parse child off."""
    path = settings.with_name("settings-inline.toml")
    path.write_text("parse_ahead = false\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def one_process_db(db_url: str) -> str:
    """A second, empty ledger for the second copy of the backlog."""
    return db_url.replace("ledger.db", "ledger-inline.db")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--first", type=int, default=100)
    parser.add_argument("--latency", type=int, default=50, help="messages for the IDLE latency round trips")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "SETTINGS", "DB"), help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    main()
