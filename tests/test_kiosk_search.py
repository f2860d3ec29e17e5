"""Finding products on the kiosk: Korean, 초성, English, firm names, categories, the firm directory."""
import pytest
from playwright.sync_api import expect

from tests.test_kiosk_support import STEP_MS, looking_kiosk, shared_kiosk_hub  # noqa: F401  (fixtures)

ALL = {"ROBOT", "RICE", "LAST", "PEN", "GONE"}


@pytest.fixture
def shop(looking_kiosk):
    return looking_kiosk.open().wait_live().start()


def shows_only(shop, skus):
    expect(shop.page.locator("#products .card:not([hidden])")).to_have_count(len(skus), timeout=STEP_MS)
    assert shop.shown_skus() == set(skus)


def test_the_whole_catalog_is_listed_before_a_search(shop):
    shows_only(shop, ALL)
    expect(shop.page.locator("#result-count")).to_have_text("상품 5개")


def test_a_korean_word_finds_the_product(shop):
    shop.search("로봇")
    shows_only(shop, {"ROBOT"})


def first_shown(shop):
    return shop.page.locator('#products .card:not([hidden])[aria-posinset="1"]').get_attribute("data-sku")


def test_initial_consonants_find_the_product(shop):
    shop.search("ㄹㅂ")
    # 로봇 in ROBOT's name, and 로보(틱스) in the firm of GONE: a name match ranks first.
    shows_only(shop, {"ROBOT", "GONE"})
    assert first_shown(shop) == "ROBOT"


def test_initials_and_syllables_mixed_find_the_product(shop):
    shop.search("로ㅂ ㅋㅌ")
    shows_only(shop, {"ROBOT"})


def test_a_syllable_still_being_typed_finds_the_product(shop):
    # 두벌식 typing of 로봇 passes through 롭: its final ㅂ may be the next syllable's initial.
    shop.search("롭")
    shows_only(shop, {"ROBOT", "GONE"})
    assert first_shown(shop) == "ROBOT"


def test_an_english_name_finds_the_product_in_any_case(shop):
    shop.search("robot KIT")
    shows_only(shop, {"ROBOT"})


def test_a_firm_name_finds_all_of_its_products(shop):
    shop.search("한빛로보틱스")
    shows_only(shop, {"ROBOT", "GONE"})


def test_an_english_firm_name_finds_its_products(shop):
    shop.search("sky drone")
    shows_only(shop, {"LAST"})


def test_a_search_with_no_match_says_so(shop):
    shop.search("없는상품")
    expect(shop.page.locator("#products-empty")).to_be_visible()
    expect(shop.page.locator("#products .card:not([hidden])")).to_have_count(0)


def test_the_on_screen_keyboard_composes_hangul_and_searches(shop):
    page = shop.page
    page.locator("#search").click()
    keyboard = page.locator("#search-keyboard")
    expect(keyboard).to_be_visible()
    for jamo in "ㄹㅗㅂㅗㅅ":
        keyboard.locator(".key", has_text=jamo).first.click()
    expect(page.locator("#search")).to_have_value("로봇")
    shows_only(shop, {"ROBOT"})


def test_a_category_chip_narrows_the_list(shop):
    shop.page.locator('#categories .chip[data-category="robot"]').click()
    shows_only(shop, {"ROBOT", "GONE"})


def test_the_firm_directory_shows_booths_and_opens_a_firms_products(shop):
    page = shop.page
    page.locator("#tab-firms").click()
    row = page.locator('#firms .firm-row[data-firm="(주)한빛로보틱스"]')
    expect(row).to_contain_text("A-101")
    expect(row).to_contain_text("상품 2개")
    row.locator(".firm-button").click()
    expect(page.locator("#firm-filter")).to_contain_text("(주)한빛로보틱스")
    shows_only(shop, {"ROBOT", "GONE"})


def test_the_firm_directory_is_searched_by_initials(shop):
    page = shop.page
    page.locator("#tab-firms").click()
    shop.search("ㅎㄴㄷㄹ")
    expect(page.locator("#firms .firm-row:not([hidden])")).to_have_count(1)
    expect(page.locator("#firms .firm-row:not([hidden])")).to_contain_text("하늘드론")


def test_a_product_card_shows_names_firm_booth_price_stock_and_badge(shop):
    card = shop.card("ROBOT")
    for text in ("교육용 로봇 키트", "Robot Kit", "(주)한빛로보틱스", "A-101", "55,000원", "10개 남음", "혁신제품"):
        expect(card).to_contain_text(text)


