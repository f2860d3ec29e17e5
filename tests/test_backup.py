"""Copies of the record while the hall sells: each is one consistent moment that SQLite finds whole, taken on a
timer, at a shift close and on demand, and a data folder started again from one."""
import json
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import uuid

import pytest

from hub import backup
from hub.store import Store
from tests.conftest import NOON, TEST_CATALOG, hall_config
from tests.hubproc import ROOT, TEST_CASHIER, TEST_PIN, Client, HubProcess
from tests.test_hub_durability import stock_from_log


def run_hall(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_hall.py"), *args], capture_output=True, text=True,
                          timeout=120, check=False)


def sale(shift_id: str | None = None) -> dict:
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
            "payments": [{"method": "cash", "amount": 1100}], **({"shift_id": shift_id} if shift_id else {})}


class Tills:
    """Four tills selling at once, each keeping every sale the hub acknowledged (as pos/outbox.js keeps the
    day's sales on the device), so they can offer them again to a hub whose record went back."""

    def __init__(self, hub: HubProcess, count: int = 4):
        self.hub = hub
        hub.add_cashier(TEST_CASHIER, TEST_PIN)
        self.clients = []
        for n in range(1, count + 1):
            client = Client(hub.url, hub.token("pos", f"pos-{n}"))
            client.call("login", {"cashier_id": TEST_CASHIER, "pin": TEST_PIN})
            self.clients.append(client)
        self.acked: dict[str, dict] = {}
        self._lock = threading.Lock()

    def sell(self, each: int, stop: threading.Event | None = None) -> list[threading.Thread]:
        def till(client):
            for _ in range(each):
                if stop is not None and stop.is_set():
                    return
                payload = sale()
                answer = client.call("checkout", payload)
                assert answer["ok"], answer
                with self._lock:
                    self.acked[payload["sale_id"]] = payload
        workers = [threading.Thread(target=till, args=(c,)) for c in self.clients]
        for worker in workers:
            worker.start()
        return workers

    def offer_again(self) -> None:
        """After the hub came back: send every kept sale again; the hub takes each once (sale_id)."""
        for n, payload in enumerate(self.acked.values()):
            client = self.clients[n % len(self.clients)]
            answer = client.call("checkout", payload)
            assert answer["ok"], answer

    def reconnect(self) -> None:
        for client in self.clients:
            client.close()
            client.sio = type(client.sio)(reconnection=False)
            client.sio.on("event", client.events.append)
            client.connect()
            client.sign_in = client.call("login", {"cashier_id": TEST_CASHIER, "pin": TEST_PIN})["sign_in"]

    def close(self) -> None:
        for client in self.clients:
            client.close()


def agrees_with_its_log(path) -> None:
    """The copy's tables say what its own event log says: every sale and every product's stock."""
    store = Store(path)
    try:
        db = store.read_db
        logged = {e["data"]["sale_id"] for e in store.events_since(0) if e["type"] == "sale.completed"}
        assert {row[0] for row in db.execute("SELECT sale_id FROM sales")} == logged
        from_log = stock_from_log(store)
        tables = {sku: (on_hand, on_hand - held) for sku, on_hand, held in
                  db.execute("SELECT sku, on_hand, held FROM products")}
        assert tables == from_log
        assert logged
    finally:
        store.close()


PENS = 100_000


@pytest.fixture
def backup_hub(tmp_path, catalog_csv):
    """A hub that copies its record every second into tmp_path/usb, keeping five copies; pens enough for tills
    that sell as fast as they can."""
    catalog_csv.write_text(TEST_CATALOG.replace(",1100,500,", f",1100,{PENS},"), encoding="utf-8")
    config = hall_config(tmp_path, catalog_csv, extra=f'[backup]\nfolder = "{tmp_path / "usb"}"\n'
                                                      "every_seconds = 1\nkeep = 5\n")
    process = HubProcess(tmp_path / "data", config).start()
    yield process
    process.stop()


