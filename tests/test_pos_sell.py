"""The till in a real browser against a real hub: sign-in, scanning, payment, receipts, kiosk orders."""
import re

from playwright.sync_api import expect

from tests.pages import wait_until
from tests.test_pos_support import (GONE, PEN, RICE, ROBOT, kiosk_hold, next_customer, open_till, pair, pay_cash,
                                    query, scan, sign_in, staff_client, stock, till_hub)  # noqa: F401 (till_hub is a fixture)


def test_a_scan_typed_with_focus_nowhere_is_paid_in_cash_with_change_and_a_printed_receipt(till_hub, context):
    page = open_till(context, till_hub)
    expect(page.locator("#who")).to_contain_text("김계산 (c01)")
    scan(page, ROBOT)
    line = page.locator("#cart-lines li[data-sku=ROBOT]")
    expect(line).to_be_visible()
    expect(line.locator(".qty-input")).to_have_value("1")
    expect(line.locator(".stock")).to_have_text("재고 10")
    expect(page.locator("#cart-total")).to_have_text("55,000원")

    pay_cash(page, "50000", "10000")
    expect(page.locator("#done-dlg")).to_be_visible()
    expect(page.locator("#done-change")).to_have_text("5,000원")
    expect(page.locator("#done-print")).to_contain_text("Receipt printed")
    receipt = page.text_content("#done-receipt")
    assert re.fullmatch(r"\d{6}-\d{5}", receipt)

    [(cashier, shift_id, total, paid, change)] = query(
        till_hub, "SELECT cashier, shift_id, total, paid, change FROM sales WHERE receipt_no = ?", [receipt])
    assert (cashier, total, paid, change) == ("c01", 55000, 60000, 5000)
    assert query(till_hub, "SELECT float FROM shifts WHERE shift_id = ?", [shift_id]) == [(50000,)]
    [(job_no, state)] = query(till_hub, "SELECT job_no, state FROM print_jobs WHERE ref = ?", [receipt])
    assert state == "printed"
    assert (till_hub.data_dir / "prints" / "counter-1" / f"job-{job_no:07d}.bin").stat().st_size > 0


def test_the_same_product_scanned_again_adds_to_its_line_and_lines_can_be_changed_and_removed(till_hub, context):
    page = open_till(context, till_hub)
    scan(page, PEN)
    scan(page, PEN)
    scan(page, RICE)
    pen = page.locator("#cart-lines li[data-sku=PEN]")
    expect(pen.locator(".qty-input")).to_have_value("2")
    pen.locator("[data-act=plus]").click()
    expect(pen.locator(".qty-input")).to_have_value("3")
    pen.locator(".qty-input").fill("7")
    pen.locator(".qty-input").press("Enter")
    expect(pen.locator(".qty-input")).to_have_value("7")
    expect(page.locator("#cart-total")).to_have_text("19,700원")
    page.locator("#cart-lines li[data-sku=RICE] [data-act=remove]").click()
    expect(page.locator("#cart-lines li")).to_have_count(1)
    expect(page.locator("#cart-total")).to_have_text("7,700원")


def test_an_unknown_barcode_is_said_in_both_languages(till_hub, context):
    page = open_till(context, till_hub)
    scan(page, "8800000000000")
    expect(page.locator("#sell-msg")).to_contain_text("알 수 없는 바코드")
    expect(page.locator("#sell-msg")).to_contain_text("Unknown barcode: 8800000000000")
    expect(page.locator("#cart-lines li")).to_have_count(0)


def test_a_scan_into_the_search_field_adds_the_product_and_leaves_the_field_clean(till_hub, context):
    page = open_till(context, till_hub)
    page.click("#search-input")
    page.keyboard.type("펜")
    page.keyboard.type(PEN)
    page.keyboard.press("Enter")
    expect(page.locator("#cart-lines li[data-sku=PEN]")).to_be_visible()
    expect(page.locator("#search-input")).to_have_value("펜")


def test_search_finds_by_korean_and_english_name_and_by_firm(till_hub, context):
    page = open_till(context, till_hub)
    search = page.locator("#search-input")
    for query_text, skus in [("로봇", {"ROBOT"}), ("drone", {"LAST"}), ("한빛로보틱스", {"ROBOT", "GONE"}),
                             ("farmers", {"RICE"}), ("ㄷㄹ", {"LAST"})]:
        search.fill(query_text)
        names = page.locator("#results .vlist-row .r-name")
        expect(names).to_have_count(len(skus))
    search.fill("eco pen")
    page.keyboard.press("Enter")
    expect(page.locator("#cart-lines li[data-sku=PEN]")).to_be_visible()


