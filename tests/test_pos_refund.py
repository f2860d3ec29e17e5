"""Refunds, voids, closing a shift with its Z report, and a revoked till, in a real browser."""
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from hub.rules import devices
from tests.test_pos_support import (PEN, RICE, ROBOT, next_customer, open_till, pay_cash, query, scan, stock,
                                    till_hub)  # noqa: F401 (till_hub is a fixture)


def sell(page, *codes: str) -> str:
    for code in codes:
        scan(page, code)
    pay_cash(page)
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    next_customer(page)
    return receipt


def test_a_refunded_line_puts_stock_back_on_screen_and_prints_a_refund_receipt(till_hub, context):
    page = open_till(context, till_hub)
    receipt = sell(page, PEN, PEN, PEN, RICE)
    assert stock(till_hub, "PEN") == (497, 497)
    page.fill("#search-input", "eco pen")
    expect(page.locator("#results .vlist-row .r-stock")).to_have_text("재고 497")

    scan(page, f"RCPT:{receipt}")  # the receipt's QR
    expect(page.locator("#refund-dlg")).to_be_visible()
    pen = page.locator("#refund-lines tr", has_text="친환경 볼펜")
    expect(pen.locator("td").nth(3)).to_have_text("3")
    pen.locator("[data-act=plus]").click()
    pen.locator("[data-act=plus]").click()
    expect(page.locator("#refund-total")).to_have_text("2,200원")
    page.click("#refund-submit")
    expect(page.locator("#refund-done")).to_contain_text("Refunded")
    expect(page.locator("#refund-done .cash-back output")).to_have_text("2,200원")
    expect(page.locator("#refund-print")).to_contain_text("Refund receipt printed")
    assert stock(till_hub, "PEN") == (499, 499)
    expect(page.locator("#results .vlist-row .r-stock")).to_have_text("재고 499")

    # What is left of the sale is what can still be refunded.
    page.click("#refund-close")
    page.keyboard.press("F6")
    page.fill("#refund-receipt", receipt)
    page.keyboard.press("Enter")
    expect(page.locator("#refund-lines tr", has_text="친환경 볼펜").locator("td").nth(3)).to_have_text("1")
    [(kind, total, cashier)] = query(till_hub, "SELECT kind, total, cashier FROM refunds")
    assert (kind, total, cashier) == ("refund", 2200, "c01")


def test_a_refund_over_the_limit_needs_a_supervisors_pin(till_hub, context):
    page = open_till(context, till_hub)
    receipt = sell(page, ROBOT)
    page.keyboard.press("F6")
    page.fill("#refund-receipt", receipt)
    page.keyboard.press("Enter")
    page.locator("#refund-lines [data-act=all]").click()
    page.click("#refund-submit")
    expect(page.locator("#pin-dlg")).to_be_visible()
    expect(page.locator("#pin-dlg-title")).to_contain_text("supervisor's PIN")
    expect(page.locator("#pin-dlg-who")).to_have_value("s01")
    page.fill("#pin-dlg-input", "1111")
    page.keyboard.press("Enter")
    expect(page.locator("#pin-dlg-msg")).to_contain_text("Wrong PIN. 4 attempts left")
    page.fill("#pin-dlg-input", "9999")
    page.keyboard.press("Enter")
    expect(page.locator("#pin-dlg")).to_be_hidden()
    expect(page.locator("#refund-done")).to_contain_text("55,000원")
    assert query(till_hub, "SELECT approved_by, total FROM refunds") == [("s01", 55000)]
    assert stock(till_hub, "ROBOT") == (10, 10)


def test_a_void_takes_the_whole_sale_back_with_the_cashiers_pin(till_hub, context):
    page = open_till(context, till_hub)
    receipt = sell(page, PEN, RICE)
    page.keyboard.press("F6")
    page.fill("#refund-receipt", receipt)
    page.keyboard.press("Enter")
    page.click("#void-btn")
    expect(page.locator("#pin-dlg-who")).to_have_value("c01")
    page.fill("#pin-dlg-input", "1234")
    page.keyboard.press("Enter")
    expect(page.locator("#refund-done")).to_contain_text("Sale voided")
    assert query(till_hub, "SELECT kind, total FROM refunds") == [("void", 13100)]
    assert stock(till_hub, "RICE") == (50, 50)


def test_a_refund_of_an_unknown_receipt_says_so(till_hub, context):
    page = open_till(context, till_hub)
    page.keyboard.press("F6")
    page.fill("#refund-receipt", "991231-00009")
    page.keyboard.press("Enter")
    expect(page.locator("#refund-msg")).to_contain_text("No sale has that receipt number")
    expect(page.locator("#refund-msg")).to_contain_text("영수증 번호가 없습니다")


def test_closing_the_shift_shows_the_z_report_and_prints_it(till_hub, context):
    page = open_till(context, till_hub, float_won=50000)
    sell(page, PEN)
    page.click("#close-shift-btn")
    # Every part of the drawer is named, refunds included, so the parts add up on screen.
    expect(page.locator("#close-expected")).to_contain_text(
        "예상 현금 51,100원 = 시재금 50,000원 + 현금 매출 1,100원 − 현금 환불 0원")
    page.fill("#close-cash", "51000")
    page.click("#close-submit")
    report = page.locator("#z-report")
    expect(report).to_be_visible()
    expect(report.locator("tr", has_text="차액")).to_contain_text("-100원 (부족)")
    expect(report.locator("tr", has_text="현금 환불")).to_contain_text("− 0원")
    expect(report.locator("tr", has_text="실제 현금")).to_contain_text("51,000원")
    expect(report.locator("tr", has_text="판매 건수")).to_contain_text("1")
    expect(page.locator("#close-print")).to_contain_text("Z report printed")
    [(closed_at, counted, expected)] = query(till_hub, "SELECT closed_at, counted_cash, expected_cash FROM shifts")
    assert closed_at and (counted, expected) == (51000, 51100)
    page.click("#close-new")
    expect(page.locator("#shift-screen")).to_be_visible()


def test_a_revoked_till_goes_back_to_pairing(till_hub, context):
    page = open_till(context, till_hub)
    store = till_hub.read_store()
    try:
        store.run(devices.revoke, "pos-1", now=datetime.now(ZoneInfo("Asia/Seoul")))
    finally:
        store.close()
    expect(page.locator("#pair-screen")).to_be_visible()
    expect(page.locator("#pair-revoked")).to_be_visible()
    expect(page.locator("#pair-revoked")).to_contain_text("revoked")


def test_refunding_a_sale_with_a_cash_receipt_says_how_much_of_it_is_cancelled(till_hub, context):
    page = open_till(context, till_hub)
    scan(page, ROBOT)
    scan(page, ROBOT)  # 110,000 in cash: the till asks for the 현금영수증
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-add='exact']")
    page.click("#pay-dlg .chip[data-kind=phone]")
    page.fill("#receipt-number", "010-1234-5678")
    page.click("#pay-complete")
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    next_customer(page)

    scan(page, f"RCPT:{receipt}")
    expect(page.locator("#refund-dlg")).to_be_visible()
    page.locator("#refund-lines tr").first.locator("[data-act=plus]").click()
    page.click("#refund-submit")
    page.fill("#pin-dlg-input", "9999")  # over the hall's limit: a supervisor approves
    page.keyboard.press("Enter")
    expect(page.locator("#refund-done .refund-cash-receipt")).to_have_text("현금영수증 취소: 55,000원 (010****5678)")
    assert query(till_hub, "SELECT cash_receipt_amount FROM refunds") == [(55000,)]
