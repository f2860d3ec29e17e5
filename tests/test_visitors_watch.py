"""A phone hears only what it shows: `watch`, the merged `changes` push, its own `mine` news, and the cacheable
public reads. Real hub processes on loopback; pushes are counted as the phone heard them."""
import gzip
import json
import time
import uuid

import pytest
import requests

from tests.conftest import cobot_demo_hub, hall_config
from tests.hubproc import HubProcess
from tests.phones import Phone

# Long enough that "at once" and "merged into the next" cannot be mistaken for each other on a busy machine.
SLOW_PUSH = "[visitor]\npush_interval_ms = 1500\ncommands_per_minute = 1000\n"


@pytest.fixture
def demo_hub(tmp_path, catalog_csv):
    process = cobot_demo_hub(tmp_path, catalog_csv, capacity=10, extra=SLOW_PUSH)
    yield process
    process.stop()


def restock(staff, sku: str, qty: int = 1) -> dict:
    answer = staff.call("restock", {"sku": sku, "qty": qty, "reason": "delivery"})
    assert answer["ok"] is True, answer
    return answer


def test_the_ack_holds_the_current_values_and_leaves_the_unknown_out(demo_hub, phones):
    phone = phones(Phone(demo_hub))
    answer = phone.call("watch", {"skus": ["RICE", "LAST", "NO-SUCH", "RICE"], "slots": [demo_hub.slot_id, "NOPE"]})
    assert answer["ok"] is True and answer["seq"] > 0
    assert answer["stock"] == {"RICE": {"on_hand": 50, "available": 50}, "LAST": {"on_hand": 3, "available": 3}}
    (slot,) = answer["slots"].values()
    assert list(answer["slots"]) == [demo_hub.slot_id]
    assert (slot["capacity"], slot["booked"], slot["available"]) == (10, 0, 10) and slot["starts_at"]


def test_too_much_to_watch_is_refused(demo_hub, phones):
    phone = phones(Phone(demo_hub))
    answer = phone.call("watch", {"skus": [f"S{n}" for n in range(61)]})
    assert answer["error"]["code"] == "invalid" and answer["error"]["field"] == "skus"


def test_a_phone_hears_only_its_products_and_a_till_sale_reaches_it(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    other = phones(Phone(demo_hub))
    phone.call("watch", {"skus": ["RICE"]})
    other.call("watch", {"skus": ["PEN"]})
    staff = clients(demo_hub.client("staff", "staff-1"))
    restock(staff, "PEN", 5)
    other.wait_for_change(lambda p: p["stock"].get("PEN", {}).get("on_hand") == 505)
    till = clients(demo_hub.client("pos", "pos-1"))
    sold = till.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "RICE", "qty": 2}],
                                  "payments": [{"method": "cash", "amount": 24000}]})
    assert sold["ok"] is True, sold
    push = phone.wait_for_change(lambda p: "RICE" in p["stock"])
    assert push["stock"] == {"RICE": {"on_hand": 48, "available": 48}} and push["slots"] == {}
    assert all(set(p["stock"]) == {"RICE"} for _, p in phone.changes)
    assert all(set(p["stock"]) == {"PEN"} for _, p in other.changes)


def seen_stock(phone) -> dict:
    """What the phone shows after every push it heard, in order: the latest value of each product."""
    shown = {}
    for _, push in list(phone.changes):
        shown.update(push["stock"])
    return shown


def test_a_burst_is_merged_into_one_push_per_interval_the_first_at_once(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    phone.call("watch", {"skus": ["RICE", "PEN"]})
    staff = clients(demo_hub.client("staff", "staff-1"))
    started = time.monotonic()
    restock(staff, "RICE")
    first = phone.wait_for_change(lambda p: True, timeout=5)
    heard_first = phone.changes[0][0] - started
    for n in range(20):
        restock(staff, "RICE" if n % 2 else "PEN")
    final = {"RICE": {"on_hand": 61, "available": 61}, "PEN": {"on_hand": 510, "available": 510}}
    deadline = time.monotonic() + 10
    while seen_stock(phone) != final and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.8)  # nothing more may come: the pushes so far held the latest of everything
    heard = [at for at, _ in phone.changes]
    assert first["stock"] == {"RICE": {"on_hand": 51, "available": 51}}
    assert heard_first < 1.0  # at once, not at the end of an interval
    gaps = [later - earlier for earlier, later in zip(heard, heard[1:])]
    # 21 changes in a second or two: a handful of pushes, each at least an interval after the one before.
    assert 2 <= len(heard) <= 4 and all(gap > 1.3 for gap in gaps), (heard, gaps)
    assert seen_stock(phone) == final
    assert [p["seq"] for _, p in phone.changes] == sorted(p["seq"] for _, p in phone.changes)


def test_a_watched_session_reaches_the_phone_with_its_start(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    starts = phone.call("watch", {"slots": [demo_hub.slot_id]})["slots"][demo_hub.slot_id]["starts_at"]
    kiosk = clients(demo_hub.client("kiosk", "kiosk-1"))
    kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 3})
    push = phone.wait_for_change(lambda p: demo_hub.slot_id in p["slots"])
    assert push["slots"][demo_hub.slot_id] == {"capacity": 10, "booked": 3, "available": 7, "starts_at": starts}


