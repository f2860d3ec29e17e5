"""Durable checkouts per second: through the whole Socket.IO path, and bare SQLite beside it.

Through the hub: N POS clients (asyncio python-socketio, websocket transport)
each send `checkout` back to back and wait for its acknowledgement, which the
hub gives only after the sale is committed with synchronous=FULL. Every POS
also hears every sale and stock change in the hall, as a real till does.

Bare: the same domain function (`hub.checkout.checkout`) on a fresh
`hub.store.Store` file, one `Store.run` transaction (one fsync) per sale, in a
plain loop: what SQLite alone gives on this disk, with no sockets at all.
"""
import asyncio
import csv
import json
import random
import time
from datetime import datetime
from pathlib import Path

from .clients import sale_payload
from .hubproc import ROOT, SEOUL, Hub, Worker, remove, scratch_dir, staff_client
from .machine import Window, least_disturbed, wait_for_quiet
from .stats import latency_ms

PRODUCTS = 40           # the bench sells from the first 40 products...
RESTOCK = 100_000       # ...each restocked by this much first, so no sale runs short
# Node's event loop carries 32 tills in one process at a fraction of a core; Python's needs two.
CLIENTS_PER_PROCESS = {"AsyncClient": 16, "js": 32}


def bench_products() -> list[dict]:
    with open(ROOT / "config" / "catalog.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:PRODUCTS]
    return [{"sku": row["sku"], "price": int(row["price"])} for row in rows]


def bare_sqlite(seconds: float, max_sales: int = 100_000, retries: int = 0) -> dict:
    return least_disturbed(lambda: _bare_sqlite_once(seconds, max_sales), retries)


def _bare_sqlite_once(seconds: float, max_sales: int) -> dict:
    """Sales per second of `Store.run(checkout.checkout, ...)` in a loop on a fresh file."""
    from hub.rules import cashiers, catalog, checkout, inventory, sign_ins
    from hub.wire import payloads
    from hub.store import Store

    folder = scratch_dir("bare-sqlite")
    store = Store(folder / "hall.db")
    try:
        path = ROOT / "config" / "catalog.csv"
        now = datetime.now(SEOUL)
        store.run(catalog.load_catalog, catalog.parse_catalog(path.read_text(encoding="utf-8")),
                  source=path.name, now=now)
        products = bench_products()
        for product in products:
            store.run(inventory.restock, payloads.restock({"sku": product["sku"], "qty": RESTOCK}),
                      device="bench-staff", now=now)
        # The same sign-in check the hub makes for every sale, against a cashier signed in at this till.
        store.run(cashiers.upsert, "b01", "벤치 계산원", cashiers.hash_pin("2580"), supervisor=False, now=now)
        sign_in = store.run(lambda db, now: (sign_ins.start(db, device="bench-pos", cashier_id="b01", now=now), []),
                            now=now)[0]
        chooser = random.Random(1)
        busy_before = wait_for_quiet()
        window = Window([])
        latencies = []
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at and len(latencies) < max_sales:
            payload = {**sale_payload(chooser, products), "sign_in": sign_in}
            started = time.monotonic()
            store.run(checkout.checkout, payloads.checkout(payload), device="bench-pos", tax_rate=10,
                      now=datetime.now(SEOUL))
            latencies.append(time.monotonic() - started)
        used = window.close()
    finally:
        store.close()
        remove(folder)
    return {"sales": len(latencies), "rate_per_s": round(len(latencies) / used["wall"], 1),
            "latency": latency_ms(latencies), "window_s": round(used["wall"], 2),
            "machine_busy_before_percent": busy_before, "foreign_cpu_percent": used["foreign_percent"]}


async def _restock(url: str, token: str, products: list[dict]) -> None:
    sio = await staff_client(url, token)
    try:
        for product in products:
            ack = await sio.call("restock", {"sku": product["sku"], "qty": RESTOCK}, timeout=10)
            if not ack.get("ok"):
                raise RuntimeError(f"restock {product['sku']} refused: {ack}")
    finally:
        await sio.disconnect()


def _through_hub_once(hub: Hub, clients: int, seconds: float, folder: Path, products_file: Path,
                      client: str, url: str | None = None, servers: list | None = None) -> dict:
    """`url`: the address the tills use (default: the hub's; a cluster's serving process, say); `servers`: the
    processes whose CPU is the hub's (default: the started hub), summed, and each apart."""
    url = url or hub.url
    servers = servers or [hub.child]
    processes = -(-clients // CLIENTS_PER_PROCESS[client])
    per_process = -(-clients // processes)
    workers = []
    try:
        for index in range(processes):
            first = index * per_process
            workers.append(Worker(f"pos-{client}-{clients}-{index}", "checkout", url, min(per_process, clients - first),
                                  folder=folder, first=first, tokens_file=hub.tokens_file, role="pos", client=client,
                                  max_seconds=seconds + 90,
                                  extra=["--seconds", str(seconds), "--products", str(products_file)]))
        connected = sum(worker.wait_ready() for worker in workers)
        time.sleep(0.5)
        busy_before = wait_for_quiet()
        window = Window(list(servers) + [worker.child for worker in workers])
        for worker in workers:
            worker.send("GO")
        found = [worker.result(timeout=seconds + 60) for worker in workers]
        used = window.close()
    finally:
        for worker in workers:
            worker.stop()
    latencies = [value for result in found for value in result["latencies"]]
    errors: dict[str, int] = {}
    for result in found:
        for code, count in result["errors"].items():
            errors[code] = errors.get(code, 0) + count
    span = max(r["end"] for r in found) - min(r["start"] for r in found)
    hub_cpus, client_cpu = used["child_cpu"][:len(servers)], used["child_cpu"][len(servers):]
    hub_cpu = sum(hub_cpus)
    return {"clients": clients, "client_kind": client, "connected": connected, "client_processes": processes, "sales": len(latencies),
            "rate_per_s": round(len(latencies) / span, 1), "errors": errors, "latency": latency_ms(latencies),
            "events_heard_per_sale_per_client":
                round(sum(r["events_heard"] for r in found) / max(1, len(latencies)) / max(1, connected), 2),
            "hub_cpu_percent": round(100 * hub_cpu / used["wall"], 1),
            "hub_processes_cpu_percent": [round(100 * cpu / used["wall"], 1) for cpu in hub_cpus],
            "client_cpu_percent": [round(100 * cpu / used["wall"], 1) for cpu in client_cpu],
            "window_s": round(span, 2), "machine_busy_before_percent": busy_before,
            "foreign_cpu_percent": used["foreign_percent"]}


def through_hub(runs: list[tuple[int, str]], seconds: float, *, retries: int = 0, profile_to=None) -> dict:
    """One fresh hub; each run is (count, client kind): that many POS clients selling for `seconds`."""
    folder = scratch_dir("checkout-clients")
    products = bench_products()
    products_file = folder / "products.json"
    products_file.write_text(json.dumps(products))
    results: dict = {"runs": []}
    try:
        with Hub("checkout", {"pos": max(count for count, _ in runs), "staff": 1}, profile_to) as hub:
            asyncio.run(_restock(hub.url, hub.tokens["staff"][0], products))
            for clients, client in runs:
                results["runs"].append(least_disturbed(
                    lambda: _through_hub_once(hub, clients, seconds, folder, products_file, client), retries))
        results["hub_log_problems"] = hub.log_problems[:20]
    finally:
        remove(folder)
    return results
