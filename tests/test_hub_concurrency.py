"""Many terminals racing: never oversell, never double a sale."""
import threading
import uuid

from tests.hubproc import Client


def race(functions):
    """Start every function at the same moment; return their results in order."""
    results = [None] * len(functions)
    start = threading.Barrier(len(functions))

    def run(index, function):
        start.wait(timeout=10)
        results[index] = function()
    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_terminals_racing_for_the_last_units_sell_exactly_what_exists(hub, clients):
    terminals = [clients(hub.client("pos", f"pos-{n}")) for n in range(12)]
    kiosks = [clients(hub.client("kiosk", f"kiosk-{n}")) for n in range(4)]

    def buy(client):
        return lambda: client.call("checkout", {
            "sale_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 1}],
            "payments": [{"method": "cash", "amount": 99000}]})

    def hold(client):
        return lambda: client.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 1}]})

    answers = race([buy(t) for t in terminals] + [hold(k) for k in kiosks])
    won = [a for a in answers if a["ok"]]
    lost = [a for a in answers if not a["ok"]]
    assert len(won) == 3
    assert {a["error"]["code"] for a in lost} == {"out_of_stock"}
    listed = {p["sku"]: p for p in terminals[0].call("catalog")["products"]}
    sold = sum(1 for a in won if "sale" in a)
    assert listed["LAST"]["available"] == 0
    store = hub.read_store()
    on_hand, held = store.read_db.execute("SELECT on_hand, held FROM products WHERE sku='LAST'").fetchone()
    assert (on_hand, held) == (3 - sold, 3 - sold)
    assert store.read_db.execute("SELECT count(*) FROM sales").fetchone()[0] == sold


def test_a_sale_sent_twice_at_once_and_retried_sells_once(hub, clients):
    terminals = [clients(hub.client("pos", f"pos-{n}")) for n in range(4)]
    request = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 2}],
               "payments": [{"method": "cash", "amount": 110000}]}
    answers = race([lambda t=t: t.call("checkout", request) for t in terminals])
    assert all(a["ok"] for a in answers)
    assert len({a["sale"]["receipt_no"] for a in answers}) == 1
    assert terminals[0].call("checkout", request) == answers[0]
    store = hub.read_store()
    assert store.read_db.execute("SELECT count(*) FROM sales").fetchone()[0] == 1
    assert store.read_db.execute("SELECT on_hand FROM products WHERE sku='ROBOT'").fetchone()[0] == 8


def test_a_retry_after_reconnecting_sells_once(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    request = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 3}],
               "payments": [{"method": "cash", "amount": 5000}]}
    first = pos.call("checkout", request)
    pos.close()
    again = clients(Client(hub.url, pos.token)).call("checkout", request)
    assert again == first
    assert hub.read_store().read_db.execute("SELECT on_hand FROM products WHERE sku='PEN'").fetchone()[0] == 497
