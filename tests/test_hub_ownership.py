"""Against a real hub: a device touches only what is its own, and reports need a person signed in."""
import uuid

import pytest

from tests.conftest import cobot_demo_hub


@pytest.fixture
def demo_hub(tmp_path, catalog_csv):
    process = cobot_demo_hub(tmp_path, catalog_csv, capacity=10)
    yield process
    process.stop()


def test_a_kiosk_cannot_cancel_a_ticket_another_kiosk_booked(demo_hub, clients):
    booker = clients(demo_hub.client("kiosk", "kiosk-1"))
    stranger = clients(demo_hub.client("kiosk", "kiosk-2"))
    ticket = booker.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 2})["ticket"]
    refused = stranger.call("ticket_cancel", {"ticket_id": ticket["ticket_id"]})
    assert refused["error"]["code"] == "forbidden"
    assert booker.call("demos")["demos"][0]["slots"][0]["booked"] == 2
    assert booker.call("ticket_cancel", {"ticket_id": ticket["ticket_id"]})["ok"] is True


def test_one_kiosk_cannot_book_most_of_a_session(demo_hub, clients):
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    answers = [kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 2})
               for _ in range(4)]
    assert [a["ok"] for a in answers] == [True, True, True, False]
    assert answers[3]["error"]["code"] == "limit_reached" and answers[3]["error"]["limit"] == "places_per_slot"


def test_a_kiosk_cannot_hold_a_products_stock_past_its_share(hub, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    big = kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "RICE", "qty": 11}]})
    assert big["error"]["code"] == "limit_reached" and big["error"]["field"] == "lines[0].qty"
    answers = [kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}]})
               for _ in range(9)]
    assert [a["ok"] for a in answers] == [True] * 8 + [False]
    assert answers[-1]["error"]["limit"] == "open_orders"


def test_a_till_reads_only_its_own_shifts_and_reprints_only_its_own_jobs(hub, clients):
    mine = clients(hub.client("pos", "pos-1"))
    other = clients(hub.client("pos", "pos-2"))
    shift_id = str(uuid.uuid4())
    assert mine.call("shift_open", {"shift_id": shift_id, "float": 100000})["ok"]
    assert mine.call("shift_report", {"shift_id": shift_id})["ok"] is True
    assert other.call("shift_report", {"shift_id": shift_id})["error"]["code"] == "forbidden"


REPORTS = [("devices", {}), ("sales_report", {}), ("feedback_list", {}), ("print_jobs", {}), ("alerts", {}),
           ("product_history", {"sku": "PEN"}), ("replay_failures", {}), ("cashiers", {}),
           ("checkin_conflicts", {})]


@pytest.mark.parametrize("command, payload", REPORTS)
def test_a_staff_screen_with_nobody_signed_in_reads_no_report(hub, clients, command, payload):
    alone = clients(hub.client("staff", "staff-1", sign_in=False))
    assert alone.call(command, payload)["error"]["code"] == "sign_in_required"
    assert clients(hub.client("staff", "staff-2")).call(command, payload)["ok"] is True


def test_a_staff_screen_with_nobody_signed_in_still_sees_the_stock(hub, clients):
    alone = clients(hub.client("staff", "staff-1", sign_in=False))
    assert alone.call("catalog", {})["ok"] is True
