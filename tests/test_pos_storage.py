"""The till when the hub's disk is full: the hub answers but cannot save, so the till keeps the sale as it does
in an outage, tells the cashier why, and the sale lands exactly once when space is freed. The staff screen says
the same meanwhile: the hub is degraded, and one alert, shown from the hub's memory until it can be written."""
import sqlite3

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import hall_config
from tests.smalldisk import fill, hub_on_small_disk
from tests.test_hub_storage import StaffScreen
from tests.test_pos_support import TILLS, ROBOT, next_customer, open_till, pay_cash, scan
from tests.test_staff_page import open_staff

LANDED_MS = 20000


@pytest.fixture
def small_till_hub(tmp_path, catalog_csv):
    """The tills' hub (tests/test_pos_support.py) with its data folder on a 16 MB filesystem of its own."""
    # No free-space warning here: this test is about the disk being full, not nearly so.
    config = hall_config(tmp_path, catalog_csv, extra=TILLS + "\n[storage]\nwarn_free_mb = 0\n")
    with hub_on_small_disk(tmp_path, config) as process:
        yield process


def sales(hub) -> list[tuple]:
    """The hub's sales, read without writing anything (the disk may be full)."""
    conn = sqlite3.connect(f"file:{hub.data_dir / 'hall.db'}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT sale_id, total FROM sales").fetchall()
    finally:
        conn.close()


def test_a_sale_the_hub_cannot_save_stays_on_the_till_and_lands_once_space_is_freed(small_till_hub, context,
                                                                                       clients):
    hub = small_till_hub
    page = open_till(context, hub)
    desk = open_staff(hub, context, lang="en")
    staff = clients(StaffScreen(hub.url, hub.token("staff", "staff-2")))
    filler = fill(hub.disk)

    scan(page, ROBOT)
    pay_cash(page, "50000", "10000")
    expect(page.locator("#done-title")).to_contain_text("saved on this till")
    expect(page.locator("#done-change")).to_have_text("5,000원")
    expect(page.locator("#done-offline")).to_contain_text("cannot save anything right now")
    expect(page.locator("#done-offline")).to_contain_text("저장할 수 없습니다")
    next_customer(page)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "1")
    expect(page.locator("#link-pill")).to_have_attribute("data-state", "storage")
    expect(page.locator("#link-pill")).to_have_text("● 허브 저장 불가 · Hub can't save")
    assert sales(hub) == []

    health = requests.get(hub.url + "/api/health", timeout=5).json()
    assert health["status"] == "degraded" and "storage_full" in [r["code"] for r in health["reasons"]]
    banner = desk.locator("#health-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("The hub is degraded: its disk is full")
    expect(desk.locator("#alert-count")).to_have_text("1")
    desk.click("#alert-badge")
    memory = desk.locator("#alert-list li.unwritten[data-kind=storage]")
    expect(memory).to_contain_text("not yet recorded")
    expect(memory).to_contain_text("disk full")

    filler.unlink()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=LANDED_MS)
    expect(page.locator("#link-pill")).to_have_attribute("data-state", "online")
    landed = sales(hub)
    assert [total for _, total in landed] == [55000]
    expect(page.locator("#sell-msg")).to_contain_text("now recorded at the hub")

    # Staff: the banner goes, and the one alert is now written (heard once, by the screen and a client alike).
    expect(banner).to_be_hidden(timeout=LANDED_MS)
    written = desk.locator("#alert-list li[data-kind=storage]:not(.unwritten)")
    expect(written).to_have_count(1, timeout=LANDED_MS)
    expect(desk.locator("#alert-list li.unwritten")).to_have_count(0)
    expect(desk.locator("#alert-count")).to_have_text("1")
    staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "storage", timeout=10)
    assert len(staff.storage_alerts()) == 1
    assert sales(hub) == landed
