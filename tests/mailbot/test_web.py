"""The dashboard through Flask's test client: login, per-office scope, 403, CSRF, session expiry, downloads."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from mailbot.ledger.models import UnitRow
from mailbot.ledger.models_web import UserRow
from mailbot.web import create_app
from mailbot.web.users import add_user
from tests.mailbot.test_workbook import NOW, seed_ledger

PASSWORDS = {"bianban": "bianban-pass", "zwfw": "zwfw-pass-1", "admin": "admin-pass-1"}


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.moment = NOW

    def __call__(self) -> dt.datetime:
        return self.moment


def add_users(app) -> None:
    """One account per office and an admin, named after their office."""
    with app.ledger.transaction() as s:
        for office, password in PASSWORDS.items():
            add_user(s, app.campaign, office, office, password, NOW)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A seeded ledger with users (built once: the dashboard never writes to it)."""
    from mailbot.app import App

    app = App(db=f"sqlite:///{tmp_path_factory.mktemp('web')}/t.db")
    seed_ledger(app)
    add_users(app)
    return app


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def web(desk, clock):
    return create_app(desk, secret="test-secret-0123456789", session_hours=8, now=clock)


def token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, office: str, password: str | None = None):
    page = client.get("/login").text
    return client.post("/login", data={"username": office, "password": password or PASSWORDS[office], "csrf_token": token(page)})


def unit_id(app, name: str) -> int:
    with app.ledger.session() as s:
        return s.scalars(select(UnitRow.id).where(UnitRow.name == name)).one()


def test_no_page_without_login(web):
    client = web.test_client()
    for path in ("/", "/review", "/unit/1", "/download/ledger"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/login")


def test_a_stray_request_does_not_spoil_the_login_form(web):
    client = web.test_client()
    page = client.get("/login").text
    assert client.get("/favicon.ico").status_code == 302  # browsers ask for it behind the user's back
    response = client.post("/login", data={"username": "zwfw", "password": PASSWORDS["zwfw"], "csrf_token": token(page)})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_login_with_a_wrong_password_is_refused(web):
    client = web.test_client()
    response = login(client, "bianban", "wrong-password")
    assert response.status_code == 401 and "用户名或密码不正确" in response.text
    assert client.get("/").status_code == 302


def test_password_is_stored_hashed(desk):
    with desk.ledger.session() as s:
        stored = s.scalars(select(UserRow.password_hash).where(UserRow.name == "zwfw")).one()
    assert PASSWORDS["zwfw"] not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_login_form_without_csrf_token_is_rejected(web):
    client = web.test_client()
    client.get("/login")
    response = client.post("/login", data={"username": "bianban", "password": PASSWORDS["bianban"]})
    assert response.status_code == 400 and "表单已失效" in response.text
    assert client.get("/").status_code == 302


def test_logout_needs_the_session_token(web):
    client = web.test_client()
    login(client, "bianban")
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token(client.get("/").text)}).status_code == 302
    assert client.get("/").status_code == 302


def test_zwfw_sees_only_its_returns(web):
    client = web.test_client()
    assert login(client, "zwfw").status_code == 302
    page = client.get("/").text
    assert "兴安盟教育局" in page and "中共兴安盟委员会组织部" not in page
    assert "<th>附件1</th>" not in page and "<th>附件3</th>" in page
    assert "政务服务局〔2023〕收字第0004号" in page


def test_bianban_sees_party_units_and_everyones_attachment1(web):
    client = web.test_client()
    login(client, "bianban")
    page = client.get("/").text
    assert "中共兴安盟委员会组织部" in page and "兴安盟民政局" in page
    assert "<th>附件1</th>" in page and "<th>实施方案</th>" in page
    # The office parameter is an admin's filter only.
    assert "兴安盟教育局" in client.get("/?office=zwfw").text and "中共兴安盟委员会组织部" in client.get("/?office=zwfw").text


def test_admin_filters_by_office_category_and_status(web):
    client = web.test_client()
    login(client, "admin")
    assert "中共兴安盟委员会组织部" in client.get("/").text
    assert "中共兴安盟委员会组织部" not in client.get("/?office=zwfw").text
    party = client.get("/?category=党群").text
    assert "中共兴安盟委员会组织部" in party and "兴安盟教育局" not in party
    late = client.get("/?status=逾期已报").text
    assert 'data-unit="共青团兴安盟委员会"' in late and 'data-unit="兴安盟教育局"' not in late


def test_counts_at_the_top(web):
    client = web.test_client()
    login(client, "zwfw")
    page = client.get("/").text
    assert re.search(r'data-status="已报送-合格">2<', page)  # 教育局 附件3 and 财政局 附件2 (v2)


def test_other_offices_unit_is_refused_in_chinese(web, desk):
    client = web.test_client()
    login(client, "zwfw")
    response = client.get(f"/unit/{unit_id(desk, '中共兴安盟委员会组织部')}")
    assert response.status_code == 403 and "您无权查看该单位" in response.text


def test_unit_page_shows_versions_problems_receipts_and_reminders(web, desk):
    client = web.test_client()
    login(client, "zwfw")
    page = client.get(f"/unit/{unit_id(desk, '兴安盟财政局')}").text
    assert "第2版（现行）" in page and "第1版" in page and "C6" in page
    assert "政务服务局〔2023〕收字第0002号" in page and "回执：政务服务局〔2023〕收字第0004号" in page
    page = client.get(f"/unit/{unit_id(desk, '兴安盟教育局')}").text
    assert "关于催报“两优”材料的提醒" in page


def test_bianban_sees_only_attachment1_of_a_government_unit(web, desk):
    client = web.test_client()
    login(client, "bianban")
    page = client.get(f"/unit/{unit_id(desk, '兴安盟财政局')}").text
    assert 'id="return-attachment1"' in page and 'id="return-attachment2"' not in page
    assert "关于催报" not in client.get(f"/unit/{unit_id(desk, '兴安盟教育局')}").text


def test_review_queue_is_per_office(web):
    client = web.test_client()
    login(client, "zwfw")
    page = client.get("/review").text
    assert "someone@mail.example.net" in page and "who@mail.example.net" not in page


def test_session_expires(web, clock):
    client = web.test_client()
    login(client, "bianban")
    clock.moment = NOW + dt.timedelta(hours=7, minutes=59)
    assert client.get("/").status_code == 200
    clock.moment = NOW + dt.timedelta(hours=8, minutes=1)
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/login")
    assert "登录已超时" in client.get("/login").text


def test_downloads_are_scoped_workbooks(web):
    client = web.test_client()
    login(client, "zwfw")
    response = client.get("/download/ledger")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.data))["报送情况"]
    assert "盟行政审批和政务服务局" in ws.oddHeader.center.text
    assert client.get("/download/results").status_code == 200
    assert client.get("/download/summary-attachment1").status_code == 404  # 附件1 is 编办's


def test_secret_is_required(desk):
    with pytest.raises(ValueError):
        create_app(desk, secret="")


def test_the_unit_pages_title_is_the_units_name_and_its_action_log_shows_once(web, desk):
    # The action log had slipped into the page's <title> block: the tab read as raw HTML and the table came twice.
    client = web.test_client()
    login(client, "zwfw")
    page = client.get(f"/unit/{unit_id(desk, '兴安盟财政局')}").text
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.strip() == "兴安盟财政局" and page.count('id="actions"') == 1
