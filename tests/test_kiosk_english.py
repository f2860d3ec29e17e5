"""The kiosk in English names firms by the catalog's English names: on cards, in the directory, in the firm
filter and on the demo program (which itself names firms in Korean only)."""
import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_CATALOG, cobot_demo_hub
from tests.test_kiosk_support import STATIONS, STEP_MS, paired_kiosk

# The demo's firm sells here too, so the catalog knows its English name.
CATALOG = TEST_CATALOG + ("ARM,8804444444442,협동로봇 팔,Cobot Arm,(주)유진로보틱스,\"Yujin Robotics Co., Ltd.\","
                          "A-103,robot,990000,4,0,\n")


@pytest.fixture
def english_shop(tmp_path, context):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    hub = cobot_demo_hub(tmp_path, catalog, capacity=6, extra=STATIONS)
    shop = paired_kiosk(hub, context).open().wait_live().start()
    shop.page.locator("#lang-btn").click()
    expect(shop.page.locator("html")).to_have_attribute("lang", "en")
    yield shop
    hub.stop()


def test_cards_directory_and_filter_use_the_english_firm_name(english_shop):
    page = english_shop.page
    expect(english_shop.card("ARM").locator(".firm-name")).to_have_text("Yujin Robotics Co., Ltd.")
    page.locator("#tab-firms").click()
    row = page.locator('#firms .firm-row[data-firm="(주)유진로보틱스"]')
    expect(row.locator(".firm-row-name")).to_have_text("Yujin Robotics Co., Ltd.", timeout=STEP_MS)
    row.locator(".firm-button").click()
    expect(page.locator("#firm-filter-text")).to_contain_text("Yujin Robotics Co., Ltd.")


def test_the_demo_program_uses_the_english_firm_name(english_shop):
    page = english_shop.page
    page.locator("#demos-btn").click()
    meta = page.locator('#demo-list .demo[data-demo-id="COBOT"] .demo-meta').first
    expect(meta).to_have_text("Yujin Robotics Co., Ltd. · booth A-103", timeout=STEP_MS)
    page.locator("#demos-lang").click()
    expect(meta).to_have_text("(주)유진로보틱스 · 부스 A-103")
