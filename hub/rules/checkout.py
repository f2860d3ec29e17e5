"""A sale at a POS counter: all lines and payments or nothing, once per sale_id."""
from . import claims, idempotency, inventory, sign_ins
from ..errors import HallError
from ..events import Event
from .money import split_vat


def next_receipt_no(db, now) -> str:
    """Receipt numbers restart each day, as Korean receipts are read: YYMMDD-NNNNN."""
    day = now.strftime("%y%m%d")
    value = db.execute(
        "INSERT INTO counters (name, value) VALUES (?, 1)"
        " ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
        [f"receipt:{day}"],
    ).fetchone()[0]
    return f"{day}-{value:05d}"


def settle(total: int, payments: list[dict]) -> tuple[int, int, list[dict]]:
    """(paid, change, payments as recorded). Change comes from cash only."""
    cash = sum(p["amount"] for p in payments if p["method"] == "cash")
    card = sum(p["amount"] for p in payments if p["method"] == "card")
    if card > total:
        raise HallError("payment_over", f"card payments ({card}) exceed the total ({total}); "
                        f"a card is charged exactly", total=total, card=card)
    paid = cash + card
    if paid < total:
        raise HallError("payment_short", f"paid {paid} of {total}", total=total, paid=paid)
    change = paid - total
    recorded, change_left = [], change
    for payment in payments:
        entry = dict(payment)
        if payment["method"] == "cash":
            entry["tendered"] = payment["amount"]
            given_back = min(change_left, payment["amount"])
            entry["amount"] = payment["amount"] - given_back
            entry["change"] = given_back
            change_left -= given_back
        recorded.append(entry)
    return paid, change, recorded


def checkout(db, request: dict, *, device: str, now, tax_rate: int, bounds=claims.DEFAULT_BOUNDS):
    """Sell the lines, consuming the kiosk hold named by `hold_code` if any.

    The hold's units are released first and the sale then takes from what is
    available, so a cashier may add or drop items from a kiosk order. Any
    shortage, bad payment or unusable hold refuses the whole sale.
    """
    earlier = idempotency.recall(db, "checkout", request["sale_id"], request)
    if earlier is not None:
        return earlier, []
    # The cashier is the one the hub signed in at this till, never the till's word.
    cashier = sign_ins.cashier(db, request["sign_in"], device=device, now=now, offline=bool(request["offline_at"]))
    events, touched = [], {}
    hold = None
    if request["hold_code"]:
        hold = inventory.usable_hold(db, request["hold_code"], now=now)
        for changed in inventory.close_hold(db, hold, "consumed", now=now):
            touched[changed.data["sku"]] = changed
    short = inventory.shortages(db, request["lines"])
    if short:
        raise inventory.out_of_stock(short)

    lines, total, tax_free_total = [], 0, 0
    for number, line in enumerate(request["lines"], start=1):
        item = inventory.product(db, line["sku"])
        amount = item["price"] * line["qty"]
        total += amount
        if item["tax_free"]:
            tax_free_total += amount
        lines.append({"line_no": number, "sku": item["sku"], "name": item["name"], "name_en": item["name_en"],
                      "firm": item["firm"], "qty": line["qty"], "unit_price": item["price"],
                      "amount": amount, "tax_free": bool(item["tax_free"])})
        touched[item["sku"]] = inventory.move(db, item["sku"], on_hand=-line["qty"])
    paid, change, payments = settle(total, request["payments"])
    cash_receipt = request["cash_receipt"]
    taxable_total = total - tax_free_total
    supply, vat = split_vat(taxable_total, tax_rate)
    at = now.isoformat(timespec="milliseconds")
    receipt_no = next_receipt_no(db, now)

    db.execute(
        "INSERT INTO sales (sale_id, receipt_no, device, cashier, at, total, taxable_total, tax_free_total,"
        " supply, vat, paid, change, hold_code, shift_id, cash_receipt_kind, cash_receipt_number, offline_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request["sale_id"], receipt_no, device, cashier["cashier_id"], at, total, taxable_total,
         tax_free_total, supply, vat, paid, change, request["hold_code"], request["shift_id"],
         cash_receipt and cash_receipt["kind"], cash_receipt and cash_receipt["number"], request["offline_at"]],
    )
    db.conn.executemany(
        "INSERT INTO sale_lines (sale_id, line_no, sku, name, firm, qty, unit_price, amount, tax_free)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(request["sale_id"], l["line_no"], l["sku"], l["name"], l["firm"], l["qty"], l["unit_price"],
          l["amount"], int(l["tax_free"])) for l in lines],
    )
    db.conn.executemany(
        "INSERT INTO payments (sale_id, line_no, method, amount, tendered, card_type, card_masked, approval_no)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(request["sale_id"], n, p["method"], p["amount"], p.get("tendered"), p.get("card_type"),
          p.get("card_masked"), p.get("approval_no")) for n, p in enumerate(payments, start=1)],
    )
    sale = {"sale_id": request["sale_id"], "receipt_no": receipt_no, "at": at, "device": device,
            "cashier": cashier["cashier_id"], "total": total, "taxable_total": taxable_total,
            "tax_free_total": tax_free_total, "supply": supply, "vat": vat, "paid": paid, "change": change,
            "lines": lines, "payments": payments, "hold_code": request["hold_code"],
            "shift_id": request["shift_id"], "cash_receipt": cash_receipt, "offline_at": request["offline_at"]}
    result = {"sale": sale}
    idempotency.remember(db, "checkout", request["sale_id"], request, result, now)
    if hold:
        events.append(Event("hold.consumed", {"hold_id": hold["hold_id"], "code": hold["code"],
                                              "sale_id": request["sale_id"]}))
    events.append(Event("sale.completed", sale))
    # One stock.changed per product, carrying its final counts after the sale.
    events.extend(touched.values())
    # The money was taken: a sale whose claimed time is not believed still stands, at the hub's time, flagged.
    _, doubted = claims.recorded(request["offline_at"], now, bounds, device=device, what="sale",
                                 ref=request["sale_id"])
    events.extend(doubted)
    return result, events
