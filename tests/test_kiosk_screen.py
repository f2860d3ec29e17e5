"""The kiosk as a screen: accessibility (axe-core), portrait and landscape without horizontal
overflow, touch targets, high contrast, and catalog text shown as text, never as HTML."""
import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_CATALOG
from tests.test_kiosk_support import (STEP_MS, Kiosk, kiosk_hall_process, looking_kiosk,  # noqa: F401
                                      paired_kiosk, shared_kiosk_hub)
from tests.pages import axe_violations, sideways_overflow

PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


def go_to(shop, screen):
    """Bring the kiosk to one of its screens: attract, browse (with the keyboard open) or order."""
    shop.open().wait_live()
    if screen in ("browse", "order"):
        shop.start()
    if screen == "browse":
        shop.add("ROBOT")
        shop.page.locator("#search").click()
    if screen == "order":
        shop.add("PEN").order()
        expect(shop.page.locator("#order-print")).to_have_attribute("data-state", "printed", timeout=STEP_MS)
    return shop.page



@pytest.mark.parametrize("screen", ["attract", "browse", "order"])
def test_axe_finds_no_serious_violations(looking_kiosk, screen):
    page = go_to(looking_kiosk, screen)
    assert axe_violations(page) == []


def test_axe_finds_no_serious_violations_in_high_contrast(looking_kiosk):
    page = go_to(looking_kiosk, "browse")
    page.locator("#contrast-btn").click()
    assert axe_violations(page) == []


def test_axe_finds_no_serious_violations_on_the_pairing_screen(shared_kiosk_hub, context):
    page = context.new_page()
    page.goto(shared_kiosk_hub.url + "/kiosk/")
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    assert axe_violations(page) == []


# Containers that clip what they scroll (the windowed grid, chips, cart lines): scrolled out of them is off screen.
CLIPPING = ".vgrid, .chips, .cart-lines, .order-lines"


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
@pytest.mark.parametrize("screen", ["attract", "browse", "order"])
def test_no_horizontal_overflow(browser, shared_kiosk_hub, viewport, screen):
    context = browser.new_context(viewport=viewport, locale="ko-KR", timezone_id="Asia/Seoul")
    try:
        page = go_to(paired_kiosk(shared_kiosk_hub, context), screen)
        found = sideways_overflow(page, clipping=CLIPPING)
        assert found["out"] == [] and found["scrollWidth"] <= found["width"], found
    finally:
        context.close()


def test_every_touch_target_is_at_least_48_px(browser, shared_kiosk_hub):
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR")
    try:
        page = go_to(paired_kiosk(shared_kiosk_hub, context), "browse")
        small = page.evaluate("""() => [...document.querySelectorAll('button, input, [role=tab]')]
            .filter(el => el.offsetParent !== null && !el.closest('[inert]'))
            .map(el => ({ el: el.id || el.className || el.textContent, box: el.getBoundingClientRect() }))
            .filter(x => x.box.width < 48 || x.box.height < 48)
            .map(x => `${x.el} ${Math.round(x.box.width)}x${Math.round(x.box.height)}`)""")
        assert small == []
    finally:
        context.close()


def test_the_high_contrast_option_changes_the_colours(looking_kiosk):
    page = go_to(looking_kiosk, "browse")
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator("#contrast-btn").click()
    expect(page.locator("#contrast-btn")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)" != before


HOSTILE = TEST_CATALOG + (
    'EVIL,8804444444442,"<img src=x onerror=""window.pwned=1"">드론",'
    '"<script>window.pwned=2</script>",<b>나쁜기업</b>,Bad &amp; Co,E-501,drone,1000,5,0,"<i>tag</i>"\n')


def test_catalog_text_is_shown_as_text_never_as_html(tmp_path, context):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(HOSTILE, encoding="utf-8")
    hub = kiosk_hall_process(tmp_path, catalog).start()
    try:
        context.add_init_script(f"localStorage.setItem('hall.token.kiosk', '{hub.token('kiosk', 'kiosk-1')}')")
        shop = Kiosk(context.new_page(), hub).open().wait_live().start()
        shop.search("드론")
        card = shop.card("EVIL")
        expect(card.locator(".card-name")).to_have_text('<img src=x onerror="window.pwned=1">드론')
        expect(card.locator(".card-firm")).to_contain_text("<b>나쁜기업</b>")
        expect(card.locator(".badges")).to_contain_text("<i>tag</i>")
        # Its one picture is the category's pictogram the kiosk drew, not markup from the catalog.
        assert card.locator("img").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))") == [
            "/kiosk/pictograms/drone.svg"]
        assert card.locator("script, b, i").count() == 0
        shop.add("EVIL")
        shop.page.locator("#lang-btn").click()
        expect(card.locator(".card-name")).to_have_text("<script>window.pwned=2</script>")
        assert shop.page.evaluate("window.pwned") is None
    finally:
        hub.stop()
