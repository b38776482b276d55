"""Benchmark: peak memory of `mailbot process` on a saved 43 MB message (a 30 MiB attachment beside a 附件3).

The worker reading the same message over IMAP leaves the big part on the server (bench/mail_latency.py: 93 MB);
the saved-file path applies the same limits before decoding (mailbot/intake/saved_mail.py). Goal: ≤ 150 MB.
Each run is a fresh `python -m mailbot process` whose VmHWM is read from /proc when it exits (Linux only).

Usage: python bench/process_rss.py [--mib 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.config import load_campaign  # noqa: E402
from mailbot.demo.forms import form_xlsx  # noqa: E402
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3  # noqa: E402

ZWFW = "xamzfw@126.com"
# Run the command in this process and report its own peak: no sampling, nothing missed between samples.
PROBE = ("import sys, runpy; from pathlib import Path\n"
         "sys.argv = ['mailbot', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('mailbot', run_name='__main__')\n"
         "except SystemExit:\n    pass\n"
         "hwm = next(l for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmHWM:'))\n"
         "print('VMHWM', int(hwm.split()[1]) / 1024, file=sys.stderr)\n")


def message(kind: str, size: int) -> bytes:
    """A 附件3 return from 兴安盟教育局 with a ``size``-byte attachment of ``kind`` (video or zip)."""
    campaign = load_campaign()
    files = [("附件3.xlsx", form_xlsx(campaign.form("attachment3"), "兴安盟教育局", rows_attachment3()), XLSX)]
    if kind != "none":
        files.append(("工作现场.mp4", os.urandom(size), "video/mp4") if kind == "video" else ("佐证材料.zip", os.urandom(size), "application/zip"))
    when = dt.datetime(2023, 1, 10, 9, tzinfo=campaign.timezone)
    return _mail("jyj@example.com", ZWFW, "附件3", when, "请查收。", files)


def peak_mb(path: Path, db: str) -> tuple[float, str]:
    """Peak RSS of one `mailbot process --json` of the file, and the outcome it printed."""
    cmd = [sys.executable, "-c", PROBE, "--db", db, "process", "--json", "--mailbox", ZWFW, str(path)]
    env = {**os.environ, "MAILBOT_SETTINGS": ""}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    hwm = next(line for line in done.stderr.splitlines() if line.startswith("VMHWM"))
    outcome = next((line for line in done.stdout.splitlines() if '"outcome"' in line), "")
    return float(hwm.split()[1]), outcome.split('"outcome": "')[1].split('"')[0] if outcome else "?"


def main() -> None:
    """Measure each kind of attachment a few times and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-process-"))
    for kind in ("none", "video", "zip"):
        path = tmp / f"{kind}.eml"
        path.write_bytes(message(kind, args.mib * 1024 * 1024))
        figures = []
        for n in range(args.runs):
            mb, outcome = peak_mb(path, f"sqlite:///{tmp}/{kind}{n}.db")
            figures.append(mb)
        what = "只有附件3" if kind == "none" else f"{args.mib} MiB {kind} 附件和附件3"
        print(f"mailbot process：{path.stat().st_size / 1e6:.1f} MB 邮件（{what}），"
              f"峰值内存 {'、'.join(f'{m:.0f}' for m in figures)} MB（中位数 {statistics.median(figures):.0f} MB），结论 {outcome}")


if __name__ == "__main__":
    main()
