"""Stock-event push: how long a stock change takes to reach every connected screen.

A driver sends one change every 1/rate seconds; listener processes (two, so
one core does not limit them) record when each event reaches each client.
Latency = arrival (time.monotonic() in the listener) - send (time.monotonic()
in the driver just before the command goes out); CLOCK_MONOTONIC is one
clock for every process on a Linux machine, so the two can be subtracted.

Through the hub the driver is a staff screen sending `restock` (qty 1), so the
latency includes the durable commit; the listeners are kiosks and hear the
resulting `stock.changed`. Events are keyed by "sku:on_hand", which the
restock's acknowledgement gives. The bare server gets a `fire` event of the
same shape and size (the send time is in its "at" field) and broadcasts it.
"""
import asyncio
import time

import socketio

from .bare import BareServer, websocket_backend
from .hubproc import Hub, Worker, remove, scratch_dir, staff_client
from .machine import DISTURBED_PERCENT, Window, least_disturbed, wait_for_quiet
from .stats import latency_ms

SKUS = [f"P{number:05d}" for number in range(1, 51)]
DRAIN_SECONDS = 2.0       # no new arrival for this long: the rest are lost
MAX_DRAIN_SECONDS = 20.0
# Events sent first and left out of the figures (but not out of `lost`): the first
# second after a connection storm is slow on every server tried, the bare one too.
WARMUP_SECONDS = 1.0
LISTENER_PROCESSES = 2


async def _drive(url: str, auth: dict, kind: str, seconds: float, rate: float, warmup: float) -> dict:
    """Send changes at a steady pace for `warmup` then `seconds`; returns {key: send time} of each part."""
    if kind == "hub":
        sio = await staff_client(url, auth["token"])
    else:
        sio = socketio.AsyncClient(reconnection=False)
        await sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=20)
    sent: dict[str, float] = {}
    warm: dict[str, float] = {}
    acked: list[float] = []
    failures: dict[str, int] = {}
    outstanding = {"n": 0}
    warmup_count = round(warmup * rate)
    total = warmup_count + round(seconds * rate)
    start = time.monotonic()
    late = 0

    def acknowledge(send_time, key, measured):
        def callback(ack):
            outstanding["n"] -= 1
            if not isinstance(ack, dict) or not ack.get("ok"):
                code = (ack or {}).get("error", {}).get("code", "?") if isinstance(ack, dict) else "?"
                failures[code] = failures.get(code, 0) + 1
                return
            if measured:
                acked.append(time.monotonic() - send_time)
            (sent if measured else warm)[key or f"{ack['sku']}:{ack['on_hand']}"] = send_time
        return callback

    for number in range(total):
        due = start + number / rate
        pause = due - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        elif pause < -0.5 / rate:
            late += 1
        sku = SKUS[number % len(SKUS)]
        send_time = time.monotonic()
        if kind == "hub":
            name, payload, key = "restock", {"sku": sku, "qty": 1}, None
        else:
            on_hand = 1000 + number
            key = f"{sku}:{on_hand}"
            # Shaped and sized like the hub's stock.changed; "at" carries the send time.
            payload = {"seq": 2300 + number, "type": "stock.changed",
                       "data": {"sku": sku, "on_hand": on_hand, "available": on_hand},
                       "at": f"{send_time:029.6f}"}
            name = "fire"
        outstanding["n"] += 1
        await sio.emit(name, payload, callback=acknowledge(send_time, key, number >= warmup_count))
    finished = time.monotonic()
    give_up = finished + 10
    while outstanding["n"] > 0 and time.monotonic() < give_up:
        await asyncio.sleep(0.01)
    await sio.disconnect()
    return {"sent": sent, "warmup": warm, "acks": acked, "failures": failures, "unanswered": outstanding["n"],
            "attempted": total, "late_sends": late, "send_seconds": finished - start}


def _drain(workers, events: int) -> float:
    """Wait until every listener has every event, or arrivals stop for DRAIN_SECONDS; returns the wait.

    So `lost` counts events that never came, not events still in flight when a slow run ended.
    """
    started = time.monotonic()
    expected = sum(worker.connected for worker in workers) * events
    last, last_change = -1, started
    while time.monotonic() - started < MAX_DRAIN_SECONDS:
        have = sum(worker.count() for worker in workers)
        if have >= expected:
            break
        if have != last:
            last, last_change = have, time.monotonic()
        elif time.monotonic() - last_change >= DRAIN_SECONDS:
            break
        time.sleep(0.2)
    return round(time.monotonic() - started, 2)


