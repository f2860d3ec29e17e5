"""When the hub's disk fills up: a refusal with its own code, health says degraded, staff hear one alert, and
nothing acknowledged is lost; sales land once space is freed. Also the same at the SQLite layer, without a
mount, and a writer that is stuck."""
import sqlite3
import threading
import time
import uuid

import gevent
import pytest
import requests

from hub.errors import HallError
from hub.rules import inventory
from hub.store.database import storage_fault
from hub.store.writer import Writer
from hub.wire import payloads
from tests.conftest import NOON, hall_config
from tests.greenlets import in_own_hub
from tests.hubproc import Client, HubProcess
from tests.smalldisk import fill, hub_on_small_disk, small_disk
from tests.test_kiosk_support import wait_until

DISK_MB = 16
WARN_MB = 4


def sale(sku="PEN", qty=1, amount=1100):
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
            "payments": [{"method": "cash", "amount": amount}]}


def health(hub) -> dict:
    return requests.get(hub.url + "/api/health", timeout=5).json()


class StaffScreen(Client):
    """A staff client that also records the hub's `health` pushes."""

    def __init__(self, url, token):
        super().__init__(url, token, connect=False)
        self.health = []
        self.sio.on("health", self.health.append)
        self.connect()

    def storage_alerts(self) -> list[dict]:
        return [e for e in self.events if e["type"] == "alert.raised" and e["data"]["kind"] == "storage"]


@pytest.fixture
def small_hub(tmp_path, catalog_csv):
    """A hub whose data folder is a 16 MB filesystem of its own, warning below 4 MB free."""
    config = hall_config(tmp_path, catalog_csv, extra=f"[storage]\nwarn_free_mb = {WARN_MB}\n")
    with hub_on_small_disk(tmp_path, config, DISK_MB) as process:
        yield process


def staff_screen(hub, clients) -> StaffScreen:
    screen = clients(StaffScreen(hub.url, hub.token("staff", "staff-1")))
    hub.add_staff("tester", "correct horse")
    assert screen.call("staff_login", {"name": "tester", "password": "correct horse"})["ok"]
    return screen


def test_a_full_disk_refuses_with_its_code_and_the_sale_lands_once_after_space_is_freed(small_hub, clients):
    hub = small_hub
    pos = clients(hub.client("pos", "pos-1"))
    staff = staff_screen(hub, clients)
    assert wait_until(lambda: staff.health)[0]["status"] == "ok"
    assert pos.call("checkout", sale())["ok"]
    assert health(hub)["status"] == "ok"

    # Under the warning: one disk_low alert and a degraded hub, while sales still go through.
    fill(hub.disk, leave=(WARN_MB - 1) * 1_000_000, name="low")
    low = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "disk_low", timeout=10)
    assert low["data"]["data"]["warn_mb"] == WARN_MB
    report = wait_until(lambda: (h := health(hub))["status"] == "degraded" and h)
    assert [r["code"] for r in report["reasons"]] == ["disk_low"]
    assert report["disk"]["state"] == "low" and report["disk"]["free_bytes"] < WARN_MB * 1_000_000

    filler = fill(hub.disk)
    kept = sale()
    answer = pos.call("checkout", kept)
    assert answer["ok"] is False, answer
    assert answer["error"]["code"] == "storage_unavailable" and answer["error"]["reason"] == "full"
    assert pos.call("checkout", kept)["error"]["code"] == "storage_unavailable"  # sent again: still refused

    report = health(hub)
    assert report["status"] == "degraded"
    assert "storage_full" in [r["code"] for r in report["reasons"]]
    assert report["disk"]["state"] == "full" and report["writer"]["fault"]["reason"] == "full"
    assert report["writer"]["last_commit_at"] and report["writer"]["stuck"] is False
    assert report["last_event"]["seq"] == report["seq"]
    # Staff hear it from memory: the alert cannot be written yet.
    told = wait_until(lambda: [h for h in staff.health if h["unwritten"]])
    assert told[0]["status"] == "degraded"
    assert [a["kind"] for a in told[0]["unwritten"]] == ["storage"]
    listed = staff.call("alerts", {"open_only": True})
    assert [(a["kind"], a["alert_id"], a["unwritten"]) for a in listed["unwritten"]] == [("storage", None, True)]
    assert staff.storage_alerts() == []

    filler.unlink()
    landed = wait_until(lambda: (a := pos.call("checkout", kept))["ok"] and a)
    again = pos.call("checkout", kept)
    assert again["sale"]["receipt_no"] == landed["sale"]["receipt_no"]
    store = hub.read_store()
    try:
        assert store.read_db.execute("SELECT count(*) FROM sales WHERE sale_id = ?",
                                     [kept["sale_id"]]).fetchone()[0] == 1
        assert store.read_db.execute("SELECT count(*) FROM sales").fetchone()[0] == 2
    finally:
        store.close()

    # The alert is written now that the disk takes it, once; staff had it from memory already.
    written = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "storage", timeout=10)
    assert written["data"]["data"]["reason"] == "full"
    wait_until(lambda: staff.health and staff.health[-1]["unwritten"] == [])
    assert staff.call("alerts", {"open_only": True})["unwritten"] == []
    time.sleep(3)  # a few of the hub's looks later, still one
    assert len(staff.storage_alerts()) == 1
    assert "storage_full" not in [r["code"] for r in health(hub)["reasons"]]


