"""Every screen hears every stock change once and in seq order, whatever its transport, under bursts."""
import threading
import time

import socketio

RESTOCKERS = 4
RESTOCKS_EACH = 15
LATE_SCREENS = 4


def kiosk(hub, name: str, transports: list[str]) -> tuple[socketio.Client, list[dict]]:
    heard: list[dict] = []
    sio = socketio.Client(reconnection=False)
    sio.on("event", heard.append)
    sio.connect(hub.url, auth={"token": hub.token("kiosk", name)}, transports=transports, wait_timeout=10)
    return sio, heard


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

    def restock(screen):
        # Several screens at once: their changes commit in shared batches and go out in shared rounds.
        for n in range(RESTOCKS_EACH):
            answers.append(screen.call("restock", {"sku": ["PEN", "RICE"][n % 2], "qty": 1}))

    def chatter(sio):
        # Its acknowledgements queue up beside the events: those must still arrive in order.
        while len(answers) < RESTOCKERS * RESTOCKS_EACH:
            sio.call("catalog", {}, timeout=10)

    late: list[tuple[socketio.Client, list[dict]]] = []

    def join_late():
        # Screens that upgrade from polling to websocket while changes stream: the events
        # queued during their upgrade must not be overtaken by the ones written after it.
        for n in range(LATE_SCREENS):
            time.sleep(0.05)
            late.append(kiosk(hub, f"kiosk-late-{n}", ["polling", "websocket"]))

    workers = [threading.Thread(target=restock, args=(screen,)) for screen in staff]
    workers.append(threading.Thread(target=chatter, args=(screens["chatty"][0],)))
    workers.append(threading.Thread(target=join_late))
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert len(answers) == RESTOCKERS * RESTOCKS_EACH and all(a["ok"] for a in answers)
        store = hub.read_store()
        try:
            logged = [row["seq"] for row in store.events_since(before, role="kiosk")
                      if row["type"] == "stock.changed"]
        finally:
            store.close()
        assert len(logged) == RESTOCKERS * RESTOCKS_EACH
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
                len([e for e in heard if e["seq"] > before]) < len(logged) for _, heard in screens.values()):
            time.sleep(0.05)
        for transport, (_, heard) in screens.items():
            seqs = [e["seq"] for e in heard if e["seq"] > before and e["type"] == "stock.changed"]
            assert seqs == logged, transport
        assert len(late) == LATE_SCREENS
        for _, heard in late:
            seqs = [e["seq"] for e in heard if e["type"] == "stock.changed"]
            # From the first change it heard on, a late screen hears every later one, in order.
            assert seqs and seqs == logged[logged.index(seqs[0]):]
    finally:
        for sio, _ in [*screens.values(), *late]:
            sio.disconnect()
