"""One rehearsal: the hall set up, the day played with its faults, the hall drained, the evidence gathered."""
import json
import sqlite3
import subprocess
import time
from pathlib import Path

from bench.hubproc import Child
from rehearsal import hall as hall_setup
from rehearsal.faults import Nemesis

ROOT = Path(__file__).resolve().parent.parent
STEP = 0.25


class Clients:
    """The Node process that plays every screen (rehearsal/clients.cjs), spoken to one JSON line at a time."""

    def __init__(self, plan: dict, folder: Path):
        plan_path = folder / "clients-plan.json"
        plan_path.write_text(json.dumps(plan))
        self.child = Child(["node", str(ROOT / "rehearsal" / "clients.cjs"), str(plan_path)], folder / "clients.log",
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def line(self, timeout: float) -> str:
        import select
        ready, _, _ = select.select([self.child.process.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError(f"the screens said nothing in {timeout:.0f} s\n{self.child.log_tail()}")
        return self.child.process.stdout.readline().decode().strip()

    def send(self, command: dict) -> None:
        self.child.process.stdin.write((json.dumps(command) + "\n").encode())
        self.child.process.stdin.flush()


def products(count: int) -> list[dict]:
    import csv
    with open(ROOT / "config" / "catalog.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [{"sku": row["sku"], "price": int(row["price"])} for row in rows[:count]]


def rates(scenario, minute: float, load: float, seconds_per_minute: float) -> dict:
    """What the hall does per real second at this minute of the day."""
    per_minute = scenario.visitors_at(minute) / 60 * load / seconds_per_minute
    behaviour = scenario.behaviour
    return {"op": "rate", "sales": per_minute * behaviour["buys"],
            "holds": per_minute * behaviour["orders_at_kiosk"], "books": per_minute * behaviour["books_demo"]}


def wait(condition, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def rehearse(scenario, folder: Path, *, minutes: float, seed: int, load: float = 1.0, say=print) -> dict:
    """Play the day; returns everything the audit and the report need."""
    folder.mkdir(parents=True, exist_ok=True)
    data_dir = folder / "data"
    seconds_per_minute = minutes * 60 / scenario.day_minutes
    run_seconds = minutes * 60
    hall = scenario.hall
    printers = hall_setup.start_printers(hall, lifetime=run_seconds + 900)
    slow_disk_file = folder / "slow-disk"
    slow_disk_file.unlink(missing_ok=True)
    config = hall_setup.write_config(folder, hall, printers, hall_setup.datetime.now(hall_setup.SEOUL), run_seconds)
    devices = hall_setup.mint(data_dir, hall)
    hub = hall_setup.HubRunner(data_dir, config, slow_disk_file)
    sampler = hall_setup.Sampler(hub)
    clients = None
    try:
        hub.start()
        say(f"hub on {hub.url}; {len(devices)} screens, {len(printers)} fake printers on loopback")
        plan = {"url": hub.url, "seed": seed, "out": str(folder / "history.json"), "cashier": hall_setup.CASHIER,
                "staff": hall_setup.STAFF, "products": products(int(hall["products"])), "devices": devices,
                "max_seconds": run_seconds + 600, "drain_ms": 120_000}
        clients = Clients(plan, folder)
        ready = clients.line(90)
        if not ready.startswith("READY"):
            raise RuntimeError(f"the screens did not start: {ready}\n{clients.child.log_tail()}")
        nemesis = Nemesis(scenario, hub, printers, clients, slow_disk_file)
        sampler.start()
        started, started_ms = time.monotonic(), time.time() * 1000
        faults = list(scenario.faults)
        active: list[tuple] = []
        last_rate = None
        while (elapsed := time.monotonic() - started) < run_seconds:
            minute = scenario.opens + elapsed / seconds_per_minute
            rate = rates(scenario, minute, load, seconds_per_minute)
            if rate != last_rate:
                clients.send(rate)
                last_rate = rate
            for entry in [e for e in active if minute >= e[0].at + e[0].lasts]:
                nemesis.end(*entry)
                active.remove(entry)
                say(f"{int(minute) // 60:02d}:{int(minute) % 60:02d} {entry[0].kind} over")
            while faults and minute >= faults[0].at:
                fault = faults.pop(0)
                active.append((fault, nemesis.begin(fault)))
                say(f"{int(minute) // 60:02d}:{int(minute) % 60:02d} {fault.kind} ({active[-1][1]['detail']})")
            time.sleep(STEP)
        day_end = time.time() * 1000
        clients.send({"op": "rate", "sales": 0, "holds": 0, "books": 0})
        for entry in active:
            nemesis.end(*entry)
        say("day over: draining the outboxes, letting the holds expire, emptying the print queues")
        db_path = data_dir / "hall.db"

        def active_holds() -> int:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
                return db.execute("SELECT count(*) FROM holds WHERE status = 'active'").fetchone()[0]

        wait(lambda: active_holds() == 0, hall["hold_seconds"] + 30)
        clients.send({"op": "finish"})
        done = clients.line(180)
        if done != "DONE":
            raise RuntimeError(f"the screens did not finish: {done}\n{clients.child.log_tail()}")
        clients.child.wait_exit(10)
        clients.child.stop()

        def queues_empty() -> bool:
            health = hub.health()
            return bool(health) and all(p["queued"] == 0 for p in health["printers"])

        printed = wait(queues_empty, 120)
        wait(lambda: active_holds() == 0, hall["hold_seconds"] + 30)
        sampler.stop()
        hub.stop()
        history = json.loads((folder / "history.json").read_text())
        return {"history": history, "db_path": db_path, "printers": {n: p.jobs for n, p in printers.items()},
                "hub_log": (data_dir / "hub.log").read_text(errors="replace"), "faults": nemesis.marks,
                "samples": sampler.samples, "started_ms": started_ms,
                "day_end_ms": day_end, "queues_emptied": printed, "seconds_per_minute": seconds_per_minute,
                "scenario": scenario, "minutes": minutes, "seed": seed, "load": load, "hub_starts": hub.starts}
    finally:
        sampler.stop()
        if clients:
            clients.child.stop(grace=3)
        hub.stop()
        for printer in printers.values():
            printer.stop()
        slow_disk_file.unlink(missing_ok=True)
