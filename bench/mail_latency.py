"""Benchmark: APPEND-to-receipt latency with IDLE on local dovecot (goal p95 ≤ 2 s), and peak RSS on a 30 MB attachment (goal ≤ 150 MB)."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.app import App  # noqa: E402
from mailbot.demo.forms import form_xlsx  # noqa: E402
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3  # noqa: E402
from tests.support.desk import OFFICES, make_desk  # noqa: E402  (a dev tool run from the repository)
from tests.support.servers import Dovecot  # noqa: E402

ZWFW = OFFICES["zwfw"]
# Pacing off: the figure is the robot's own latency; the send policy (6 s between mails) is a separate, deliberate delay.
EXTRA = "idle_timeout = 600\n[sending]\nmin_interval = 0\nper_recipient = 0\n"


def a3_message(app: App, sender: str, video: int = 0) -> bytes:
    """A 附件3 return from ``sender`` to the zwfw inbox, optionally with an unrelated video of ``video`` bytes."""
    spec = app.campaign.form("attachment3")
    when = dt.datetime(2023, 1, 10, 9, tzinfo=app.campaign.timezone)
    files = [("附件3.xlsx", form_xlsx(spec, "兴安盟教育局", rows_attachment3()), XLSX)]
    if video:
        files.append(("工作现场.mp4", os.urandom(video), "video/mp4"))
    return _mail(sender, ZWFW, "附件3", when, "请查收。", files)


def latency(messages: int = 50) -> list[float]:
    """Seconds from each APPEND to the receipt accepted by the SMTP server, one message at a time."""
    from mailbot.intake.watch import watch_inbox

    dovecot = Dovecot.create()
    dovecot.start()
    desk = make_desk(dovecot, Path(tempfile.mkdtemp(prefix="bench-")), f"sqlite:///{tempfile.mkdtemp()}/bench.db", EXTRA)
    stop = threading.Event()
    inbox = next(i for i in desk.app.settings.inboxes if i.address == ZWFW)
    watcher = threading.Thread(target=watch_inbox, args=(desk.app, inbox, desk.app.settings, stop))
    watcher.start()
    try:
        time.sleep(1.0)  # let the watcher log in and enter IDLE
        return [one_round_trip(desk, f"dept{n}@example.com") for n in range(messages)]
    finally:
        stop.set()
        watcher.join()
        desk.sink.stop()
        dovecot.destroy()


def one_round_trip(desk, sender: str) -> float:
    """APPEND one return and wait until the SMTP sink has accepted its receipt."""
    raw, before = a3_message(desk.app, sender), len(desk.sink.received)
    start = time.monotonic()
    desk.dovecot.append(ZWFW, raw)
    while len(desk.sink.received) == before:
        if time.monotonic() - start > 60:
            raise RuntimeError(f"no receipt for {sender} within 60 s")
        time.sleep(0.005)
    return time.monotonic() - start


def peak_rss_child(settings_file: str, db_url: str) -> None:
    """In a fresh process: one intake pass over a waiting message; print VmHWM before and after (MB)."""
    from mailbot.intake.poll import poll_all

    app = App(db=db_url, settings_file=settings_file)
    app.ledger, app.campaign, app.settings  # noqa: B018 (load before the baseline)
    baseline = vm_hwm_mb()
    reports = poll_all(app)
    print(json.dumps({"baseline_mb": baseline, "peak_mb": vm_hwm_mb(), "processed": sum(r.processed for r in reports)}))


def vm_hwm_mb() -> float:
    """This process's peak resident set size so far, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def peak_rss(attachment: int = 30 * 1024 * 1024) -> dict:
    """Peak RSS of a fresh process processing one message with an ``attachment``-byte video beside a 附件3."""
    dovecot = Dovecot.create()
    dovecot.start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-rss-"))
    desk = make_desk(dovecot, tmp, f"sqlite:///{tmp}/rss.db", EXTRA)
    try:
        desk.dovecot.append(ZWFW, a3_message(desk.app, "jyj@example.com", video=attachment))
        code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.mail_latency import peak_rss_child; peak_rss_child({str(desk.settings_file)!r}, 'sqlite:///{tmp}/rss.db')"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        desk.sink.stop()
        dovecot.destroy()


def main() -> None:
    """Run both measurements and print the figures."""
    seconds = latency()
    cuts = statistics.quantiles(seconds, n=100)
    print(f"APPEND→回执被 SMTP 服务器接收（IDLE，{len(seconds)} 封）：p50 {statistics.median(seconds):.3f} s，"
          f"p95 {cuts[94]:.3f} s，最大 {max(seconds):.3f} s")
    rss = peak_rss()
    print(f"处理带 30 MB 附件的邮件：峰值 RSS {rss['peak_mb']:.1f} MB（处理前 {rss['baseline_mb']:.1f} MB，处理 {rss['processed']} 封）")


if __name__ == "__main__":
    main()
