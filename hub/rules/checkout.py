"""A sale at a POS counter: all lines and payments or nothing, once per sale_id."""
from . import claims, discrepancies, idempotency, inventory, sign_ins
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

    A sale made offline (`offline_at`) is a fact, not a request: the buyer paid and left with the goods. It
    enters the books at the prices the till charged; stock it could not cover becomes an oversold
    discrepancy (rules/discrepancies.py) and a price other than the hub's is recorded as charged and flagged.
    Only a sale that cannot be understood (an unknown product, payments that do not add up) is refused.
    """
    earlier = idempotency.recall(db, "checkout", request["sale_id"], request)
    if earlier is not None:
        return earlier, []
    offline = bool(request["offline_at"])
    # The cashier is the one the hub signed in at this till, never the till's word.
    cashier = sign_ins.cashier(db, request["sign_in"], device=device, now=now, offline=offline)
    events, touched = [], {}
    hold = _hold_to_consume(db, request["hold_code"], offline=offline, now=now)
    if hold:
        for changed in inventory.close_hold(db, hold, "consumed", now=now):
            touched[changed.data["sku"]] = changed
    if not offline:
        short = inventory.shortages(db, request["lines"])
        if short:
            raise inventory.out_of_stock(short)
    receipt_no = next_receipt_no(db, now)

    lines, total, tax_free_total, oversold, repriced = [], 0, 0, [], []
    for number, line in enumerate(request["lines"], start=1):
        item = inventory.product(db, line["sku"])
        charged = line.get("unit_price") if offline and line.get("unit_price") is not None else item["price"]
        amount = charged * line["qty"]
        total += amount
        if item["tax_free"]:
            tax_free_total += amount
        entry = {"line_no": number, "sku": item["sku"], "name": item["name"], "name_en": item["name_en"],
                 "firm": item["firm"], "qty": line["qty"], "unit_price": charged,
                 "amount": amount, "tax_free": bool(item["tax_free"])}
        if charged != item["price"]:
            entry["listed_price"] = item["price"]
            repriced.append({"sku": item["sku"], "name": item["name"], "charged": charged, "listed": item["price"],
                             "qty": line["qty"]})
        lines.append(entry)
        # The count never goes below what kiosk orders hold (their units stay theirs) nor below zero: the units
        # sold beyond what was free are a discrepancy for a count to settle, not a negative or clamped count.
        taken = min(line["qty"], item["on_hand"] - item["held"])
        beyond = line["qty"] - taken
        touched[item["sku"]] = inventory.move(db, item["sku"], on_hand=-taken)
        if beyond:
            oversold.append(discrepancies.record_oversold(db, item["sku"], beyond, sale_id=request["sale_id"],
                                                          receipt_no=receipt_no, device=device, now=now))
    paid, change, payments = settle(total, request["payments"])
    cash_receipt = request["cash_receipt"]
    taxable_total = total - tax_free_total
    supply, vat = split_vat(taxable_total, tax_rate)
    at = now.isoformat(timespec="milliseconds")

    db.execute(
        "INSERT INTO sales (sale_id, receipt_no, device, cashier, at, total, taxable_total, tax_free_total,"
        " supply, vat, paid, change, hold_code, shift_id, cash_receipt_kind, cash_receipt_number, offline_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request["sale_id"], receipt_no, device, cashier["cashier_id"], at, total, taxable_total,
         tax_free_total, supply, vat, paid, change, request["hold_code"], request["shift_id"],
         cash_receipt and cash_receipt["kind"], cash_receipt and cash_receipt["number"], request["offline_at"]],
    )
    db.conn.executemany(
        "INSERT INTO sale_lines (sale_id, line_no, sku, name, firm, qty, unit_price, amount, tax_free, listed_price)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(request["sale_id"], l["line_no"], l["sku"], l["name"], l["firm"], l["qty"], l["unit_price"],
          l["amount"], int(l["tax_free"]), l.get("listed_price")) for l in lines],
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
    if repriced:
        events.append(Event("sale.price_differed", {"sale_id": request["sale_id"], "receipt_no": receipt_no,
                                                    "device": device, "lines": repriced}))
    events.extend(oversold)
    # One stock.changed per product, carrying its final counts after the sale.
    events.extend(touched.values())
    # The money was taken: a sale whose claimed time is not believed still stands, at the hub's time, flagged.
    _, doubted = claims.recorded(request["offline_at"], now, bounds, device=device, what="sale",
                                 ref=request["sale_id"])
    events.extend(doubted)
    return result, events


def _hold_to_consume(db, code: str | None, *, offline: bool, now) -> dict | None:
    """The kiosk order a sale pays for. Offline, an order that expired or was paid elsewhere meanwhile does not
    undo the sale: its goods were handed over, so it is sold as plain lines."""
    if not code:
        return None
    try:
        return inventory.usable_hold(db, code, now=now)
    except HallError as unusable:
        if offline and unusable.code in ("hold_expired", "hold_used", "hold_not_found"):
            return None
        raise
