"""Refunds and voids: chosen lines of a sale back to the original payment, stock back on the shelf."""
from . import cashiers, idempotency, inventory, sign_ins
from .checkout import next_receipt_no
from ..errors import HallError
from ..events import Event
from .money import split_vat

SALE_FIELDS = ("sale_id", "receipt_no", "device", "cashier", "at", "total", "taxable_total", "tax_free_total",
               "supply", "vat", "paid", "change", "hold_code", "shift_id", "cash_receipt_kind",
               "cash_receipt_number", "offline_at")
LINE_FIELDS = ("line_no", "sku", "name", "firm", "qty", "unit_price", "amount", "tax_free")
PAYMENT_FIELDS = ("method", "amount", "tendered", "card_type", "card_masked", "approval_no")


def find_sale(db, receipt_no: str) -> dict:
    """A sale with its lines, payments, and how much of each line was already refunded."""
    row = db.execute(f"SELECT {', '.join(SALE_FIELDS)} FROM sales WHERE receipt_no = ?", [receipt_no]).fetchone()
    if row is None:
        raise HallError("unknown_receipt", f"no sale with receipt number {receipt_no}")
    sale = dict(zip(SALE_FIELDS, row))
    refunded = dict(db.execute(
        "SELECT rl.line_no, sum(rl.qty) FROM refund_lines rl JOIN refunds r ON r.refund_id = rl.refund_id"
        " WHERE r.sale_id = ? GROUP BY rl.line_no", [sale["sale_id"]]).fetchall())
    sale["lines"] = []
    for line in db.execute(f"SELECT {', '.join(LINE_FIELDS)} FROM sale_lines WHERE sale_id = ? ORDER BY line_no",
                           [sale["sale_id"]]):
        entry = dict(zip(LINE_FIELDS, line))
        entry["tax_free"] = bool(entry["tax_free"])
        entry["refunded"] = refunded.get(entry["line_no"], 0)
        sale["lines"].append(entry)
    sale["payments"] = [
        {k: v for k, v in zip(PAYMENT_FIELDS, p) if v is not None}
        for p in db.execute(f"SELECT {', '.join(PAYMENT_FIELDS)} FROM payments WHERE sale_id = ? ORDER BY line_no",
                            [sale["sale_id"]])]
    sale["refunds"] = [
        {"refund_id": r, "receipt_no": n, "kind": k, "total": t, "at": a}
        for r, n, k, t, a in db.execute("SELECT refund_id, receipt_no, kind, total, at FROM refunds"
                                        " WHERE sale_id = ? ORDER BY at", [sale["sale_id"]])]
    return sale


def _chosen_lines(sale: dict, wanted: list[dict] | None) -> list[dict]:
    by_number = {line["line_no"]: line for line in sale["lines"]}
    if wanted is None:  # a void: everything not yet refunded
        wanted = [{"line_no": n, "qty": l["qty"] - l["refunded"]} for n, l in by_number.items()
                  if l["qty"] > l["refunded"]]
        if not wanted:
            raise HallError("already_refunded", f"every item of {sale['receipt_no']} was already refunded")
    chosen = []
    for line in wanted:
        sold = by_number.get(line["line_no"])
        if sold is None:
            raise HallError("invalid", f"receipt {sale['receipt_no']} has no line {line['line_no']}", field="lines")
        left = sold["qty"] - sold["refunded"]
        if line["qty"] > left:
            raise HallError("over_refund", f"line {line['line_no']} ({sold['name']}): only {left} can be refunded",
                            line_no=line["line_no"], refundable=left)
        chosen.append({**sold, "qty": line["qty"], "amount": sold["unit_price"] * line["qty"]})
    return chosen


def _back_to_payments(db, sale: dict, total: int) -> list[dict]:
    """Card first (a card cancellation), the rest in cash, never more than each method took."""
    already = dict(db.execute(
        "SELECT rp.method, sum(rp.amount) FROM refund_payments rp JOIN refunds r ON r.refund_id = rp.refund_id"
        " WHERE r.sale_id = ? GROUP BY rp.method", [sale["sale_id"]]).fetchall())
    left, back = total, []
    for method in ("card", "cash"):
        taken = sum(p["amount"] for p in sale["payments"] if p["method"] == method) - already.get(method, 0)
        amount = min(left, max(taken, 0))
        if amount:
            approval = next((p.get("approval_no") for p in sale["payments"] if p["method"] == method), None)
            back.append({"method": method, "amount": amount, "approval_no": approval})
            left -= amount
    return back


