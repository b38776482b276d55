"""Dashboard sessions over HTTP: logout and a new password end every session, disable/remove, throttled logins, headers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import threading

import pytest
from sqlalchemy import select

from mailbot.cli.main import main
from mailbot.ledger.models_web import UserRow
from mailbot.web import WebOptions, create_app
from mailbot.web.options import web_options
from mailbot.web.throttle import LoginPolicy
from tests.mailbot.test_web import PASSWORDS, Clock, add_users, login, token
from tests.mailbot.test_workbook import NOW, seed_ledger

PAGES = ("/", "/review", "/login")


@pytest.fixture
def desk(app):
    """A seeded ledger of this test's own (sessions and login attempts are written to it), SQLite or PostgreSQL."""
    seed_ledger(app)
    add_users(app)
    return app


@pytest.fixture
def clock():
    return Clock()


def make_web(desk, clock, **options):
    return create_app(desk, secret="test-secret-0123456789", now=clock, options=WebOptions(**options))


@pytest.fixture
def web(desk, clock):
    return make_web(desk, clock)


def logged_in(web, office: str, address: str = "127.0.0.1"):
    client = web.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    assert login(client, office).status_code == 302
    assert client.get("/").status_code == 200
    return client


def cookie_of(client) -> str:
    return client.get_cookie("mailbot_session").value


def with_cookie(web, value: str):
    client = web.test_client()
    client.set_cookie("mailbot_session", value)
    return client


