"""The kiosk with a keypad alone (arrow keys, Enter, Escape: what a tactile keypad sends): searching by Korean
initials on the on-screen keyboard, adding to the cart, ordering and booking a demo in each language, a spoken
place in every list, Escape as "back", and no part of a screen that holds the visitor in."""
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.pages import wait_until
from tests.test_kiosk_support import (SEOUL, STEP_MS, demo_program_process, kiosk, kiosk_hub,  # noqa: F401
                                      paired_kiosk)

MAX_PRESSES = 200


def focused(page, selector: str, text: str | None = None) -> bool:
    """The focused control matches `selector` (and reads `text`, when given)."""
    return page.evaluate("([s, text]) => { const el = document.activeElement;"
                         " return !!el && el.matches(s) && (text === null || el.textContent.trim() === text); }",
                         [selector, text])


def move_to(page, selector: str, key: str = "ArrowRight", text: str | None = None) -> None:
    """Press one arrow key until the control `selector` has the focus, as a visitor listening to the guide does."""
    for _ in range(MAX_PRESSES):
        if focused(page, selector, text):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never got the focus with {key}; at {page.evaluate('document.activeElement.outerHTML.slice(0, 120)')}")


def press(page, selector: str, key: str = "ArrowRight", text: str | None = None) -> None:
    move_to(page, selector, key, text)
    page.keyboard.press("Enter")


def type_on_screen_keys(page, text: str) -> None:
    """Type on the kiosk's own keyboard: go to each key with the arrows and press Enter."""
    for ch in text:
        press(page, "#search-keyboard .key", text=ch)


def start(kiosk, lang: str):
    page = kiosk.open().wait_live().page
    if lang == "ko":
        press(page, "#attract-start")
    else:
        press(page, '#attract-langs [data-lang="en"]')
    expect(page.locator("#browse")).to_be_visible()
    expect(page.locator("#products .card").first).to_be_visible(timeout=STEP_MS)
    return page


