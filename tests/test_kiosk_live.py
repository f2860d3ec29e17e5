"""Live stock on the kiosk: sales, holds and restocks anywhere show at once; after the hub comes back
the kiosk catches up through sync, and while it is away it says its stock may be stale."""
from datetime import datetime

from playwright.sync_api import expect

from hub.rules import inventory
from hub.wire import payloads
from hub.store import Store
from tests.test_kiosk_support import SEOUL, STEP_MS, kiosk, kiosk_hub, sale  # noqa: F401  (fixtures)
from tests.pages import wait_until


def stock_of(shop, sku):
    return shop.card(sku).locator(".card-stock")


def test_a_sale_at_a_pos_changes_the_count_without_a_reload(kiosk, clients):
    shop = kiosk.open().wait_live().start()
    shop.page.evaluate("window.sameDocument = true")
    pos = clients(kiosk.hub.client("pos", "pos-1"))
    assert pos.call("checkout", sale("PEN", 5, 1100))["ok"] is True
    expect(stock_of(shop, "PEN")).to_have_attribute("data-available", "495", timeout=STEP_MS)
    expect(stock_of(shop, "PEN")).to_have_text("495개 남음")
    assert shop.page.evaluate("window.sameDocument") is True


def test_a_product_sold_out_elsewhere_shows_sold_out_and_cannot_be_added(kiosk, clients):
    shop = kiosk.open().wait_live().start()
    pos = clients(kiosk.hub.client("pos", "pos-1"))
    pos.call("checkout", sale("LAST", 3, 99000))
    expect(stock_of(shop, "LAST")).to_have_text("품절", timeout=STEP_MS)
    expect(shop.card("LAST").locator(".btn-add")).to_be_disabled()


def test_a_product_sold_out_elsewhere_leaves_the_cart_with_a_word_why(kiosk, clients):
    shop = kiosk.open().wait_live().start()
    shop.add("LAST")
    pos = clients(kiosk.hub.client("pos", "pos-1"))
    pos.call("checkout", sale("LAST", 3, 99000))
    expect(shop.page.locator('#cart-lines .cart-line[data-sku="LAST"]')).to_have_count(0, timeout=STEP_MS)
    expect(shop.page.locator("#cart-notice")).to_contain_text("한정판 드론")
    expect(shop.page.locator("#order-btn")).to_be_disabled()


def test_a_line_larger_than_what_is_left_is_cut_to_it(kiosk, clients):
    shop = kiosk.open().wait_live().start()
    shop.add("LAST", 3)
    other_kiosk = clients(kiosk.hub.client("kiosk", "kiosk-2"))
    other_kiosk.call("hold", {"hold_id": "6f1c8a52-8d0e-4a7e-9a53-0f3d1e2b4c5d",
                              "lines": [{"sku": "LAST", "qty": 2}]})
    expect(shop.page.locator('#cart-lines .cart-line[data-sku="LAST"] .qty-value')).to_have_text("1", timeout=STEP_MS)
    expect(shop.page.locator("#cart-notice")).to_contain_text("1개만 남아")


def test_a_restock_shows_at_once(kiosk, clients):
    shop = kiosk.open().wait_live().start()
    staff = clients(kiosk.hub.client("staff", "staff-1"))
    staff.call("restock", {"sku": "GONE", "qty": 4})
    expect(stock_of(shop, "GONE")).to_have_text("마감 임박 4개", timeout=STEP_MS)
    expect(shop.card("GONE").locator(".btn-add")).to_be_enabled()


def test_while_the_hub_is_down_the_kiosk_says_stock_may_be_stale_and_does_not_order(kiosk):
    shop = kiosk.open().wait_live().start()
    shop.add("PEN")
    expect(shop.page.locator("#order-btn")).to_be_enabled()
    kiosk.hub.stop()
    banner = shop.page.locator("#stale-banner")
    expect(banner).to_be_visible(timeout=STEP_MS)
    expect(banner).to_contain_text("재고 정보 갱신 중")
    expect(banner).to_contain_text("최신이 아닐 수 있습니다")
    expect(shop.page.locator("#order-btn")).to_be_disabled()
    expect(shop.page.locator("#order-status")).to_contain_text("주문할 수 없습니다")


def test_after_the_hub_restarts_the_kiosk_catches_up_with_what_changed_meanwhile(kiosk):
    shop = kiosk.open().wait_live().start()
    shop.add("RICE")
    kiosk.hub.stop()
    expect(shop.page.locator("#stale-banner")).to_be_visible(timeout=STEP_MS)
    # A restock recorded while the hub (and so the kiosk's link) was down: only sync can bring it.
    store = Store(kiosk.hub.data_dir / "hall.db")
    try:
        store.run(inventory.restock, payloads.restock({"sku": "RICE", "qty": 25, "reason": "late delivery"}),
                  device="staff-1", now=datetime.now(SEOUL))
    finally:
        store.close()
    kiosk.hub.start()
    expect(stock_of(shop, "RICE")).to_have_text("75개 남음", timeout=STEP_MS * 2)
    expect(shop.page.locator("#stale-banner")).to_be_hidden()
    expect(shop.page.locator("#order-btn")).to_be_enabled()
    assert shop.cart_qty("RICE") == 1


def test_a_kiosk_reloaded_while_the_hub_is_down_shows_itself_and_comes_back_with_the_hub(kiosk):
    shop = kiosk.open().wait_live()
    wait_until(shop.page, "navigator.serviceWorker.controller !== null", timeout=STEP_MS)
    kiosk.hub.stop()
    shop.page.reload()  # a kiosk PC restarted during an outage: the service worker serves the kiosk
    expect(shop.page.locator("#attract-screen")).to_be_visible(timeout=STEP_MS)
    expect(shop.page.locator("#attract-status")).to_have_attribute("data-state", "attract.catalog_error",
                                                                     timeout=STEP_MS)
    kiosk.hub.start()
    shop.wait_live()
    shop.start()
    expect(stock_of(shop, "PEN")).to_have_text("500개 남음")
