"""The till's screen at the counter's size (1366x768): what fits, what is offered before a search, which keys
each button answers to, and its icon."""
import re

import pytest
import requests as http
from playwright.sync_api import expect

from tests.pages import axe_violations, sideways_overflow
from tests.test_pos_support import GONE, PEN, ROBOT, open_till, query, scan, till_hub  # noqa: F401 (a fixture)

COUNTER = {"width": 1366, "height": 768}


@pytest.fixture
def counter(browser):
    """A browser context the size of the counter's touch screen."""
    opened = browser.new_context(viewport=COUNTER, locale="ko-KR", timezone_id="Asia/Seoul")
    yield opened
    opened.close()


def test_the_hub_serves_an_icon_and_the_till_and_staff_pages_link_one_that_loads(till_hub, counter):
    answer = http.get(till_hub.url + "/favicon.ico", timeout=5)
    assert answer.status_code == 200 and answer.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = counter.new_page()
    for screen in ("pos", "staff"):
        page.goto(f"{till_hub.url}/{screen}/")
        href = page.get_attribute("link[rel=icon]", "href")
        assert href and not href.startswith("data:"), screen
        loaded = page.evaluate("""async (href) => {
            const answer = await fetch(href);
            return [answer.status, answer.headers.get('content-type'), (await answer.text()).slice(0, 4)];
        }""", href)
        assert loaded == [200, "image/svg+xml; charset=utf-8", "<svg"], (screen, loaded)


def test_every_button_that_has_a_key_shows_it(till_hub, counter):
    page = open_till(counter, till_hub)
    for button, key in (("#hold-btn", "F4"), ("#refund-btn", "F6"), ("#clear-btn", "F8"), ("#pay-btn", "F9")):
        hint = page.locator(f"{button} kbd")
        expect(hint).to_have_text(key)
        expect(hint).to_be_visible()
    scan(page, PEN)
    page.keyboard.press("F9")
    for button, key in (("#pay-cancel", "Esc"), ("#pay-complete", "Enter")):
        expect(page.locator(f"{button} kbd")).to_have_text(key)
        expect(page.locator(f"{button} kbd")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#pay-dlg")).to_be_hidden()
    page.keyboard.press("F4")
    expect(page.locator("#hold-cancel kbd")).to_be_visible()


def in_view(page, selector: str) -> bool:
    """The element is inside the window and nothing covers its middle (it can be seen and tapped)."""
    return page.evaluate("""(selector) => {
        const el = document.querySelector(selector);
        const box = el.getBoundingClientRect();
        if (!box.width || box.top < 0 || box.bottom > innerHeight || box.right > innerWidth) return false;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return el === hit || el.contains(hit);
    }""", selector)


def test_cash_of_100000_asks_once_where_the_choice_is_made_and_the_buttons_stay_on_screen(till_hub, counter):
    page = open_till(counter, till_hub)
    scan(page, ROBOT)
    scan(page, ROBOT)  # 110,000 won
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-add='exact']")
    prompt = page.locator("#receipt-prompt")
    expect(prompt).to_contain_text("손님께 현금영수증이 필요한지 여쭤보고")
    expect(page.locator("#pay-dlg .chip[aria-checked=true]")).to_have_count(0)  # nothing chosen for the buyer
    assert in_view(page, "#pay-cancel") and in_view(page, "#pay-complete")

    page.click("#pay-complete")
    # Not the prompt again as a second, red message: the question itself says what is missing and takes the focus.
    expect(prompt).to_have_attribute("data-kind", "error")
    expect(prompt).to_contain_text("결제하기 전에 현금영수증을 고르세요")
    expect(page.locator("#pay-msg")).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.kind") == "none"
    assert in_view(page, "#pay-cancel") and in_view(page, "#pay-complete")

    page.click("#pay-dlg .chip[data-kind=none]")
    expect(prompt).to_be_hidden()
    expect(page.locator("#pay-dlg .chip[data-kind=none]")).to_have_attribute("aria-checked", "true")
    page.click("#pay-complete")
    expect(page.locator("#done-dlg")).to_be_visible()
    receipt = page.text_content("#done-receipt")
    assert query(till_hub, "SELECT cash_receipt_kind FROM sales WHERE receipt_no = ?", [receipt]) == [(None,)]


def test_a_complaint_about_the_form_goes_as_soon_as_it_is_put_right(till_hub, counter):
    page = open_till(counter, till_hub)
    scan(page, ROBOT)
    scan(page, ROBOT)
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-add='exact']")
    page.click("#pay-dlg .chip[data-kind=phone]")
    page.fill("#receipt-number", "010-1234")
    page.click("#pay-complete")
    expect(page.locator("#pay-msg")).to_contain_text("휴대폰 번호가 맞지 않습니다")
    assert in_view(page, "#pay-complete")
    page.fill("#receipt-number", "010-1234-5678")
    expect(page.locator("#pay-msg")).to_be_hidden()
    page.click("#pay-dlg [data-method=split]")  # the tallest form: card and cash and the receipt
    assert in_view(page, "#pay-cancel") and in_view(page, "#pay-complete")


def test_under_100000_no_receipt_is_chosen_and_shown_as_chosen(till_hub, counter):
    page = open_till(counter, till_hub)
    scan(page, PEN)
    page.keyboard.press("F9")
    expect(page.locator("#receipt-prompt")).to_be_hidden()
    expect(page.locator("#pay-dlg .chip[data-kind=none]")).to_have_attribute("aria-checked", "true")


def test_asking_for_more_than_there_is_puts_the_focus_on_the_safe_answer(till_hub, counter):
    page = open_till(counter, till_hub)
    scan(page, ROBOT)  # 10 in stock
    quantity = page.locator("#cart-lines li[data-sku=ROBOT] .qty-input")
    quantity.fill("999")
    quantity.press("Enter")
    expect(page.locator("#confirm-text")).to_contain_text("10개뿐입니다. 그래도 999개를 담을까요?")
    assert page.evaluate("document.activeElement.id") == "confirm-no"
    page.keyboard.press("Enter")  # a cashier who just presses Enter keeps the cart as it was
    expect(page.locator("#confirm-dlg")).to_be_hidden()
    expect(quantity).to_have_value("1")


def test_the_selling_screen_fits_the_counter_in_both_languages(till_hub, counter):
    page = open_till(counter, till_hub)
    for code in (ROBOT, PEN, GONE):
        scan(page, code)
        if page.locator("#confirm-dlg").is_visible():
            page.click("#confirm-yes")
    for lang in ("ko", "en"):
        overflow = sideways_overflow(page)
        assert overflow["out"] == [] and overflow["scrollWidth"] <= COUNTER["width"], (lang, overflow)
        for selector in ("#pay-btn", "#hold-btn", "#close-shift-btn", "#search-input", "#shelf-tiles .tile"):
            assert in_view(page, selector), (lang, selector)
        page.click("#lang-btn")


def test_axe_finds_no_serious_violations_on_the_till(till_hub, counter):
    page = open_till(counter, till_hub)
    scan(page, PEN)
    found = {"selling": axe_violations(page)}
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-add='exact']")
    found["payment"] = axe_violations(page)
    assert {screen: v for screen, v in found.items() if v} == {}