def test_english_shows_english_names_and_strings(shop):
    page = shop.page
    page.locator("#lang-btn").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    card = shop.card("ROBOT")
    expect(card.locator(".card-name")).to_have_text("Robot Kit")
    expect(card).to_contain_text("₩55,000")
    expect(card).to_contain_text("10 left")
    expect(page.locator("#result-count")).to_have_text("5 products")


@pytest.mark.parametrize("text, initials", [("로봇 키트", "ㄹㅂ ㅋㅌ"), ("AI 드론", "AI ㄷㄹ"), ("까치", "ㄲㅊ")])
def test_syllables_decompose_to_their_initial_consonants(shop, text, initials):
    got = shop.page.evaluate("async (t) => (await import('/common/hangul.js')).initials(t)", text)
    assert got == initials


@pytest.mark.parametrize("keys, text", [("ㄹㅗㅂㅗㅅ", "로봇"), ("ㄷㅏㄹㄱ", "닭"), ("ㄷㅏㄹㄱㅣ", "달기"),
                                        ("ㄱㅗㅏ", "과"), ("ㄹㅂ", "ㄹㅂ")])
def test_the_keyboard_composes_jamo_into_syllables(shop, keys, text):
    got = shop.page.evaluate("""async (keys) => {
        const { typeJamo } = await import('/common/hangul.js');
        let text = '';
        for (const k of keys) text = typeJamo(text, k, true);
        return text;
    }""", keys)
    assert got == text


@pytest.mark.parametrize("keys, text", [("로봇", "로보"), ("로보", "로ㅂ"), ("ㄹ", ""), ("과", "고"), ("닭", "달")])
def test_backspace_takes_back_one_keystroke_of_composition(shop, keys, text):
    got = shop.page.evaluate("async (t) => (await import('/common/hangul.js')).backspace(t, true)", keys)
    assert got == text


@pytest.mark.parametrize("text, loose", [("롭", "로ㅂ"), ("닭", "달ㄱ"), ("로", None), ("ab", None)])
def test_a_last_syllable_may_lend_its_final_to_the_next(shop, text, loose):
    got = shop.page.evaluate("async (t) => (await import('/common/hangul.js')).looseEnding(t)", text)
    assert got == loose


@pytest.mark.parametrize("typed, meant", [("fhqht", "로봇"), ("Fhqht zlxm", "로봇 키트"), ("ㄱㅐㅠㅐㅅ", "robot"),
                                          ("ㄴㅏㅛ ㅇㄱㅐㅜㄷ", "sky drone"), ("개ㅠㅐㅅ", "robot"), ("robot 로봇", None),
                                          ("123", None)])
def test_a_query_typed_on_the_other_keyboard_layout_is_read_as_meant(shop, typed, meant):
    got = shop.page.evaluate("async (t) => (await import('/common/hangul.js')).otherLayout(t)", typed)
    assert got == meant


@pytest.mark.parametrize("english, typed, sku, said", [
    (False, "fhqht", "ROBOT", "“로봇”(으)로 바꿔 찾은 결과 1개"),  # Korean, with the keyboard in English
    (True, "ㄴㅏㅛ ㅇㄱㅐㅜㄷ", "LAST", "1 result for “sky drone” (typed on the other keyboard)"),  # and the reverse
])
def test_a_query_typed_on_the_wrong_layout_finds_the_product_and_says_so(shop, english, typed, sku, said):
    page = shop.page
    if english:
        page.locator("#lang-btn").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    shop.search(typed)
    shows_only(shop, {sku})
    expect(page.locator("#result-count")).to_have_text(said)


def test_a_query_that_finds_something_as_typed_is_not_read_on_the_other_layout(shop):
    shop.search("robot KIT")
    shows_only(shop, {"ROBOT"})
    expect(shop.page.locator("#result-count")).to_have_text("“robot KIT” 검색 결과 1개")


def test_the_firm_directory_finds_a_firm_typed_on_the_other_layout(shop):
    page = shop.page
    page.locator("#tab-firms").click()
    shop.search("gksmfemfhs")  # 하늘드론 with the keyboard in English
    expect(page.locator("#firms .firm-row:not([hidden])")).to_have_count(1)
    expect(page.locator("#firms .firm-row:not([hidden])")).to_contain_text("하늘드론")
