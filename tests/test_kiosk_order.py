"""Ordering at the kiosk: cart, hold, the code and QR, the slip on the kiosk's printer, shortages,
cancelling and expiry."""
from playwright.sync_api import expect

from tests.pages import lose_first_ack
from tests.test_kiosk_support import (STEP_MS, Kiosk, kiosk, kiosk_hall_process, kiosk_hub,  # noqa: F401
                                      sale)


def test_adding_products_fills_the_cart_with_the_total(kiosk):
    shop = kiosk.open().wait_live().start()
    shop.add("ROBOT", 2).add("PEN")
    assert shop.cart_qty("ROBOT") == 2 and shop.cart_qty("PEN") == 1
    expect(shop.page.locator("#cart-total")).to_have_text("111,100원")
    expect(shop.card("ROBOT")).to_contain_text("장바구니에 2개")


def test_an_order_shows_the_hold_code_qr_pay_by_time_and_countdown(kiosk, clients):
    staff = clients(kiosk.hub.client("staff", "staff-1"))
    shop = kiosk.open().wait_live().start()
    shop.add("ROBOT", 2)
    code = shop.order()
    page = shop.page
    hold = staff.call("hold_lookup", {"code": code})["hold"]
    assert hold["device"] == "kiosk-1" and hold["status"] == "active"
    assert [(line["sku"], line["qty"]) for line in hold["lines"]] == [("ROBOT", 2)]
    expect(page.locator("#order-qr")).to_have_attribute("src", f"/api/qr.svg?data=HOLD%3A{code}")
    assert page.evaluate("document.getElementById('order-qr').naturalWidth") > 0
    expect(page.locator("#order-payby")).to_have_text(f"{hold['expires_at'][11:16]}까지 결제")
    expect(page.locator("#order-countdown")).to_contain_text("남은 시간 1")
    expect(page.locator("#order-total")).to_have_text("110,000원")
    assert shop.cart_qty("ROBOT") is None


def test_the_order_slip_prints_on_the_kiosks_printer(kiosk, clients):
    staff = clients(kiosk.hub.client("staff", "staff-1"))
    shop = kiosk.open().wait_live().start()
    code = shop.add("PEN").order()
    printed = staff.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["ref"] == code, timeout=15)
    assert printed["data"]["printer"] == "kiosk-1" and printed["data"]["kind"] == "order_slip"
    slip = shop.page.locator("#order-print")
    expect(slip).to_have_attribute("data-state", "printed", timeout=STEP_MS)
    expect(slip).to_contain_text("주문서가 출력되었습니다")


def test_a_sold_out_product_cannot_be_added(kiosk):
    shop = kiosk.open().wait_live().start()
    card = shop.card("GONE")
    expect(card).to_have_class("card sold-out")
    expect(card.locator(".card-stock")).to_have_text("품절")
    expect(card.locator(".btn-add")).to_be_disabled()


def test_the_cart_stops_at_the_stock_left(kiosk):
    shop = kiosk.open().wait_live().start()
    shop.add("LAST", 3)
    expect(shop.card("LAST").locator(".btn-add")).to_be_disabled()
    expect(shop.page.locator('#cart-lines .cart-line[data-sku="LAST"] .qty-btn').last).to_be_disabled()
    assert shop.cart_qty("LAST") == 3


def drop_stock_events(page, dropping: dict):
    """Let the test hide stock.changed pushes from the page, as if they were still on their way."""
    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if dropping["on"] and isinstance(message, str) and '"stock.changed"' in message:
                return
            ws.send(message)
        server.on_message(from_server)
    page.route_web_socket("**/socket.io/**", route)


