"""A hall of two hub processes (tests/clusterproc.py): every screen hears every event once, in seq order, whichever
process it is on and whichever caused the event; a till on a serving process sells through the writer; reads
agree; each process says what it is; the command line refuses a cluster without Redis."""
import asyncio
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from tests.clusterproc import head, live_seqs, logged_seqs, wait_heard
from tests.conftest import hall_config
from tests.hubproc import ROOT, free_port

# A double that arrives late is still a double: listen this much longer once the last event is in.
SETTLE_SECONDS = 0.5


def sale(sku: str = "PEN", qty: int = 1, cash: int = 100_000) -> dict:
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
            "payments": [{"method": "cash", "amount": cash}]}


def test_every_event_reaches_screens_on_both_processes_once_in_seq_order(cluster, clients):
    staff_on_1 = clients(cluster.client("staff", "staff-restocks", process=1))
    till_on_0 = clients(cluster.client("pos", "pos-sells", process=0))
    screens = {(role, i): clients(cluster.client(role, f"{role}-screen-{i}", process=i))
               for role in ("kiosk", "staff") for i in (0, 1)}
    start = head(cluster)
    for n in range(6):
        assert staff_on_1.call("restock", {"sku": "RICE", "qty": n + 1})["ok"]
        assert till_on_0.call("checkout", sale())["ok"]
    end = head(cluster)

    for (role, i), screen in screens.items():
        expected = logged_seqs(cluster, role, start, end)
        wait_heard(screen, expected[-1])
    time.sleep(SETTLE_SECONDS)
    for (role, i), screen in screens.items():
        heard = [seq for seq in live_seqs(screen) if start < seq <= end]
        assert heard == logged_seqs(cluster, role, start, end), f"{role} screen on process {i}"
    staff_heard = {e["type"] for e in screens["staff", 1].events if e["seq"] > start}
    assert {"stock.restocked", "sale.completed", "stock.changed"} <= staff_heard  # both causes reached it
    # Through Redis, not only by the serving process's poll of the file (which would deliver the same, later):
    # the writer published every row, and process 1 took them from the queue.
    queue_0, queue_1 = cluster.health(0)["queue"], cluster.health(1)["queue"]
    assert queue_0["published"] >= end - start and queue_1["received"] >= end - start
    assert queue_1["refused"] == 0


def test_a_till_on_the_serving_process_sells_once_per_sale_id(cluster, clients):
    till = clients(cluster.client("pos", "pos-1", process=1))
    kiosk_on_0 = clients(cluster.client("kiosk", "kiosk-0", process=0))
    payload = sale("ROBOT", 1, 55_000)
    first = till.call("checkout", payload)
    assert first["ok"], first
    assert first["sale"]["sale_id"] == payload["sale_id"] and first["sale"]["total"] == 55_000
    store = cluster.read_store()
    try:
        assert store.read_db.execute("SELECT total FROM sales WHERE sale_id = ?",
                                     [payload["sale_id"]]).fetchall() == [(55_000,)]
    finally:
        store.close()
    kiosk_on_0.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["sku"] == "ROBOT"
                        and e["data"]["available"] == 9)

    again = till.call("checkout", payload)
    assert again == first
    time.sleep(SETTLE_SECONDS)
    store = cluster.read_store()
    try:
        assert store.read_db.execute("SELECT count(*) FROM sales").fetchone()[0] == 1
        assert store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'ROBOT'").fetchone()[0] == 9
    finally:
        store.close()
    robot = [e for e in kiosk_on_0.events if e["type"] == "stock.changed" and e["data"]["sku"] == "ROBOT"]
    assert len(robot) == 1


def _same_head(ask_0, ask_1, tries: int = 20):
    """Both processes' answers at one head of the log (a sweep may commit between two asks)."""
    for _ in range(tries):
        on_0, on_1 = ask_0(), ask_1()
        assert on_0["ok"] and on_1["ok"], (on_0, on_1)
        if on_0["seq"] == on_1["seq"]:
            return on_0, on_1
        time.sleep(0.1)
    raise AssertionError(f"the processes never answered at one head: {on_0['seq']} and {on_1['seq']}")


def test_reads_on_the_serving_process_match_the_writers(cluster, clients):
    till = clients(cluster.client("pos", "pos-1", process=1))
    staff = clients(cluster.client("staff", "staff-1", process=1))
    assert till.call("checkout", sale("LAST", 2, 198_000))["ok"]
    assert staff.call("restock", {"sku": "GONE", "qty": 7})["ok"]
    kiosks = [clients(cluster.client("kiosk", f"kiosk-{i}", process=i)) for i in (0, 1)]
    watchers = [clients(cluster.client("staff", f"staff-read-{i}", process=i)) for i in (0, 1)]

    on_0, on_1 = _same_head(lambda: kiosks[0].call("catalog"), lambda: kiosks[1].call("catalog"))
    assert on_1["products"] == on_0["products"]
    stock = {p["sku"]: (p["on_hand"], p["available"]) for p in on_1["products"]}
    assert stock["LAST"] == (1, 1) and stock["GONE"] == (7, 7)

    on_0, on_1 = _same_head(lambda: watchers[0].call("sync", {"since": 0}),
                            lambda: watchers[1].call("sync", {"since": 0}))
    assert on_1["events"] == on_0["events"] and on_1["record"] == on_0["record"]
    assert on_0["processes"] == on_1["processes"] == cluster.ports  # where a screen moves on to
    assert [e["seq"] for e in on_1["events"]] == logged_seqs(cluster, "staff", 0, on_1["seq"])