def test_a_copy_made_while_four_tills_sell_is_whole_and_agrees_with_its_own_log(backup_hub, tmp_path):
    tills = Tills(backup_hub)
    try:
        stop = threading.Event()
        workers = tills.sell(each=2000, stop=stop)
        while not tills.acked:
            time.sleep(0.01)
        made = []
        for _ in range(3):  # on demand, from the command line, while the four tills sell
            done = run_hall("backup", "--data", str(backup_hub.data_dir), "--config", str(backup_hub.config_path),
                            "--to", str(tmp_path / "on-demand"))
            assert done.returncode == 0, done.stderr
            made.append(done.stdout.strip())
        stop.set()
        for worker in workers:
            worker.join()
    finally:
        tills.close()
    sold = len(tills.acked)
    for copy in made:
        manifest = backup.check(copy)  # the manifest's digest, and PRAGMA integrity_check
        assert backup.integrity(f"{copy}/hall.db") == []
        agrees_with_its_log(f"{copy}/hall.db")
        with sqlite3.connect(f"{copy}/hall.db") as db:
            assert manifest["seq"] == db.execute("SELECT max(seq) FROM events").fetchone()[0]
            # Taken mid-sale: some of the sales, not none and not all.
            assert 0 < db.execute("SELECT count(*) FROM sales").fetchone()[0] < sold


def test_the_timer_copies_every_few_seconds_and_keeps_the_newest(backup_hub, tmp_path, clients):
    till = clients(backup_hub.client("pos", "pos-1"))
    deadline = time.monotonic() + 30
    while len(backup.copies(tmp_path / "usb")) < 5:
        assert time.monotonic() < deadline, "the hub made no copies on its timer"
        assert till.call("checkout", sale())["ok"]
        time.sleep(0.3)
    time.sleep(2.5)
    found = backup.copies(tmp_path / "usb")
    assert len(found) == 5  # [backup] keep
    newest = found[-1]
    agrees_with_its_log(newest / "hall.db")
    key = newest / "ticket-signing-key.pem"
    assert key.read_bytes() == (backup_hub.data_dir / "ticket-signing-key.pem").read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == stat.S_IMODE(
        (backup_hub.data_dir / "ticket-signing-key.pem").stat().st_mode)


def test_a_shift_close_makes_a_copy_at_once(tmp_path, catalog_csv, clients):
    config = hall_config(tmp_path, catalog_csv, extra=f'[backup]\nfolder = "{tmp_path / "usb"}"\n'
                                                      "every_minutes = 600\n")
    hub = HubProcess(tmp_path / "data", config).start()
    try:
        till = clients(hub.client("pos", "pos-1"))
        shift_id = str(uuid.uuid4())
        assert till.call("shift_open", {"shift_id": shift_id, "cashier_id": TEST_CASHIER, "float": 0})["ok"]
        assert till.call("checkout", sale(shift_id))["ok"]
        assert backup.copies(tmp_path / "usb") == []
        assert till.call("shift_close", {"shift_id": shift_id, "counted_cash": 1100})["ok"]
        deadline = time.monotonic() + 10
        while not backup.copies(tmp_path / "usb"):
            assert time.monotonic() < deadline, "no copy after the shift closed"
            time.sleep(0.1)
        copy = backup.copies(tmp_path / "usb")[0] / "hall.db"
        closed = sqlite3.connect(copy).execute("SELECT closed_at FROM shifts WHERE shift_id = ?", [shift_id])
        assert closed.fetchone()[0] is not None
    finally:
        hub.stop()