def run_cli(desk, *argv: str, stdin: str = "", monkeypatch=None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", desk.ledger.url, "user", *argv])


def test_logout_ends_every_session_of_the_account_and_a_copied_cookie(web):
    first, second, other = logged_in(web, "bianban"), logged_in(web, "bianban"), logged_in(web, "zwfw")
    copied = cookie_of(first)
    assert first.post("/logout", data={"csrf_token": token(first.get("/").text)}).status_code == 302
    assert first.get("/").status_code == 302
    assert second.get("/").status_code == 302  # the same account in another browser
    assert "登录已失效" in second.get("/login").text
    assert with_cookie(web, copied).get("/").status_code == 302  # a cookie kept from before the logout
    assert other.get("/").status_code == 200  # another account is untouched
    assert logged_in(web, "bianban").get("/").status_code == 200  # and the account can log in again


def test_a_new_password_ends_every_session(web, desk, monkeypatch, capsys):
    client = logged_in(web, "zwfw")
    copied = cookie_of(client)
    assert run_cli(desk, "passwd", "zwfw", "--password-stdin", stdin="a-new-password\n", monkeypatch=monkeypatch) == 0
    assert "会话均已失效" in capsys.readouterr().out
    assert client.get("/").status_code == 302 and with_cookie(web, copied).get("/").status_code == 302
    assert login(web.test_client(), "zwfw").status_code == 401
    assert login(web.test_client(), "zwfw", "a-new-password").status_code == 302


def test_disable_enable_and_remove_an_account(web, desk, capsys):
    client = logged_in(web, "bianban")
    assert run_cli(desk, "disable", "bianban") == 0
    assert "已停用账号 bianban" in capsys.readouterr().out
    assert client.get("/").status_code == 302
    refused = login(web.test_client(), "bianban")
    assert refused.status_code == 401 and "用户名或密码不正确" in refused.text  # no hint that the name exists
    assert run_cli(desk, "enable", "bianban") == 0
    client = logged_in(web, "bianban")
    assert run_cli(desk, "remove", "bianban") == 0
    assert client.get("/").status_code == 302
    with desk.ledger.session() as s:
        assert s.scalars(select(UserRow).where(UserRow.name == "bianban")).first() is None
    assert run_cli(desk, "remove", "bianban") == 2 and "没有账号“bianban”" in capsys.readouterr().err


@pytest.mark.parametrize("given, office", [("编办", "bianban"), ("盟委编办", "bianban"), ("盟行政审批和政务服务局", "zwfw"),
                                           ("政务服务局", "zwfw"), ("兴安盟行政审批和政务服务局", "zwfw"), ("管理员", "admin"), ("zwfw", "zwfw")])
def test_user_add_takes_the_chinese_office_names(desk, given, office, monkeypatch, capsys):
    assert run_cli(desk, "add", "张三", "--office", given, "--password-stdin", stdin="zhangsan-pass\n", monkeypatch=monkeypatch) == 0
    assert "已新增账号：张三" in capsys.readouterr().out
    with desk.ledger.session() as s:
        assert s.scalars(select(UserRow.office).where(UserRow.name == "张三")).one() == office


def test_user_add_refuses_an_unknown_office_in_chinese(desk, monkeypatch, capsys):
    assert run_cli(desk, "add", "李四", "--office", "财政局", "--password-stdin", stdin="lisi-password\n", monkeypatch=monkeypatch) == 2
    assert "没有名为“财政局”的办公室" in capsys.readouterr().err


def test_wrong_passwords_lock_the_account_not_others(web, clock):
    client = web.test_client()
    codes = [login(client, "bianban", f"wrong-{n}").status_code for n in range(30)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    refused = login(client, "bianban")  # even the right password, while locked
    assert refused.status_code == 429 and "登录失败次数过多，请15分钟后再试" in refused.text
    other = web.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(other, "zwfw").status_code == 302  # another account, another address: unaffected
    clock.moment = NOW + dt.timedelta(minutes=16)
    assert login(web.test_client(), "bianban").status_code == 302


def test_a_good_login_clears_the_accounts_failures(web):
    client = web.test_client()
    for n in range(4):
        assert login(client, "zwfw", f"wrong-{n}").status_code == 401
    assert login(client, "zwfw").status_code == 302
    fresh = web.test_client()
    assert [login(fresh, "zwfw", f"again-{n}").status_code for n in range(5)] == [401] * 5


def test_one_address_guessing_many_accounts_is_stopped(web):
    names = [f"guess{n}" for n in range(20)]
    client = web.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert {login(client, name, "password1").status_code for name in names} == {401}
    assert login(client, "admin").status_code == 429  # the address is over its limit, whatever the account
    elsewhere = web.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    assert login(elsewhere, "admin").status_code == 302


def test_parallel_guesses_do_not_slip_under_the_limit(web):
    codes, barrier = [], threading.Barrier(12)

    def guess(n: int) -> None:
        client = web.test_client()
        page = client.get("/login").text
        barrier.wait()
        codes.append(client.post("/login", data={"username": "admin", "password": f"wrong-{n}", "csrf_token": token(page)}).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes.count(401) <= LoginPolicy().per_account and codes.count(429) >= 12 - LoginPolicy().per_account


def test_behind_a_proxy_the_client_address_counts(desk, clock):
    web = make_web(desk, clock, proxy_hops=1, login_policy=LoginPolicy(per_address=3))
    client = web.test_client()
    for n in range(3):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"
        assert login(client, f"nobody{n}", "password1").status_code == 401
    assert login(client, "zwfw").status_code == 429
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.2"  # another client behind the same proxy
    assert login(client, "zwfw").status_code == 302


def test_security_headers_on_every_response(web):
    client = logged_in(web, "zwfw")
    responses = [client.get(p) for p in ("/", "/review", "/download/ledger", "/unit/99999", "/static/web/desk.css", "/status.css")]
    responses += [web.test_client().get("/"), web.test_client().get("/login")]
    for response in responses:
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in response.headers
    assert all(r.headers["Cache-Control"] == "no-store" for r in responses[:4])


def test_pages_carry_no_inline_style_or_script(web):
    client = logged_in(web, "admin")
    from tests.mailbot.test_web import unit_id

    pages = [client.get(p).text for p in (*PAGES, f"/unit/{unit_id(web.extensions['mailbot'].app, '兴安盟财政局')}", "/?status=逾期已报")]
    for page in pages:
        assert not re.search(r"\sstyle\s*=|<script|\son[a-z]+\s*=", page, re.I)
    css = client.get("/status.css").text
    assert ".st-1{background:#C6EFCE}" in css and 'class="status st-' in pages[0]


def test_the_cookie_is_secure_behind_https(desk, clock):
    plain = make_web(desk, clock).test_client().get("/login")
    assert "Secure" not in plain.headers["Set-Cookie"] and "HttpOnly" in plain.headers["Set-Cookie"]
    https = make_web(desk, clock, https=True).test_client().get("/login", base_url="https://desk.example.org")
    cookie = https.headers["Set-Cookie"]
    assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert https.headers["Strict-Transport-Security"].startswith("max-age=")


def test_web_options_from_the_settings_file_and_the_command_line():
    options = web_options({"https": True, "proxy_hops": 1, "login_per_account": 3})
    assert options.https and options.proxy_hops == 1 and options.login_policy.per_account == 3
    assert web_options({"https": True}, https=None).https and not web_options({}, https=None).https
    assert web_options({}, session_hours=2.0).session_hours == 2.0
    assert dataclasses.replace(web_options(None), https=True).https
    from mailbot.errors import ConfigError

    with pytest.raises(ConfigError, match="无法识别"):
        web_options({"secure": True})
    with pytest.raises(ConfigError, match="https"):
        web_options({"https": "yes"})


def test_the_example_settings_file_configures_the_dashboard_and_the_pacing():
    from pathlib import Path

    from mailbot.settings import load_settings

    settings = load_settings(Path(__file__).resolve().parent.parent.parent / "config" / "settings.example.toml")
    options = web_options(settings.web)
    assert not options.https and options.login_policy == LoginPolicy()
    assert settings.send_policy.per_recipient_max == dt.timedelta(minutes=15) and settings.send_policy.merge_max == 20
