"""The door scanner as a screen: accessibility (axe-core) on each of its screens, nothing sticking out
sideways on a phone or a tablet, and touch targets big enough for a thumb."""
import pytest
from playwright.sync_api import expect

from tests.test_scan_page_support import (BOOTH, STEP_MS, book, expect_answer, scan,  # noqa: F401
                                          scan_hub)
from tests.pages import axe_violations, sideways_overflow

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}



def small_targets(page):
    """Visible buttons and fields less than 40 px tall: too small to hit at a busy door."""
    return page.evaluate("""() => [...document.querySelectorAll('button, input')]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => el.getBoundingClientRect().height < 40)
        .map((el) => `${el.tagName}#${el.id}.${el.className}`)""")


def walk(page, hub, ticket):
    """Yields the page at each of the scanner's screens: pairing, booth choice, scanning, an answer."""
    page.goto(hub.url + "/scan/")
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    yield "pair"
    page.locator("#pair-code").fill(hub.pairing_code("scanner", "door-1"))
    page.locator("#pair-submit").click()
    expect(page.locator(".booth-choice")).to_have_count(2, timeout=STEP_MS)
    yield "booth"
    page.locator(f'.booth-choice[data-booth="{BOOTH}"]').click()
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    yield "scan"
    scan(page, ticket["qr"])
    expect_answer(page, "admitted")
    yield "answer"


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_every_screen_passes_axe_fits_the_width_and_has_big_targets(scan_hub, browser, clients, viewport):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    context = browser.new_context(viewport=viewport, locale="ko-KR", timezone_id="Asia/Seoul")
    try:
        page = context.new_page()
        found = {}
        for screen in walk(page, scan_hub, ticket):
            found[screen] = {"axe": axe_violations(page), "overflow": sideways_overflow(page)["out"],
                             "small": small_targets(page)}
        assert found == {screen: {"axe": [], "overflow": [], "small": []} for screen in found}
        assert list(found) == ["pair", "booth", "scan", "answer"]
    finally:
        context.close()
