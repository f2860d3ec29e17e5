"""The phone's words: every message in Korean and English, every code the hub may answer a phone with its
own words, counts through the plural helper, and Korean mode showing no English."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.test_visit_support import STEP_MS, new_phone_context, open_phone, phone_context, visit_hub  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = {lang: json.loads((ROOT / "visit" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
            for lang in ("ko", "en")}
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "visit").glob("*.js")}
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
LATIN = re.compile(r"[A-Za-z]")
# "QR" is how Korean writes it too (the kiosk's and the door's Korean say "QR 코드").
LOANWORDS = re.compile(r"QR")
# What a phone can be answered besides its commands' own codes: the link's and every command's.
COMMON = {"unauthorized", "forbidden", "invalid", "internal", "storage_unavailable", "restarting",
          "unknown_command", "malformed", "id_reused", "slow_down", "offline", "timeout"}


def visitor_error_codes() -> set[str]:
    """The codes docs/protocol.md lists for the commands a visitor may send."""
    codes = set(COMMON)
    for section in re.split(r"\n### ", PROTOCOL):
        heading = section.split("\n", 1)[0]
        if "—" in heading and "visitor" in heading.split("—", 1)[1]:
            for errors in re.findall(r"Errors?:(.*?)\.(?:\s|$)", section, re.S):
                codes |= set(re.findall(r"`([a-z_]+)`", errors))
    return codes


def counted_keys() -> set[str]:
    found = set()
    for source in SOURCES.values():
        found |= set(re.findall(r'\btCount\(\s*"([a-z_.]+)"', source))
    return found


def test_the_patterns_still_find_what_they_look_for():
    assert {"hold_not_found", "slot_full", "out_of_stock", "limit_reached"} <= visitor_error_codes()
    assert {"find.count", "demos.party", "demos.places_left", "error.slow_down"} <= counted_keys()


@pytest.mark.parametrize("code", sorted(visitor_error_codes() - {"limit_reached"}))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_code_the_hub_may_answer_a_phone_has_words(code, lang):
    assert f"error.{code}" in MESSAGES[lang]


@pytest.mark.parametrize("limit", ["open_orders", "units_per_line", "lines", "bookings_per_slot", "bookings_per_day"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_visitor_limit_has_words_with_what_is_allowed(limit, lang):
    assert limit in re.search(r"`error\.limit` \(([^)]*)\)", PROTOCOL.split("### Visitor limits")[1]).group(1)
    assert "{n}" in MESSAGES[lang][f"error.limit.{limit}"]


def test_both_languages_have_the_same_messages():
    assert {k for k in MESSAGES["en"] if not k.endswith("_one")} == set(MESSAGES["ko"])


def test_korean_messages_have_no_english():
    english = {key: text for key, text in MESSAGES["ko"].items()
               if LATIN.search(LOANWORDS.sub("", re.sub(r"\{\w+\}", "", text))) and not key.startswith("language.")}
    assert english == {}


@pytest.mark.parametrize("key", sorted(k for k, text in MESSAGES["en"].items()
                                       if re.search(r"\{n\}(?: [a-z]+)? (people|[a-z]+s)\b", text)))
def test_every_english_count_of_things_has_its_singular(key):
    assert f"{key}_one" in MESSAGES["en"], f'"{MESSAGES["en"][key]}" would say "1 ...s"'


@pytest.mark.parametrize("key", sorted(k[:-4] for k in MESSAGES["en"] if k.endswith("_one")))
def test_a_string_with_a_singular_is_only_ever_shown_through_the_plural_helper(key):
    assert key in counted_keys() or key.startswith("error."), f"{key} has a singular no tCount call uses"
    for name, source in SOURCES.items():
        assert not re.search(rf'\bt\(\s*"{re.escape(key)}"', source), f"{name} shows {key} without its count"


VISIBLE_TEXT = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || el.closest('[lang]:not([lang=ko]), svg, script')) continue;
        if (!el.checkVisibility()) continue;
        out.push(node.textContent.trim());
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], img[alt]')) {
        if (el.closest('[lang]:not([lang=ko])') || !el.checkVisibility()) continue;
        out.push(el.getAttribute('aria-label') || el.getAttribute('placeholder') || el.getAttribute('alt') || '');
    }
    return out;
}"""
# Codes, not words: booths, halls as the layout names them (A홀), order and ticket codes.
CODES = re.compile(r"(?<![A-Za-z0-9])(?:[A-Z]{1,4}-\d{3}|[A-Z0-9]{6,8}|[A-Z]{1,4}(?=홀))(?![A-Za-z0-9])")