def test_selling_what_is_held_or_gone_asks_first(till_hub, context, clients):
    page = open_till(context, till_hub)
    scan(page, GONE)
    expect(page.locator("#confirm-dlg")).to_be_visible()
    expect(page.locator("#confirm-text")).to_contain_text("sold out")
    page.click("#confirm-no")
    expect(page.locator("#cart-lines li")).to_have_count(0)

    kiosk_hold(till_hub, clients, [{"sku": "LAST", "qty": 3}])  # every unit of LAST is now held
    expect(page.locator("#results")).to_be_attached()
    wait_until(page, "window.__pos.catalog.bySku.get('LAST').available === 0")
    scan(page, "8801111111119")
    expect(page.locator("#confirm-text")).to_contain_text("kiosk orders hold 3")
    page.click("#confirm-yes")
    line = page.locator("#cart-lines li[data-sku=LAST]")
    expect(line).to_have_class(re.compile("short"))
    expect(line.locator(".line-warn")).to_contain_text("only 0 can be sold")


def test_a_kiosk_order_is_loaded_by_its_code_and_paid_and_the_hold_becomes_the_sale(till_hub, context, clients):
    code = kiosk_hold(till_hub, clients, [{"sku": "RICE", "qty": 2}, {"sku": "PEN", "qty": 3}])
    page = open_till(context, till_hub)
    page.keyboard.press("F4")
    page.fill("#hold-code", code.lower())
    page.keyboard.press("Enter")
    expect(page.locator("#hold-dlg")).to_be_hidden()
    expect(page.locator("#hold-banner")).to_contain_text(code)
    expect(page.locator("#cart-lines li[data-sku=RICE] .qty-input")).to_have_value("2")
    expect(page.locator("#cart-lines li[data-sku=PEN] .qty-input")).to_have_value("3")
    expect(page.locator("#cart-total")).to_have_text("27,300원")
    pay_cash(page, "exact")
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    assert query(till_hub, "SELECT hold_code FROM sales WHERE receipt_no = ?", [receipt]) == [(code,)]
    assert query(till_hub, "SELECT status FROM holds WHERE code = ?", [code]) == [("consumed",)]
    assert stock(till_hub, "RICE") == (48, 48)

    next_customer(page)
    scan(page, f"HOLD:{code}")  # the slip's QR again: the order is used
    expect(page.locator("#sell-msg")).to_contain_text("already paid")
    expect(page.locator("#cart-lines li")).to_have_count(0)


def test_an_expired_kiosk_order_says_so(tmp_path, catalog_csv, context, clients):
    from tests.conftest import hall_config
    from tests.hubproc import HubProcess
    from tests.test_pos_support import TILLS
    hub = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, hold_seconds=1, extra=TILLS)).start()
    try:
        code = kiosk_hold(hub, clients, [{"sku": "PEN", "qty": 1}])
        page = open_till(context, hub)
        page.wait_for_timeout(1200)
        scan(page, f"HOLD:{code}")
        expect(page.locator("#sell-msg")).to_contain_text("ran out")
        expect(page.locator("#sell-msg")).to_contain_text("예약 시간이 지나")
    finally:
        hub.stop()


def test_card_and_cash_split_with_a_cash_receipt_request(till_hub, context):
    page = open_till(context, till_hub)
    scan(page, "8801111111119")  # 99,000
    scan(page, RICE)             # 12,000 -> 111,000
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-method=split]")
    page.fill("#card-amount", "60000")
    page.fill("#card-approval", "30012345")
    page.select_option("#card-type", "KB국민")
    page.fill("#card-last4", "1234")
    expect(page.locator("#cash-due")).to_have_text("51,000원")
    page.click("#pay-dlg [data-add='50000']")
    page.click("#pay-dlg [data-add='10000']")
    expect(page.locator("#pay-change")).to_have_text("9,000원")
    page.click("#pay-complete")  # under 100,000 in cash: no prompt needed
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    rows = query(till_hub, "SELECT p.method, p.amount, p.tendered, p.approval_no, p.card_type, p.card_masked FROM payments p"
                           " JOIN sales s ON s.sale_id = p.sale_id WHERE s.receipt_no = ? ORDER BY p.line_no", [receipt])
    assert rows == [("cash", 51000, 60000, None, None, None), ("card", 60000, None, "30012345", "KB국민", "****-****-****-1234")]


def test_cash_of_100000_or_more_prompts_for_a_cash_receipt(till_hub, context):
    page = open_till(context, till_hub)
    scan(page, ROBOT)
    scan(page, ROBOT)  # 110,000
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-add='exact']")
    expect(page.locator("#receipt-prompt")).to_contain_text("ask the buyer")
    page.click("#pay-complete")
    expect(page.locator("#receipt-prompt")).to_contain_text("Choose the cash receipt before completing")
    expect(page.locator("#done-dlg")).to_be_hidden()
    page.click("#pay-dlg .chip[data-kind=phone]")
    expect(page.locator("#receipt-prompt")).to_be_hidden()
    page.fill("#receipt-number", "010-1234")
    page.click("#pay-complete")
    expect(page.locator("#pay-msg")).to_contain_text("mobile number is not valid")
    page.fill("#receipt-number", "010-1234-5678")
    page.click("#pay-complete")
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    assert query(till_hub, "SELECT cash_receipt_kind, cash_receipt_number FROM sales WHERE receipt_no = ?",
                 [receipt]) == [("phone", "01012345678")]