def test_each_process_says_which_it_is_in_health(cluster):
    blocks = [cluster.health(i)["process"] for i in range(2)]
    assert [(b["index"], b["role"], b["count"], b["ports"]) for b in blocks] == [
        (0, "writer", 2, cluster.ports), (1, "serving", 2, cluster.ports)]
    pids = {b["pid"] for b in blocks}
    assert len(pids) == 2 and cluster.process.pid not in pids  # the supervisor runs no hub itself


def test_a_lone_hub_is_the_writer_of_one(hub):
    block = requests.get(hub.url + "/api/health", timeout=5).json()["process"]
    assert block == {"index": 0, "role": "writer", "count": 1, "pid": hub.process.pid, "ports": [hub.port]}


def test_a_device_revoked_through_one_process_is_dropped_from_the_other(cluster, clients):
    kiosk_on_1 = clients(cluster.client("kiosk", "kiosk-gone", process=1))
    staff_on_0 = clients(cluster.client("staff", "staff-0", process=0))
    assert staff_on_0.call("device_revoke", {"name": "kiosk-gone"})["ok"]
    deadline = time.monotonic() + 5
    while kiosk_on_1.sio.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not kiosk_on_1.sio.connected


def test_sigterm_to_the_supervisor_stops_every_child_and_exits_0(cluster, clients):
    told = {}
    for i in range(2):
        screen = clients(cluster.client("kiosk", f"kiosk-{i}", process=i))
        told[i] = []
        screen.sio.on("restarting", told[i].append)
    pids = [cluster.pid(i) for i in range(2)]
    assert cluster.stop() == 0  # stop() also fails when a child outlives the supervisor
    assert not [pid for pid in pids if _running(pid)]
    assert [len(told[i]) for i in range(2)] == [1, 1]  # each process stopped cleanly: its screens heard so


def test_the_supervisor_killed_its_processes_stop_too_and_free_their_ports(cluster, clients):
    pids = [cluster.pid(i) for i in range(2)]
    os.kill(cluster.process.pid, signal.SIGKILL)  # no clean stop of its own: the kernel tells the children
    cluster.process.wait(timeout=10)
    deadline = time.monotonic() + 20
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in pids if _running(pid)], "a process outlived its supervisor"
    for port in cluster.ports:  # a hall started again can listen where this one did
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("how", ["command line", "hall.toml"])
def test_more_than_one_process_without_redis_exits_2_naming_redis(tmp_path, catalog_csv, how):
    extra = "[processes]\ncount = 2\n\n" if how == "hall.toml" else ""
    config = hall_config(tmp_path, catalog_csv, extra=extra)
    data = tmp_path / "data"
    args = ["--processes", "2"] if how == "command line" else []
    ran = subprocess.run([sys.executable, str(ROOT / "run_hall.py"), *args, "--data", str(data),
                          "--config", str(config), "--port", str(free_port())],
                         cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert ran.returncode == 2, (ran.returncode, ran.stderr[-2000:])
    assert "--redis" in ran.stderr
    assert not (data / "hall.db").exists()  # refused before anything started


# More than redis-py's default pool of 100 connections: each leaving screen's presence is published at once.
CROWD = 130


async def _crowd_comes_and_goes(url: str, tokens: list[str]) -> None:
    crowd = [socketio.AsyncClient(reconnection=False) for _ in tokens]
    await asyncio.gather(*(sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=20)
                           for sio, token in zip(crowd, tokens)))
    await asyncio.gather(*(sio.disconnect() for sio in crowd))


def test_a_crowd_leaving_one_process_at_once_does_not_cost_it_the_queue(cluster, clients):
    """Every screen that leaves is told to the staff screens of every process through Redis, each from its own
    greenlet: a hundred and more at once (a hall's Wi-Fi dropping) must wait their turn for a connection, not
    fail and cost the process its subscription."""
    tokens = [cluster.token("kiosk", f"kiosk-crowd-{n}") for n in range(CROWD)]
    # In a thread of its own: a page test's Playwright may already run an event loop in this one.
    with ThreadPoolExecutor(1) as aside:
        aside.submit(asyncio.run, _crowd_comes_and_goes(cluster.url(1), tokens)).result(timeout=120)
    staff_on_0 = clients(cluster.client("staff", "staff-0", process=0))
    screen = clients(cluster.client("kiosk", "kiosk-stays", process=1))
    received = cluster.health(1)["queue"]["received"]
    assert staff_on_0.call("restock", {"sku": "RICE", "qty": 1})["ok"]
    deadline = time.monotonic() + 5
    while cluster.health(1)["queue"]["received"] == received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cluster.health(1)["queue"]["received"] > received  # still subscribed: the row came through Redis
    screen.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["sku"] == "RICE")
    tails = cluster.log_tails(chars=200_000)
    assert "Cannot publish to redis" not in tails and "Cannot receive from redis" not in tails


class _Touch:
    """Unpickled, it would run a command: the test's stand-in for a stranger's pickle."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def test_the_relay_closes_a_link_with_a_wrong_key_before_reading_anything_else(cluster, tmp_path):
    port = cluster.health(1)["writer"]["relay"]["port"]
    touched = tmp_path / "unpickled"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as link:
        for frame in (b"not the key", pickle.dumps(_Touch(touched))):
            try:
                link.sendall(struct.pack(">I", len(frame)) + frame)
            except OSError:
                break  # closed already
        assert link.recv(16) == b""  # closed, no answer
    time.sleep(0.5)
    assert not touched.exists()
    till = cluster.client("pos", "pos-1", process=1)  # the hall's own links still work
    try:
        assert till.call("checkout", sale())["ok"]
    finally:
        till.close()
