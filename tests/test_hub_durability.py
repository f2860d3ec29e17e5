"""SIGKILL right after acks loses no acknowledged sale; stock equals what the log says."""
import threading
import uuid

from tests.hubproc import TEST_CASHIER, TEST_PIN, Client


def stock_from_log(store) -> dict:
    """Replay the event log alone: starting stock, then each stock.changed."""
    stock = {}
    for event in store.events_since(0):
        if event["type"] == "catalog.loaded":
            stock.update({sku: (qty, qty) for sku, qty in event["data"]["stock"].items()})
        elif event["type"] == "stock.changed":
            stock[event["data"]["sku"]] = (event["data"]["on_hand"], event["data"]["available"])
    return stock


def test_acknowledged_sales_survive_a_sigkill(hub):
    token = hub.token("pos", "pos-1")
    acked, stop = [], threading.Event()

    def sell_until_killed(client):
        while not stop.is_set():
            sale_id = str(uuid.uuid4())
            try:
                answer = client.call("checkout", {"sale_id": sale_id, "lines": [{"sku": "PEN", "qty": 1}],
                                                  "payments": [{"method": "cash", "amount": 1100}]}, timeout=5)
            except Exception:
                return
            if answer["ok"]:
                acked.append(answer["sale"]["sale_id"])
            if len(acked) >= 400:
                return

    terminals = [Client(hub.url, token) for _ in range(4)]
    # Four connections of one till, with the one cashier signed in there, as a till's tabs would share.
    hub.add_cashier(TEST_CASHIER, TEST_PIN)
    signed = terminals[0].call("login", {"cashier_id": TEST_CASHIER, "pin": TEST_PIN})["sign_in"]
    for terminal in terminals:
        terminal.sign_in = signed
    workers = [threading.Thread(target=sell_until_killed, args=(t,)) for t in terminals]
    for worker in workers:
        worker.start()
    while len(acked) < 60 and any(w.is_alive() for w in workers):
        threading.Event().wait(0.01)
    hub.kill()
    stop.set()
    for worker in workers:
        worker.join(timeout=10)
    for terminal in terminals:
        terminal.sio.disconnect()

    hub.start()
    store = hub.read_store()
    stored = {row[0] for row in store.read_db.execute("SELECT sale_id FROM sales")}
    assert len(acked) >= 60
    assert set(acked) <= stored
    on_hand, held = store.read_db.execute("SELECT on_hand, held FROM products WHERE sku='PEN'").fetchone()
    assert on_hand == 500 - len(stored)
    tables = {row[0]: (row[1], row[1] - row[2])
              for row in store.read_db.execute("SELECT sku, on_hand, held FROM products")}
    assert stock_from_log(store) == tables
    seqs = [e["seq"] for e in store.events_since(0)]
    assert seqs == list(range(1, len(seqs) + 1))