def test_a_sale_the_hub_refuses_is_not_done_and_says_why(till_hub, context, clients):
    page = open_till(context, till_hub)
    scan(page, "8801111111119")
    page.keyboard.press("F9")
    staff = staff_client(till_hub, clients)
    assert staff.call("adjust", {"sku": "LAST", "kind": "count", "qty": 0, "reason": "broken"})["ok"]
    page.click("#pay-dlg [data-add='exact']")
    page.click("#pay-complete")
    expect(page.locator("#pay-msg")).to_contain_text("Not enough stock")
    expect(page.locator("#pay-msg")).to_contain_text("재고가 부족")
    expect(page.locator("#done-dlg")).to_be_hidden()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0")
    assert query(till_hub, "SELECT count(*) FROM sales") == [(0,)]


def test_a_wrong_pin_says_how_many_tries_are_left_then_locks_with_the_time(till_hub, context):
    page = context.new_page()
    pair(page, till_hub)
    for left in (4, 3, 2, 1):
        sign_in(page, pin="0000")
        expect(page.locator("#pin-msg")).to_contain_text(f"{left} attempt{'s' if left > 1 else ''} left.")
        expect(page.locator("#pin-msg")).to_contain_text(f"남은 시도 {left}회")
    sign_in(page, pin="0000")
    expect(page.locator("#pin-msg")).to_contain_text(re.compile(r"locked until \d\d:\d\d"))
    sign_in(page, pin="1234")  # the right PIN does not help now
    expect(page.locator("#pin-msg")).to_contain_text("잠겼습니다")
    expect(page.locator(".cashier[data-cashier-id=c01] .cashier-locked")).to_be_visible()
    expect(page.locator("#signin-screen")).to_be_visible()

    # A supervisor at the till lifts the lock; a wrong supervisor PIN is said in the dialog and changes nothing.
    page.click("#unlock-btn")
    expect(page.locator("#pin-dlg-title")).to_contain_text("감독자 PIN")
    assert page.locator("#pin-dlg-who option").all_inner_texts() == ["박감독 (s01)"]
    page.fill("#pin-dlg-input", "1111")
    page.keyboard.press("Enter")
    expect(page.locator("#pin-dlg-msg")).to_contain_text("PIN")
    page.fill("#pin-dlg-input", "9999")
    page.keyboard.press("Enter")
    expect(page.locator("#pin-dlg")).to_be_hidden()
    expect(page.locator("#pin-msg")).to_contain_text("잠금이 해제")
    expect(page.locator(".cashier[data-cashier-id=c01] .cashier-locked")).to_have_count(0)
    expect(page.locator("#unlock-btn")).to_be_hidden()
    page.fill("#pin-input", "1234")
    page.keyboard.press("Enter")
    expect(page.locator("#shift-screen")).to_be_visible()


def test_the_receipt_can_be_reprinted_and_previewed(till_hub, context):
    page = open_till(context, till_hub)
    scan(page, PEN)
    pay_cash(page)
    expect(page.locator("#done-print")).to_contain_text("Receipt printed")
    receipt = page.text_content("#done-receipt")
    page.click("#done-preview")
    expect(page.locator("#preview-dlg")).to_be_visible()
    wait_until(page, "document.querySelector('#preview-img').naturalWidth > 100")
    page.click("#preview-close")
    page.click("#done-reprint")
    wait_until(page, "receipt => [...window.__pos.prints.byRef.values()].length && window.__pos.prints.get(receipt)"
                           " && window.__pos.prints.get(receipt).reprint", arg=receipt)
    expect(page.locator("#done-print")).to_contain_text("Receipt printed")
    assert query(till_hub, "SELECT count(*) FROM print_jobs WHERE ref = ? AND state = 'printed'", [receipt]) == [(2,)]


def test_the_screen_switches_to_english(till_hub, context):
    page = open_till(context, till_hub)
    expect(page.locator("#sell-title")).to_have_text("판매")
    page.click("#lang-btn")
    expect(page.locator("#sell-title")).to_have_text("Sale")
    scan(page, RICE)
    expect(page.locator("#cart-lines li[data-sku=RICE] .name")).to_have_text("Organic Rice 2kg")
    expect(page.locator("#cart-total")).to_have_text("₩12,000")
    page.reload()
    expect(page.locator("#sell-title")).to_have_text("Sale")


def test_catalog_text_is_shown_as_text(till_hub, context, clients):
    page = open_till(context, till_hub)
    page.evaluate("""() => {
        const p = window.__pos.catalog.bySku.get('PEN');
        p.name = '<img src=x onerror="window.hacked=1">';
    }""")
    scan(page, PEN)
    expect(page.locator("#cart-lines li[data-sku=PEN] .name")).to_have_text('<img src=x onerror="window.hacked=1">')
    assert page.evaluate("window.hacked === undefined")
