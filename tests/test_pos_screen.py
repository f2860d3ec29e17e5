"""The till's screen at the counter's size (1366x768): what fits, what is offered before a search, which keys
each button answers to, and its icon."""
import re

import pytest
import requests as http
from playwright.sync_api import expect

from tests.test_pos_support import PEN, open_till, scan, till_hub  # noqa: F401 (till_hub is a fixture)

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
