"""Stock on hand, holds for kiosk orders, restocks and corrections.

available = on_hand - held. Each entry point runs inside the store's write
transaction, takes the time as `now`, and returns (result, events).
"""
import json
import secrets
from datetime import timedelta

from . import discrepancies, idempotency
from ..errors import HallError
from ..events import Event, stock_changed

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a cashier types this code from a slip.
HOLD_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
HOLD_CODE_LENGTH = 6


def product(db, sku: str) -> dict:
    row = db.execute(
        "SELECT sku, name, name_en, firm, price, tax_free, on_hand, held FROM products WHERE sku = ?", [sku]
    ).fetchone()
    if row is None:
        raise HallError("unknown_product", f"no product with sku {sku}", sku=sku)
    keys = ("sku", "name", "name_en", "firm", "price", "tax_free", "on_hand", "held")
    return dict(zip(keys, row))


def move(db, sku: str, *, on_hand: int = 0, held: int = 0) -> Event:
    """Change a product's counts and return the stock.changed event that says so."""
    row = db.execute(
        "UPDATE products SET on_hand = on_hand + ?, held = held + ? WHERE sku = ? RETURNING on_hand, held",
        [on_hand, held, sku],
    ).fetchone()
    return stock_changed(sku, row[0], row[1])


def shortages(db, wanted: list[dict]) -> list[dict]:
    """Lines asking for more than is available, with what is left of each."""
    short = []
    for line in wanted:
        item = product(db, line["sku"])
        available = item["on_hand"] - item["held"]
        if line["qty"] > available:
            short.append({"sku": line["sku"], "requested": line["qty"], "available": max(available, 0)})
    return short


def out_of_stock(short: list[dict]) -> HallError:
    names = ", ".join(f"{s['sku']} ({s['available']} left)" for s in short)
    return HallError("out_of_stock", f"not enough stock: {names}", lines=short)


def _new_hold_code(db) -> str:
    while True:
        code = "".join(secrets.choice(HOLD_CODE_ALPHABET) for _ in range(HOLD_CODE_LENGTH))
        if db.execute("SELECT 1 FROM holds WHERE code = ?", [code]).fetchone() is None:
            return code


def place_hold(db, request: dict, *, device: str, now, hold_seconds: int, limits=None, visitor: bool = False):
    """Reserve stock for a kiosk order until it is paid or `hold_seconds` pass.

    All lines or none: a short line fails the whole hold with `out_of_stock`
    naming each short line and what is left, so the kiosk can offer that.
    """
    earlier = idempotency.recall(db, "hold", request["hold_id"], request)
    if earlier is not None:
        return earlier, []
    if limits is not None:
        limits.check_order(db, request["lines"], device=device, now=now)
    short = shortages(db, request["lines"])
    if short:
        raise out_of_stock(short)
    code = _new_hold_code(db)
    expires_at = (now + timedelta(seconds=hold_seconds)).isoformat(timespec="milliseconds")
    lines, total, events = [], 0, []
    for line in request["lines"]:
        item = product(db, line["sku"])
        amount = item["price"] * line["qty"]
        total += amount
        lines.append({"sku": item["sku"], "name": item["name"], "name_en": item["name_en"],
                      "qty": line["qty"], "unit_price": item["price"], "amount": amount})
        events.append(move(db, line["sku"], held=line["qty"]))
    db.execute(
        "INSERT INTO holds (hold_id, code, device, lines, total, created_at, expires_at, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'active')",
        [request["hold_id"], code, device, json.dumps(lines, ensure_ascii=False), total,
         now.isoformat(timespec="milliseconds"), expires_at],
    )
    db.conn.executemany("INSERT INTO hold_lines (hold_id, sku, qty) VALUES (?, ?, ?)",
                   [(request["hold_id"], line["sku"], line["qty"]) for line in lines])
    hold = {"hold_id": request["hold_id"], "code": code, "expires_at": expires_at, "lines": lines, "total": total}
    result = {"hold": hold}
    idempotency.remember(db, "hold", request["hold_id"], request, result, now)
    # Staff see a phone's order as one: its device is the visitor id, and it says so.
    created = Event("hold.created", {**hold, "device": device, **({"visitor": True} if visitor else {})})
    return result, [created, *events]