def english_on_screen(page) -> list[str]:
    return [text for text in page.evaluate(VISIBLE_TEXT) if LATIN.search(LOANWORDS.sub("", CODES.sub("", text)))]


def test_korean_mode_shows_no_english(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context)
    page = phone.page
    phone.search("로봇")
    expect(phone.card("ROBOT").locator(".card-stock")).to_have_text("재고 10개", timeout=STEP_MS)
    assert english_on_screen(page) == []
    page.locator("#tab-firms").click()
    assert english_on_screen(page) == []
    phone.go("/product/ROBOT")
    expect(page.locator("#product-stock")).to_have_text("재고 10개", timeout=STEP_MS)
    assert english_on_screen(page) == []
    page.locator("#product-add").click()
    code = phone.order()
    assert english_on_screen(page) == []
    phone.go("/demos")
    expect(page.locator("#demo-list .slot-left").first).to_have_text("6자리 남음", timeout=STEP_MS)
    assert english_on_screen(page) == []
    page.locator("#demo-list .slot-open").first.click()
    expect(page.locator("#book-btn")).to_have_text("1명 예약하기", timeout=STEP_MS)
    assert english_on_screen(page) == []
    phone.go("/mine")
    expect(page.locator(f'#mine-orders .mine-item[data-code="{code}"]')).to_be_visible()
    assert english_on_screen(page) == []
    phone.go("/plan/A-101")
    expect(page.locator("#plan-view")).to_have_attribute("data-booth", "A-101", timeout=STEP_MS)
    assert english_on_screen(page) == []


def test_english_mode_counts_one_and_many(visit_hub, browser):
    context = new_phone_context(browser, "en-US")
    try:
        phone = open_phone(visit_hub, context)
        page = phone.page
        expect(page.locator("#lang-btn")).to_have_text("한국어")
        phone.search("robot kit")
        expect(page.locator("#result-count")).to_have_text("1 result for “robot kit”", timeout=STEP_MS)
        expect(phone.card("ROBOT")).to_contain_text("Robot Kit")
        expect(phone.card("ROBOT").locator(".card-stock")).to_have_text("10 in stock", timeout=STEP_MS)
        phone.search("")
        expect(page.locator("#result-count")).to_have_text("5 products")
        phone.go("/demos")
        page.locator("#demo-list .slot-open").first.click()
        expect(page.locator("#book-btn")).to_have_text("Book for 1 person", timeout=STEP_MS)
        page.locator("#party-plus").click()
        expect(page.locator("#book-btn")).to_have_text("Book for 2 people")
        page.locator("#lang-btn").click()
        expect(page.locator("#book-btn")).to_have_text("2명 예약하기")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
    finally:
        context.close()


def test_a_second_booking_of_one_session_is_refused_in_korean(visit_hub, phone_context):
    phone = open_phone(visit_hub, phone_context)
    page = phone.page
    phone.go("/demos")
    page.locator("#demo-list .slot-open").first.click()
    page.locator("#book-btn").click()
    expect(page.locator("#ticket-view")).to_be_visible(timeout=STEP_MS)
    page.go_back()
    expect(page.locator("#book-view")).to_be_visible()
    page.locator("#book-btn").click()
    expect(page.locator("#book-error")).to_have_text("한 시연은 1번까지 예약할 수 있습니다.", timeout=STEP_MS)