def measure(url: str, kind: str, listeners: int, *, server, folder, seconds: float, rate: float,
            tokens_file=None, driver_auth: dict, client: str = "AsyncClient") -> dict:
    """One run: connect `listeners`, push for `seconds` at `rate`, and summarise what arrived."""
    per_process = -(-listeners // LISTENER_PROCESSES)
    groups = [(str(index), url, min(per_process, listeners - index * per_process), index * per_process)
              for index in range(LISTENER_PROCESSES)]
    return measure_groups(url, kind, groups, servers=[server], folder=folder, seconds=seconds, rate=rate,
                          tokens_file=tokens_file, driver_auth=driver_auth, client=client)


def measure_groups(driver_url: str, kind: str, groups: list[tuple[str, str, int, int]], *, servers: list, folder,
                   seconds: float, rate: float, tokens_file=None, driver_auth: dict,
                   client: str = "AsyncClient", probe=None) -> dict:
    """One run with the driver at `driver_url` and one listener process per group (label, url, count, first
    token index), each group on its own address (a hub process of a cluster, say): push for `seconds` at
    `rate` and summarise what arrived, in all and per group. `servers`: what serves them (anything with
    `cpu_seconds()`), whose CPU is charged to the deliveries, in all and each apart. `probe()`, when given, is
    asked once every listener is connected; its answer is the result's "probe" (how a proxy spread them, say)."""
    listeners = sum(count for _, _, count, _ in groups)
    workers = []
    try:
        for label, url, count, first in groups:
            workers.append(Worker(f"listen-{kind}-{listeners}-{label}", "listen", url, count, folder=folder,
                                  first=first, tokens_file=tokens_file, role="kiosk",
                                  max_seconds=seconds + 90, client=client))
        connected_by_group = [worker.wait_ready() for worker in workers]
        connected = sum(connected_by_group)
        time.sleep(1.0)  # let the connection storm settle before measuring
        probed = probe() if probe else None
        idle_before = wait_for_quiet()
        window = Window(list(servers) + [worker.child for worker in workers])
        drive = asyncio.run(_drive(driver_url, driver_auth, kind, seconds, rate, WARMUP_SECONDS))
        drain_seconds = _drain(workers, len(drive["sent"]) + len(drive["warmup"]))
        used = window.close()
        for worker in workers:
            worker.send("STOP")
        found = [worker.result() for worker in workers]
    finally:
        for worker in workers:
            worker.stop()
    wall = used["wall"]
    server_cpu, listener_cpu = used["child_cpu"][:len(servers)], used["child_cpu"][len(servers):]
    lost, warm_by_group = 0, [0] * len(found)
    for key in drive["warmup"]:
        arrived = [len(result["arrivals"].get(key, [])) for result in found]
        warm_by_group = [before + now for before, now in zip(warm_by_group, arrived)]
        lost += connected - sum(arrived)
    warm_delivered = sum(warm_by_group)
    latencies, quiet, by_second = [], [], {}
    by_group: list[list[float]] = [[] for _ in found]
    first_send = min(drive["sent"].values(), default=0.0)
    foreign = used["foreign_by_second"]

    def undisturbed(second: int) -> bool:
        return all(foreign[s] <= DISTURBED_PERCENT for s in (second, second + 1) if s < len(foreign))

    for key, send_time in drive["sent"].items():
        arrivals = []
        for group, result in zip(by_group, found):
            mine = [at - send_time for at in result["arrivals"].get(key, [])]
            group.extend(mine)
            arrivals.extend(mine)
        latencies.extend(arrivals)
        by_second.setdefault(int(send_time - first_send), []).extend(arrivals)
        if undisturbed(int(send_time - window.started)):
            quiet.extend(arrivals)
        lost += connected - len(arrivals)
    delivered = len(latencies)
    # The window holds the warm-up's deliveries too.
    in_window = delivered + warm_delivered

    def per_delivery(cpu: float) -> float | None:
        return round(1e6 * cpu / in_window, 1) if delivered else None

    return {
        "listeners": listeners, "listener_client": client, "connected": connected,
        "rate_per_s": rate, "events_sent": len(drive["sent"]),
        "send_failures": drive["failures"], "unanswered": drive["unanswered"], "late_sends": drive["late_sends"],
        "warmup_events": len(drive["warmup"]), "delivered": delivered, "lost": lost,
        "duplicates": sum(r["duplicates"] for r in found), "disconnects": sum(r["disconnects"] for r in found),
        "disconnect_reasons": [r["disconnect_reasons"] for r in found],
        "latency": latency_ms(latencies), "ack": latency_ms(drive["acks"]),
        # Only events sent in seconds when other processes used under DISTURBED_PERCENT of a core.
        "latency_quiet": latency_ms(quiet), "quiet_fraction": round(len(quiet) / max(1, delivered), 2),
        "server_cpu_percent": round(100 * sum(server_cpu) / wall, 1),
        "server_cpu_us_per_delivery": per_delivery(sum(server_cpu)),
        # Each server apart (one hub: the same as above), and each group of listeners apart.
        "servers_cpu_percent": [round(100 * cpu / wall, 1) for cpu in server_cpu],
        "servers_cpu_us_per_delivery": [per_delivery(cpu) for cpu in server_cpu],
        "groups": [{"label": label, "url": url, "connected": count, "latency": latency_ms(group),
                    "delivered_in_window": len(group) + warm}
                   for (label, url, _, _), count, group, warm in zip(groups, connected_by_group, by_group,
                                                                      warm_by_group)],
        "probe": probed,
        "listener_cpu_percent": [round(100 * cpu / wall, 1) for cpu in listener_cpu],
        "window_s": round(wall, 2), "drain_s": drain_seconds, "machine_busy_before_percent": idle_before,
        "foreign_cpu_percent": used["foreign_percent"],
        # p99 of each second of sending: one bad second (a stall) stands out from a slow steady state.
        "p99_ms_by_second": [latency_ms(by_second[second])["p99_ms"] for second in sorted(by_second)],
        "foreign_cpu_percent_by_second": foreign,
        "server_cpu_percent_by_second": [sum(second[:len(servers)]) for second in used["child_cpu_by_second"]],
    }


def through_hub(runs: list[tuple[int, str]], *, seconds: float, rate: float, retries: int = 0,
                profile_to=None) -> dict:
    """One fresh hub; each run is (listeners, client kind): kiosk listeners while a staff screen restocks
    at `rate`."""
    folder = scratch_dir("push-hub")
    results: dict = {"runs": []}
    try:
        with Hub("push", {"kiosk": max(size for size, _ in runs), "staff": 1}, profile_to) as hub:
            for size, client in runs:
                results["runs"].append(least_disturbed(
                    lambda: measure(hub.url, "hub", size, server=hub.child, folder=folder, seconds=seconds,
                                    rate=rate, tokens_file=hub.tokens_file, client=client,
                                    driver_auth={"token": hub.tokens["staff"][0]}), retries))
        results["hub_log_problems"] = hub.log_problems[:20]
    finally:
        remove(folder)
    return results


def bare(mode: str, runs: list[tuple[int, str]], *, seconds: float, rate: float, retries: int = 0) -> dict:
    """The same listeners and pace against the bare python-socketio server in `mode` (gevent or threading)."""
    folder = scratch_dir(f"push-bare-{mode}")
    results: dict = {"runs": [], "server": SERVED_BY[mode]()}
    try:
        with BareServer(mode, folder) as server:
            for size, client in runs:
                results["runs"].append(least_disturbed(
                    lambda: measure(server.url, "bare", size, server=server.child, folder=folder, seconds=seconds,
                                    rate=rate, client=client, driver_auth={"role": "driver"}), retries))
    finally:
        remove(folder)
    return results


SERVED_BY = {
    "gevent": lambda: f"python-socketio Server(async_mode='gevent') in gevent.pywsgi.WSGIServer, "
                      f"websockets by {websocket_backend()}",
    "threading": lambda: "python-socketio Server(async_mode='threading') under Werkzeug's "
                         "run_simple(threaded=True), websockets by simple-websocket",
}
