"""What one phone may take, held by the hub ([visitor] in hall.toml): each limit refused with its code, and
nothing changed; a phone's order prints nothing and staff see it as a phone's."""
import uuid
from datetime import datetime, timedelta

import pytest

from tests.conftest import PROGRAM_HEADER, SEOUL, hall_config, program_row, show_toml
from tests.hubproc import HubProcess
from tests.phones import Phone

LIMITS = """[visitor]
max_open_orders = 1
max_qty_per_line = 5
max_lines = 2
bookings_per_slot = 1
bookings_per_day = 2
"""
DEMO = "COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,,"


@pytest.fixture
def hub(tmp_path, catalog_csv):
    """Three sessions of one demo, an hour apart, starting in ten minutes."""
    now = datetime.now(SEOUL)
    first = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
    starts = [first + timedelta(hours=n) for n in range(3)]
    rows = "\n".join(program_row(DEMO, at, 30, 20, now.date()) for at in starts)
    (tmp_path / "demos.csv").write_text(f"{PROGRAM_HEADER}\n{rows}\n", encoding="utf-8")
    config = hall_config(tmp_path, catalog_csv, extra=show_toml(now.date()) + '[demos]\nfile = "demos.csv"\n\n'
                         + LIMITS)
    process = HubProcess(tmp_path / "data", config).start()
    process.slots = [f"COBOT-{at:%m%d%H%M}" for at in starts]
    yield process
    process.stop()


@pytest.fixture
def phone(hub):
    opened = Phone(hub)
    yield opened
    opened.close()


def hold(phone, *lines):
    return phone.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": s, "qty": q} for s, q in lines]})


def book(phone, slot_id, party=1):
    return phone.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": slot_id, "party": party})


def stock(hub) -> dict:
    store = hub.read_store()
    try:
        return {sku: (on_hand, held) for sku, on_hand, held in
                store.read_db.execute("SELECT sku, on_hand, held FROM products")}
    finally:
        store.close()


def places(hub) -> dict:
    store = hub.read_store()
    try:
        return dict(store.read_db.execute("SELECT slot_id, booked FROM demo_slots"))
    finally:
        store.close()


def refused(answer, limit: str, allowed: int) -> bool:
    error = answer.get("error", {})
    return (answer["ok"] is False and error["code"] == "limit_reached" and error["limit"] == limit
            and error["allowed"] == allowed)


def test_units_of_one_product_are_limited(hub, phone):
    before = stock(hub)
    answer = hold(phone, ("PEN", 6))
    assert refused(answer, "units_per_line", 5) and answer["error"]["field"] == "lines[0].qty"
    assert stock(hub) == before
    assert hold(phone, ("PEN", 5))["ok"] is True


def test_products_in_one_order_are_limited(hub, phone):
    before = stock(hub)
    assert refused(hold(phone, ("PEN", 1), ("RICE", 1), ("ROBOT", 1)), "lines", 2)
    assert stock(hub) == before


def test_one_order_waits_at_a_time_and_a_released_one_makes_room(hub, phone):
    first = hold(phone, ("RICE", 1))
    assert first["ok"] is True
    before = stock(hub)
    assert refused(hold(phone, ("PEN", 1)), "open_orders", 1)
    assert stock(hub) == before
    assert phone.call("hold_release", {"code": first["hold"]["code"]})["ok"] is True
    assert hold(phone, ("PEN", 1))["ok"] is True


def test_one_phones_limit_is_its_own(hub, phone):
    assert hold(phone, ("RICE", 1))["ok"] is True
    other = Phone(hub)
    try:
        assert hold(other, ("RICE", 1))["ok"] is True
    finally:
        other.close()


def test_one_ticket_per_session(hub, phone):
    assert book(phone, hub.slots[0])["ok"] is True
    before = places(hub)
    answer = book(phone, hub.slots[0])
    assert refused(answer, "bookings_per_slot", 1) and answer["error"]["already"] == 1
    assert places(hub) == before


def test_a_few_tickets_a_day_and_a_cancelled_one_does_not_count(hub, phone):
    first = book(phone, hub.slots[0])
    assert first["ok"] is True and book(phone, hub.slots[1])["ok"] is True
    before = places(hub)
    answer = book(phone, hub.slots[2])
    assert refused(answer, "bookings_per_day", 2) and answer["error"]["already"] == 2
    assert places(hub) == before
    assert phone.call("ticket_cancel", {"ticket_id": first["ticket"]["ticket_id"]})["ok"] is True
    assert book(phone, hub.slots[2])["ok"] is True


def test_a_phone_releases_and_cancels_only_its_own(hub, phone, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    theirs = kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}]})
    ticket = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": hub.slots[0], "party": 1})
    assert phone.call("hold_release", {"code": theirs["hold"]["code"]})["error"]["code"] == "forbidden"
    assert phone.call("ticket_cancel", {"ticket_id": ticket["ticket"]["ticket_id"]})["error"]["code"] == "forbidden"
    other = Phone(hub)
    try:
        mine = hold(other, ("PEN", 1))
        assert phone.call("hold_release", {"code": mine["hold"]["code"]})["error"]["code"] == "forbidden"
    finally:
        other.close()


def test_staff_see_a_phones_order_and_ticket_as_a_phones_and_nothing_prints(hub, phone, clients):
    staff = clients(hub.client("staff", "staff-1"))
    placed = hold(phone, ("RICE", 2))
    booked = book(phone, hub.slots[0], party=2)
    created = staff.wait_for(lambda e: e["type"] == "hold.created")
    assert created["data"]["visitor"] is True and created["data"]["device"] == phone.visitor
    assert created["data"]["code"] == placed["hold"]["code"]
    ticket = staff.wait_for(lambda e: e["type"] == "ticket.booked")
    assert ticket["data"]["visitor"] is True and ticket["data"]["device"] == phone.visitor
    assert ticket["data"]["ticket_id"] == booked["ticket"]["ticket_id"]
    assert not [e for e in staff.events if e["type"] == "print.queued"]
    assert staff.call("print_jobs", {})["jobs"] == []
    listed = staff.call("visitors", {})["visitors"]
    assert [(v["visitor"], v["open_orders"], v["tickets"]) for v in listed] == [(phone.visitor, 1, 1)]


def test_a_kiosks_order_is_not_marked_as_a_phones(hub, clients):
    staff = clients(hub.client("staff", "staff-1"))
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}]})
    assert "visitor" not in staff.wait_for(lambda e: e["type"] == "hold.created")["data"]
