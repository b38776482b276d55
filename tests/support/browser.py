"""The dashboard on a free loopback port and Debian's headless Chromium, shared by the real-browser tests."""

from __future__ import annotations

import contextlib
import threading

from werkzeug.serving import make_server

from mailbot.web import create_app

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google's hosts, which this closed network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SECRET = "browser-secret-0123456789"


@contextlib.contextmanager
def dashboard(app, now):
    """Serve the app's dashboard (werkzeug, in a thread) and yield its base URL."""
    httpd = make_server("127.0.0.1", 0, create_app(app, secret=SECRET, now=lambda: now), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join()


@contextlib.contextmanager
def chromium():
    """One headless Chromium (never downloaded: Debian's own)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
