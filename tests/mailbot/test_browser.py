"""The dashboard in a real headless Chromium (Debian's): log in per office, open a unit, download, be refused."""

from __future__ import annotations

import io
import os

import openpyxl
import pytest

from tests.mailbot.test_web import PASSWORDS, add_users, unit_id
from tests.mailbot.test_workbook import NOW, seed_ledger
from tests.support.browser import CHROMIUM, chromium, dashboard

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard served by werkzeug on a free loopback port, in a thread."""
    from mailbot.app import App

    app = App(db=f"sqlite:///{tmp_path_factory.mktemp('browser')}/t.db")
    seed_ledger(app)
    add_users(app)
    with dashboard(app, NOW) as base:
        yield app, base


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module (never downloaded: Debian's own)."""
    with chromium() as launched:
        yield launched


def log_in(browser, base: str, office: str):
    """A fresh browser context logged in as ``office``'s coordinator."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/")
    assert page.url.endswith("/login")
    page.fill("input[name=username]", office)
    page.fill("input[name=password]", PASSWORDS[office])
    page.click("button[type=submit]")
    page.wait_for_selector("#matrix")
    return context, page


def test_zwfw_sees_its_matrix_opens_a_unit_downloads_and_is_refused(browser, server):
    app, base = server
    context, page = log_in(browser, base, "zwfw")
    assert page.locator('tr[data-unit="兴安盟教育局"]').count() == 1
    assert page.locator('tr[data-unit="中共兴安盟委员会组织部"]').count() == 0
    assert page.locator("#matrix thead th").all_inner_texts()[2:] == ["实施方案", "联络人", "附件2", "附件3"]
    page.click("text=兴安盟财政局")
    page.wait_for_selector("#return-attachment2")
    assert "第2版（现行）" in page.inner_text("#return-attachment2")
    page.goto(f"{base}/")
    with page.expect_download() as info:
        page.click('a[data-slug="ledger"]')
    book = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert book.sheetnames == ["报送情况", "报送详情（实施方案和联络人）", "报送详情（四项成果和清单）", "收件记录", "问题明细"]
    response = page.goto(f"{base}/unit/{unit_id(app, '中共兴安盟委员会组织部')}")
    assert response.status == 403 and "您无权查看该单位" in page.inner_text("main")
    context.close()


def test_bianban_sees_party_units_opens_one_and_filters_by_status(browser, server):
    app, base = server
    context, page = log_in(browser, base, "bianban")
    assert page.locator('tr[data-unit="中共兴安盟委员会组织部"]').count() == 1
    assert "附件1" in page.locator("#matrix thead").inner_text()
    page.click("text=中共兴安盟委员会组织部")
    page.wait_for_selector("#return-attachment3")
    assert "C6" in page.inner_text("#return-attachment3")
    page.goto(f"{base}/")
    page.select_option("select[name=status]", "逾期已报")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**status=**")
    assert page.locator("#matrix tbody tr").count() == 1
    context.close()


def test_admin_sees_both_offices(browser, server):
    app, base = server
    context, page = log_in(browser, base, "admin")
    assert page.locator('tr[data-unit="中共兴安盟委员会组织部"]').count() == 1 and page.locator('tr[data-unit="兴安盟教育局"]').count() == 1
    page.select_option("select[name=office]", "zwfw")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**office=zwfw**")
    assert page.locator('tr[data-unit="中共兴安盟委员会组织部"]').count() == 0
    context.close()