@pytest.mark.parametrize("lang, initials, total", [("ko", "ㄹㅂ", "55,000원"), ("en", "robot", "₩55,000")])
def test_an_order_with_the_keypad_alone(kiosk, clients, lang, initials, total):
    page = start(kiosk, lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    move_to(page, "#search")
    expect(page.locator("#search-keyboard")).to_be_visible()
    type_on_screen_keys(page, initials)
    expect(page.locator("#search")).to_have_value(initials)
    expect(kiosk.card("ROBOT")).to_be_visible(timeout=STEP_MS)
    assert "PEN" not in kiosk.shown_skus()
    page.keyboard.press("Escape")  # the keyboard closes; the results stay
    expect(page.locator("#search-keyboard")).to_be_hidden()
    press(page, '#products .card[data-sku="ROBOT"] .btn-add')
    press(page, '#products .card[data-sku="ROBOT"] .btn-add')
    expect(page.locator('#cart-lines .cart-line[data-sku="ROBOT"] .qty-value')).to_have_text("2")
    press(page, '#cart-lines .cart-line[data-sku="ROBOT"] .qty-btn', text="−")
    expect(page.locator('#cart-lines .cart-line[data-sku="ROBOT"] .qty-value')).to_have_text("1")
    expect(page.locator("#cart-total")).to_have_text(total)
    press(page, "#order-btn")
    expect(page.locator("#order-screen")).to_be_visible(timeout=STEP_MS)
    code = page.locator("#order-code").text_content()
    staff = clients(kiosk.hub.client("staff", "staff-1"))
    hold = staff.call("hold_lookup", {"code": code})["hold"]
    assert [(line["sku"], line["qty"]) for line in hold["lines"]] == [("ROBOT", 1)]
    # The order screen puts the focus on "done"; Enter ends the visit.
    assert focused(page, "#order-done")
    page.keyboard.press("Enter")
    expect(page.locator("#attract-screen")).to_be_visible()


@pytest.fixture
def demo_hub(tmp_path, catalog_csv):
    soon = datetime.now(SEOUL) + timedelta(hours=1)
    process = demo_program_process(tmp_path, catalog_csv, [
        ("COBOT", "협동로봇 시연", "Cobot Demo", "(주)한빛로보틱스", "A-101", soon, 30, 8)]).start()
    yield process
    process.stop()


@pytest.mark.parametrize("lang, booked", [("ko", "체험 예약권"), ("en", "Your demo ticket")])
def test_a_demo_booking_with_the_keypad_alone(demo_hub, context, clients, lang, booked):
    shop = paired_kiosk(demo_hub, context)
    page = shop.open().wait_live().page
    expect(page.locator("#attract-demos")).to_be_visible(timeout=STEP_MS)
    if lang == "en":
        press(page, '#attract-langs [data-lang="en"]')
        press(page, "#demos-btn")
    else:
        press(page, "#attract-demos")
    expect(page.locator("#demos-screen")).to_be_visible()
    press(page, "#demo-next .next-slot")
    expect(page.locator("#demo-party-view")).to_be_visible()
    # Escape goes back to the program, and Enter on the session comes back to the party.
    page.keyboard.press("Escape")
    expect(page.locator("#demo-list-view")).to_be_visible()
    press(page, "#demo-next .next-slot")
    press(page, "#demo-plus", "ArrowLeft")
    expect(page.locator("#demo-party")).to_have_text("2")
    press(page, "#demo-book")
    expect(page.locator("#demo-ticket-view")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#demo-ticket-title")).to_contain_text(booked, ignore_case=True)
    staff = clients(demo_hub.client("staff", "staff-1"))
    booked_event = staff.call("sync", {"since": 0, "limit": 500})
    tickets = [e["data"] for e in booked_event["events"] if e["type"] == "ticket.booked"]
    assert [(t["party"], t["device"]) for t in tickets] == [(2, "kiosk-1")]


def test_feedback_with_the_keypad_alone(kiosk):
    page = kiosk.open().wait_live().page
    press(page, "#attract-feedback")
    expect(page.locator("#feedback-dialog")).to_be_visible()
    press(page, '#attract-feedback-box .fb-rating[data-rating="4"]')
    expect(page.locator('#attract-feedback-box .fb-rating[data-rating="4"]')).to_have_attribute("aria-pressed", "true")
    press(page, "#feedback-close")
    expect(page.locator("#feedback-dialog")).to_be_hidden()
    # The rating went to the hub from the kiosk's outbox.
    wait_until(page, "(localStorage.getItem('kiosk.feedback.outbox') || '[]') === '[]'")
    store = kiosk.hub.read_store()
    try:
        assert store.read_db.execute("SELECT rating, context FROM feedback").fetchall() == [(4, "attract")]
    finally:
        store.close()


def stops_in_order(page, key: str, limit: int = 400) -> list[str]:
    """Press `key` until the focus comes back where it started; the ids (or text) of every stop on the way."""
    start = page.evaluate("document.activeElement")
    seen = []
    first = page.evaluate("() => { const el = document.activeElement; el.dataset.start = '1'; return true; }")
    assert first
    for _ in range(limit):
        page.keyboard.press(key)
        here = page.evaluate("() => { const el = document.activeElement;"
                             " return [el.dataset.start === '1', el.id || el.className + ':' + el.textContent.trim()]; }")
        if here[0]:
            return seen
        seen.append(here[1])
    raise AssertionError(f"{key} never came back to the start: {seen[:20]} …{start}")


@pytest.mark.parametrize("key", ["ArrowRight", "ArrowLeft"])
def test_no_trap_the_arrows_go_round_every_control_and_back(kiosk, key):
    page = start(kiosk, "ko")
    kiosk.add("ROBOT")
    move_to(page, "#order-btn")
    seen = stops_in_order(page, key)
    for control in ("search", "tab-products", "home-btn", "access-low", "access-voice", "access-call"):
        assert control in seen, (control, seen)
    assert any(stop.startswith("btn btn-add") for stop in seen)


def test_escape_is_back_and_never_empties_the_cart(kiosk):
    page = start(kiosk, "ko")
    kiosk.add("PEN")
    press(page, "#tab-firms")  # on the way there the search box opened the on-screen keyboard
    expect(page.locator("#firm-panel")).to_be_visible()
    expect(page.locator("#search-keyboard")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#search-keyboard")).to_be_hidden()
    expect(page.locator("#firm-panel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#product-panel")).to_be_visible()
    page.keyboard.press("Escape")
    assert focused(page, "#home-btn")
    assert kiosk.cart_qty("PEN") == 1
    expect(page.locator("#browse")).to_be_visible()


def test_the_focus_is_large_and_plain_to_see(kiosk):
    page = start(kiosk, "ko")
    move_to(page, "#search")
    page.keyboard.press("ArrowDown")
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] == "solid" and ring[1] >= 6
