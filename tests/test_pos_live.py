"""Two tills and a kiosk open at once: what one sells shows as stock on the others within a second."""
import time

import pytest
from playwright.sync_api import expect

from tests.test_pos_support import PEN, open_till, pay_cash, scan, till_hub  # noqa: F401 (till_hub is a fixture)

WITHIN_MS = 1000


@pytest.fixture
def second_context(browser):
    # A till of its own: its own token, session and outbox (storage is per browser context).
    opened = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR", timezone_id="Asia/Seoul")
    yield opened
    opened.close()


def test_a_sale_on_one_till_updates_the_stock_shown_on_the_other_and_the_kiosk_within_a_second(
        till_hub, context, second_context, clients):
    one = open_till(context, till_hub, "pos-1")
    two = open_till(second_context, till_hub, "pos-2")
    kiosk = clients(till_hub.client("kiosk", "kiosk-1"))
    scan(two, PEN)  # the other till has the pen in its cart, showing its stock
    on_two = two.locator("#cart-lines li[data-sku=PEN] .stock")
    expect(on_two).to_have_text("재고 500")

    scan(one, PEN)
    scan(one, PEN)
    pay_cash(one)
    expect(one.locator("#done-dlg")).to_be_visible()
    expect(on_two).to_have_text("재고 498", timeout=WITHIN_MS)
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["sku"] == "PEN"
                   and e["data"]["available"] == 498, timeout=WITHIN_MS / 1000)

    # A kiosk order holds units: both tills show them as no longer available.
    one.click("#done-next")
    scan(one, PEN)
    on_one = one.locator("#cart-lines li[data-sku=PEN] .stock")
    started = time.monotonic()
    assert kiosk.call("hold", {"hold_id": "6f1c8e7e-3b0a-4c55-9d8e-0a1b2c3d4e5f",
                               "lines": [{"sku": "PEN", "qty": 8}]})["ok"]
    expect(on_one).to_have_text("재고 490", timeout=WITHIN_MS)
    expect(on_two).to_have_text("재고 490", timeout=WITHIN_MS)
    assert time.monotonic() - started < 2  # the hold's own round trip plus the push
