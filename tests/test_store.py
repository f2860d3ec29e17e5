"""The event log: written with the change, gap-free, and a refused command leaves no trace."""
import uuid

from hub.rules import checkout, inventory
from hub.wire import payloads
from hub.store import Store
from hub.errors import HallError
from tests.conftest import NOON, signed_in


def sale(sku, qty, amount, sign_in):
    return payloads.checkout({"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
                              "payments": [{"method": "cash", "amount": amount}], "sign_in": sign_in})


def test_a_batch_keeps_the_good_commands_and_drops_the_refused_one_with_no_gap(store):
    pos_1, pos_2 = signed_in(store), signed_in(store, device="pos-2")
    before = store.head()
    outcomes = store.run_batch([
        (checkout.checkout, (sale("PEN", 1, 1100, pos_1),), {"device": "pos-1", "tax_rate": 10}),
        (checkout.checkout, (sale("LAST", 9, 10**6, pos_1),), {"device": "pos-1", "tax_rate": 10}),
        (checkout.checkout, (sale("PEN", 2, 2200, pos_2),), {"device": "pos-2", "tax_rate": 10}),
    ], now=NOON)
    assert isinstance(outcomes[1], HallError) and outcomes[1].code == "out_of_stock"
    seqs = [row["seq"] for row in store.events_since(before)]
    assert seqs == list(range(before + 1, before + 1 + len(seqs)))
    assert len(seqs) == 4  # two sales, each a sale.completed and a stock.changed
    assert store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'PEN'").fetchone()[0] == 497


def test_a_bug_in_one_command_does_not_take_the_batch_down(store):
    def broken(db, now):
        db.execute("UPDATE products SET on_hand = 0")
        raise RuntimeError("bug")
    outcomes = store.run_batch([
        (broken, (), {}),
        (inventory.restock, (payloads.restock({"sku": "PEN", "qty": 5}),), {"device": "staff-1"}),
    ], now=NOON)
    assert isinstance(outcomes[0], RuntimeError)
    assert store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'PEN'").fetchone()[0] == 505


def test_events_are_filtered_by_who_may_hear_them(store):
    store.run(checkout.checkout, sale("PEN", 1, 1100, signed_in(store)), device="pos-1", tax_rate=10, now=NOON)
    kiosk_types = {row["type"] for row in store.events_since(0, role="kiosk")}
    pos_types = {row["type"] for row in store.events_since(0, role="pos")}
    assert "sale.completed" not in kiosk_types and "stock.changed" in kiosk_types
    assert "sale.completed" not in pos_types and "stock.changed" in pos_types


def test_schema_migrations_apply_once(tmp_path):
    from hub.store import Store
    Store(tmp_path / "h.db").close()
    again = Store(tmp_path / "h.db")
    from hub.store import schema
    applied = [row[0] for row in again.read_db.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    defined = sorted(name for name in vars(schema) if name[:1] == "m" and name[1:4].isdigit())
    assert applied == defined and len(defined) >= 10  # every migration in schema.py, each once
    assert again.read_db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_alert_a_sale_calls_for_commits_in_the_sales_own_transaction(tmp_path):
    from functools import partial

    from hub.rules import alerts, catalog
    from tests.conftest import TEST_CATALOG

    watched = Store(tmp_path / "hall.db", follow=partial(alerts.follow, default_threshold=5))
    try:
        watched.run(catalog.load_catalog, catalog.parse_catalog(TEST_CATALOG), source="test", now=NOON)
        pos_1 = signed_in(watched)
        before = watched.head()
        outcomes = watched.run_batch([
            (checkout.checkout, (sale("LAST", 9, 10**6, pos_1),), {"device": "pos-1", "tax_rate": 10}),
            (checkout.checkout, (sale("LAST", 3, 297000, pos_1),), {"device": "pos-1", "tax_rate": 10}),
        ], now=NOON)
        assert isinstance(outcomes[0], HallError)
        assert [row["type"] for row in outcomes[1][1]] == ["sale.completed", "stock.changed", "alert.raised"]
        assert [row["type"] for row in watched.events_since(before)] == [
            "sale.completed", "stock.changed", "alert.raised"]
        open_alerts = alerts.listing(watched.read_db, open_only=True)
        assert [(a["kind"], a["subject"]) for a in open_alerts] == [("sold_out", "LAST")]
    finally:
        watched.close()


def test_a_printer_in_trouble_and_a_refused_replay_raise_their_alerts_in_their_own_commit(tmp_path):
    from functools import partial

    from hub.rules import alerts, replays
    from hub.rules import printing

    watched = Store(tmp_path / "hall.db", follow=partial(alerts.follow, default_threshold=5))
    try:
        before = watched.head()
        refused = HallError("out_of_stock", "only 0 left", sku="LAST")
        outcomes = watched.run_batch([
            (printing.set_printer_status, ("pos-1-printer", "paper_out"), {}),
            (replays.record, ({"sale_id": "5b0b2f4e-0000-4000-8000-000000000001", "lines": [{"sku": "X", "qty": 1}],
                               "payments": [{"method": "cash", "amount": 1000}]}, refused), {"device": "pos-1"}),
            (printing.set_printer_status, ("pos-1-printer", "online"), {}),
        ], now=NOON)
        assert [[row["type"] for row in outcome[1]] for outcome in outcomes] == [
            ["printer.status", "alert.raised"], ["sale.replay_refused", "alert.raised"], ["printer.status"]]
        assert [row["type"] for row in watched.events_since(before)] == [
            "printer.status", "alert.raised", "sale.replay_refused", "alert.raised", "printer.status"]
        open_alerts = alerts.listing(watched.read_db, open_only=True)
        assert sorted((a["kind"], a["subject"]) for a in open_alerts) == [
            ("printer", "pos-1-printer"), ("replay_refused", "5b0b2f4e-0000-4000-8000-000000000001")]
    finally:
        watched.close()
