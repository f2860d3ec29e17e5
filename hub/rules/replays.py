"""Offline sales the hub could not understand when the till replayed them.

A replayed offline sale normally enters the books whatever the stock says (rules/checkout.py). What lands
here cannot be booked at all: a product the hub does not know, payments that do not cover the till's own
total. The goods have left with the buyer and the cash is in the drawer, so such a sale is never dropped:
it is kept with the hub's reason and the cash it took (its shift's expected cash counts it), shown to the
cashier and to staff, and stays open until staff resolve it.
"""
import json

from ..errors import HallError
from ..events import Event

FIELDS = ("sale_id", "device", "payload", "error_code", "error", "details", "at", "resolved_at", "resolved_by",
          "cash", "shift_id")


def record(db, request: dict, refusal: HallError, *, device: str, now):
    """Keep a refused replay (once per sale_id) and tell the tills and staff."""
    known = db.execute("SELECT 1 FROM replay_failures WHERE sale_id = ?", [request["sale_id"]]).fetchone()
    if known:
        return {"sale_id": request["sale_id"]}, []
    at = now.isoformat(timespec="milliseconds")
    # Kept and shown to staff: without the till's sign-in secret.
    request = {key: value for key, value in request.items() if key != "sign_in"}
    cash = cash_kept(request)
    db.execute("INSERT INTO replay_failures (sale_id, device, payload, error_code, error, details, at, cash,"
               " shift_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [request["sale_id"], device, json.dumps(request, ensure_ascii=False), refusal.code,
                refusal.message, json.dumps(refusal.details, ensure_ascii=False), at, cash, request.get("shift_id")])
    refused = Event("sale.replay_refused", {"sale_id": request["sale_id"], "device": device, "code": refusal.code,
                                            "message": refusal.message, "details": refusal.details,
                                            "sale": request, "cash": cash, "at": at})
    return {"sale_id": request["sale_id"]}, [refused]


def cash_kept(request: dict) -> int:
    """The cash the sale left in the drawer: what was tendered, less the change the till's own total implies.

    The till's total is its word (`total`, or its lines at the prices it charged); without one, all the cash
    tendered is counted, and the difference shows up in the drawer count where a cashier can explain it.
    """
    tendered = sum(p["amount"] for p in request["payments"] if p["method"] == "cash")
    card = sum(p["amount"] for p in request["payments"] if p["method"] == "card")
    total = request.get("total")
    if total is None and all(line.get("unit_price") is not None for line in request["lines"]):
        total = sum(line["unit_price"] * line["qty"] for line in request["lines"])
    if total is None:
        return tendered
    return max(min(tendered, total - card), 0)


def resolve(db, sale_id: str, note: str, *, by: str, now):
    row = db.execute("SELECT resolved_at FROM replay_failures WHERE sale_id = ?", [sale_id]).fetchone()
    if row is None:
        raise HallError("unknown_sale", f"no refused offline sale {sale_id}")
    if row[0] is None:
        db.execute("UPDATE replay_failures SET resolved_at = ?, resolved_by = ? WHERE sale_id = ?",
                   [now.isoformat(timespec="milliseconds"), f"{by}: {note}", sale_id])
        return {"sale_id": sale_id, "resolved": True}, [Event("replay.resolved", {"sale_id": sale_id, "by": by,
                                                                                   "note": note})]
    return {"sale_id": sale_id, "resolved": True}, []


def listing(db, *, open_only: bool = True) -> list[dict]:
    sql = f"SELECT {', '.join(FIELDS)} FROM replay_failures"
    if open_only:
        sql += " WHERE resolved_at IS NULL"
    rows = [dict(zip(FIELDS, row)) for row in db.execute(sql + " ORDER BY at")]
    for row in rows:
        row["payload"] = json.loads(row["payload"])
        row["details"] = json.loads(row["details"])
    return rows
