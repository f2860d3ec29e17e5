"""The hall plan on the kiosk: where is booth A-101? One touch from a product card, the firm directory or a
demo ticket to a map of the hall with the booth marked, its hall and row in words, the firms there and
where this kiosk stands; back to where the visitor was."""
import json
from datetime import datetime, timedelta

import pytest
import requests as http
from playwright.sync_api import expect

from tests.conftest import TEST_CATALOG
from tests.pages import axe_violations, sideways_overflow
from tests.test_kiosk_support import SEOUL, STEP_MS, demo_program_process, kiosk_hall_process, paired_kiosk

PORTRAIT = {"width": 1080, "height": 1920}
PLAN = {"name": "테스트 판매관", "name_en": "Test Hall", "width": 100, "height": 90, "halls": [
    {"code": code, "name": f"{code}홀", "name_en": f"Hall {code}", "x": 2, "y": 5 + 20 * i, "width": 96,
     "height": 16, "rows": 4, "booths": 24, "cross_aisles": [12]} for i, code in enumerate("ABCD")],
    "places": [{"kind": "entrance", "name": "정문", "name_en": "Main entrance", "x": 50, "y": 89},
               {"kind": "cashier", "name": "계산대", "name_en": "Cashiers", "x": 5, "y": 84, "width": 20, "height": 5},
               {"kind": "kiosk", "name": "키오스크 1", "name_en": "Kiosk 1", "x": 40, "y": 86, "device": "kiosk-1"}]}
# A firm whose booth is in no hall of the plan: its booth stays words.
CATALOG = TEST_CATALOG + "ODD,8804444444442,이상한 물건,Odd Thing,(주)별관,Annex Co,E-501,drone,1000,5,0,\n"
WITH_PLAN = '\n[hall_plan]\nfile = "plan.json"\n'


def write_hall(tmp_path):
    (tmp_path / "plan.json").write_text(json.dumps(PLAN), encoding="utf-8")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    return catalog


@pytest.fixture(scope="module")
def plan_hub(tmp_path_factory):
    """One hall for the tests that only look (a cart lives in its page, not in the hub)."""
    folder = tmp_path_factory.mktemp("plan-hall")
    process = kiosk_hall_process(folder, write_hall(folder), extra=WITH_PLAN).start()
    yield process
    process.stop()


@pytest.fixture
def shop(plan_hub, browser):
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR", timezone_id="Asia/Seoul")
    yield paired_kiosk(plan_hub, context).open().wait_live().start()
    context.close()


def expect_plan_for(page, booth):
    expect(page.locator("#plan-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#plan-booth")).to_have_text(f"부스 {booth}")
    mark = page.locator(f'#plan-map .plan-mark[data-booth="{booth}"]')
    expect(mark).to_have_count(1)
    return mark


def test_a_product_cards_booth_opens_the_plan_with_the_booth_marked(shop, plan_hub):
    page = shop.page
    shop.add("ROBOT")
    where = shop.card("ROBOT").locator(".card-where")
    expect(where).to_have_text("A-101")
    where.click()
    mark = expect_plan_for(page, "A-101")
    expect(page.locator("#plan-firms")).to_have_text("(주)한빛로보틱스")
    expect(page.locator("#plan-hall")).to_have_text("A홀 · 1열")
    # The mark stands where the hub lays booth A-101 out, in hall A, first row, first booth.
    x, y, width, depth = http.get(plan_hub.url + "/api/hall-plan", timeout=5).json()["plan"]["booths"]["A-101"]
    booth = mark.locator(".plan-mark-booth")
    assert (float(booth.get_attribute("x")), float(booth.get_attribute("y"))) == (x, y)
    assert abs(float(booth.get_attribute("height")) - depth) < 1e-6
    expect(page.locator("#plan-close .plan-mark-booth")).to_have_count(1)
    expect(page.locator("#plan-close")).to_contain_text("101")
    # This kiosk is kiosk-1: the plan says where the visitor stands.
    expect(page.locator('#plan-map .plan-here')).to_contain_text("현재 위치")
    page.locator("#plan-back").click()
    expect(page.locator("#browse")).to_be_visible()
    assert shop.cart_qty("ROBOT") == 1


