"""The books at a busy day's size: what the staff screen's best sellers, the day report and the day's seal cost.

    python -m bench.books [--sales 20000]

Fills a fresh hall file through the real rules (sales of three lines, one in ten refunded in part, one in
fifty made offline), then times each read five times and prints the median beside a baseline measured in the
same run on the same file: one full scan of the event log, the least any seal over the day's events can cost.
"""
import argparse
import statistics
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.rules import cashiers, catalog, checkout, days, inventory, refunds, reports, sign_ins
from hub.store import Store

ROOT = Path(__file__).resolve().parent.parent
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
BATCH = 250


def _sign_in(store) -> str:
    """A cashier signed in at the bench's till, as a PIN sign-in gives one."""
    store.run(cashiers.upsert, "c01", "벤치 계산원", cashiers.hash_pin("1234"), supervisor=False, now=NOON)

    def start(db, *, now):
        return sign_ins.start(db, device="pos-1", cashier_id="c01", now=now), []
    return store.run(start, now=NOON)[0]


def fill(store, sales: int) -> None:
    text = (ROOT / "config" / "catalog.csv").read_text(encoding="utf-8")
    store.run(catalog.load_catalog, catalog.parse_catalog(text), source="bench", now=NOON)
    products = store.read_db.execute("SELECT sku, price FROM products ORDER BY sku LIMIT 300").fetchall()
    secret = _sign_in(store)
    # Enough on the shelves for the day: a delivery per product, through the rule staff use.
    store.run_batch([(inventory.restock, ({"sku": sku, "qty": 100_000, "reason": "bench", "request_id": None},),
                      {"device": "staff-1"}) for sku, _ in products], now=NOON)
    sold = []
    for start in range(0, sales, BATCH):
        calls = []
        for n in range(start, min(start + BATCH, sales)):
            picked = [products[(n * 7 + k * 13) % len(products)] for k in range(3)]
            total = sum(price for _, price in picked)
            offline = NOON.isoformat() if n % 50 == 0 else None
            request = {"sale_id": str(uuid.uuid4()), "sign_in": secret, "hold_code": None, "shift_id": None,
                       "cash_receipt": None, "offline_at": offline, "total": None,
                       "lines": [{"sku": sku, "qty": 1, "unit_price": price} for sku, price in picked],
                       "payments": [{"method": "card", "amount": total, "approval_no": f"{n:08d}"}]}
            calls.append((checkout.checkout, (request,), {"device": "pos-1", "tax_rate": 10}))
        for outcome in store.run_batch(calls, now=NOON):
            if isinstance(outcome, Exception):
                raise outcome
            sold.append(outcome[0]["sale"]["receipt_no"])
    refund_calls = [(refunds.refund, ({"refund_id": str(uuid.uuid4()), "receipt_no": receipt, "sign_in": secret,
                                       "lines": [{"line_no": 1, "qty": 1}], "reason": "", "shift_id": None,
                                       "approver_id": None, "approver_pin": None},),
                     {"device": "pos-1", "tax_rate": 10, "approval_over": 10**9})
                    for receipt in sold[::10]]
    for start in range(0, len(refund_calls), BATCH):
        store.run_batch(refund_calls[start:start + BATCH], now=NOON)


def _old_top_products(db, limit=10):
    """The ranking before issue 13 (units sold, refunds ignored), for comparison."""
    return db.execute("SELECT l.sku, sum(l.qty) AS units, sum(l.amount) FROM sale_lines l JOIN products p"
                      " ON p.sku = l.sku GROUP BY l.sku ORDER BY units DESC, l.sku LIMIT ?", [limit]).fetchall()


def median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=20000)
    sales = parser.parse_args(argv).sales
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "hall.db")
        started = time.perf_counter()
        fill(store, sales)
        db = store.read_db
        day = NOON.date().isoformat()
        lines, events = (db.execute("SELECT count(*) FROM sale_lines").fetchone()[0],
                         db.execute("SELECT count(*) FROM events").fetchone()[0])
        print(f"filled {sales} sales, {lines} lines, {events} events in {time.perf_counter() - started:.1f} s")
        figures = {
            "baseline: one scan of the event log": median_ms(lambda: db.execute(
                "SELECT count(*), sum(length(data)) FROM events").fetchone()),
            "best sellers by net won (sales_report top)": median_ms(lambda: reports.top_products(db)),
            "best sellers by units (before)": median_ms(lambda: _old_top_products(db)),
            "day report": median_ms(lambda: days.report(db, day, tax_rate=10)),
            "the day's seal (sha256 over its events)": median_ms(lambda: days.digest(db, day)),
        }
        base = figures["baseline: one scan of the event log"]
        for name, ms in figures.items():
            print(f"{name:45s} {ms:8.1f} ms  {ms / base:5.1f}x baseline")
        store.close()


if __name__ == "__main__":
    main()
