"""The day close: one report of a hall day's money for the accountant, and a seal over the day's record.

The report is read from the books (sales, refunds, payments, shifts), never from the screens' figures. The
seal is a SHA-256 over the day's events as the log holds them (seq, type, time, data) up to the close; it is
printed on the report and kept, so checking it later (`verify`) shows any event of that day changed, removed
or inserted since, and counts the sales and refunds the day gained after the close (a late offline replay).
"""
import hashlib
import json

from . import discrepancies, reports
from ..errors import HallError
from ..events import Event
from .money import split_vat

DIGEST = "sha256"


def _day_events(db, day: str, *, up_to: int | None = None):
    sql = "SELECT seq, type, at, data FROM events WHERE substr(at, 1, 10) = ?"
    params: list = [day]
    if up_to is not None:
        sql += " AND seq <= ?"
        params.append(up_to)
    return db.execute(sql + " ORDER BY seq", params)


def digest(db, day: str, *, up_to: int | None = None) -> tuple[str, int, int | None, int | None]:
    """(hex digest, event count, first seq, last seq) of the day's events, up to `up_to` when given."""
    hashed, count, first, last = hashlib.sha256(), 0, None, None
    for seq, type_, at, data in _day_events(db, day, up_to=up_to):
        hashed.update(f"{seq}\t{type_}\t{at}\t{data}\n".encode("utf-8"))
        count += 1
        first = seq if first is None else first
        last = seq
    return hashed.hexdigest(), count, first, last


def _by_method(db, day: str) -> dict:
    taken = dict(db.execute(
        "SELECT p.method, sum(p.amount) FROM payments p JOIN sales s ON s.sale_id = p.sale_id"
        " WHERE substr(s.at, 1, 10) = ? GROUP BY p.method", [day]).fetchall())
    back = dict(db.execute(
        "SELECT p.method, sum(p.amount) FROM refund_payments p JOIN refunds r ON r.refund_id = p.refund_id"
        " WHERE substr(r.at, 1, 10) = ? GROUP BY p.method", [day]).fetchall())
    return {method: {"taken": taken.get(method, 0), "refunded": back.get(method, 0),
                     "net": taken.get(method, 0) - back.get(method, 0)} for method in ("cash", "card")}


def _tax(db, day: str, tax_rate: int) -> dict:
    taxable, tax_free = db.execute(
        "SELECT coalesce(sum(taxable_total), 0), coalesce(sum(tax_free_total), 0) FROM sales"
        " WHERE substr(at, 1, 10) = ?", [day]).fetchone()
    back_taxable, back_free = db.execute(
        "SELECT coalesce(sum(taxable_total), 0), coalesce(sum(tax_free_total), 0) FROM refunds"
        " WHERE substr(at, 1, 10) = ?", [day]).fetchone()
    supply, vat = split_vat(taxable - back_taxable, tax_rate)
    return {"taxable": taxable - back_taxable, "supply": supply, "vat": vat, "tax_free": tax_free - back_free}


def _cash_receipts(db, day: str) -> dict:
    rows = list(reports.cash_receipts(db, day=day))
    issued = [row for row in rows if row[0] == "issue"]
    return {"count": len(issued), "cancelled": len(rows) - len(issued),
            "amount": sum(row[reports.CASH_RECEIPT_HEADER.index("cash_amount")] or 0 for row in rows)}


def _offline(db, day: str) -> dict:
    count, amount = db.execute("SELECT count(*), coalesce(sum(total), 0) FROM sales"
                               " WHERE offline_at IS NOT NULL AND substr(at, 1, 10) = ?", [day]).fetchone()
    repriced = db.execute(
        "SELECT count(DISTINCT l.sale_id) FROM sale_lines l JOIN sales s ON s.sale_id = l.sale_id"
        " WHERE l.listed_price IS NOT NULL AND substr(s.at, 1, 10) = ?", [day]).fetchone()[0]
    unbooked, unbooked_cash = db.execute("SELECT count(*), coalesce(sum(cash), 0) FROM replay_failures"
                                         " WHERE substr(at, 1, 10) = ?", [day]).fetchone()
    found = discrepancies.listing(db, open_only=False, day=day)
    return {"sales": count, "amount": amount, "repriced": repriced,
            "unbooked": {"count": unbooked, "cash": unbooked_cash},
            "discrepancies": [{k: d[k] for k in ("discrepancy_id", "sku", "name", "qty", "receipt_no", "device",
                                                 "settled_at", "settlement")} for d in found]}


def _shifts(db, day: str) -> tuple[list[dict], list[dict]]:
    closed = [json.loads(report) for (report,) in db.execute(
        "SELECT report FROM shifts WHERE closed_at IS NOT NULL AND substr(closed_at, 1, 10) = ?"
        " ORDER BY closed_at", [day])]
    drawers = [{k: z.get(k) for k in ("shift_id", "terminal", "cashier", "opened_at", "closed_at", "float",
                                      "cash_sales", "cash_refunds", "expected_cash", "counted_cash", "difference")}
               for z in closed]
    still_open = [dict(zip(("shift_id", "terminal", "cashier_id", "opened_at"), row)) for row in db.execute(
        "SELECT shift_id, device, cashier_id, opened_at FROM shifts WHERE closed_at IS NULL"
        " AND substr(opened_at, 1, 10) <= ? ORDER BY opened_at", [day])]
    return drawers, still_open


