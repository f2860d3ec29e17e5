"""Stock discrepancies: units an offline sale took that the hub's count did not have free.

The model, as a stock controller reads it: `on_hand` is what the hub believes is on the shelf, of which
`held` is set aside for kiosk orders; it never goes below those holds, nor below zero. When a till that sold
while cut off replays a sale the shelf could not cover (two tills sold the last unit), the sale stands, the
free units come off the count, and the units sold beyond them are an open *oversold* discrepancy on the
product, tied to the sale. So every unit is accounted for: the starting stock, plus
restocks and returns, less what was sold, plus the oversold units, is the count. It stays open, with a staff alert, until someone
settles it: a stock count of the product (the count becomes `on_hand` and settles every open discrepancy of
the product) or a correction with a note (the firm confirms it handed over units from its own reserve, say).
"""
from ..errors import HallError
from ..events import Event

OVERSOLD = "oversold"
FIELDS = ("discrepancy_id", "sku", "kind", "qty", "sale_id", "device", "at", "settled_at", "settled_by",
          "settlement")


def record_oversold(db, sku: str, qty: int, *, sale_id: str, receipt_no: str, device: str, now) -> Event:
    at = now.isoformat(timespec="milliseconds")
    cursor = db.execute("INSERT INTO stock_discrepancies (sku, kind, qty, sale_id, device, at)"
                        " VALUES (?, ?, ?, ?, ?, ?)", [sku, OVERSOLD, qty, sale_id, device, at])
    name, firm = db.execute("SELECT name, firm FROM products WHERE sku = ?", [sku]).fetchone()
    return Event("stock.oversold", {"discrepancy_id": cursor.lastrowid, "sku": sku, "name": name, "firm": firm,
                                    "qty": qty, "sale_id": sale_id, "receipt_no": receipt_no, "device": device,
                                    "at": at})


def _close(db, rows, *, by: str, settlement: str, now) -> list[Event]:
    at = now.isoformat(timespec="milliseconds")
    events = []
    for discrepancy_id, sku, qty in rows:
        db.execute("UPDATE stock_discrepancies SET settled_at = ?, settled_by = ?, settlement = ?"
                   " WHERE discrepancy_id = ?", [at, by, settlement, discrepancy_id])
        events.append(Event("stock.discrepancy_settled", {"discrepancy_id": discrepancy_id, "sku": sku, "qty": qty,
                                                          "settlement": settlement, "by": by, "at": at}))
    return events


def settle_by_count(db, sku: str, counted: int, *, by: str, now) -> list[Event]:
    """A stock count settles every open discrepancy of the product: what is on the shelf is now known."""
    rows = db.execute("SELECT discrepancy_id, sku, qty FROM stock_discrepancies"
                      " WHERE sku = ? AND settled_at IS NULL ORDER BY discrepancy_id", [sku]).fetchall()
    return _close(db, rows, by=by, settlement=f"count: {counted}", now=now)


def settle(db, discrepancy_id: int, note: str, *, by: str, now):
    """Settle one discrepancy by a correction with a note; stock is left as it is."""
    row = db.execute("SELECT discrepancy_id, sku, qty, settled_at FROM stock_discrepancies"
                     " WHERE discrepancy_id = ?", [discrepancy_id]).fetchone()
    if row is None:
        raise HallError("unknown_discrepancy", f"no stock discrepancy {discrepancy_id}")
    if row[3] is not None:
        return {"discrepancy_id": discrepancy_id, "settled": True}, []
    events = _close(db, [row[:3]], by=by, settlement=f"correction: {note}", now=now)
    return {"discrepancy_id": discrepancy_id, "settled": True}, events


def listing(db, *, open_only: bool = True, day: str | None = None) -> list[dict]:
    where, params = [], []
    if open_only:
        where.append("d.settled_at IS NULL")
    if day:
        where.append("substr(d.at, 1, 10) = ?")
        params.append(day)
    sql = (f"SELECT {', '.join('d.' + f for f in FIELDS)}, p.name, p.firm, s.receipt_no FROM stock_discrepancies d"
           " JOIN products p ON p.sku = d.sku LEFT JOIN sales s ON s.sale_id = d.sale_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [dict(zip((*FIELDS, "name", "firm", "receipt_no"), row))
            for row in db.execute(sql + " ORDER BY d.discrepancy_id", params)]
