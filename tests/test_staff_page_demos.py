"""The staff screen's demos panel: slots' places live, and conflicts from offline scanners."""
import uuid
from datetime import datetime

import pytest

from tests.conftest import SEOUL, cobot_demo_hub
from tests.test_staff_page import WAIT_MS, no_errors, open_staff
from tests.pages import wait_until


@pytest.fixture
def demo_hub(tmp_path, catalog_csv):
    process = cobot_demo_hub(tmp_path, catalog_csv, capacity=5)
    yield process
    process.stop()


def cell(page, slot_id, field):
    return page.locator(f'#demos-table tr[data-slot="{slot_id}"] td[data-field="{field}"]')


def test_slots_fill_live_and_offline_conflicts_show(demo_hub, context, clients):
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    doors = [clients(demo_hub.client("scanner", f"scanner-{n}")) for n in (1, 2)]
    page = open_staff(demo_hub, context, panel="demos")
    slot = demo_hub.slot_id
    page.wait_for_selector(f'#demos-table tr[data-slot="{slot}"]', timeout=WAIT_MS)
    assert "협동로봇 시연" in page.text_content(f'#demos-table tr[data-slot="{slot}"]')
    assert (cell(page, slot, "booked").text_content(), cell(page, slot, "available").text_content()) == ("0", "5")
    page.evaluate(f"window.slotRow = document.querySelector('#demos-table tr[data-slot=\"{slot}\"]')")

    ticket = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": slot, "party": 3})["ticket"]
    assert kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": slot, "party": 2})["ok"]
    wait_until(page, 
        f"document.querySelector('#demos-table tr[data-slot=\"{slot}\"] td[data-field=available]').textContent === '0'",
        timeout=WAIT_MS)
    assert cell(page, slot, "booked").text_content() == "5"
    assert page.evaluate(f"window.slotRow === document.querySelector('#demos-table tr[data-slot=\"{slot}\"]')")
    assert page.get_attribute(f'#demos-table tr[data-slot="{slot}"]', "data-state") == "full"

    answers = [door.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"], "booth": "A-103",
                                      "offline_at": datetime.now(SEOUL).isoformat()}) for door in doors]
    assert [a["scan"]["admitted"] for a in answers] == [True, False]
    wait_until(page, 
        f"document.querySelector('#demos-table tr[data-slot=\"{slot}\"] td[data-field=checked_in]').textContent === '3'",
        timeout=WAIT_MS)
    conflict = page.locator(f'#demo-conflicts li[data-ticket="{ticket["ticket_id"]}"]')
    conflict.wait_for(timeout=WAIT_MS)
    assert "scanner-1" in conflict.text_content() and "scanner-2" in conflict.text_content()
    wait_until(page, "Number(document.querySelector('#alert-badge').dataset.count) >= 1", timeout=WAIT_MS)
    page.click("#alert-badge")
    page.wait_for_selector('#alert-list li[data-kind="checkin_conflict"]', timeout=WAIT_MS)
    assert "입장 충돌" in page.text_content('#alert-list li[data-kind="checkin_conflict"]')
    no_errors(page)
