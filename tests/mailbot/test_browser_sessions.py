"""Dashboard sessions in a real headless Chromium: logout and a new password end sessions, CSP, no framing, throttling."""

from __future__ import annotations

import io
import threading

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from mailbot.cli.main import main
from mailbot.reports.style import STATUS_COLOURS
from mailbot.web.users import add_user
from tests.mailbot.test_browser import browser, pytestmark  # noqa: F401  (one Chromium per module; skipped without Debian's)
from tests.mailbot.test_web import unit_id
from tests.mailbot.test_workbook import NOW, seed_ledger
from tests.support.browser import dashboard

PASSWORD = "session-pass-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard on a free loopback port; each test logs in with accounts of its own."""
    from mailbot.app import App

    app = App(db=f"sqlite:///{tmp_path_factory.mktemp('browser-sessions')}/t.db")
    seed_ledger(app)
    with app.ledger.transaction() as s:
        for name in ("logout", "passwd", "csp", "guess"):
            add_user(s, app.campaign, name, "admin", PASSWORD, NOW)
    with dashboard(app, NOW) as base:
        yield app, base


def open_as(browser, base: str, name: str, password: str = PASSWORD):  # noqa: F811
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    return context, page


def logged_in(browser, base: str, name: str):  # noqa: F811
    context, page = open_as(browser, base, name)
    page.wait_for_selector("#matrix")
    return context, page


def lands_on_login(page, base: str) -> bool:
    page.goto(f"{base}/")
    return page.url.endswith("/login") and page.locator("input[name=password]").count() == 1


def test_logout_in_one_browser_ends_the_accounts_other_sessions(browser, server):  # noqa: F811
    app, base = server
    first, first_page = logged_in(browser, base, "logout")
    second, second_page = logged_in(browser, base, "logout")
    copied = first.cookies()
    first_page.click("button:has-text('退出登录')")
    first_page.wait_for_selector("input[name=password]")
    assert "您已退出登录" in first_page.inner_text("main")
    assert lands_on_login(second_page, base) and "登录已失效" in second_page.inner_text("main")
    replay = browser.new_context()
    replay.add_cookies(copied)  # a cookie copied before the logout is worth nothing after it
    assert lands_on_login(replay.new_page(), base)
    for context in (first, second, replay):
        context.close()


def test_a_new_password_ends_the_open_session(browser, server, monkeypatch):  # noqa: F811
    app, base = server
    context, page = logged_in(browser, base, "passwd")
    monkeypatch.setattr("sys.stdin", io.StringIO("another-pass-2\n"))
    assert main(["--db", app.ledger.url, "user", "passwd", "passwd", "--password-stdin"]) == 0
    assert lands_on_login(page, base)
    page.fill("input[name=username]", "passwd")
    page.fill("input[name=password]", "another-pass-2")
    page.click("button[type=submit]")
    page.wait_for_selector("#matrix")
    context.close()


def test_the_pages_satisfy_their_csp_and_keep_their_colours(browser, server):  # noqa: F811
    app, base = server
    context = browser.new_context()
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "csp")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#matrix")
    valid = page.locator("td.status", has_text="已报送-合格").first
    assert valid.evaluate("e => getComputedStyle(e).backgroundColor") == _rgb(STATUS_COLOURS["已报送-合格"])
    for path in ("/review", f"/unit/{unit_id(app, '兴安盟财政局')}", "/?status=逾期已报"):
        page.goto(f"{base}{path}")
    assert page.locator("td.status", has_text="逾期已报").first.evaluate("e => getComputedStyle(e).backgroundColor") == _rgb(STATUS_COLOURS["逾期已报"])
    assert violations == []
    context.close()


@pytest.fixture
def framing_site(server):
    """Another origin (localhost on its own port) whose page puts the dashboard's login page in an iframe."""
    _app, base = server

    def page(environ, start_response):
        html = f'<iframe id="f" src="{base}/login" width="800" height="600"></iframe>'
        return Response(html, mimetype="text/html")(environ, start_response)

    httpd = make_server("127.0.0.1", 0, page, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_port}/"
    httpd.shutdown()
    thread.join()


def test_another_site_cannot_frame_the_dashboard(browser, framing_site):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    page.goto(framing_site, wait_until="load")  # the iframe has loaded (or been refused) by then
    framed = [f for f in page.frames if f is not page.main_frame]
    assert framed and all(f.locator("input[name=password]").count() == 0 for f in framed)
    context.close()


def test_guessing_in_the_browser_is_stopped(browser, server):  # noqa: F811
    app, base = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    for n in range(6):
        page.fill("input[name=username]", "guess")
        page.fill("input[name=password]", f"wrong-guess-{n}")
        page.click("button[type=submit]")
        page.wait_for_selector("p.error")
    assert "登录失败次数过多" in page.inner_text("p.error")
    page.fill("input[name=username]", "guess")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("p.error")
    assert "登录失败次数过多" in page.inner_text("p.error") and page.locator("#matrix").count() == 0
    context.close()


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"