def test_watching_again_replaces_what_was_watched(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    phone.call("watch", {"skus": ["RICE"]})
    phone.call("watch", {"skus": ["PEN"]})
    staff = clients(demo_hub.client("staff", "staff-1"))
    restock(staff, "RICE")
    restock(staff, "PEN")
    phone.wait_for_change(lambda p: "PEN" in p["stock"])
    assert all("RICE" not in p["stock"] for _, p in phone.changes)


def test_the_phones_order_paid_at_a_till_is_told_to_it_alone(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    other = phones(Phone(demo_hub))
    placed = phone.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1}]})["hold"]
    assert phone.call("mine", {})["orders"][0]["status"] == "waiting"
    till = clients(demo_hub.client("pos", "pos-1"))
    sold = till.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1}],
                                  "payments": [{"method": "cash", "amount": 55000}],
                                  "hold_code": f"HOLD:{placed['code']}"})
    assert sold["ok"] is True, sold
    told = phone.wait_for_mine("hold.consumed")
    assert told["data"]["code"] == placed["code"] and told["seq"] > 0
    mine = phone.call("mine", {})
    assert [(o["code"], o["status"], o["total"]) for o in mine["orders"]] == [(placed["code"], "paid", 55000)]
    assert other.mine == []


def test_the_phones_ticket_news_and_its_list(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    ticket = phone.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 2})["ticket"]
    scanner = clients(demo_hub.client("scanner", "door-1"))
    scan = scanner.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"]})
    assert scan["scan"]["admitted"] is True, scan
    assert phone.wait_for_mine("checkin.recorded")["data"]["ticket_id"] == ticket["ticket_id"]
    (listed,) = phone.call("mine", {})["tickets"]
    assert listed == {**ticket, "status": "checked_in"}


def test_a_cancelled_ticket_is_told(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    ticket = phone.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 1})["ticket"]
    staff = clients(demo_hub.client("staff", "staff-1"))
    assert staff.call("ticket_cancel", {"ticket_id": ticket["ticket_id"]})["ok"] is True
    assert phone.wait_for_mine("ticket.cancelled")["data"]["ticket_id"] == ticket["ticket_id"]
    assert phone.call("mine", {})["tickets"][0]["status"] == "cancelled"


def test_revoking_a_phone_releases_its_order_and_keeps_its_ticket(demo_hub, clients, phones):
    phone = phones(Phone(demo_hub))
    placed = phone.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 2}]})["hold"]
    ticket = phone.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_hub.slot_id, "party": 2})["ticket"]
    staff = clients(demo_hub.client("staff", "staff-1"))
    watcher = phones(Phone(demo_hub))
    assert watcher.call("watch", {"skus": ["LAST"]})["stock"]["LAST"]["available"] == 1
    answer = staff.call("visitor_revoke", {"visitor": phone.visitor})
    assert answer["released"] == [placed["code"]]
    released = staff.wait_for(lambda e: e["type"] == "hold.released")
    assert released["data"]["code"] == placed["code"] and released["data"]["by"] == "tester@staff-1"
    watcher.wait_for_change(lambda p: p["stock"].get("LAST", {}).get("available") == 3)
    store = demo_hub.read_store()
    try:
        status = store.read_db.execute("SELECT status FROM demo_tickets WHERE ticket_id = ?",
                                       [ticket["ticket_id"]]).fetchone()[0]
    finally:
        store.close()
    assert status == "booked"


@pytest.mark.parametrize("route", ["/api/visit/catalog", "/api/visit/program"])
def test_public_reads_are_cached_by_their_version(demo_hub, route):
    first = requests.get(demo_hub.url + route, timeout=5)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    body = first.json()
    assert first.headers["ETag"] == f'W/"{body["version"]}"' and body["version"] > 0
    again = requests.get(demo_hub.url + route, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert again.status_code == 304 and again.content == b""
    stale = requests.get(demo_hub.url + route, headers={"If-None-Match": '"0"'}, timeout=5)
    assert stale.status_code == 200 and stale.json() == body


def test_a_phone_that_takes_gzip_gets_the_catalog_gzipped_and_one_that_does_not_gets_it_plain(demo_hub):
    zipped = requests.get(demo_hub.url + "/api/visit/catalog", headers={"Accept-Encoding": "gzip"}, stream=True,
                          timeout=5)
    raw = zipped.raw.read()
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    plain = requests.get(demo_hub.url + "/api/visit/catalog", headers={"Accept-Encoding": "identity"}, timeout=5)
    assert "Content-Encoding" not in plain.headers
    assert json.loads(gzip.decompress(raw)) == plain.json()
    assert zipped.headers["ETag"] == plain.headers["ETag"]


def test_the_catalog_has_no_stock_and_the_program_no_places(demo_hub):
    products = requests.get(demo_hub.url + "/api/visit/catalog", timeout=5).json()["products"]
    assert {p["sku"] for p in products} == {"ROBOT", "RICE", "LAST", "PEN", "GONE"}
    assert set(products[0]) == {"sku", "name", "name_en", "firm", "firm_en", "booth", "category", "price",
                                "tax_free", "tags", "image"}
    (demo,) = requests.get(demo_hub.url + "/api/visit/program", timeout=5).json()["demos"]
    assert demo["name_en"] == "Cobot Demo"
    assert set(demo["slots"][0]) == {"slot_id", "starts_at", "ends_at", "capacity"}


def test_a_catalog_version_changes_only_with_the_catalog(demo_hub, clients):
    before = requests.get(demo_hub.url + "/api/visit/catalog", timeout=5).headers["ETag"]
    staff = clients(demo_hub.client("staff", "staff-1"))
    restock(staff, "RICE", 3)
    assert requests.get(demo_hub.url + "/api/visit/catalog", timeout=5).headers["ETag"] == before


def test_a_hub_without_a_program_says_version_zero(tmp_path, catalog_csv):
    hub = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv)).start()
    try:
        answer = requests.get(hub.url + "/api/visit/program", timeout=5)
        assert answer.json() == {"version": 0, "demos": []} and answer.headers["ETag"] == 'W/"0"'
    finally:
        hub.stop()