def test_a_hub_that_starts_on_a_full_disk_says_so_in_one_line(tmp_path, catalog_csv):
    with small_disk(tmp_path / "small", 1) as disk:
        fill(disk)
        process = HubProcess(disk / "data", hall_config(tmp_path, catalog_csv))
        process.log_path = tmp_path / "hub.log"
        with pytest.raises(RuntimeError):
            process.start()
    lines = [line for line in (tmp_path / "hub.log").read_text().splitlines() if line.strip()]
    assert lines[-1].startswith("error (storage_unavailable): the hub's disk is full"), lines[-3:]
    assert not any("Traceback" in line for line in lines)


# --- the same at the SQLite layer: a file that may not grow -----------------------------------------------

def restock_pen(writer):
    return writer.submit(inventory.restock, payloads.restock({"sku": "PEN", "qty": 1}), device="staff-1")


def test_a_file_that_cannot_grow_refuses_every_caller_with_the_storage_code_and_recovers(store):
    in_own_hub(file_that_cannot_grow, store)


def file_that_cannot_grow(store):
    faults = []
    writer = Writer(store, lambda: NOON, on_fault=lambda ended, fault: faults.append((ended, fault)))
    try:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL past this
        big = "x" * 100_000
        callers = [gevent.spawn(writer.submit, inventory.restock,
                                payloads.restock({"sku": "PEN", "qty": 1, "reason": big[:200]}), device=big)
                   for _ in range(5)]
        gevent.joinall(callers, timeout=20)
        refusals = [caller.exception for caller in callers]
        assert all(isinstance(r, HallError) and r.code == "storage_unavailable" for r in refusals), refusals
        assert {r.details["reason"] for r in refusals} == {"full"}
        assert store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'PEN'").fetchone()[0] == 500
        assert writer.fault["reason"] == "full" and writer.fault["refused"] == 5
        assert faults == [(None, writer.fault)]  # told once, however many were refused

        store.db.execute("PRAGMA max_page_count = 1073741823")
        result, rows = restock_pen(writer)
        assert result["on_hand"] == 501 and rows
        assert writer.fault is None and faults[-1][1] is None and faults[-1][0]["refused"] == 5
        assert writer.state()["last_commit_at"] == NOON.isoformat(timespec="milliseconds")
    finally:
        writer.close()


def test_a_read_only_file_is_told_apart_from_a_bug(store):
    conn = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.Error) as refused:
            conn.execute("UPDATE products SET on_hand = 1")
        with pytest.raises(sqlite3.Error) as bug:
            conn.execute("SELECT no_such_column FROM products")
    finally:
        conn.close()
    assert storage_fault(refused.value) == "read_only"
    assert storage_fault(bug.value) is None
    assert storage_fault(ValueError("no")) is None


def test_a_stuck_writer_shows(store):
    in_own_hub(stuck_writer_shows, store)


def stuck_writer_shows(store):
    release = threading.Event()

    def hold(db, *, now):
        release.wait(10)  # in the writer's own thread, as a disk that does not answer would
        return {}, []

    writer = Writer(store, lambda: NOON, stuck_after=0.2)
    try:
        held = gevent.spawn(writer.submit, hold)
        waiting = gevent.spawn(restock_pen, writer)
        gevent.sleep(0.5)
        state = writer.state()
        assert state["stuck"] is True and state["busy_seconds"] >= 0.2 and state["queue"] == 2
        release.set()
        gevent.joinall([held, waiting], timeout=10)
        assert waiting.successful()
        state = writer.state()
        assert state["stuck"] is False and state["queue"] == 0 and state["busy_seconds"] == 0
    finally:
        writer.close()


def test_health_names_a_printer_that_is_down_and_the_time_since_the_last_event(tmp_path, catalog_csv):
    dead = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=(
        '[printers.counter-1]\ntype = "network"\nhost = "127.0.0.1"\nport = 9\n\n[stations]\npos-1 = "counter-1"\n')))
    dead.start()
    try:
        pos = dead.client("pos", "pos-1")
        assert pos.call("checkout", sale())["ok"]
        report = wait_until(lambda: (h := health(dead))["status"] == "degraded" and h)
        assert report["reasons"][0]["code"] == "printer_down" and report["reasons"][0]["printer"] == "counter-1"
        printer = report["printers"][0]
        assert printer["printer"] == "counter-1" and printer["status"] == "offline" and printer["queued"] == 1
        assert printer["oldest_queued_at"]
        assert 0 <= report["last_event"]["seconds_ago"] < 30
        pos.close()
    finally:
        dead.stop()

