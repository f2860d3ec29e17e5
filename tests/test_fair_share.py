"""What one kiosk may take at once is held at the hub; a till is not limited."""
import uuid

import pytest

from hub.errors import HallError
from hub.rules import demos, inventory
from hub.rules.fair_share import KioskLimits
from hub.wire import payloads
from tests.conftest import NOON
from tests.test_demos import KEY, RULES, hall  # noqa: F401  (hall is a fixture)

LIMITS = KioskLimits(units_per_line=10, open_orders=3, places_per_slot=4)


def order(store, qty, *, device="kiosk-1", limits=LIMITS, sku="RICE"):
    request = payloads.hold({"hold_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}]})
    return store.run(inventory.place_hold, request, device=device, now=NOON, hold_seconds=900, limits=limits)


def refusal(call) -> HallError:
    with pytest.raises(HallError) as caught:
        call()
    return caught.value


def test_a_kiosk_line_past_its_units_is_refused_naming_the_line(store):
    error = refusal(lambda: order(store, 11))
    assert (error.code, error.details["limit"], error.details["allowed"]) == ("limit_reached", "units_per_line", 10)
    assert error.details["field"] == "lines[0].qty"
    assert order(store, 11, device="pos-1", limits=None)[0]["hold"]["lines"][0]["qty"] == 11


def test_a_kiosk_cannot_keep_more_orders_waiting_than_its_share(store):
    for _ in range(3):
        order(store, 1)
    error = refusal(lambda: order(store, 1))
    assert (error.code, error.details["limit"]) == ("limit_reached", "open_orders")
    order(store, 1, device="kiosk-2")  # another kiosk has its own share
    waiting = store.read_db.execute("SELECT code FROM holds WHERE device = 'kiosk-1' LIMIT 1").fetchone()[0]
    store.run(inventory.release_hold, waiting, device="kiosk-1", role="kiosk", now=NOON)
    assert order(store, 1)[0]["hold"]["code"]


def test_a_retried_order_answers_as_before_even_at_the_limit(store):
    request = payloads.hold({"hold_id": str(uuid.uuid4()), "lines": [{"sku": "RICE", "qty": 1}]})
    first, _ = store.run(inventory.place_hold, request, device="kiosk-1", now=NOON, hold_seconds=900,
                         limits=LIMITS)
    order(store, 1)
    order(store, 1)
    again, rows = store.run(inventory.place_hold, request, device="kiosk-1", now=NOON, hold_seconds=900,
                            limits=LIMITS)
    assert again == first and rows == []


def book(store, slot_id, party, device="kiosk-1", limits=LIMITS):
    request = payloads.book({"booking_id": str(uuid.uuid4()), "slot_id": slot_id, "party": party})
    return store.run(demos.book, request, device=device, key=KEY, now=NOON, limits=limits, **RULES)


def test_one_kiosk_books_at_most_its_places_of_a_session(hall):  # noqa: F811
    slot_id = next(slot["slot_id"] for demo in demos.program(hall.read_db) for slot in demo["slots"]
                   if slot["capacity"] >= 10)
    book(hall, slot_id, 3)
    error = refusal(lambda: book(hall, slot_id, 2))
    assert (error.code, error.details["limit"], error.details["already"]) == ("limit_reached", "places_per_slot", 3)
    book(hall, slot_id, 1)
    book(hall, slot_id, 4, device="kiosk-2")
    book(hall, slot_id, 4, device="staff-1", limits=None)
    assert demos.slot(hall.read_db, slot_id)["booked"] == 12