def test_restore_drill_every_sale_the_tills_made_is_in_the_books_exactly_once(backup_hub, tmp_path):
    tills = Tills(backup_hub)
    try:
        for worker in tills.sell(each=15):
            worker.join()
        done = run_hall("backup", "--data", str(backup_hub.data_dir), "--config", str(backup_hub.config_path),
                        "--to", str(tmp_path / "drill"))
        assert done.returncode == 0, done.stderr
        for worker in tills.sell(each=10):  # sold after the copy: only the tills have these now
            worker.join()
        assert len(tills.acked) == 100
        backup_hub.stop()
        shutil.rmtree(backup_hub.data_dir)  # the disk died

        done = run_hall("restore", str(tmp_path / "drill"), "--data", str(backup_hub.data_dir),
                        "--config", str(backup_hub.config_path))
        assert done.returncode == 0, done.stderr
        backup_hub.start()
        store = backup_hub.read_store()
        assert store.read_db.execute("SELECT count(*) FROM sales").fetchone()[0] == 60  # the copy's sales
        store.close()
        tills.reconnect()
        tills.offer_again()
        tills.offer_again()  # and once more, as a till whose acks were lost would: still once each
    finally:
        tills.close()
    store = backup_hub.read_store()
    try:
        rows = store.read_db.execute("SELECT sale_id FROM sales").fetchall()
        assert sorted(r[0] for r in rows) == sorted(tills.acked)
        agrees_with_its_log(backup_hub.data_dir / "hall.db")
        assert store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'PEN'").fetchone()[0] == PENS - 100
    finally:
        store.close()


def test_restore_refuses_a_folder_that_holds_a_record_and_keeps_it_with_replace(store, tmp_path):
    made = backup.make(tmp_path, tmp_path / "usb", now=NOON)
    with pytest.raises(backup.BackupError, match="already holds a hall record"):
        backup.restore(made, tmp_path)
    done = backup.restore(tmp_path / "usb", tmp_path / "fresh")
    assert done["copy"] == str(made)
    assert backup.integrity(tmp_path / "fresh" / "hall.db") == []


def test_a_copy_changed_after_it_was_made_is_refused(store, tmp_path):
    made = backup.make(tmp_path, tmp_path / "usb", now=NOON)
    with open(made / "hall.db", "r+b") as handle:
        handle.seek(4096 + 100)
        handle.write(b"\xff" * 64)
    with pytest.raises(backup.BackupError, match="has changed since it was copied"):
        backup.restore(made, tmp_path / "fresh")
    assert not (tmp_path / "fresh" / "hall.db").exists()


def test_a_copy_cut_off_halfway_is_never_taken_for_one(store, tmp_path):
    made = backup.make(tmp_path, tmp_path / "usb", now=NOON)
    (tmp_path / "usb" / "hall-20261125-130000.partial").mkdir()
    assert backup.copies(tmp_path / "usb") == [made]
    assert json.loads((made / "manifest.json").read_text())["seq"] > 0


def test_a_backup_folder_that_takes_no_copies_is_told_and_the_hall_sells_on(tmp_path, catalog_csv, clients):
    import requests
    stick = tmp_path / "usb"
    stick.write_text("not a folder: the stick is not mounted and something took its place")
    config = hall_config(tmp_path, catalog_csv, extra=f'[backup]\nfolder = "{stick / "hall"}"\nevery_seconds = 1\n')
    hub = HubProcess(tmp_path / "data", config).start()
    try:
        till = clients(hub.client("pos", "pos-1"))

        def health():
            return requests.get(hub.url + "/api/health", timeout=5).json()
        deadline = time.monotonic() + 10
        while not any(r["code"] == "backup_failing" for r in health()["reasons"]):
            assert time.monotonic() < deadline, health()
            time.sleep(0.2)
        told = health()
        assert told["status"] == "degraded" and told["backup"]["ok"] is False
        assert till.call("checkout", sale())["ok"]  # the hall sells on

        stick.unlink()  # the stick is back
        while health()["backup"]["ok"] is not True:
            assert time.monotonic() < deadline + 10, health()
            time.sleep(0.2)
        assert [r for r in health()["reasons"] if r["code"] == "backup_failing"] == []
        assert backup.copies(stick / "hall")
    finally:
        hub.stop()