def report(db, day: str, *, tax_rate: int) -> dict:
    """The day's money as the accountant reads it (a preview until the day is closed)."""
    totals = reports.totals(db, day=day)
    drawers, still_open = _shifts(db, day)
    firms = [f for f in reports.firms(db, tax_rate=tax_rate, day=day) if f["gross"] or f["refunds"]]
    return {"day": day, "gross": totals["gross"], "sales": totals["sales"], "refunds": totals["refunds"],
            "refund_count": totals["refund_count"], "net": totals["net"], "by_method": _by_method(db, day),
            "tax": _tax(db, day, tax_rate), "cash_receipts": _cash_receipts(db, day), "offline": _offline(db, day),
            "firms": firms, "drawers": drawers, "open_shifts": still_open,
            "drawer_difference": sum(d["difference"] or 0 for d in drawers)}


def closed(db, day: str) -> dict | None:
    row = db.execute("SELECT closed_at, closed_by, first_seq, last_seq, event_count, digest, report"
                     " FROM day_closes WHERE day = ?", [day]).fetchone()
    if row is None:
        return None
    keys = ("closed_at", "closed_by", "first_seq", "last_seq", "event_count", "digest", "report")
    found = dict(zip(keys, row))
    found["report"] = json.loads(found["report"])
    return found


def close(db, day: str, *, by: str, now, tax_rate: int):
    """Close and seal a day. Shifts still open are listed on the report, not waited for: a till left open
    overnight must not keep the accountant from the day's books."""
    done = closed(db, day)
    if done is not None:
        raise HallError("day_closed", f"{day} was already closed at {done['closed_at']} by {done['closed_by']}",
                        day=day, closed_at=done["closed_at"])
    if day > now.date().isoformat():
        raise HallError("invalid", f"{day} has not begun", field="day")
    figures = report(db, day, tax_rate=tax_rate)
    sealed, count, first, last = digest(db, day)
    at = now.isoformat(timespec="milliseconds")
    figures["seal"] = {"algorithm": DIGEST, "digest": sealed, "events": count, "first_seq": first, "last_seq": last,
                       "closed_at": at, "closed_by": by}
    db.execute("INSERT INTO day_closes (day, closed_at, closed_by, first_seq, last_seq, event_count, digest, report)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [day, at, by, first, last, count, sealed, json.dumps(figures, ensure_ascii=False)])
    return {"report": figures}, [Event("day.closed", {"day": day, "digest": sealed, "events": count,
                                                      "closed_at": at, "closed_by": by,
                                                      "open_shifts": len(figures["open_shifts"])})]


def verify(db, day: str) -> dict:
    """Does the day's record still hash to its seal? And what was added to the day after the close?"""
    done = closed(db, day)
    if done is None:
        raise HallError("day_open", f"{day} has not been closed", day=day)
    now_digest, count, _, _ = digest(db, day, up_to=done["last_seq"])
    # Money the day's books gained after the close (a till that replayed its offline sales late, say).
    after = db.execute(
        "SELECT (SELECT count(*) FROM sales WHERE substr(at, 1, 10) = :day AND at > :closed)"
        " + (SELECT count(*) FROM refunds WHERE substr(at, 1, 10) = :day AND at > :closed)",
        {"day": day, "closed": done["closed_at"]}).fetchone()[0]
    return {"day": day, "sealed": done["digest"], "digest": now_digest, "matches": now_digest == done["digest"],
            "events": count, "sealed_events": done["event_count"], "after_close": after}


CSV_HEADER = ["section", "item", "detail", "count", "amount"]


def csv_rows(figures: dict):
    """The day report as rows a spreadsheet sums: one figure per row, grouped by section."""
    yield ["day", figures["day"], "", "", ""]
    yield ["totals", "gross", "", figures["sales"], figures["gross"]]
    yield ["totals", "refunds", "", figures["refund_count"], -figures["refunds"]]
    yield ["totals", "net", "", "", figures["net"]]
    for method, money in figures["by_method"].items():
        yield ["payments", method, "taken", "", money["taken"]]
        yield ["payments", method, "refunded", "", -money["refunded"]]
        yield ["payments", method, "net", "", money["net"]]
    for item in ("taxable", "supply", "vat", "tax_free"):
        yield ["tax", item, "", "", figures["tax"][item]]
    receipts = figures["cash_receipts"]
    yield ["cash_receipts", "net", f"cancelled {receipts['cancelled']}", receipts["count"], receipts["amount"]]
    offline = figures["offline"]
    yield ["offline", "sales", f"repriced {offline['repriced']}", offline["sales"], offline["amount"]]
    yield ["offline", "unbooked", "", offline["unbooked"]["count"], offline["unbooked"]["cash"]]
    for found in offline["discrepancies"]:
        yield ["discrepancy", found["sku"], found["settlement"] or "open", found["qty"], ""]
    for firm in figures["firms"]:
        yield ["firm", firm["firm"], firm["booth"], firm["units"], firm["net"]]
    for drawer in figures["drawers"]:
        yield ["drawer", drawer["terminal"], drawer["cashier"], "", drawer["difference"]]
    for shift in figures["open_shifts"]:
        yield ["open_shift", shift["terminal"], shift["cashier_id"], "", ""]
    seal = figures.get("seal")
    if seal:
        yield ["seal", seal["algorithm"], seal["digest"], seal["events"], ""]
