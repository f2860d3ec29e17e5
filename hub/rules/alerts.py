"""Alerts for the staff screen: low stock, sold out, a printer in trouble, a silent
terminal, an offline sale the hub refused, the hub's own disk running low or refusing
writes, a visitor calling for help at a kiosk. One open alert per subject until acknowledged."""
import json

from ..errors import HallError
from ..events import Event
from .lockout import MAX_ATTEMPTS as MAX_MISSES

KINDS = ("low_stock", "sold_out", "printer", "terminal_silent", "replay_refused", "checkin_conflict", "time_claim",
         "sign_in_locked", "pairing_guesses", "disk_low", "storage", "oversold", "price_differs", "help")
FIELDS = ("alert_id", "kind", "subject", "message", "data", "raised_at", "acked_at", "acked_by")


def raise_alert(db, kind: str, subject: str, message: str, data: dict, *, now):
    """Open an alert unless one is already open for this kind and subject."""
    if kind not in KINDS:
        raise ValueError(f"unknown alert kind {kind!r}")
    key = f"{kind}:{subject}"
    if db.execute("SELECT 1 FROM alerts WHERE open_key = ?", [key]).fetchone():
        return {"raised": False}, []
    at = now.isoformat(timespec="milliseconds")
    cursor = db.execute(
        "INSERT INTO alerts (kind, subject, message, data, raised_at, open_key) VALUES (?, ?, ?, ?, ?, ?)",
        [kind, subject, message, json.dumps(data, ensure_ascii=False), at, key])
    alert = {"alert_id": cursor.lastrowid, "kind": kind, "subject": subject, "message": message, "data": data,
             "raised_at": at}
    return {"raised": True, "alert": alert}, [Event("alert.raised", alert)]


def acknowledge(db, alert_id: int, *, by: str, now):
    row = db.execute("SELECT acked_at, kind, subject FROM alerts WHERE alert_id = ?", [alert_id]).fetchone()
    if row is None:
        raise HallError("unknown_alert", f"no alert {alert_id}")
    if row[0] is not None:
        return {"alert_id": alert_id, "acked": True}, []
    at = now.isoformat(timespec="milliseconds")
    # Clearing the key lets the same trouble raise a fresh alert if it comes back.
    db.execute("UPDATE alerts SET acked_at = ?, acked_by = ?, open_key = NULL WHERE alert_id = ?", [at, by, alert_id])
    events = [Event("alert.acked", {"alert_id": alert_id, "by": by, "at": at})]
    if row[1] == "help":
        # The kiosk that called is told help is coming; the staff member's name stays on the staff screen.
        events.append(Event("help.acknowledged", {"alert_id": alert_id, "device": row[2], "at": at}))
    return {"alert_id": alert_id, "acked": True}, events


def listing(db, *, open_only: bool = False, limit: int = 300) -> list[dict]:
    sql = f"SELECT {', '.join(FIELDS)} FROM alerts"
    if open_only:
        sql += " WHERE acked_at IS NULL"
    rows = [dict(zip(FIELDS, row)) for row in db.execute(sql + " ORDER BY alert_id DESC LIMIT ?", [limit])]
    for row in rows:
        row["data"] = json.loads(row["data"])
    return rows


# How bad a product's stock is. A stock alert is raised when the level gets worse, and not again for the same
# level: an acknowledged "3 left" stays quiet through the next sales until a restock lifts the product above
# its threshold (or it sells out, which is worse).
STOCK_LEVELS = {None: 0, "low_stock": 1, "sold_out": 2}


def for_stock(db, sku: str, available: int, default_threshold: int):
    """The alert a product's new stock level calls for, if any: (kind, subject, message, data) or None.

    Remembers the level on the product, so it must run in the change's own transaction.
    """
    row = db.execute("SELECT name, firm, low_stock, stock_alert FROM products WHERE sku = ?", [sku]).fetchone()
    if row is None:
        return None
    name, firm, own_threshold, reported = row
    threshold = default_threshold if own_threshold is None else own_threshold
    level = "sold_out" if available <= 0 else "low_stock" if available <= threshold else None
    if level != reported:
        db.execute("UPDATE products SET stock_alert = ? WHERE sku = ?", [level, sku])
    if STOCK_LEVELS[level] <= STOCK_LEVELS.get(reported, 0):
        return None
    data = {"sku": sku, "name": name, "firm": firm, "available": available, "threshold": threshold}
    message = f"{name} ({firm}) is sold out" if level == "sold_out" else f"{name} ({firm}): {available} left"
    return level, sku, message, data


def for_event(db, event: Event, default_threshold: int):
    """The alert one event calls for, if any: (kind, subject, message, data) or None."""
    data = event.data
    if event.type == "stock.changed":
        return for_stock(db, data["sku"], data["available"], default_threshold)
    if event.type == "printer.status" and data["status"] != "online":
        return "printer", data["printer"], f"printer {data['printer']}: {data['status']}", data
    if event.type == "checkin.conflict":
        return ("checkin_conflict", data["ticket_id"],
                f"ticket {data['ticket_id']} admitted twice: {data['first_door']} and {data['second_door']}", data)
    if event.type in ("cashier.locked", "staff.locked"):
        person = data.get("cashier_id") or data.get("name")
        return ("sign_in_locked", f"{person}@{data['device']}",
                f"{person} locked at {data['device']} after {MAX_MISSES} wrong tries, until {data['until'][11:16]}",
                data)
    if event.type == "claim.doubted":
        # One open alert per device: a till whose clock is wrong would otherwise raise one per offline sale.
        return ("time_claim", data["device"],
                f"{data['device']} claimed {data['claimed']} for {data['what']} {data['ref']} ({data['reason']});"
                f" recorded at {data['recorded_at']}", data)
    if event.type == "stock.oversold":
        # One open alert per product: the count that settles it settles all of its oversold units at once.
        return ("oversold", data["sku"], f"{data['name']} ({data['sku']}): {data['qty']} sold offline beyond the"
                f" stock (sale {data['receipt_no']} at {data['device']}); count it to settle", data)
    if event.type == "sale.price_differed":
        charged = ", ".join(f"{l['sku']} {l['charged']} (list {l['listed']})" for l in data["lines"])
        return ("price_differs", data["sale_id"], f"offline sale {data['receipt_no']} at {data['device']} charged"
                f" another price: {charged}", data)
    if event.type == "sale.replay_refused":
        return "replay_refused", data["sale_id"], f"offline sale from {data['device']} refused: {data['message']}", data
    return None


def follow(db, events: list[Event], *, now, default_threshold: int) -> list[Event]:
    """The alerts a change's events call for, raised in that change's own transaction.

    Raised here rather than after delivery: the hub's event loop never reads
    the database per stock change, a sale and the sold-out it causes commit (or
    roll back) together, and a printer's trouble cannot be recorded without
    its alert (a second write after delivery could fail or be cut by a restart).
    """
    raised = []
    for event in events:
        found = for_event(db, event, default_threshold)
        if found:
            raised += raise_alert(db, *found, now=now)[1]
    return raised


def set_low_stock(db, sku: str, threshold: int | None, *, by: str, now):
    """A product's own low-stock threshold (None: the hall's default)."""
    if db.execute("SELECT 1 FROM products WHERE sku = ?", [sku]).fetchone() is None:
        raise HallError("unknown_product", f"no product with sku {sku}", sku=sku)
    db.execute("UPDATE products SET low_stock = ? WHERE sku = ?", [threshold, sku])
    return {"sku": sku, "low_stock": threshold}, [Event("product.threshold", {"sku": sku, "low_stock": threshold,
                                                                             "by": by})]