def test_a_short_line_on_order_is_named_and_what_is_left_is_one_tap_away(kiosk, clients):
    dropping = {"on": False}
    drop_stock_events(kiosk.page, dropping)
    shop = kiosk.open().wait_live().start()
    pos = clients(kiosk.hub.client("pos", "pos-1"))
    dropping["on"] = True
    assert pos.call("checkout", sale("LAST", 2, 99000))["ok"] is True
    shop.add("LAST", 2)  # the page still believes 3 are left
    shop.page.locator("#order-btn").click()
    dialog = shop.page.locator("#oos-dialog")
    expect(dialog).to_be_visible(timeout=STEP_MS)
    line = dialog.locator('.oos-line[data-sku="LAST"]')
    expect(line).to_contain_text("한정판 드론")
    expect(line).to_contain_text("2개 주문 · 1개 남음")
    expect(line.locator(".oos-take")).to_have_text("남은 1개로")
    dialog.locator("#oos-order").click()
    expect(shop.page.locator("#order-screen")).to_be_visible(timeout=STEP_MS)
    expect(shop.page.locator("#order-total")).to_have_text("99,000원")


def test_taking_what_is_left_changes_the_cart_line(kiosk, clients):
    dropping = {"on": False}
    drop_stock_events(kiosk.page, dropping)
    shop = kiosk.open().wait_live().start()
    pos = clients(kiosk.hub.client("pos", "pos-1"))
    dropping["on"] = True
    pos.call("checkout", sale("LAST", 2, 99000))
    shop.add("LAST", 3).add("PEN")
    shop.page.locator("#order-btn").click()
    dialog = shop.page.locator("#oos-dialog")
    dialog.locator('.oos-line[data-sku="LAST"] .oos-take').click()
    dialog.locator("#oos-back").click()
    assert shop.cart_qty("LAST") == 1 and shop.cart_qty("PEN") == 1


def test_cancelling_an_order_releases_the_hold(kiosk, clients):
    staff = clients(kiosk.hub.client("staff", "staff-1"))
    shop = kiosk.open().wait_live().start()
    code = shop.add("ROBOT", 3).order()
    page = shop.page
    page.locator("#order-cancel").click()
    page.locator("#cancel-yes").click()
    expect(page.locator("#order-screen")).to_have_attribute("data-status", "cancelled", timeout=STEP_MS)
    expect(page.locator("#order-title")).to_have_text("주문이 취소되었습니다")
    assert staff.call("hold_lookup", {"code": code})["hold"]["status"] == "released"
    page.locator("#order-done").click()
    page.locator("#attract-start").click()
    expect(shop.card("ROBOT").locator(".card-stock")).to_have_text("10개 남음", timeout=STEP_MS)


def test_an_expired_order_says_so(tmp_path, catalog_csv, context):
    hub = kiosk_hall_process(tmp_path, catalog_csv, hold_seconds=2).start()
    try:
        context.add_init_script(f"localStorage.setItem('hall.token.kiosk', '{hub.token('kiosk', 'kiosk-1')}')")
        shop = Kiosk(context.new_page(), hub).open().wait_live().start()
        shop.add("PEN").order()
        screen = shop.page.locator("#order-screen")
        expect(screen).to_have_attribute("data-status", "expired", timeout=STEP_MS)
        expect(shop.page.locator("#order-state")).to_contain_text("결제 시간이 지나")
        expect(shop.page.locator("#order-qr")).to_be_hidden()
        expect(shop.page.locator("#order-cancel")).to_be_hidden()
    finally:
        hub.stop()


def test_an_order_whose_answer_was_lost_is_asked_again_with_the_same_hold_id(kiosk):
    # The first acknowledgement carrying a hold is lost on its way to the kiosk.
    dropped = lose_first_ack(kiosk.page, '"hold_id"')
    shop = kiosk.open().wait_live().start()
    shop.add("LAST", 3)
    shop.page.locator("#order-btn").click()
    expect(shop.page.locator("#order-status")).to_contain_text("응답하지 않습니다", timeout=STEP_MS * 2)
    # Its own held units (LAST now shows 0 left) do not empty the cart while the outcome is unknown.
    expect(shop.card("LAST").locator(".card-stock")).to_have_text("품절")
    assert shop.cart_qty("LAST") == 3 and len(dropped) == 1
    code = shop.order()
    store = kiosk.hub.read_store()
    try:
        holds = store.read_db.execute("SELECT code FROM holds").fetchall()
    finally:
        store.close()
    assert holds == [(code,)]