def test_the_firm_directory_shows_each_firms_booth_on_the_plan(shop):
    page = shop.page
    page.locator("#tab-firms").click()
    row = page.locator('#firms .firm-row[data-firm="(주)하늘드론"]')
    expect(row.locator(".firm-where")).to_have_text("C-301", timeout=STEP_MS)
    row.locator(".firm-where").click()
    expect_plan_for(page, "C-301")
    expect(page.locator("#plan-firms")).to_have_text("(주)하늘드론")
    page.locator("#plan-back").click()
    expect(page.locator("#firm-panel")).to_be_visible()


def test_a_booth_that_is_not_on_the_plan_stays_words(shop):
    card = shop.card("ODD")
    expect(card.locator(".card-where")).to_be_hidden()
    expect(card.locator(".booth")).to_have_text("부스 E-501")


def test_the_plan_in_english(shop):
    page = shop.page
    page.locator("#lang-btn").click()
    shop.card("PEN").locator(".card-where").click()
    expect(page.locator("#plan-title")).to_have_text("Hall plan")
    expect(page.locator("#plan-booth")).to_have_text("Booth D-401")
    expect(page.locator("#plan-firms")).to_have_text("Green Stationery")
    expect(page.locator("#plan-hall")).to_have_text("Hall D · row 4")
    expect(page.locator("#plan-map .plan-here")).to_contain_text("You are here")
    expect(page.locator("#plan-legend")).to_contain_text("Cashiers")
    page.locator("#plan-lang").click()
    expect(page.locator("#plan-hall")).to_have_text("D홀 · 4열")


def test_the_plan_screen_is_accessible_and_fits_the_kiosk(shop):
    page = shop.page
    shop.card("LAST").locator(".card-where").click()
    expect_plan_for(page, "C-301")
    assert axe_violations(page) == []
    found = sideways_overflow(page, clipping=".plan-svg")  # an SVG clips what lies past its view
    assert found["out"] == [] and found["scrollWidth"] <= found["width"], found
    small = page.eval_on_selector_all("#plan-screen button", "bs => bs.filter(b => b.offsetParent !== null)"
                                      ".map(b => b.getBoundingClientRect()).filter(r => r.width < 48 || r.height < 48)"
                                      ".length")
    assert small == 0
    page.locator("#plan-home").click()
    expect(page.locator("#attract-screen")).to_be_visible()
    assert page.locator("#plan-map svg").count() == 0


def test_a_demo_ticket_shows_its_booth_on_the_plan(tmp_path, browser):
    starts = (datetime.now(SEOUL) + timedelta(minutes=30)).replace(second=0, microsecond=0)
    hub = demo_program_process(tmp_path, write_hall(tmp_path), [
        ("COBOT", "협동로봇 시연", "Cobot Demo", "(주)유진로보틱스", "B-203", starts, 30, 6)], extra=WITH_PLAN).start()
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR", timezone_id="Asia/Seoul")
    try:
        page = paired_kiosk(hub, context).open().wait_live().page
        page.locator("#attract-demos").click()
        page.locator('#demo-list .slot').first.click()
        page.locator("#demo-book").click()
        expect(page.locator("#demo-ticket-view")).to_be_visible(timeout=STEP_MS)
        where = page.locator("#demo-where")
        expect(where).to_have_text("부스 B-203 위치 보기")
        where.click()
        expect_plan_for(page, "B-203")
        expect(page.locator("#plan-firms")).to_have_text("(주)유진로보틱스")
        page.locator("#plan-back").click()
        expect(page.locator("#demo-ticket-view")).to_be_visible()
        expect(page.locator("#demo-code")).not_to_be_empty()
    finally:
        context.close()
        hub.stop()


def test_a_hall_without_a_plan_shows_booths_as_words(tmp_path, browser):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    hub = kiosk_hall_process(tmp_path, catalog).start()
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR")
    try:
        shop = paired_kiosk(hub, context).open().wait_live().start()
        expect(shop.card("ROBOT").locator(".booth")).to_have_text("부스 A-101")
        expect(shop.page.locator("#products .card-where:visible")).to_have_count(0)
    finally:
        context.close()
        hub.stop()
