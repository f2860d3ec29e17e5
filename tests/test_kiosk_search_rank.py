"""Search results put what can be bought first: a sold-out product is never the first hit."""
import pytest
from playwright.sync_api import expect

from tests.test_kiosk_support import STEP_MS, Kiosk, kiosk_hall_process, paired_kiosk

HEADER = "sku,barcode,name,name_en,firm,firm_en,booth,category,price,stock,tax_free,tags\n"
# The sold-out drones match ㄷㄹ at the very start of their names and come first in the catalog;
# the mini drone matches further in.
DRONES = HEADER + (
    "GONE1,8801234567893,드론 배터리,Drone Battery,(주)하늘드론,Sky Drone,A-101,drone,49000,0,0,\n"
    "GONE2,8801234567800,드론 하드케이스,Drone Hard Case,(주)하늘드론,Sky Drone,A-101,drone,39000,0,0,\n"
    "MINI,8801111111119,미니 드론,Mini Drone,(주)나래항공,Narae Aviation,A-102,drone,59000,4,0,\n"
    "PROP,8802222222220,드론 프로펠러 세트,Drone Propeller Set,(주)나래항공,Narae Aviation,A-102,drone,9000,30,0,\n")


@pytest.fixture
def drone_shop(tmp_path, context):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(DRONES, encoding="utf-8")
    hub = kiosk_hall_process(tmp_path, catalog).start()
    yield paired_kiosk(hub, context).open().wait_live().start()
    hub.stop()


def order_shown(shop: Kiosk) -> list[str]:
    return shop.page.eval_on_selector_all(
        "#products .card:not([hidden])",
        "cards => cards.sort((a, b) => a.getAttribute('aria-posinset') - b.getAttribute('aria-posinset'))"
        ".map(c => c.dataset.sku)")


@pytest.mark.parametrize("query", ["ㄷㄹ", "드론", "drone"])
def test_what_can_be_bought_comes_before_what_is_sold_out(drone_shop, query):
    drone_shop.search(query)
    expect(drone_shop.page.locator("#products .card:not([hidden])")).to_have_count(4, timeout=STEP_MS)
    # Among what can be bought, the better match first; then the sold-out, in the same order.
    assert order_shown(drone_shop) == ["PROP", "MINI", "GONE1", "GONE2"]


def test_browsing_without_a_search_keeps_the_catalog_order(drone_shop):
    expect(drone_shop.page.locator("#products .card:not([hidden])")).to_have_count(4, timeout=STEP_MS)
    assert order_shown(drone_shop) == ["GONE1", "GONE2", "MINI", "PROP"]
