"""Counts on the kiosk in the visitor's language: Korean counters with no English in Korean mode, English
singular and plural ("1 person", "2 people"), every count through the plural helper."""
import json
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import cobot_demo_hub
from tests.test_kiosk_support import STATIONS, STEP_MS, paired_kiosk

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = {lang: json.loads((ROOT / "kiosk" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
            for lang in ("ko", "en")}
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "kiosk").glob("*.js")}
CAPACITY = 5
LATIN = re.compile(r"[A-Za-z]")


def counted_keys() -> set[str]:
    """Keys the kiosk's code shows through the plural helper."""
    found = set()
    for source in SOURCES.values():
        found |= set(re.findall(r'\b(?:tCount|bothCount)\(\s*"([a-z_.]+)"', source))
    return found


def test_the_pattern_still_finds_the_counted_keys():
    assert {"products.count", "demos.party", "demos.places_left", "attract.firms"} <= counted_keys()


@pytest.mark.parametrize("key", sorted(k for k, text in MESSAGES["en"].items()
                                       if re.search(r"\{n\}(?: [a-z]+)? (people|[a-z]+s)\b", text)))
def test_every_english_count_of_things_has_its_singular(key):
    assert f"{key}_one" in MESSAGES["en"], f'"{MESSAGES["en"][key]}" would say "1 ...s"'
    assert "{n}" not in MESSAGES["en"][f"{key}_one"]


@pytest.mark.parametrize("key", sorted(k[:-4] for k in MESSAGES["en"] if k.endswith("_one")))
def test_a_string_with_a_singular_is_only_ever_shown_through_the_plural_helper(key):
    assert key in counted_keys(), f"{key} has a singular form that no tCount/bothCount call uses"
    for name, source in SOURCES.items():
        assert not re.search(rf'\bt\(\s*"{re.escape(key)}"', source), f"{name} shows {key} without its count"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_counted_key_exists_in_both_languages(lang):
    assert counted_keys() <= set(MESSAGES[lang])


@pytest.fixture
def demo_hub(tmp_path, catalog_csv):
    process = cobot_demo_hub(tmp_path, catalog_csv, capacity=CAPACITY, extra=STATIONS)
    yield process
    process.stop()


def take_places(hub, clients, party):
    other = clients(hub.client("kiosk", "kiosk-2"))
    answer = other.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": hub.slot_id, "party": party})
    assert answer["ok"], answer


def open_demos(page):
    page.locator("#demos-btn").click()
    expect(page.locator("#demo-list-view")).to_be_visible(timeout=STEP_MS)


def book(page, slot_id, party):
    page.locator(f'#demo-list .slot[data-slot-id="{slot_id}"]').click()
    for _ in range(party - 1):
        page.locator("#demo-plus").click()
    return ticket_party(page)


def ticket_party(page):
    page.locator("#demo-book").click()
    expect(page.locator("#demo-ticket-view")).to_be_visible(timeout=STEP_MS)
    return page.locator("#demo-ticket-facts li").last.text_content()


def test_counts_of_one_in_korean_mode_show_no_english(demo_hub, context, clients):
    take_places(demo_hub, clients, CAPACITY - 1)
    shop = paired_kiosk(demo_hub, context).open().wait_live().start()
    page = shop.page
    shop.search("로봇 키트")
    count = page.locator("#result-count")
    expect(count).to_have_text("“로봇 키트” 검색 결과 1개", timeout=STEP_MS)
    shop.add("ROBOT")
    expect(page.locator("#cart-title")).to_have_text("장바구니 (1개)")
    shop.search("")
    page.locator("#tab-firms").click()
    firm = page.locator('#firms .firm-row[data-firm="(주)하늘드론"] .firm-row-count')
    expect(firm).to_have_text("상품 1개", timeout=STEP_MS)

    open_demos(page)
    slot = page.locator(f'#demo-list .slot[data-slot-id="{demo_hub.slot_id}"]')
    expect(slot.locator(".slot-left")).to_have_text("1자리 남음", timeout=STEP_MS)
    slot.click()
    expect(page.locator("#demo-book")).to_have_text("1명 예약하기")
    expect(page.locator("#demo-chosen")).to_contain_text("(1자리 남음)")
    assert ticket_party(page) == "1명"
    page.locator("#demo-done").click()
    expect(page.locator("#attract-status")).to_be_visible()
    korean = page.locator("#attract-status span[lang=ko]").text_content()
    assert korean == "참가 기업 4곳 · 상품 5개" and not LATIN.search(korean)


def test_english_says_one_person_two_people_and_one_place_left(demo_hub, context, clients):
    take_places(demo_hub, clients, CAPACITY - 3)
    shop = paired_kiosk(demo_hub, context).open().wait_live().start()
    page = shop.page
    page.locator("#lang-btn").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shop.search("robot kit")
    expect(page.locator("#result-count")).to_have_text("1 result for “robot kit”", timeout=STEP_MS)

    open_demos(page)
    slot = page.locator(f'#demo-list .slot[data-slot-id="{demo_hub.slot_id}"] .slot-left')
    expect(slot).to_have_text("3 places left", timeout=STEP_MS)
    page.locator(f'#demo-list .slot[data-slot-id="{demo_hub.slot_id}"]').click()
    expect(page.locator("#demo-book")).to_have_text("Book for 1 person")
    page.locator("#demo-plus").click()
    expect(page.locator("#demo-book")).to_have_text("Book for 2 people")
    page.locator("#demo-minus").click()
    page.locator("#demo-change").click()
    assert book(page, demo_hub.slot_id, 2) == "2 people"
    page.locator("#demo-done").click()
    expect(page.locator("#attract-screen")).to_be_visible()

    page.locator("#attract-start").click()
    page.locator("#lang-btn").click()
    open_demos(page)
    expect(slot).to_have_text("1 place left", timeout=STEP_MS)
    assert book(page, demo_hub.slot_id, 1) == "1 person"
