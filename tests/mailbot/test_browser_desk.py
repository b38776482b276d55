"""The coordinators' desk in real headless Chromium: the overview first, acting from the browser, a unit's files, a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import HeldRawRow, MessageRow, ReceiptCounter, SubmissionRow
from mailbot.ledger.models_desk import ActionRow
from tests.mailbot.test_browser import PASSWORDS
from tests.mailbot.test_web import add_users, unit_id
from tests.mailbot.test_workbook import NOW, ZWFW, seed_ledger
from tests.support.browser import CHROMIUM, chromium, dashboard

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason=f"no chromium at {CHROMIUM}")]
HELD = "政务服务局〔2023〕收字第0005号"  # seeded as held for review; its bytes are added here


def a3_bytes(app, unit: str, rows=None, sender="someone@mail.example.net") -> bytes:
    data = form_xlsx(app.campaign.form("attachment3"), unit, rows or rows_attachment3())
    when = dt.datetime(2023, 1, 13, 9, tzinfo=app.campaign.timezone)
    return _mail(sender, ZWFW, "附件3", when, "请查收。", [("附件3-农牧局.xlsx", data, XLSX)])


def prepare(app) -> None:
    """The seeded ledger, the held message's bytes kept, and one invalid return read by the pipeline (its file and annotated copy)."""
    seed_ledger(app)
    add_users(app)
    with app.ledger.transaction() as s:
        held = s.scalars(select(MessageRow).where(MessageRow.receipt_no == HELD)).one()
        s.add(HeldRawRow(message_id=held.id, raw=a3_bytes(app, "兴安盟农牧局")))
        s.add_all([ReceiptCounter(office=o, year=2023, last_seq=10) for o in ("bianban", "zwfw")])  # past the seeded numbers
    bad = [dict(r) for r in rows_attachment3()]
    bad[0] = {k: ("" if i == 1 else v) for i, (k, v) in enumerate(bad[0].items())}  # an empty required cell
    pipeline = app.pipeline()
    pipeline.now = lambda: NOW
    raw = a3_bytes(app, "兴安盟教育局", rows=bad, sender="jyj@example.com")
    verdict = pipeline.process(delivery_from_bytes(raw, ZWFW, received_at=NOW - dt.timedelta(hours=1)))
    assert verdict["outcome"] == "invalid", verdict


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from mailbot.app import App

    app = App(db=f"sqlite:///{tmp_path_factory.mktemp('desk')}/t.db")
    prepare(app)
    with dashboard(app, NOW) as base:
        yield app, base


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def log_in(browser, base: str, office: str, **options):
    context = browser.new_context(accept_downloads=True, **options)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", office)
    page.fill("input[name=password]", PASSWORDS[office])
    page.click("button[type=submit]")
    page.wait_for_selector("#overview")
    return context, page


def test_the_overview_counts_units_per_material_and_charts_arrivals(browser, server):
    app, base = server
    context, page = log_in(browser, base, "zwfw")
    reported, total = (int(n) for n in page.inner_text("#units-reported").split(" / "))
    assert 0 < reported < total
    line = page.locator('#materials tr[data-kind="attachment2"][data-office="zwfw"]')
    assert "1 / " in line.locator('[data-field="reported"]').inner_text() and "单位" in line.inner_text()
    assert line.locator("svg rect.seg-valid").count() == 1 and line.locator("svg rect.seg-overdue").count() == 1
    assert page.locator("#arrivals rect.day").count() >= 3 and page.locator("#arrivals line.deadline").count() == len(app.campaign.deadlines)
    page.fill("#search", "盟教育局")  # an alias
    page.click(".filters button[type=submit]")
    assert page.locator("#matrix tbody tr").all_inner_texts()[0].count("兴安盟教育局") == 1 and page.locator("#matrix tbody tr").count() == 1
    context.close()


