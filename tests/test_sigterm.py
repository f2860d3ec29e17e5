"""A clean stop on SIGTERM: no new commands, the writes and the print job in flight finish, every screen hears
that the hub is restarting, and the file is closed whole; what was queued prints after the restart."""
import signal
import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest

from hub import backup
from tests.fake_printer import FakePrinter
from tests.hubproc import free_port
from tests.test_backup import Tills, agrees_with_its_log, backup_hub  # noqa: F401 (backup_hub is a fixture)
from tests.test_hub_printing import jobs_with, network_hall, sale, wait_until

STOP_SECONDS = 15


def terminate(hub) -> int:
    """SIGTERM, as systemd or a shutdown sends it; the hub's exit code."""
    hub.process.send_signal(signal.SIGTERM)
    return hub.process.wait(timeout=STOP_SECONDS)


def test_sigterm_while_four_tills_sell_loses_nothing_and_closes_the_file_whole(backup_hub):
    tills = Tills(backup_hub)
    told = []
    for client in tills.clients:
        client.sio.on("restarting", told.append)
    tried, answers, lock = {}, {}, threading.Lock()

    def till(client):
        while True:
            payload = sale()
            with lock:
                tried[payload["sale_id"]] = payload
            try:
                answer = client.call("checkout", payload, timeout=5)
            except Exception:
                return  # the link went: the till keeps the sale and sends it again later
            with lock:
                answers[payload["sale_id"]] = answer
            if not answer["ok"]:
                return
    workers = [threading.Thread(target=till, args=(c,)) for c in tills.clients]
    for worker in workers:
        worker.start()
    while len(answers) < 40:
        time.sleep(0.01)
    assert terminate(backup_hub) == 0
    for worker in workers:
        worker.join(timeout=10)

    assert len(told) == len(tills.clients)  # every screen heard it
    acked = {sale_id for sale_id, answer in answers.items() if answer["ok"]}
    refused = {answer["error"]["code"] for answer in answers.values() if not answer["ok"]}
    assert refused <= {"restarting"}
    db_file = backup_hub.data_dir / "hall.db"
    assert not (backup_hub.data_dir / "hall.db-wal").exists()  # closed, checkpointed: one whole file
    assert backup.integrity(db_file) == []
    with sqlite3.connect(db_file) as db:
        stored = {row[0] for row in db.execute("SELECT sale_id FROM sales")}
    assert acked <= stored  # every acknowledged sale is there
    assert not stored & {s for s, a in answers.items() if not a["ok"]}  # a refused one changed nothing
    agrees_with_its_log(db_file)

    backup_hub.start()
    tills.reconnect()
    tills.acked = tried  # the tills send again what they did not hear back about
    tills.offer_again()
    tills.close()
    with sqlite3.connect(db_file) as db:
        assert sorted(row[0] for row in db.execute("SELECT sale_id FROM sales")) == sorted(tried)


@contextmanager
def receipt_being_printed(tmp_path, catalog_csv, clients):
    """A network hall whose till just sold a receipt that its slow printer (about two seconds a receipt) is
    taking now: (hub, printer port, till, slow printer, receipt number). The slow printer stops at the end."""
    port = free_port()
    hub = network_hall(tmp_path, catalog_csv, port).start()
    slow = FakePrinter(port=port, read_delay=0.1, chunk=256, lifetime=30).start()
    try:
        pos = clients(hub.client("pos", "pos-1"))
        receipt = pos.call("checkout", sale())["sale"]["receipt_no"]
        time.sleep(0.5)  # the worker is sending it now
        yield hub, port, pos, slow, receipt
    finally:
        slow.stop()


def test_a_receipt_being_printed_is_finished_once_and_the_queue_prints_after_the_restart(tmp_path, catalog_csv,
                                                                                         clients):
    with receipt_being_printed(tmp_path, catalog_csv, clients) as (hub, port, pos, slow, first):
        second = pos.call("checkout", sale())["sale"]["receipt_no"]
        assert terminate(hub) == 0
        # The slow printer files a job once it has read to the end of its connection, a read or two after the
        # hub closed it: wait for that, then count.
        assert wait_until(lambda: jobs_with(slow, f"RCPT:{first}"), timeout=5)
        assert len(jobs_with(slow, f"RCPT:{first}")) == 1  # let finish, whole
        assert jobs_with(slow, f"RCPT:{second}") == []  # not begun: left in the queue
    with sqlite3.connect(hub.data_dir / "hall.db") as db:
        states = dict(db.execute("SELECT ref, state FROM print_jobs WHERE kind = 'receipt'").fetchall())
    assert states == {first: "printed", second: "queued"}

    with FakePrinter(port=port, lifetime=30) as printer:
        hub.start()
        try:
            assert wait_until(lambda: jobs_with(printer, f"RCPT:{second}"), timeout=15)
            time.sleep(1)
            assert len(jobs_with(printer, f"RCPT:{second}")) == 1
            assert jobs_with(printer, f"RCPT:{first}") == []  # never twice
        finally:
            hub.stop()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_hub_exits_cleanly_on_a_stop_signal(hub, signum):
    hub.process.send_signal(signum)
    assert hub.process.wait(timeout=STOP_SECONDS) == 0
    assert not (hub.data_dir / "hall.db-wal").exists()


def test_a_receipt_cut_off_by_a_killed_hub_is_sent_again_and_counted_as_a_second_try(tmp_path, catalog_csv, clients):
    with receipt_being_printed(tmp_path, catalog_csv, clients) as (hub, port, _pos, _slow, receipt):
        hub.process.send_signal(signal.SIGKILL)
        hub.process.wait(timeout=STOP_SECONDS)
    with sqlite3.connect(hub.data_dir / "hall.db") as db:
        # The try was on record before its first byte left, though the hub died before it could say how it went.
        assert db.execute("SELECT state, attempts FROM print_jobs WHERE ref = ?", [receipt]).fetchone() == ("queued", 1)

    with FakePrinter(port=port, lifetime=30) as printer:
        hub.start()
        try:
            assert wait_until(lambda: jobs_with(printer, f"RCPT:{receipt}"), timeout=15)
        finally:
            hub.stop()
    with sqlite3.connect(hub.data_dir / "hall.db") as db:
        # Two copies may be on paper (the first printer may have taken it all): the record says two tries.
        assert db.execute("SELECT state, attempts FROM print_jobs WHERE ref = ?", [receipt]).fetchone() == ("printed", 2)
