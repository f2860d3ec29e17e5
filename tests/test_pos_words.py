"""The till's words: counts with thousands separators and plural forms, and times written one way."""
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import hall_config
from tests.hubproc import HubProcess
from tests.test_pos_refund import sell
from tests.test_pos_support import TILLS, PEN, open_till, scan, staff_client, till_hub  # noqa: F401 (a fixture)


def test_the_z_report_writes_its_times_as_the_staff_screen_does(till_hub, context):
    page = open_till(context, till_hub)
    sell(page, PEN)
    page.click("#close-shift-btn")
    page.fill("#close-cash", "51100")
    page.click("#close-submit")
    opened = page.locator("#z-report tr", has_text="시작").locator("td")
    expect(opened).to_have_text(re.compile(r"^\d{1,2}월 \d{1,2}일 \d\d:\d\d$"))


def test_counts_have_thousands_separators_and_english_plurals(till_hub, context, clients):
    staff = staff_client(till_hub, clients)
    assert staff.call("restock", {"sku": "PEN", "qty": 1000})["ok"]  # 1,500 in stock
    page = open_till(context, till_hub)
    scan(page, PEN)
    line = page.locator("#cart-lines li[data-sku=PEN]")
    expect(line.locator(".stock")).to_have_text("재고 1,500")
    expect(page.locator("#item-count")).to_have_text("1개 (1품목)")
    page.click("#lang-btn")
    expect(line.locator(".stock")).to_have_text("1,500 left")
    expect(page.locator("#item-count")).to_have_text("1 item (1 line)")
    expect(page.locator("#search-count")).to_have_text("5 products · by name, firm, or Korean initials")
    line.locator("[data-act=plus]").click()
    expect(page.locator("#item-count")).to_have_text("2 items (1 line)")
    page.fill("#search-input", "eco pen")
    expect(page.locator("#search-count")).to_have_text("1 found")


def test_the_demo_catalogs_2200_products_are_counted_with_a_separator(tmp_path, context):
    demo_catalog = Path(__file__).resolve().parent.parent / "config" / "catalog.csv"
    hub = HubProcess(tmp_path / "data", hall_config(tmp_path, demo_catalog, extra=TILLS)).start()
    try:
        page = open_till(context, hub)
        expect(page.locator("#search-count")).to_have_text("상품 2,200개 · 이름, 업체, 초성(ㄹㅂ)으로 찾기")
    finally:
        hub.stop()
