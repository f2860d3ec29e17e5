"""The till, the door scanner and a hub started again from an older backup: the sales and admissions the hub
acknowledged after that copy are kept on the device, offered again when it sees that the hub's record went back,
and are in the books once."""
import shutil
import subprocess
import sys

from playwright.sync_api import expect

from tests.hubproc import ROOT
from tests.test_pos_support import (PEN, ROBOT, next_customer, open_till, pay_cash, query, scan, stock,
                                    till_hub)  # noqa: F401 (till_hub is a fixture)
from tests.test_scan_page_support import (RECONNECT_MS, STEP_MS, book, close_answer, expect_answer, open_scanner,
                                          phone, scan_hub, ticket_row)  # noqa: F401 (fixtures)
from tests.test_scan_page_support import scan as scan_ticket


def run_hall(hub, *args):
    done = subprocess.run([sys.executable, str(ROOT / "run_hall.py"), *args, "--data", str(hub.data_dir),
                           "--config", str(hub.config_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def sell(page, code) -> None:
    scan(page, code)
    pay_cash(page, *(("50000", "10000") if code == ROBOT else ()))
    expect(page.locator("#done-dlg")).to_be_visible()
    next_customer(page)


def test_sales_after_the_backup_are_offered_again_to_the_restored_hub_and_land_once(till_hub, context, tmp_path):
    page = open_till(context, till_hub)
    sell(page, PEN)
    sell(page, ROBOT)
    run_hall(till_hub, "backup", "--to", str(tmp_path / "usb"))
    sell(page, PEN)
    sell(page, PEN)
    made = {row[0] for row in query(till_hub, "SELECT sale_id FROM sales")}
    assert len(made) == 4
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0")

    till_hub.stop()
    shutil.rmtree(till_hub.data_dir)  # the disk died
    run_hall(till_hub, "restore", str(tmp_path / "usb"))
    till_hub.start()
    assert len(query(till_hub, "SELECT sale_id FROM sales")) == 2  # the copy's

    # The till reconnects by itself, sees another record, and sends its day's work again.
    expect(page.locator("#sell-msg")).to_contain_text("다시 보냅니다", timeout=20000)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=20000)
    rows = query(till_hub, "SELECT sale_id, offline_at FROM sales")
    assert sorted(r[0] for r in rows) == sorted(made)  # every sale the till made, once
    # The two the copy lacked are recorded at the time they were made, as sales made offline are.
    assert sum(1 for r in rows if r[1]) == 2
    assert stock(till_hub, "PEN") == (497, 497)
    assert stock(till_hub, "ROBOT") == (9, 9)
    assert query(till_hub, "SELECT count(*) FROM replay_failures") == [(0,)]

    page.reload()  # and nothing is offered a second time
    expect(page.locator("#sell-screen")).to_be_visible()
    page.wait_for_timeout(1500)
    assert len(query(till_hub, "SELECT sale_id FROM sales")) == 4


def restored(hub, folder) -> None:
    """The hub stopped, its data folder lost, started again from the newest copy in `folder`."""
    hub.stop()
    shutil.rmtree(hub.data_dir)
    run_hall(hub, "restore", str(folder))
    hub.start()


def test_admissions_after_the_backup_are_reported_again_to_the_restored_hub_once(scan_hub, phone, clients, tmp_path):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    first, second = (book(kiosk, scan_hub.slots["now"]) for _ in range(2))
    kiosk.close()
    page = open_scanner(phone, scan_hub)
    scan_ticket(page, first["qr"])
    expect_answer(page, "admitted", offline=False)
    close_answer(page)
    run_hall(scan_hub, "backup", "--to", str(tmp_path / "usb"))
    scan_ticket(page, second["qr"])  # admitted online, after the copy: only the door has it now
    expect_answer(page, "admitted", offline=False)
    close_answer(page)

    restored(scan_hub, tmp_path / "usb")
    assert ticket_row(scan_hub, second["ticket_id"])["status"] != "checked_in"
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=RECONNECT_MS)
    expect(page.locator("#pending-count")).to_have_text("0", timeout=STEP_MS)
    for ticket in (first, second):
        row = ticket_row(scan_hub, ticket["ticket_id"])
        assert (row["status"], row["door"]) == ("checked_in", "door-1")
    assert query(scan_hub, "SELECT checked_in FROM demo_slots WHERE slot_id = ?", [scan_hub.slots["now"]]) == [(2,)]
    assert query(scan_hub, "SELECT count(*) FROM checkin_conflicts") == [(0,)]
    # The door knows the restored hall again: the first ticket is used, here.
    scan_ticket(page, first["qr"])
    expect_answer(page, "already_used", offline=False)
