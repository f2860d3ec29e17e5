"""Feedback: a one-tap rating with an optional comment, from the attract screen and after an order."""
from playwright.sync_api import expect

from tests.test_kiosk_support import kiosk, kiosk_hub, wait_until  # noqa: F401  (fixtures)


def ratings(hub, clients):
    staff = clients(hub.client("staff", "staff-1"))
    return lambda: staff.call("feedback_list", {})["feedback"]


def test_a_rating_with_a_comment_from_the_attract_screen_is_stored(kiosk, clients):
    shop = kiosk.open().wait_live()
    page = shop.page
    page.locator("#attract-feedback").click()
    box = page.locator("#attract-feedback-box")
    box.locator('.fb-rating[data-rating="4"]').click()
    expect(box.locator(".fb-thanks")).to_be_visible()
    box.locator(".fb-comment").fill("안내가 친절해요 <b>")
    box.locator(".fb-send").click()
    expect(box.locator(".fb-thanks")).to_have_text("소중한 의견 감사합니다!")
    stored = wait_until(ratings(kiosk.hub, clients))
    assert [(f["rating"], f["comment"], f["context"], f["device"]) for f in stored] == [
        (4, "안내가 친절해요 <b>", "attract", "kiosk-1")]


def test_one_tap_after_an_order_is_stored_when_the_visitor_leaves(kiosk, clients):
    shop = kiosk.open().wait_live().start()
    shop.add("PEN").order()
    page = shop.page
    page.locator('#order-feedback .fb-rating[data-rating="5"]').click()
    page.locator("#order-done").click()
    expect(page.locator("#attract-screen")).to_be_visible()
    stored = wait_until(ratings(kiosk.hub, clients))
    assert [(f["rating"], f["comment"], f["context"], f["lang"]) for f in stored] == [(5, "", "order", "ko")]


def test_a_comment_can_be_typed_on_the_on_screen_keyboard(kiosk, clients):
    shop = kiosk.open().wait_live()
    page = shop.page
    page.locator("#attract-feedback").click()
    box = page.locator("#attract-feedback-box")
    box.locator('.fb-rating[data-rating="3"]').click()
    box.locator(".fb-comment").click()
    keys = box.locator(".fb-keyboard")
    expect(keys).to_be_visible()
    for jamo in "ㅈㅗㅎㅇㅏㅇㅛ":
        keys.locator(".key", has_text=jamo).first.click()
    expect(box.locator(".fb-comment")).to_have_value("좋아요")
    box.locator(".fb-send").click()
    stored = wait_until(ratings(kiosk.hub, clients))
    assert stored[0]["comment"] == "좋아요"
