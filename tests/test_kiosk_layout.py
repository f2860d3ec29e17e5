"""The kiosk's boxes at its real size, 1080x1920 portrait: the hall's name and the catalog's longest names
shown whole in both languages, the cart a strip under the products, and the word keys on one line."""
import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_kiosk_support import SEOUL, STEP_MS, demo_program_process, paired_kiosk

ROOT = Path(__file__).resolve().parent.parent
PORTRAIT = {"width": 1080, "height": 1920}
HALL = ('name = "2026 대한민국 공공조달박람회 판매관"\n'
        'name_en = "Korea Public Procurement Expo 2026 - Sales Hall"')


def longest_rows() -> str:
    """The demo catalog's products with the longest name, English name, firm and English firm."""
    with open(ROOT / "config" / "catalog.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = reader.fieldnames
    chosen = {max(rows, key=lambda r: (len(r[column]), r["sku"]))["sku"]
              for column in ("name", "name_en", "firm", "firm_en")}
    # A product with three badges and the longest words on every line at once: the worst card.
    worst = {column: max((r[column] for r in rows), key=len) for column in ("name", "name_en", "firm", "firm_en")}
    worst_row = {**rows[0], **worst, "sku": "WORST", "barcode": "8801234567893", "booth": "D-555",
                 "tags": "innovative-product;excellent-procurement;made-in-korea", "image": ""}
    out = [",".join(header)]
    for row in [r for r in rows if r["sku"] in chosen] + [worst_row]:
        out.append(",".join(f'"{row[c]}"' if "," in row[c] else row[c] for c in header))
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def long_names_hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long-names")
    catalog = folder / "catalog.csv"
    catalog.write_text(longest_rows(), encoding="utf-8")
    # With a demo program, so the top bar has its demo button too, as in a real hall.
    soon = datetime.now(SEOUL) + timedelta(hours=1)
    # And the demo hall's plan, so every card has its booth button.
    process = demo_program_process(folder, catalog, [
        ("COBOT", "협동로봇 시연", "Cobot Demo", "(주)유진로보틱스", "A-103", soon, 30, 8)],
        extra=f'\n[hall_plan]\nfile = "{(ROOT / "config" / "hall-plan.json").as_posix()}"\n')
    config = process.config_path.read_text(encoding="utf-8")
    process.config_path.write_text(config.replace('name = "테스트 판매관"', HALL), encoding="utf-8")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def tall_kiosk(browser, long_names_hub):
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR", timezone_id="Asia/Seoul")
    yield paired_kiosk(long_names_hub, context)
    context.close()


CUT = """(el) => {
    const style = getComputedStyle(el);
    return {
        text: el.textContent,
        cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1
             || (style.textOverflow === 'ellipsis' && style.whiteSpace === 'nowrap'
                 && el.scrollWidth > el.clientWidth),
    };
}"""

LINES = """(el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
}"""


def switch_to_english(page):
    page.locator("#lang-btn").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_hall_name_in_the_top_bar_is_shown_whole(tall_kiosk, lang):
    shop = tall_kiosk.open().wait_live().start()
    expect(shop.page.locator("#demos-btn")).to_be_visible(timeout=STEP_MS)
    if lang == "en":
        switch_to_english(shop.page)
    name = shop.page.locator("#hall-name")
    expect(name).to_have_text("2026 대한민국 공공조달박람회 판매관" if lang == "ko"
                              else "Korea Public Procurement Expo 2026 - Sales Hall")
    assert not name.evaluate(CUT)["cut"]
    assert name.evaluate(LINES) <= 3
    # Not at the products' expense: the top bar stays a bar.
    assert shop.page.locator(".app > .topbar").bounding_box()["height"] < 120


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_catalogs_longest_names_are_not_cut_on_their_cards(tall_kiosk, lang):
    shop = tall_kiosk.open().wait_live().start()
    if lang == "en":
        switch_to_english(shop.page)
    cards = shop.page.locator("#products .card:not([hidden])")
    expect(cards).to_have_count(5, timeout=STEP_MS)
    for i in range(5):
        card = cards.nth(i)
        for part in (".card-name", ".card-other", ".card-firm"):
            shown = card.locator(part).evaluate(CUT)
            assert not shown["cut"], (card.get_attribute("data-sku"), part, shown["text"])
        # Nothing pushed out of the card's box either, and the booth is one touch from the plan.
        bottom = card.bounding_box()["y"] + card.bounding_box()["height"]
        for button in (card.locator(".btn-add"), card.locator(".card-where")):
            expect(button).to_be_visible()
            box = button.bounding_box()
            assert box["y"] + box["height"] <= bottom and not button.evaluate(CUT)["cut"]


def test_the_cart_with_two_lines_is_a_strip_under_the_products(tall_kiosk):
    shop = tall_kiosk.open().wait_live().start()
    skus = shop.page.eval_on_selector_all("#products .card:not([hidden])", "cs => cs.map(c => c.dataset.sku)")
    for sku in skus[:2]:
        shop.add(sku)
    expect(shop.page.locator("#cart-lines .cart-line")).to_have_count(2)
    cart = shop.page.locator(".cart").bounding_box()
    products = shop.page.locator("#products").bounding_box()
    assert cart["height"] < 0.2 * PORTRAIT["height"], cart
    assert products["height"] > 0.45 * PORTRAIT["height"], products
    # Every line, the total and the order button are in it, none scrolled away.
    for selector in ("#cart-lines .cart-line >> nth=1", "#cart-total", "#order-btn"):
        box = shop.page.locator(selector).bounding_box()
        assert cart["y"] <= box["y"] and box["y"] + box["height"] <= cart["y"] + cart["height"] + 1, selector


def test_the_pairing_keypads_clear_key_is_one_line(browser, long_names_hub):
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(long_names_hub.url + "/kiosk/")
        expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
        clear = page.locator("#pair-keys .key", has_text="전체 지우기")
        assert clear.evaluate(LINES) == 1
        assert not clear.evaluate(CUT)["cut"]
    finally:
        context.close()


def test_the_search_keyboards_word_keys_are_one_line(tall_kiosk):
    shop = tall_kiosk.open().wait_live().start()
    shop.page.locator("#search").click()
    keyboard = shop.page.locator("#search-keyboard")
    expect(keyboard).to_be_visible()
    for word in ("전체 지우기", "띄어쓰기", "닫기"):
        key = keyboard.locator(".kb-bottom .key", has_text=word)
        assert key.evaluate(LINES) == 1, word
        assert not key.evaluate(CUT)["cut"], word


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_firm_names_in_the_directory_are_not_cut(tall_kiosk, lang):
    shop = tall_kiosk.open().wait_live().start()
    if lang == "en":
        switch_to_english(shop.page)
    shop.page.locator("#tab-firms").click()
    rows = shop.page.locator("#firms .firm-row:not([hidden])")
    expect(rows.first).to_be_visible(timeout=STEP_MS)
    for i in range(rows.count()):
        for part in (".firm-row-name", ".firm-row-other"):
            shown = rows.nth(i).locator(part).evaluate(CUT)
            assert not shown["cut"], (part, shown["text"])
