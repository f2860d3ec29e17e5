"""A stateful test: several screens on a real hub interleave holds, sales, refunds, restocks, bookings,
check-ins and reconnects, and after every step the hall's books are checked as a stock controller would:

- each product's stock equals a replay of the event log (the starting stock, then every stock.changed);
- nothing available is negative, nothing held is more than is on hand, and every unit is accounted for: the starting stock, plus
  restocks and refunds, less what was sold, plus what offline sales took beyond the stock (the discrepancies);
- the log's seq has no gap, and a screen that reconnects and syncs hears its role's events once, in order;
- a demo session is never booked past its capacity, and its count agrees with its tickets;
- money: what the sales took, less what the refunds gave back, is what the payments hold, offline sales (at
  the till's own prices) included.

Hypothesis shrinks any failure to the shortest story of steps that breaks one of these.
"""
import sqlite3
import uuid
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from rehearsal.audit import replayed_stock
from tests.conftest import SEOUL, cobot_demo_hub
from tests.hubproc import Client

PRICES = {"ROBOT": 55000, "RICE": 12000, "LAST": 99000, "PEN": 1100}
SKUS = sorted(PRICES)


@pytest.fixture(scope="module")
def machine_hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("machine")
    catalog = folder / "catalog.csv"
    from tests.conftest import TEST_CATALOG
    catalog.write_text(TEST_CATALOG, encoding="utf-8")
    # A big session starting in an hour: bookings open, admissions too (tickets open 30 minutes early...
    # and this one is an hour off, so a scan answers too_early, which must change nothing).
    process = cobot_demo_hub(folder, catalog, capacity=12, starts_in=timedelta(minutes=20))
    yield process
    process.stop()


