"""The kiosk's pairing screen: a code from staff pairs it; a bad code or a revoked kiosk says so."""
from playwright.sync_api import expect

from tests.test_kiosk_support import STEP_MS, kiosk_hub, revoke  # noqa: F401  (fixture)


def test_a_pairing_code_pairs_the_kiosk_and_opens_the_attract_screen(kiosk_hub, context):
    page = context.new_page()
    page.goto(kiosk_hub.url + "/kiosk")
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    page.locator("#pair-code").fill(kiosk_hub.pairing_code("kiosk", "kiosk-1"))
    page.locator("#pair-submit").click()
    expect(page.locator("#attract-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    assert page.evaluate("localStorage.getItem('hall.token.kiosk.name')") == "kiosk-1"


def test_the_code_can_be_typed_on_the_on_screen_keypad(kiosk_hub, context):
    code = kiosk_hub.pairing_code("kiosk", "kiosk-1")
    page = context.new_page()
    page.goto(kiosk_hub.url + "/kiosk")
    for ch in code.replace("-", ""):
        page.locator("#pair-keys .key", has_text=ch).first.click()
    expect(page.locator("#pair-code")).to_have_value(code)
    page.locator("#pair-submit").click()
    expect(page.locator("#attract-screen")).to_be_visible(timeout=STEP_MS)


def test_an_unknown_code_is_refused_in_korean_and_english(kiosk_hub, context):
    page = context.new_page()
    page.goto(kiosk_hub.url + "/kiosk")
    page.locator("#pair-code").fill("ACDE-FGHJ")
    page.locator("#pair-submit").click()
    status = page.locator("#pair-status")
    expect(status.locator('[lang="ko"]')).to_contain_text("없는 연결 코드", timeout=STEP_MS)
    expect(status.locator('[lang="en"]')).to_contain_text("not valid")
    expect(page.locator("#pair-screen")).to_be_visible()


def test_a_code_for_another_role_is_refused(kiosk_hub, context):
    page = context.new_page()
    page.goto(kiosk_hub.url + "/kiosk")
    page.locator("#pair-code").fill(kiosk_hub.pairing_code("pos", "pos-1"))
    page.locator("#pair-submit").click()
    expect(page.locator('#pair-status [lang="en"]')).to_contain_text("not for a kiosk", timeout=STEP_MS)


def test_a_revoked_kiosk_goes_back_to_the_pairing_screen(kiosk_hub, context):
    page = context.new_page()
    page.goto(kiosk_hub.url + "/kiosk")
    page.locator("#pair-code").fill(kiosk_hub.pairing_code("kiosk", "kiosk-1"))
    page.locator("#pair-submit").click()
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    page.locator("#attract-start").click()
    revoke(kiosk_hub, "kiosk-1")
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#pair-revoked")).to_be_visible()
    assert page.evaluate("localStorage.getItem('hall.token.kiosk')") is None
