"""Take the README's screenshots of the coordinators' desk: the overview and a unit page, from the demo inbox, in headless Chromium.

Usage: python scripts/screenshots.py [OUT_DIR]   (default docs/screenshots; needs Debian's chromium and playwright)
Everything runs on loopback in a private temporary directory; nothing is sent anywhere.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

from mailbot.app import App
from mailbot.demo.inbox import demo_inbox
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.web import create_app
from mailbot.web.users import add_user

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
USER, PASSWORD, OFFICE, UNIT = "zwfw", "screenshot-pass-1", "zwfw", "兴安盟财政局"


def demo_ledger(app: App, now: dt.datetime) -> None:
    """The demo inbox registered as the worker would have, and one coordinator account."""
    for sample in demo_inbox(app.campaign):
        pipeline = app.pipeline()
        pipeline.now = lambda moment=sample.received_at: moment + dt.timedelta(minutes=1)
        pipeline.process(delivery_from_bytes(sample.raw, sample.mailbox, received_at=sample.received_at, now=now))
    with app.ledger.transaction() as session:
        add_user(session, app.campaign, USER, OFFICE, PASSWORD, now)


def shoot(base: str, out: Path, unit_id: int) -> list[Path]:
    """Log in and save the overview (desktop and phone width) and the unit page."""
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for name, options, path in (("overview.png", {"viewport": {"width": 1280, "height": 900}}, "/"),
                                    ("unit.png", {"viewport": {"width": 1280, "height": 900}}, f"/unit/{unit_id}"),
                                    ("overview-phone.png", {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "device_scale_factor": 2}, "/")):
            context = browser.new_context(locale="zh-CN", **options)
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#overview")
            page.goto(f"{base}{path}")
            page.screenshot(path=str(out / name), full_page=name != "overview-phone.png")
            taken.append(out / name)
            context.close()
        browser.close()
    return taken


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        app = App(db=f"sqlite:///{work}/ledger.db")
        now = dt.datetime(2023, 1, 17, 16, 0, tzinfo=app.campaign.timezone)  # between the two deadlines
        demo_ledger(app, now)
        from mailbot.ledger.units import unit_row

        with app.ledger.session() as session:
            unit_id = unit_row(session, UNIT).id
        httpd = make_server("127.0.0.1", 0, create_app(app, secret="screenshots-secret-0123456789", now=lambda: now), threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            for path in shoot(f"http://127.0.0.1:{httpd.server_port}", out, unit_id):
                print(path)
        finally:
            httpd.shutdown()
            thread.join()
            app.ledger.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