class HallMachine(RuleBasedStateMachine):
    hub = None  # set by the test

    @initialize()
    def open_screens(self):
        hub = self.hub
        self.screens = {
            "kiosk-1": hub.client("kiosk", "kiosk-m1"), "kiosk-2": hub.client("kiosk", "kiosk-m2"),
            "pos-1": hub.client("pos", "pos-m1"), "pos-2": hub.client("pos", "pos-m2"),
            "staff": hub.client("staff", "staff-m1"), "scanner": hub.client("scanner", "scanner-m1"),
        }
        self.db = sqlite3.connect(f"file:{hub.data_dir / 'hall.db'}?mode=ro", uri=True)
        self.holds: list[tuple[str, str]] = []      # (kiosk, code) of holds placed
        self.sales: list[dict] = []                 # sales acknowledged
        self.tickets: list[dict] = []

    def teardown(self):
        for client in getattr(self, "screens", {}).values():
            client.close()
        if getattr(self, "db", None):
            self.db.close()

    # ------------------------------------------------------------ rules

    @rule(kiosk=st.sampled_from(["kiosk-1", "kiosk-2"]), sku=st.sampled_from(SKUS), qty=st.integers(1, 4))
    def hold(self, kiosk, sku, qty):
        answer = self.screens[kiosk].call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}]})
        assert answer["ok"] or answer["error"]["code"] in ("out_of_stock", "limit_reached"), answer
        if answer["ok"]:
            self.holds.append((kiosk, answer["hold"]["code"]))

    @precondition(lambda self: self.holds)
    @rule(data=st.data())
    def release(self, data):
        kiosk, code = data.draw(st.sampled_from(self.holds))
        answer = self.screens[kiosk].call("hold_release", {"code": code})
        assert answer["ok"] or answer["error"]["code"] in ("hold_used", "hold_expired", "hold_not_found"), answer

    @rule(till=st.sampled_from(["pos-1", "pos-2"]), sku=st.sampled_from(SKUS), qty=st.integers(1, 3),
          with_hold=st.booleans(), data=st.data())
    def sell(self, till, sku, qty, with_hold, data):
        request = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
                   "payments": [{"method": "cash", "amount": PRICES[sku] * qty}]}
        if with_hold and self.holds:
            request["hold_code"] = data.draw(st.sampled_from(self.holds))[1]
        answer = self.screens[till].call("checkout", request)
        assert answer["ok"] or answer["error"]["code"] in (
            "out_of_stock", "hold_used", "hold_expired", "hold_not_found"), answer
        if answer["ok"]:
            self.sales.append({**answer["sale"], "till": till})

    @rule(till=st.sampled_from(["pos-1", "pos-2"]), sku=st.sampled_from(SKUS), qty=st.integers(1, 4),
          discount=st.sampled_from([0, 0, 1000]), minutes_ago=st.integers(1, 90))
    def sell_offline(self, till, sku, qty, discount, minutes_ago):
        """A sale the till made while cut off, replayed: it stands whatever the stock, at the till's price."""
        price = PRICES[sku] - min(discount, PRICES[sku] - 100)
        offline_at = (datetime.now(SEOUL) - timedelta(minutes=minutes_ago)).isoformat()
        answer = self.screens[till].call("checkout", {
            "sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty, "unit_price": price}],
            "payments": [{"method": "cash", "amount": price * qty}], "offline_at": offline_at})
        assert answer["ok"], answer
        assert answer["sale"]["total"] == price * qty
        self.sales.append({**answer["sale"], "till": till})

    @precondition(lambda self: self.sales)
    @rule(data=st.data())
    def refund(self, data):
        sale = data.draw(st.sampled_from([s for s in self.sales if s["total"] <= 50000] or self.sales[:1]))
        answer = self.screens[sale["till"]].call("refund", {
            "refund_id": str(uuid.uuid4()), "receipt_no": sale["receipt_no"],
            "lines": [{"line_no": 1, "qty": 1}]})
        assert answer["ok"] or answer["error"]["code"] in ("over_refund", "approval_required"), answer

    @rule(sku=st.sampled_from(SKUS), qty=st.integers(1, 5))
    def restock(self, sku, qty):
        assert self.screens["staff"].call("restock", {"sku": sku, "qty": qty, "reason": "machine"})["ok"]

    @rule(kiosk=st.sampled_from(["kiosk-1", "kiosk-2"]), party=st.integers(1, 4))
    def book(self, kiosk, party):
        answer = self.screens[kiosk].call("book", {"booking_id": str(uuid.uuid4()), "slot_id": self.hub.slot_id,
                                                   "party": party})
        assert answer["ok"] or answer["error"]["code"] in ("slot_full", "limit_reached"), answer
        if answer["ok"]:
            self.tickets.append(answer["ticket"])

    @precondition(lambda self: self.tickets)
    @rule(data=st.data())
    def check_in(self, data):
        ticket = data.draw(st.sampled_from(self.tickets))
        answer = self.screens["scanner"].call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"],
                                                           "booth": "A-103"})
        assert answer["ok"] and answer["scan"]["reason"] in ("admitted", "already_used", "too_early"), answer

    @rule(screen=st.sampled_from(["kiosk-1", "pos-1", "staff", "scanner"]))
    def reconnect(self, screen):
        client = self.screens[screen]
        client.close()
        back = Client(client.url, client.token)
        back.sign_in = client.sign_in  # a till keeps its cashier's sign-in across a reconnect
        if screen == "staff":  # a staff screen signs its person in again, as staff/app.js does
            assert back.call("staff_login", {"name": "tester", "password": "correct horse"})["ok"]
        self.screens[screen] = back
        heard = back.call("sync", {"since": 0, "limit": 5000})["events"]
        seqs = [event["seq"] for event in heard]
        assert seqs == sorted(set(seqs)), "a reconnecting screen heard an event twice or out of order"

    # ------------------------------------------------------------ what must always hold

    @invariant()
    def stock_is_the_replay_of_the_log(self):
        if not hasattr(self, "db"):
            return
        replayed = replayed_stock(self.db)
        tables = {sku: (on_hand, on_hand - held)
                  for sku, on_hand, held in self.db.execute("SELECT sku, on_hand, held FROM products")}
        assert replayed == tables
        assert all(available >= 0 and on_hand >= 0 for on_hand, available in tables.values())

    @invariant()
    def every_unit_is_accounted_for(self):
        if not hasattr(self, "db"):
            return
        [(start,)] = self.db.execute("SELECT data FROM events WHERE type = 'catalog.loaded'")
        import json
        start = json.loads(start)["stock"]

        def per_sku(sql):
            return dict(self.db.execute(sql).fetchall())
        restocked = per_sku("SELECT json_extract(data, '$.sku'), sum(json_extract(data, '$.qty')) FROM events"
                            " WHERE type = 'stock.restocked' GROUP BY 1")
        sold = per_sku("SELECT sku, sum(qty) FROM sale_lines GROUP BY sku")
        returned = per_sku("SELECT sku, sum(qty) FROM refund_lines GROUP BY sku")
        oversold = per_sku("SELECT sku, sum(qty) FROM stock_discrepancies GROUP BY sku")
        for sku, on_hand in self.db.execute("SELECT sku, on_hand FROM products"):
            assert on_hand == (start[sku] + restocked.get(sku, 0) + returned.get(sku, 0) - sold.get(sku, 0)
                               + oversold.get(sku, 0)), sku

    @invariant()
    def the_log_has_no_gap(self):
        if not hasattr(self, "db"):
            return
        count, low, high = self.db.execute("SELECT count(*), min(seq), max(seq) FROM events").fetchone()
        assert (low, high) == (1, count)

    @invariant()
    def a_session_is_never_overbooked(self):
        if not hasattr(self, "db"):
            return
        for slot_id, capacity, booked in self.db.execute("SELECT slot_id, capacity, booked FROM demo_slots"):
            in_tickets = self.db.execute("SELECT coalesce(sum(party), 0) FROM demo_tickets WHERE slot_id = ?"
                                         " AND status IN ('booked', 'checked_in')", [slot_id]).fetchone()[0]
            assert 0 <= booked == in_tickets <= capacity

    @invariant()
    def the_money_adds_up(self):
        if not hasattr(self, "db"):
            return
        sold = self.db.execute("SELECT coalesce(sum(total), 0) FROM sales").fetchone()[0]
        paid = self.db.execute("SELECT coalesce(sum(amount), 0) FROM payments").fetchone()[0]
        refunded = self.db.execute("SELECT coalesce(sum(total), 0) FROM refunds").fetchone()[0]
        given_back = self.db.execute("SELECT coalesce(sum(amount), 0) FROM refund_payments").fetchone()[0]
        assert sold == paid and refunded == given_back and refunded <= sold


def test_the_hall_keeps_its_books_whatever_the_screens_do(machine_hub):
    HallMachine.hub = machine_hub
    machine = HallMachine.TestCase
    machine.settings = settings(max_examples=int(__import__("os").environ.get("MACHINE_EXAMPLES", 6)), stateful_step_count=20, deadline=None, derandomize=True,
                                suppress_health_check=[HealthCheck.too_slow])
    machine().runTest()
