"""A search typed on the wrong keyboard layout at the till and on the staff screen ("fhqht" → 로봇, "ㄱㅐㅠㅐㅅ" →
robot), and 초성 on the staff screen: real pages against a real hub. The kiosk's cases are in test_kiosk_search.py."""
from playwright.sync_api import expect

from tests.pages import wait_until
from tests.test_pos_support import open_till, till_hub  # noqa: F401 (till_hub is a fixture)
from tests.test_staff_page import open_staff


def till_results(page, skus, count_text):
    expect(page.locator("#results .vlist-row")).to_have_count(len(skus))
    shown = page.eval_on_selector_all("#results .vlist-row .r-name", "names => names.map((n) => n.textContent)")
    names = page.evaluate("(skus) => skus.map((s) => window.__pos.productName(window.__pos.catalog.bySku.get(s)))",
                          sorted(skus))
    assert sorted(shown) == sorted(names)
    expect(page.locator("#search-count")).to_have_text(count_text)


def test_the_till_reads_korean_typed_with_the_keyboard_in_english(till_hub, context):
    page = open_till(context, till_hub)
    page.locator("#search-input").fill("fhqht zlxm")
    till_results(page, {"ROBOT"}, "“로봇 키트”(으)로 바꿔 1개 찾음")
    page.locator("#search-input").fill("로봇")  # as typed, nothing to say
    till_results(page, {"ROBOT"}, "1개 찾음")


def test_the_till_reads_english_typed_with_the_keyboard_in_korean(till_hub, context):
    page = open_till(context, till_hub)
    page.click("#lang-btn")
    page.locator("#search-input").fill("ㅇㄱㅐㅜㄷ")
    till_results(page, {"LAST"}, "1 found for “drone” (typed on the other keyboard)")


def staff_rows(page, skus):
    wanted = ",".join(sorted(skus))
    wait_until(page, "[...document.querySelectorAll('.srow:not([hidden])')].map(e => e.dataset.sku).sort().join()"
                     f" === '{wanted}'")


def test_staff_stock_search_reads_the_wrong_layout_and_initials(hub, context):
    page = open_staff(hub, context)
    page.fill("#stock-search", "fhqht")
    staff_rows(page, {"ROBOT"})
    expect(page.locator("#stock-summary")).to_contain_text("“로봇”(으)로 바꿔 찾음")
    page.fill("#stock-search", "ㄹㅂ ㅋㅌ")
    staff_rows(page, {"ROBOT"})
    expect(page.locator("#stock-summary")).not_to_contain_text("바꿔 찾음")


def test_staff_stock_search_in_english_reads_the_wrong_layout(hub, context):
    page = open_staff(hub, context, lang="en")
    page.fill("#stock-search", "ㄱㅐㅠㅐㅅ ㅏㅑㅅ")
    staff_rows(page, {"ROBOT"})
    expect(page.locator("#stock-summary")).to_contain_text("Searched for “robot kit” (typed on the other keyboard)")
