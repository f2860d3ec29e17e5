"""The till without its hub: sales kept on the device, a reload served by the service worker, replays that
land exactly once, and replays the hub refuses kept in view."""
import time

from playwright.sync_api import expect

from tests.pages import wait_until
from tests.test_pos_support import (LAST, PEN, ROBOT, next_customer, open_till, pay_cash, query, scan, staff_client,
                                    stock, till_hub)  # noqa: F401 (till_hub is a fixture)

BACK_ONLINE_MS = 20000


def ready_for_offline(page) -> None:
    """The service worker controls the page (the shell is cached) and the catalog is on the device."""
    wait_until(page, "navigator.serviceWorker.controller !== null")
    deadline = time.monotonic() + 8
    while not page.evaluate("async () => Boolean(await window.__pos.store.get('catalog'))"):
        assert time.monotonic() < deadline, "the catalog was never kept on the device"
        time.sleep(0.1)


def go_offline(page, hub) -> None:
    hub.stop()
    expect(page.locator("#link-pill")).to_have_attribute("data-state", "offline")
    expect(page.locator("#link-pill")).to_have_text("● 오프라인 · Offline")


def test_sales_made_offline_survive_a_reload_and_land_exactly_once(till_hub, context):
    page = open_till(context, till_hub)
    ready_for_offline(page)
    go_offline(page, till_hub)

    scan(page, ROBOT)
    # Offline, the stock the hub last said, marked as not confirmed.
    expect(page.locator("#cart-lines li[data-sku=ROBOT] .stock")).to_have_text("재고 10?")
    pay_cash(page, "50000", "10000")
    expect(page.locator("#done-title")).to_contain_text("saved on this till")
    expect(page.locator("#done-change")).to_have_text("5,000원")
    expect(page.locator("#done-print")).to_contain_text("prints once the hub has recorded the sale")
    next_customer(page)
    scan(page, PEN)
    scan(page, PEN)
    pay_cash(page)
    expect(page.locator("#done-dlg")).to_be_visible()
    next_customer(page)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "2")
    expect(page.locator("#pending-pill")).to_contain_text("전송 대기 2건 · 2 pending")

    page.reload()  # the hub is still down: the service worker serves the page
    expect(page.locator("#sell-screen")).to_be_visible()
    expect(page.locator("#who")).to_contain_text("김계산")
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "2")
    expect(page.locator("#link-pill")).to_have_attribute("data-state", "offline")
    # ...and still sells, from the catalog kept on the device.
    scan(page, PEN)
    pay_cash(page)
    expect(page.locator("#done-title")).to_contain_text("saved on this till")
    next_customer(page)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "3")
    assert query(till_hub, "SELECT count(*) FROM sales") == [(0,)]

    till_hub.start()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=BACK_ONLINE_MS)
    expect(page.locator("#link-pill")).to_have_attribute("data-state", "online")
    rows = query(till_hub, "SELECT sale_id, total, offline_at, cashier, shift_id FROM sales ORDER BY receipt_no")
    assert [row[1] for row in rows] == [55000, 2200, 1100]
    assert len({row[0] for row in rows}) == 3
    assert all(row[2] and row[2].endswith("+09:00") and row[3] == "c01" and row[4] for row in rows)
    assert stock(till_hub, "ROBOT") == (9, 9)
    assert stock(till_hub, "PEN") == (497, 497)
    # Their receipts print once the hub has them.
    deadline = time.monotonic() + 10
    while query(till_hub, "SELECT count(*) FROM print_jobs WHERE kind = 'receipt' AND state = 'printed'") != [(3,)]:
        assert time.monotonic() < deadline, "the replayed sales' receipts did not print"
        time.sleep(0.1)
    # Live stock is back on screen.
    page.fill("#search-input", "robot kit")
    expect(page.locator("#results .vlist-row .r-stock")).to_have_text("재고 9")


def test_a_sale_sent_again_is_recorded_once(till_hub, context):
    """A lost ack makes the till resend the same stored payload; the hub answers it from the first time."""
    page = open_till(context, till_hub)
    scan(page, PEN)
    pay_cash(page)
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    [(sale_id,)] = query(till_hub, "SELECT sale_id FROM sales")
    again = page.evaluate("""async (saleId) => {
        const pos = window.__pos;
        const payload = {sale_id: saleId, lines: [{sku: 'PEN', qty: 1}],
                         payments: [{method: 'cash', amount: 1100}], total: 1100, cashier: 'c01',
                         shift_id: pos.session.shift.shift_id};
        const entry = await pos.outbox.add('checkout', payload);
        const outcome = await pos.outbox.sendAndWait(entry);
        return outcome.status === 'done' ? outcome.answer.sale.receipt_no : outcome;
    }""", sale_id)
    assert again == receipt
    assert query(till_hub, "SELECT count(*) FROM sales") == [(1,)]
    assert stock(till_hub, "PEN") == (499, 499)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0")


