"""Demo booking and door check-in through a real hub: races, printed tickets, offline key."""
import threading
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests as http
import zxingcpp
from PIL import Image

from hub.rules import tickets
from tests.pages import wait_until
from tests.conftest import SEOUL, cobot_demo_hub, hall_config, show_toml
from tests.hubproc import HubProcess
from tests.test_staff_page import WAIT_MS, no_errors, open_staff

# The program a newcomer's hall loads: three days by day number, 10:00 to 17:00.
COMMITTED_PROGRAM = Path(__file__).resolve().parent.parent / "config" / "demos.csv"


@pytest.fixture
def demo_hub(tmp_path, catalog_csv):
    extra = '[printers.kiosk-1]\ntype = "virtual"\n\n[stations]\nkiosk-1 = "kiosk-1"\n'
    process = cobot_demo_hub(tmp_path, catalog_csv, capacity=5, extra=extra)
    yield process
    process.stop()


def test_many_kiosks_racing_for_a_slot_never_overbook(demo_hub, clients):
    kiosks = [clients(demo_hub.client("kiosk", f"kiosk-{n}")) for n in range(12)]
    answers = [None] * len(kiosks)
    start = threading.Barrier(len(kiosks))

    def book(index):
        start.wait(timeout=10)
        answers[index] = kiosks[index].call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id,
                                                     "party": 1})
    threads = [threading.Thread(target=book, args=(n,)) for n in range(len(kiosks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(a["ok"] for a in answers) == 5
    assert {a["error"]["code"] for a in answers if not a["ok"]} == {"slot_full"}
    slot = kiosks[0].call("demos")["demos"][0]["slots"][0]
    assert (slot["booked"], slot["available"]) == (5, 0)


def test_the_printed_ticket_scans_in_once(demo_hub, clients):
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    scanner = clients(demo_hub.client("scanner", "scanner-1"))
    booked = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 3})
    assert booked["ok"], booked
    scanner.wait_for(lambda e: e["type"] == "slot.changed" and e["data"]["booked"] == 3)
    printed = kiosk.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["kind"] == "demo_ticket",
                             timeout=10)
    picture = demo_hub.data_dir / "prints" / "kiosk-1" / f"{printed['data']['job_id']}.png"
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(picture))]
    assert decoded == [booked["ticket"]["qr"]]
    first = scanner.call("check_in", {"scan_id": str(uuid.uuid4()), "code": decoded[0], "booth": "A-103"})
    assert first["scan"]["admitted"] is True and first["scan"]["party"] == 3
    again = scanner.call("check_in", {"scan_id": str(uuid.uuid4()), "code": decoded[0], "booth": "A-103"})
    assert again["scan"]["reason"] == "already_used" and again["scan"]["first_door"] == "scanner-1"


def test_one_code_on_paper_in_the_staff_job_list_and_typed_at_the_door(demo_hub, clients):
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    staff = clients(demo_hub.client("staff", "staff-1"))
    scanner = clients(demo_hub.client("scanner", "scanner-1"))
    ticket = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 2})["ticket"]
    code = ticket["ticket_id"]
    assert ticket["short_code"] == code
    printed = kiosk.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["kind"] == "demo_ticket",
                             timeout=10)
    assert printed["data"]["ref"] == code
    paper = (demo_hub.data_dir / "prints" / "kiosk-1" / f"{printed['data']['job_id']}.bin").read_bytes()
    assert code.encode() in paper
    listed = staff.call("print_jobs", {})["jobs"]
    assert [job["ref"] for job in listed if job["kind"] == "demo_ticket"] == [code]
    typed = scanner.call("check_in", {"scan_id": str(uuid.uuid4()), "code": code.lower(), "booth": "A-103"})
    assert typed["scan"]["admitted"] is True and typed["scan"]["ticket_id"] == code