def find_hold(db, code: str) -> dict:
    row = db.execute(
        "SELECT hold_id, code, device, lines, total, created_at, expires_at, status, closed_at"
        " FROM holds WHERE code = ?", [code]
    ).fetchone()
    if row is None:
        raise HallError("hold_not_found", f"no order with code {code}", hold_code=code)
    keys = ("hold_id", "code", "device", "lines", "total", "created_at", "expires_at", "status", "closed_at")
    hold = dict(zip(keys, row))
    hold["lines"] = json.loads(hold["lines"])
    return hold


def close_hold(db, hold: dict, status: str, *, now) -> list[Event]:
    """Give a hold's units back to `available` and mark it closed; returns stock events."""
    db.execute("UPDATE holds SET status = ?, closed_at = ? WHERE hold_id = ?",
               [status, now.isoformat(timespec="milliseconds"), hold["hold_id"]])
    return [move(db, line["sku"], held=-line["qty"]) for line in hold["lines"]]


def usable_hold(db, code: str, *, now) -> dict:
    """An active, unexpired hold, or the reason it cannot be used."""
    hold = find_hold(db, code)
    if hold["status"] == "consumed":
        raise HallError("hold_used", f"order {code} was already paid", hold_code=code)
    if hold["status"] != "active" or hold["expires_at"] <= now.isoformat(timespec="milliseconds"):
        raise HallError("hold_expired", f"order {code} expired at {hold['expires_at']}; its items were released",
                        hold_code=code)
    return hold


def release_hold(db, code: str, *, device: str, role: str, now):
    """Cancel an order: its units are available again at once."""
    hold = usable_hold(db, code, now=now)
    if role in ("kiosk", "visitor") and hold["device"] != device:
        raise HallError("forbidden", f"a {role} may cancel only its own orders")
    events = close_hold(db, hold, "released", now=now)
    released = Event("hold.released", {"hold_id": hold["hold_id"], "code": code, "by": device})
    return {"code": code, "status": "released"}, [released, *events]


def expire_holds(db, *, now):
    """Release every active hold whose time is up (the sweeper's job)."""
    stamp = now.isoformat(timespec="milliseconds")
    codes = [row[0] for row in db.execute(
        "SELECT code FROM holds WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at", [stamp])]
    events = []
    for code in codes:
        hold = find_hold(db, code)
        events.append(Event("hold.expired", {"hold_id": hold["hold_id"], "code": code}))
        events.extend(close_hold(db, hold, "expired", now=now))
    return {"expired": codes}, events


def restock(db, request: dict, *, device: str, now):
    """Add delivered units to a product's stock."""
    if request["request_id"]:
        earlier = idempotency.recall(db, "restock", request["request_id"], request)
        if earlier is not None:
            return earlier, []
    product(db, request["sku"])
    changed = move(db, request["sku"], on_hand=request["qty"])
    result = {"sku": request["sku"], "on_hand": changed.data["on_hand"], "available": changed.data["available"]}
    if request["request_id"]:
        idempotency.remember(db, "restock", request["request_id"], request, result, now)
    restocked = Event("stock.restocked", {"sku": request["sku"], "qty": request["qty"],
                                          "reason": request["reason"], "by": device})
    return result, [restocked, changed]


def adjust(db, request: dict, *, device: str, now):
    """Correct a count or write off damaged units; never below what is held."""
    if request["request_id"]:
        earlier = idempotency.recall(db, "adjust", request["request_id"], request)
        if earlier is not None:
            return earlier, []
    item = product(db, request["sku"])
    target = request["qty"] if request["kind"] == "count" else item["on_hand"] - request["qty"]
    if target < item["held"]:
        raise HallError("below_held", f"{item['held']} units of {item['sku']} are held for orders; "
                        f"stock cannot go below that", held=item["held"], on_hand=item["on_hand"])
    changed = move(db, item["sku"], on_hand=target - item["on_hand"])
    result = {"sku": item["sku"], "on_hand": changed.data["on_hand"], "available": changed.data["available"]}
    if request["request_id"]:
        idempotency.remember(db, "adjust", request["request_id"], request, result, now)
    adjusted = Event("stock.adjusted", {"sku": item["sku"], "kind": request["kind"], "qty": request["qty"],
                                        "before": item["on_hand"], "after": target,
                                        "reason": request["reason"], "by": device})
    settled = discrepancies.settle_by_count(db, item["sku"], target, by=device, now=now) \
        if request["kind"] == "count" else []
    return result, [adjusted, changed, *settled]
