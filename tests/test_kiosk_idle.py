"""Idle: with no touch the kiosk asks "Are you still there?", then starts over with nothing left of
the visitor. ?idle=&warn= shorten the hall's times for these tests."""
from playwright.sync_api import expect

from tests.test_kiosk_support import STEP_MS, kiosk, kiosk_hub  # noqa: F401  (fixtures)


def test_idle_asks_if_the_visitor_is_still_there_with_a_countdown(kiosk):
    shop = kiosk.open("?idle=1&warn=5").wait_live().start()
    dialog = shop.page.locator("#idle-dialog")
    expect(dialog).to_be_visible(timeout=STEP_MS)
    expect(dialog).to_contain_text("계속 이용하시겠습니까?")
    expect(shop.page.locator("#idle-text")).to_contain_text("초 뒤 처음 화면으로")


def test_idle_starts_over_with_an_empty_cart_and_nothing_of_the_visitor(kiosk):
    shop = kiosk.open("?idle=1&warn=1").wait_live().start()
    page = shop.page
    page.locator("#lang-btn").click()
    shop.search("robot")
    shop.add("ROBOT", 2)
    assert shop.cart_qty("ROBOT") == 2
    expect(page.locator("#attract-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.locator("#attract-start").click()
    assert shop.cart_qty("ROBOT") is None
    expect(page.locator("#search")).to_have_value("")
    expect(page.locator("#cart-empty")).to_be_visible()
    expect(page.locator("#products .card:not([hidden])")).to_have_count(5)


def test_an_order_screen_is_cleared_by_idle(kiosk):
    shop = kiosk.open("?idle=2&warn=1").wait_live().start()
    code = shop.add("PEN").order()
    page = shop.page
    expect(page.locator("#attract-screen")).to_be_visible(timeout=STEP_MS)
    assert code not in page.locator("body").inner_text()
    assert page.locator("#order-qr").get_attribute("src") is None


def test_answering_the_question_keeps_the_cart(kiosk):
    shop = kiosk.open("?idle=1&warn=5").wait_live().start()
    shop.add("ROBOT")
    shop.page.locator("#idle-continue").click(timeout=STEP_MS)
    expect(shop.page.locator("#idle-dialog")).to_be_hidden()
    expect(shop.page.locator("#browse")).to_be_visible()
    assert shop.cart_qty("ROBOT") == 1


def test_the_attract_screen_does_not_time_out(kiosk):
    shop = kiosk.open("?idle=1&warn=1").wait_live()
    shop.page.wait_for_timeout(2500)
    expect(shop.page.locator("#idle-dialog")).to_be_hidden()
    expect(shop.page.locator("#attract-screen")).to_be_visible()