def test_the_overview_fits_a_phone_screen(browser, server):
    _app, base = server
    context, page = log_in(browser, base, "zwfw", viewport={"width": 375, "height": 740}, is_mobile=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 376  # wide tables scroll inside their own box
    assert page.locator("#materials").is_visible()
    context.close()


def test_review_accept_by_receipt_number_with_an_alias_and_reject_with_a_reason(browser, server):
    app, base = server
    context, page = log_in(browser, base, "zwfw")
    page.goto(f"{base}/review")
    row = page.locator(f'#review tr[data-receipt="{HELD}"]')
    row.locator("input[name=unit]").fill("盟农牧局")
    row.locator("form.accept button").click()
    assert f"已确认：收件编号{HELD}登记为“兴安盟农牧局”的报送" in page.inner_text("main")
    assert page.locator(f'#review tr[data-receipt="{HELD}"]').count() == 0
    context.close()
    context, page = log_in(browser, base, "bianban")
    page.goto(f"{base}/review")
    row = page.locator('#review tr[data-receipt="编办〔2023〕收字第0005号"]')
    row.locator("input[name=reason]").fill("非报送材料")
    row.locator("form.reject button").click()
    assert "不予登记，并已通知发件人" in page.inner_text("main")
    context.close()
    with app.ledger.session() as s:
        held = s.scalars(select(MessageRow).where(MessageRow.receipt_no == HELD)).one()
        actions = {(a.action, a.actor) for a in s.scalars(select(ActionRow))}
        assert held.review_state == "accepted" and held.unit.name == "兴安盟农牧局"
    assert {("review-accept", "zwfw"), ("review-reject", "bianban")} <= actions


def test_a_cd_is_recorded_from_the_unit_page_and_the_unit_paused(browser, server):
    app, base = server
    context, page = log_in(browser, base, "bianban")
    page.goto(f"{base}/unit/{unit_id(app, '兴安盟公安局')}")
    section = page.locator("section.return").filter(has_text="涉密拒收-待光盘报送").first
    section.locator("form.cd button").click()
    assert "光盘报送，收件编号：编办〔" in page.inner_text("main")
    assert "登记光盘报送" in page.inner_text("#actions") and "bianban" in page.inner_text("#actions")
    page.fill("input[name=until]", "2023-01-25")
    page.click("text=暂停催报 >> nth=-1")
    assert "已暂停至2023年1月25日" in page.inner_text("#unit-actions")
    context.close()
    with app.ledger.session() as s:
        assert [a.action for a in s.scalars(select(ActionRow).where(ActionRow.actor == "bianban").order_by(ActionRow.id))][-2:] == ["cd-received", "pause"]


def test_a_unit_page_shows_the_receipt_as_sent_and_offers_its_files_to_its_office_only(browser, server):
    app, base = server
    with app.ledger.session() as s:
        sub = s.scalars(select(SubmissionRow).where(SubmissionRow.status == "invalid", SubmissionRow.file == "附件3-农牧局.xlsx")).first()
        sub_id, receipt_no = sub.id, sub.message.receipt_no
    context, page = log_in(browser, base, "zwfw")
    page.goto(f"{base}/unit/{unit_id(app, '兴安盟教育局')}")
    page.locator(f'details[data-receipt="{receipt_no}"] summary').click()
    assert "随本邮件附上标注了问题单元格的表格副本" in page.inner_text(f'details[data-receipt="{receipt_no}"]')
    for selector in (f'a[data-file="{sub_id}"]', f'a[data-annotated="{sub_id}"]'):
        with page.expect_download() as info:
            page.click(selector)
        assert open(info.value.path(), "rb").read().startswith(b"PK")
    context.close()
    context, page = log_in(browser, base, "bianban")
    for what in ("file", "annotated"):
        response = page.goto(f"{base}/submission/{sub_id}/{what}")
        assert response.status == 403 and "您无权查看该文件" in page.inner_text("main")
    context.close()


def test_an_action_without_the_forms_token_is_refused(browser, server):
    app, base = server
    context, page = log_in(browser, base, "zwfw")
    response = page.request.post(f"{base}/unit/{unit_id(app, '兴安盟教育局')}/pause", form={"until": "2023-02-01"})
    assert response.status == 400
    context.close()