def test_a_scanner_checks_signatures_offline_with_the_served_key(demo_hub, clients):
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    ticket = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 1})["ticket"]
    served = http.get(demo_hub.url + "/api/ticket-key", timeout=5).json()
    key = tickets.public_key_from_text(served["public_key"])
    claim = tickets.verify(key, ticket["qr"])
    assert (claim.ticket_id, claim.slot_id, claim.party) == (ticket["ticket_id"], demo_hub.slot_id, 1)
    with pytest.raises(tickets.BadTicket):
        tickets.verify(key, ticket["qr"].replace(ticket["qr"][5], "A" if ticket["qr"][5] != "A" else "B", 1))


def test_offline_admissions_at_two_doors_sync_with_one_conflict(demo_hub, clients):
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    staff = clients(demo_hub.client("staff", "staff-1"))
    doors = [clients(demo_hub.client("scanner", f"scanner-{n}")) for n in (1, 2)]
    ticket = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 2})["ticket"]
    answers = [door.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"], "booth": "A-103",
                                      "offline_at": datetime.now(SEOUL).isoformat()}) for door in doors]
    assert [a["scan"]["admitted"] for a in answers] == [True, False]
    assert answers[1]["scan"]["conflict"] is True
    conflict = staff.wait_for(lambda e: e["type"] == "checkin.conflict")
    assert (conflict["data"]["first_door"], conflict["data"]["second_door"]) == ("scanner-1", "scanner-2")
    staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "checkin_conflict")
    assert len(staff.call("checkin_conflicts")["conflicts"]) == 1


def committed_program_hub(tmp_path, catalog_csv, show: str = "") -> HubProcess:
    config = hall_config(tmp_path, catalog_csv, extra=f'{show}[demos]\nfile = "{COMMITTED_PROGRAM.as_posix()}"\n')
    return HubProcess(tmp_path / "data", config)


def test_a_fresh_hall_books_its_program_from_the_day_it_first_started(tmp_path, catalog_csv, clients):
    hub = committed_program_hub(tmp_path, catalog_csv).start()
    try:
        today = datetime.now(SEOUL).date()
        program = http.get(hub.url + "/api/screen-settings", timeout=5).json()["demo_program"]
        assert (program["first_day"], program["sessions"], program["over"]) == (today.isoformat(), 180, False)
        day_3 = today + timedelta(days=2)
        kiosk = clients(hub.client("kiosk", "kiosk-1"))
        booked = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": f"AI-INTERP-{day_3:%m%d}1010",
                                     "party": 2})
        assert booked["ok"], booked
        assert booked["ticket"]["starts_at"] == f"{day_3.isoformat()}T10:10+09:00"
        assert "demo program is over" not in hub.log_path.read_text()
    finally:
        hub.stop()


def test_a_hub_whose_program_is_all_past_says_so_at_start_and_on_the_staff_screen(tmp_path, catalog_csv,
                                                                                   context):
    ten_days_ago = datetime.now(SEOUL).date() - timedelta(days=10)
    hub = committed_program_hub(tmp_path, catalog_csv, show=show_toml(ten_days_ago)).start()
    try:
        assert "the demo program is over: all 180 sessions ended by" in hub.log_path.read_text()
        program = http.get(hub.url + "/api/screen-settings", timeout=5).json()["demo_program"]
        assert program["over"] is True and program["first_day"] == ten_days_ago.isoformat()
        last = ten_days_ago + timedelta(days=2)
        assert program["ends_at"].startswith(last.isoformat())

        page = open_staff(hub, context)
        banner = page.locator("#program-banner")
        banner.wait_for(state="visible", timeout=WAIT_MS)
        korean = banner.text_content()
        assert "데모 프로그램이 모두 끝났습니다" in korean and ten_days_ago.isoformat() in korean
        assert "demo program" not in korean and "nothing" not in korean
        assert page.locator("#offline-banner").is_hidden()
        page.click("#app .lang-btn")
        wait_until(page, "document.documentElement.lang === 'en'")
        assert banner.text_content().startswith("The demo program is over")
        assert last.isoformat() in banner.text_content()
        no_errors(page)
    finally:
        hub.stop()
