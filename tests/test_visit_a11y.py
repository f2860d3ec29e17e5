"""The phone's screens at 390x844: no serious accessibility violation (axe, served by the hub), big enough
touch targets, nothing running off the side, and the phone's own language chosen for the page."""
import pytest
from playwright.sync_api import expect

from tests.pages import axe_violations, sideways_overflow
from tests.test_visit_support import STEP_MS, open_phone, phone_context, shared_visit_hub  # noqa: F401

MIN_TARGET = 44  # CSS px: the smallest touch target the platforms' guidelines allow

SMALL_TARGETS = """() => [...document.querySelectorAll('button, a[href], input')]
    .filter((el) => el.checkVisibility() && !el.closest('svg'))
    .map((el) => ({ el, box: el.getBoundingClientRect() }))
    .filter(({ box }) => box.width < %d || box.height < %d)
    .map(({ el, box }) => `${el.tagName}#${el.id}.${el.className} ${Math.round(box.width)}x${Math.round(box.height)}`)
""" % (MIN_TARGET, MIN_TARGET)


def open_view(phone, view: str):
    page = phone.page
    if view == "find":
        phone.search("로봇")
        expect(phone.card("ROBOT").locator(".card-stock")).to_have_text("재고 10개", timeout=STEP_MS)
    elif view == "firms":
        phone.go("/find")
        page.locator("#tab-firms").click()
        expect(page.locator("#firms .firm-row").first).to_be_visible(timeout=STEP_MS)
    elif view == "product":
        phone.go("/product/ROBOT")
        expect(page.locator("#product-stock")).to_have_text("재고 10개", timeout=STEP_MS)
    elif view == "cart":
        phone.go("/product/PEN")
        page.locator("#product-add").click()
        phone.go("/cart")
        expect(page.locator("#cart-lines .cart-line")).to_have_count(1)
    elif view == "demos":
        phone.go("/demos")
        expect(page.locator("#demo-list .slot-left").first).to_have_text("6자리 남음", timeout=STEP_MS)
    elif view == "plan":
        phone.go("/plan/A-101")
        expect(page.locator("#plan-view")).to_have_attribute("data-booth", "A-101", timeout=STEP_MS)
    elif view == "mine":
        phone.go("/mine")
        expect(page.locator("#mine-feedback .fb-rating")).to_have_count(5)


VIEWS = ("find", "firms", "product", "cart", "demos", "plan", "mine")


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_passes_axe_has_big_targets_and_fits_the_phone(shared_visit_hub, phone_context, view):
    phone = open_phone(shared_visit_hub, phone_context)
    open_view(phone, view)
    assert axe_violations(phone.page) == []
    assert phone.page.evaluate(SMALL_TARGETS) == []
    overflow = sideways_overflow(phone.page, ".chips, .plan-box")  # both clip what they scroll or crop
    assert overflow["out"] == [] and overflow["scrollWidth"] <= overflow["width"], overflow


def test_the_order_and_ticket_views_pass_axe(shared_visit_hub, phone_context):
    phone = open_phone(shared_visit_hub, phone_context)
    page = phone.page
    phone.search("볼펜").add("PEN")
    phone.order()
    assert axe_violations(page) == []
    phone.go("/demos")
    page.locator("#demo-list .slot-open").first.click()
    page.locator("#book-btn").click()
    expect(page.locator("#ticket-view")).to_be_visible(timeout=STEP_MS)
    assert axe_violations(page) == []
    assert page.evaluate(SMALL_TARGETS) == []