def _approve(db, sale: dict, request: dict, *, void: bool, limit: int, device: str, now):
    """The PIN a void or a large refund needs. Returns (approver id, refusal or None, events)."""
    if void:
        if sale["cashier"] and request["approver_id"] != sale["cashier"]:
            cashier, refusal, events = cashiers.verify(db, request["approver_id"], request["approver_pin"],
                                                       device=device, now=now, need_supervisor=True)
            if refusal and refusal.code == "supervisor_required":
                refusal = HallError("wrong_cashier", "a void needs the PIN of the cashier who made the sale, "
                                    "or a supervisor's")
        else:
            cashier, refusal, events = cashiers.verify(db, request["approver_id"], request["approver_pin"],
                                                       device=device, now=now)
        return request["approver_id"], refusal, events
    total = sum(l["unit_price"] * l["qty"] for l in request["_chosen"])
    if total <= limit:
        return None, None, []
    if not request["approver_id"]:
        return None, HallError("approval_required", f"a refund over {limit:,} won needs a supervisor's PIN",
                               limit=limit), []
    _, refusal, events = cashiers.verify(db, request["approver_id"], request["approver_pin"], device=device,
                                         now=now, need_supervisor=True)
    return request["approver_id"], refusal, events


def refund(db, request: dict, *, device: str, now, tax_rate: int, approval_over: int, void: bool = False):
    """Refund chosen lines (or, for a void, the whole sale) to the original payment.

    Stock returns to the shelf; a refund receipt follows. A wrong approval PIN
    is counted towards the lock and answered as `refused` with nothing else changed.
    """
    command = "void" if void else "refund"
    earlier = idempotency.recall(db, command, request["refund_id"], _stored(request))
    if earlier is not None:
        return earlier, []
    cashier = sign_ins.cashier(db, request["sign_in"], device=device, now=now, offline=False)
    sale = find_sale(db, request["receipt_no"])
    chosen = _chosen_lines(sale, request["lines"])
    approver, refusal, events = _approve(db, sale, {**request, "_chosen": chosen}, void=void,
                                         limit=approval_over, device=device, now=now)
    if refusal:
        return {"refused": refusal}, events
    total = sum(line["amount"] for line in chosen)
    tax_free_total = sum(line["amount"] for line in chosen if line["tax_free"])
    supply, vat = split_vat(total - tax_free_total, tax_rate)
    payments = _back_to_payments(db, sale, total)
    receipt_no = next_receipt_no(db, now)
    at = now.isoformat(timespec="milliseconds")
    cash_receipt = _cash_receipt_cancelled(sale, payments)
    db.execute(
        "INSERT INTO refunds (refund_id, sale_id, receipt_no, kind, device, cashier, shift_id, at, total,"
        " taxable_total, tax_free_total, supply, vat, reason, approved_by, cash_receipt_kind, cash_receipt_number,"
        " cash_receipt_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [request["refund_id"], sale["sale_id"], receipt_no, command, device, cashier["cashier_id"], request["shift_id"],
         at, total, total - tax_free_total, tax_free_total, supply, vat, request["reason"], approver,
         cash_receipt and cash_receipt["kind"], cash_receipt and cash_receipt["number"],
         cash_receipt and cash_receipt["amount"]])
    db.conn.executemany("INSERT INTO refund_lines (refund_id, line_no, sku, qty, amount) VALUES (?, ?, ?, ?, ?)",
                        [(request["refund_id"], l["line_no"], l["sku"], l["qty"], l["amount"]) for l in chosen])
    db.conn.executemany("INSERT INTO refund_payments (refund_id, line_no, method, amount, approval_no)"
                        " VALUES (?, ?, ?, ?, ?)",
                        [(request["refund_id"], n, p["method"], p["amount"], p["approval_no"])
                         for n, p in enumerate(payments, start=1)])
    stock = [inventory.move(db, line["sku"], on_hand=line["qty"]) for line in chosen]
    done = {"refund_id": request["refund_id"], "kind": command, "receipt_no": receipt_no,
            "original_receipt_no": sale["receipt_no"], "sale_id": sale["sale_id"], "at": at, "device": device,
            "cashier": cashier["cashier_id"], "total": total, "taxable_total": total - tax_free_total,
            "tax_free_total": tax_free_total, "supply": supply, "vat": vat, "payments": payments,
            "lines": [{k: line[k] for k in ("line_no", "sku", "name", "qty", "unit_price", "amount", "tax_free")}
                      for line in chosen], "reason": request["reason"], "approved_by": approver,
            "cash_receipt": cash_receipt}
    result = {"refund": done}
    idempotency.remember(db, command, request["refund_id"], _stored(request), result, now)
    return result, [*events, Event("refund.completed", done), *stock]


def _cash_receipt_cancelled(sale: dict, payments: list[dict]) -> dict | None:
    """The part of the sale's 현금영수증 this refund cancels: the cash given back (a card refund cancels none)."""
    if not sale["cash_receipt_kind"]:
        return None
    cash = sum(p["amount"] for p in payments if p["method"] == "cash")
    return {"kind": sale["cash_receipt_kind"], "number": sale["cash_receipt_number"], "amount": cash}


def _stored(request: dict) -> dict:
    """The request as remembered for retries: never with a PIN in it."""
    return {k: v for k, v in request.items() if k != "approver_pin"}
