"""Every screen hears every stock change once and in seq order, whatever its transport, under bursts."""
import threading
import time

import requests as http
import socketio

RESTOCKERS = 4
RESTOCKS_EACH = 15
LATE_SCREENS = 4
RESTOCKS_AFTER_JOIN = 5


def kiosk(hub, name: str, transports: list[str]) -> tuple[socketio.Client, list[dict]]:
    heard: list[dict] = []
    sio = socketio.Client(reconnection=False)
    sio.on("event", heard.append)
    sio.connect(hub.url, auth={"token": hub.token("kiosk", name)}, transports=transports, wait_timeout=10)
    return sio, heard


def delivered(hub) -> dict:
    return http.get(hub.url + "/api/health", timeout=5).json()["delivered"]


def test_websocket_polling_and_upgraded_screens_hear_the_same_changes_in_order(hub, clients):
    screens = {
        "websocket": kiosk(hub, "kiosk-ws", ["websocket"]),
        "polling": kiosk(hub, "kiosk-poll", ["polling"]),
        "upgraded": kiosk(hub, "kiosk-up", ["polling", "websocket"]),
        "chatty": kiosk(hub, "kiosk-chatty", ["websocket"]),
    }
    staff = [clients(hub.client("staff", f"staff-{n}")) for n in range(RESTOCKERS)]
    before = staff[0].call("sync", {"since": 0})["seq"]
    answers: list[dict] = []
    all_joined, restocking_done = threading.Event(), threading.Event()
    give_up = time.monotonic() + 30

    def restock(screen):
        # Several screens at once: their changes commit in shared batches and go out in shared rounds.
        # They go on until the late screens are in, and then some, so those join mid-stream.
        n, after_joined = 0, 0
        while (n < RESTOCKS_EACH or after_joined < RESTOCKS_AFTER_JOIN) and time.monotonic() < give_up:
            answers.append(screen.call("restock", {"sku": ["PEN", "RICE"][n % 2], "qty": 1}))
            n += 1
            after_joined += all_joined.is_set()

    def chatter(sio):
        # Its acknowledgements queue up beside the events: those must still arrive in order.
        while not restocking_done.is_set():
            sio.call("catalog", {}, timeout=10)

    late: list[tuple[socketio.Client, list[dict]]] = []

    def join_late():
        # Screens that upgrade from polling to websocket while changes stream: the events
        # queued during their upgrade must not be overtaken by the ones written after it.
        for n in range(LATE_SCREENS):
            time.sleep(0.05)
            late.append(kiosk(hub, f"kiosk-late-{n}", ["polling", "websocket"]))
        all_joined.set()

    restockers = [threading.Thread(target=restock, args=(screen,)) for screen in staff]
    workers = list(restockers)
    workers.append(threading.Thread(target=chatter, args=(screens["chatty"][0],)))
    workers.append(threading.Thread(target=join_late))
    try:
        for worker in workers:
            worker.start()
        for worker in restockers:
            worker.join(timeout=60)
        restocking_done.set()
        for worker in workers:
            worker.join(timeout=30)
        assert all_joined.is_set() and all(a["ok"] for a in answers)
        store = hub.read_store()
        try:
            logged = [row["seq"] for row in store.events_since(before, role="kiosk")
                      if row["type"] == "stock.changed"]
        finally:
            store.close()
        assert len(logged) == len(answers) >= RESTOCKERS * RESTOCKS_EACH
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
                len([e for e in heard if e["seq"] > before]) < len(logged) for _, heard in screens.values()):
            time.sleep(0.05)
        for transport, (_, heard) in screens.items():
            seqs = [e["seq"] for e in heard if e["seq"] > before and e["type"] == "stock.changed"]
            assert seqs == logged, transport
        # Both paths were really taken: the direct one for websocket screens, the queue for polling.
        paths = delivered(hub)
        assert paths["direct"] >= len(logged) and paths["queued"] >= len(logged), paths
        assert len(late) == LATE_SCREENS
        for _, heard in late:
            seqs = [e["seq"] for e in heard if e["type"] == "stock.changed"]
            # From the first change it heard on, a late screen hears every later one, in order.
            assert seqs and seqs == logged[logged.index(seqs[0]):]
    finally:
        for sio, _ in [*screens.values(), *late]:
            sio.disconnect()
