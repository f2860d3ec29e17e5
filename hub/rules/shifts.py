"""A cashier's shift at a till: opened with a counted float, closed with a counted drawer.

Both may be made while the hub is unreachable and replayed later, so each is
idempotent on its shift_id and takes the till's own time when it has one.
"""
import json

from . import claims, idempotency, sign_ins
from ..errors import HallError
from ..events import Event


def open_shift(db, request: dict, *, device: str, now, bounds=claims.DEFAULT_BOUNDS):
    """Start a shift with the float counted into the drawer."""
    earlier = idempotency.recall(db, "shift_open", request["shift_id"], request)
    if earlier is not None:
        return earlier, []
    # The shift is the signed-in cashier's, whoever the till says it is for.
    cashier = sign_ins.cashier(db, request["sign_in"], device=device, now=now, offline=bool(request["opened_at"]))
    opened_at, doubted = claims.recorded(request["opened_at"], now, bounds, device=device, what="shift_open",
                                         ref=request["shift_id"])
    db.execute("INSERT INTO shifts (shift_id, device, cashier_id, opened_at, float) VALUES (?, ?, ?, ?, ?)",
               [request["shift_id"], device, cashier["cashier_id"], opened_at, request["float"]])
    shift = {"shift_id": request["shift_id"], "device": device, "cashier_id": cashier["cashier_id"],
             "cashier": cashier["name"], "opened_at": opened_at, "float": request["float"]}
    result = {"shift": shift}
    idempotency.remember(db, "shift_open", request["shift_id"], request, result, now)
    return result, [Event("shift.opened", shift), *doubted]


def report(db, shift_id: str, *, till: str | None = None) -> dict:
    """What the drawer should hold: the float, plus cash taken, less cash refunded. A `till` reads only its own
    shifts' figures (another till's drawer is its cashier's business)."""
    row = db.execute("SELECT device, cashier_id, opened_at, float, closed_at FROM shifts WHERE shift_id = ?",
                     [shift_id]).fetchone()
    if row is None:
        raise HallError("unknown_shift", f"no shift {shift_id}")
    device, cashier_id, opened_at, float_, closed_at = row
    if till is not None and device != till:
        raise HallError("forbidden", "a till reads only its own shifts")
    sales_count = db.execute("SELECT count(*) FROM sales WHERE shift_id = ?", [shift_id]).fetchone()[0]
    by_method = dict(db.execute(
        "SELECT p.method, sum(p.amount) FROM payments p JOIN sales s ON s.sale_id = p.sale_id"
        " WHERE s.shift_id = ? GROUP BY p.method", [shift_id]).fetchall())
    refunds = {kind: {"count": count, "amount": amount} for kind, count, amount in db.execute(
        "SELECT kind, count(*), sum(total) FROM refunds WHERE shift_id = ? GROUP BY kind", [shift_id])}
    cash_out = db.execute(
        "SELECT coalesce(sum(rp.amount), 0) FROM refund_payments rp JOIN refunds r ON r.refund_id = rp.refund_id"
        " WHERE r.shift_id = ? AND rp.method = 'cash'", [shift_id]).fetchone()[0]
    unbooked_count, unbooked_cash = db.execute(
        "SELECT count(*), coalesce(sum(cash), 0) FROM replay_failures WHERE shift_id = ?", [shift_id]).fetchone()
    cashier = db.execute("SELECT name FROM cashiers WHERE cashier_id = ?", [cashier_id]).fetchone()
    cash_in = by_method.get("cash", 0)
    return {"shift_id": shift_id, "terminal": device, "cashier_id": cashier_id,
            "cashier": cashier[0] if cashier else cashier_id, "opened_at": opened_at, "closed_at": closed_at,
            "sales_count": sales_count, "by_method": {"cash": cash_in, "card": by_method.get("card", 0)},
            "refunds": refunds.get("refund", {"count": 0, "amount": 0}),
            "voids": refunds.get("void", {"count": 0, "amount": 0}),
            # One arithmetic, named part by part wherever it is shown (screen, Z report, export):
            # 시재금 + 현금 매출 − 현금 환불 (+ 보류된 오프라인 판매의 현금) = 예상 현금.
            "float": float_, "cash_sales": cash_in, "cash_refunds": cash_out,
            "unbooked": {"count": unbooked_count, "cash": unbooked_cash},
            "expected_cash": float_ + cash_in - cash_out + unbooked_cash}


def difference_kind(difference: int) -> str:
    """과잉 (more cash than expected), 부족 (less), or even."""
    return "over" if difference > 0 else "short" if difference < 0 else "even"


def close_shift(db, request: dict, *, device: str, now, bounds=claims.DEFAULT_BOUNDS):
    """Close a shift with the counted drawer; the Z report is kept and returned."""
    try:
        earlier = idempotency.recall(db, "shift_close", request["shift_id"], request)
    except HallError as reused:
        # Same shift, another count: the drawer was already closed with the first one.
        raise HallError("shift_closed", "this shift was already closed with another count") from reused
    if earlier is not None:
        return earlier, []
    owner = db.execute("SELECT device, closed_at FROM shifts WHERE shift_id = ?", [request["shift_id"]]).fetchone()
    if owner is None:
        raise HallError("unknown_shift", f"no shift {request['shift_id']}")
    if owner[1] is not None:
        raise HallError("shift_closed", f"this shift was closed at {owner[1]}")
    if owner[0] != device:
        raise HallError("forbidden", "a shift is closed at the till that opened it")
    sign_ins.cashier(db, request["sign_in"], device=device, now=now, offline=bool(request["closed_at"]))
    closed_at, doubted = claims.recorded(request["closed_at"], now, bounds, device=device, what="shift_close",
                                         ref=request["shift_id"])
    db.execute("UPDATE shifts SET closed_at = ? WHERE shift_id = ?", [closed_at, request["shift_id"]])
    z = report(db, request["shift_id"])
    z["counted_cash"] = request["counted_cash"]
    z["difference"] = request["counted_cash"] - z["expected_cash"]
    z["difference_kind"] = difference_kind(z["difference"])
    db.execute("UPDATE shifts SET counted_cash = ?, expected_cash = ?, report = ? WHERE shift_id = ?",
               [request["counted_cash"], z["expected_cash"], json.dumps(z, ensure_ascii=False), request["shift_id"]])
    result = {"report": z}
    idempotency.remember(db, "shift_close", request["shift_id"], request, result, now)
    return result, [Event("shift.closed", z), *doubted]