def test_selling_offline_past_the_stock_last_known_warns_and_the_sale_still_enters_the_books(till_hub, context,
                                                                                              clients):
    page = open_till(context, till_hub)
    ready_for_offline(page)
    go_offline(page, till_hub)
    for _ in range(3):  # the hub last said 3
        scan(page, LAST)
    expect(page.locator("#cart-lines li[data-sku=LAST] .stock")).to_have_text("재고 3?")
    scan(page, LAST)
    expect(page.locator("#confirm-text")).to_contain_text("마지막으로 알던 재고는 3개입니다. 그래도 4개를 담을까요?")
    expect(page.locator("#confirm-text")).to_contain_text("it last said 3. Add 4 anyway?")
    expect(page.locator("#confirm-no")).to_be_focused()  # the safe choice takes the focus
    page.click("#confirm-yes")
    expect(page.locator("#cart-lines li[data-sku=LAST] .qty-input")).to_have_value("4")
    pay_cash(page, no_cash_receipt=True)
    expect(page.locator("#done-dlg")).to_be_visible()
    next_customer(page)
    # The next sale of it knows this till already sold 4 of the 3.
    scan(page, LAST)
    expect(page.locator("#confirm-text")).to_contain_text("마지막으로 알던 재고는 0개입니다")
    page.click("#confirm-no")

    till_hub.start()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=BACK_ONLINE_MS)
    assert query(till_hub, "SELECT total, offline_at IS NOT NULL FROM sales") == [(4 * 99000, 1)]
    assert query(till_hub, "SELECT sku, qty FROM stock_discrepancies") == [("LAST", 1)]
    assert query(till_hub, "SELECT count(*) FROM replay_failures") == [(0,)]
    assert stock(till_hub, "LAST") == (0, 0)
    expect(page.locator("#refused-pill")).to_be_hidden()


def test_an_offline_sale_the_hub_cannot_understand_is_kept_and_shown_until_staff_resolve_it(till_hub, context,
                                                                                           clients):
    page = open_till(context, till_hub)
    ready_for_offline(page)
    go_offline(page, till_hub)
    # A product the hub no longer has (its catalog was reloaded while this till was cut off).
    page.evaluate("""async () => {
        const pos = window.__pos;
        const payload = {sale_id: crypto.randomUUID(), lines: [{sku: 'WITHDRAWN', qty: 2, unit_price: 5000}],
                         payments: [{method: 'cash', amount: 10000}], total: 10000, sign_in: pos.session.signIn,
                         shift_id: pos.session.shift.shift_id, offline_at: new Date().toISOString()};
        await pos.outbox.add('checkout', payload, {summary: {total: 10000, paid: 10000, change: 0}});
    }""")
    scan(page, PEN)
    pay_cash(page)
    next_customer(page)

    till_hub.start()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=BACK_ONLINE_MS)
    refused = page.locator("#refused-pill")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("1 refused")
    expect(page.locator("#sell-msg")).to_contain_text("refused an offline sale")
    [(sale_id, code, cash)] = query(till_hub, "SELECT sale_id, error_code, cash FROM replay_failures")
    assert (code, cash) == ("unknown_product", 10000)
    assert query(till_hub, "SELECT count(*) FROM sales") == [(1,)]  # the pen sale after it still went through

    refused.click()
    item = page.locator(f"#failures-list li[data-sale-id='{sale_id}']")
    expect(item).to_contain_text("허브에 없는 상품입니다")
    expect(item).to_contain_text("Recorded at the hub")
    page.click("#failures-close")

    page.reload()  # still there after a reload
    expect(page.locator("#refused-pill")).to_contain_text("1 refused")

    # Until staff deal with it.
    staff = staff_client(till_hub, clients)
    assert staff.call("replay_resolve", {"sale_id": sale_id, "note": "called the buyer"})["ok"]
    expect(page.locator("#refused-pill")).to_be_hidden()
    assert page.evaluate("window.__pos.outbox.entries.length") == 0


def test_a_shift_closed_and_opened_offline_reaches_the_hub_in_order(till_hub, context):
    page = open_till(context, till_hub, float_won=50000)
    [(first,)] = query(till_hub, "SELECT shift_id FROM shifts")
    ready_for_offline(page)
    go_offline(page, till_hub)
    page.click("#close-shift-btn")
    expect(page.locator("#close-msg")).to_contain_text("Offline")
    page.fill("#close-cash", "50000")
    page.click("#close-submit")
    expect(page.locator("#close-msg")).to_contain_text("saved on this till")
    page.click("#close-new")
    expect(page.locator("#shift-screen")).to_be_visible()
    page.fill("#float-input", "30000")
    page.keyboard.press("Enter")
    expect(page.locator("#sell-screen")).to_be_visible()
    scan(page, PEN)
    pay_cash(page)
    next_customer(page)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "3")

    till_hub.start()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=BACK_ONLINE_MS)
    shifts = query(till_hub, "SELECT shift_id, float, closed_at, counted_cash FROM shifts ORDER BY opened_at")
    assert [(s[0] == first, s[1], bool(s[2]), s[3]) for s in shifts] == [(True, 50000, True, 50000),
                                                                        (False, 30000, False, None)]
    assert query(till_hub, "SELECT shift_id FROM sales") == [(shifts[1][0],)]
    expect(page.locator("#sell-msg")).to_contain_text("Z report is printing")


def test_a_door_scanner_opened_on_the_same_device_keeps_the_tills_offline_copy(till_hub, context):
    # One laptop running the whole hall: every screen's service worker shares the origin's caches.
    page = open_till(context, till_hub)
    ready_for_offline(page)
    door = context.new_page()
    door.goto(f"{till_hub.url}/scan/")
    wait_until(door, "navigator.serviceWorker.controller !== null")
    door.close()
    go_offline(page, till_hub)
    page.reload()
    expect(page.locator("#sell-screen")).to_be_visible()
    expect(page.locator("#who")).to_contain_text("김계산")
