"""Sales figures for the staff screen and each firm's settlement: read-only queries."""
import json

from printers.documents import SHIFT_CASH_WORDS

from .money import split_vat


def totals(db, *, day: str | None = None) -> dict:
    """Gross, sales count and refunds, for one day (YYYY-MM-DD) or the whole show."""
    where, params = ("WHERE substr(at, 1, 10) = ?", [day]) if day else ("", [])
    gross, count = db.execute(f"SELECT coalesce(sum(total), 0), count(*) FROM sales {where}", params).fetchone()
    refunded, refund_count = db.execute(f"SELECT coalesce(sum(total), 0), count(*) FROM refunds {where}",
                                        params).fetchone()
    return {"gross": gross, "sales": count, "refunds": refunded, "refund_count": refund_count,
            "net": gross - refunded}


def hourly(db, *, day: str | None = None) -> list[dict]:
    """Net sales per hour of the hall's clock, for the chart."""
    where, params = ("WHERE substr(at, 1, 10) = ?", [day]) if day else ("", [])
    sold = db.execute(f"SELECT substr(at, 1, 13) AS hour, sum(total), count(*) FROM sales {where}"
                      " GROUP BY hour", params).fetchall()
    back = dict(db.execute(f"SELECT substr(at, 1, 13) AS hour, sum(total) FROM refunds {where} GROUP BY hour",
                           params).fetchall())
    hours = sorted({h for h, _, _ in sold} | set(back))
    by_hour = {h: (g, c) for h, g, c in sold}
    return [{"hour": h, "gross": by_hour.get(h, (0, 0))[0], "sales": by_hour.get(h, (0, 0))[1],
             "refunds": back.get(h, 0)} for h in hours]


def firms(db, *, tax_rate: int, day: str | None = None) -> list[dict]:
    """Per firm: units, gross, VAT within it, refunds and net; every firm of the catalog, sold or not.
    With `day`, that day's sales and refunds only (the day close)."""
    sale_day = " JOIN sales s ON s.sale_id = l.sale_id WHERE substr(s.at, 1, 10) = ?" if day else ""
    refund_day = " JOIN refunds f ON f.refund_id = r.refund_id WHERE substr(f.at, 1, 10) = ?" if day else ""
    params = [day] if day else []
    sold = {row[0]: row[1:] for row in db.execute(
        "SELECT p.firm, coalesce(sum(l.qty), 0), coalesce(sum(l.amount), 0),"
        " coalesce(sum(CASE WHEN l.tax_free = 0 THEN l.amount ELSE 0 END), 0)"
        f" FROM sale_lines l JOIN products p ON p.sku = l.sku{sale_day} GROUP BY p.firm", params)}
    back = {row[0]: row[1:] for row in db.execute(
        "SELECT p.firm, sum(r.qty), sum(r.amount),"
        " sum(CASE WHEN p.tax_free = 0 THEN r.amount ELSE 0 END)"
        f" FROM refund_lines r JOIN products p ON p.sku = r.sku{refund_day} GROUP BY p.firm", params)}
    result = []
    for firm, firm_en, booth in db.execute("SELECT firm, min(firm_en), min(booth) FROM products GROUP BY firm"
                                           " ORDER BY firm"):
        units, gross, taxable = sold.get(firm, (0, 0, 0))
        refunded_units, refunded, refunded_taxable = back.get(firm, (0, 0, 0))
        # VAT is split on the firm's net taxable sales, the figure its settlement is based on.
        supply, vat = split_vat(taxable - refunded_taxable, tax_rate)
        result.append({"firm": firm, "firm_en": firm_en, "booth": booth, "units": units - refunded_units,
                       "gross": gross, "refunds": refunded, "net": gross - refunded, "taxable": taxable - refunded_taxable,
                       "supply": supply, "vat": vat, "tax_free": (gross - taxable) - (refunded - refunded_taxable)})
    return result


def top_products(db, limit: int = 10) -> list[dict]:
    """The best sellers by net sales in won, refunds netted: a product returned as often as sold is no hit."""
    rows = db.execute(
        "WITH sold AS (SELECT sku, sum(qty) AS units, sum(amount) AS gross FROM sale_lines GROUP BY sku),"
        " back AS (SELECT sku, sum(qty) AS units, sum(amount) AS amount FROM refund_lines GROUP BY sku)"
        " SELECT s.sku, p.name, p.name_en, p.firm, s.units - coalesce(b.units, 0), s.gross,"
        " coalesce(b.amount, 0), s.gross - coalesce(b.amount, 0) AS net"
        " FROM sold s JOIN products p ON p.sku = s.sku LEFT JOIN back b ON b.sku = s.sku"
        " ORDER BY net DESC, s.sku LIMIT ?", [limit]).fetchall()
    return [{"sku": s, "name": n, "name_en": e, "firm": f, "units": u, "gross": g, "refunds": r, "net": net}
            for s, n, e, f, u, g, r, net in rows]


def best_sellers(db, limit: int) -> list[dict]:
    """[{"sku", "units"}] by units sold, most first (ties by sku), for the tills' shelf.

    Read from the (sku, qty) index alone: a till asks every few minutes, and a join with the lines' rows took
    a third of a second of the hub's loop at 60,000 sale lines.
    """
    rows = db.execute("SELECT sku, sum(qty) AS units FROM sale_lines GROUP BY sku ORDER BY units DESC, sku LIMIT ?",
                      [limit]).fetchall()
    return [{"sku": sku, "units": units} for sku, units in rows]


JOURNAL_HEADER = ["kind", "receipt_no", "original_receipt_no", "at", "device", "cashier", "line_no", "sku",
                  "name", "firm", "qty", "unit_price", "amount", "tax_free", "payment_methods",
                  "cash_receipt_kind", "cash_receipt_number", "offline_at"]


def journal(db):
    """Every sale line, and every refunded line as a negative row, in time order."""
    yield from db.execute(
        "SELECT 'sale', s.receipt_no, '', s.at, s.device, s.cashier, l.line_no, l.sku, l.name, l.firm, l.qty,"
        " l.unit_price, l.amount, l.tax_free,"
        " (SELECT group_concat(method, '+') FROM payments p WHERE p.sale_id = s.sale_id),"
        " s.cash_receipt_kind, s.cash_receipt_number, s.offline_at"
        " FROM sales s JOIN sale_lines l ON l.sale_id = s.sale_id"
        " UNION ALL "
        "SELECT r.kind, r.receipt_no, s.receipt_no, r.at, r.device, r.cashier, rl.line_no, rl.sku, sl.name,"
        " sl.firm, -rl.qty, sl.unit_price, -rl.amount, sl.tax_free,"
        " (SELECT group_concat(method, '+') FROM refund_payments p WHERE p.refund_id = r.refund_id),"
        " r.cash_receipt_kind, r.cash_receipt_number, NULL"
        " FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.refund_id JOIN sales s ON s.sale_id = r.sale_id"
        " JOIN sale_lines sl ON sl.sale_id = r.sale_id AND sl.line_no = rl.line_no"
        " ORDER BY 4, 2, 7")


CASH_RECEIPT_HEADER = ["type", "receipt_no", "original_receipt_no", "at", "device", "kind", "number", "cash_amount",
                       "total"]


def cash_receipts(db, *, day: str | None = None):
    """현금영수증 to issue to the tax service: each request (`issue`), and each refund that cancels part or all of
    one (`cancel`, negative), so the column of cash amounts sums to what the buyers finally paid in cash."""
    where, params = ("AND substr(s.at, 1, 10) = ?", [day]) if day else ("", [])
    refund_where = "AND substr(r.at, 1, 10) = ?" if day else ""
    yield from db.execute(
        "SELECT 'issue', s.receipt_no, '', s.at, s.device, s.cash_receipt_kind, s.cash_receipt_number,"
        " (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.sale_id = s.sale_id AND p.method = 'cash'),"
        f" s.total FROM sales s WHERE s.cash_receipt_kind IS NOT NULL {where}"
        " UNION ALL "
        "SELECT 'cancel', r.receipt_no, s.receipt_no, r.at, r.device, r.cash_receipt_kind, r.cash_receipt_number,"
        " -r.cash_receipt_amount, -r.total FROM refunds r JOIN sales s ON s.sale_id = r.sale_id"
        f" WHERE r.cash_receipt_kind IS NOT NULL {refund_where} ORDER BY 4, 2", params + params)


SHIFT_COLUMNS = ["shift_id", "terminal", "cashier_id", "cashier", "opened_at", "closed_at", "float", "cash_sales",
                 "cash_refunds", "unbooked_cash", "expected_cash", "counted_cash", "difference", "difference_kind"]


def shift_header() -> list[str]:
    """The drawer's columns in the words the Z report prints (시재금, 현금 매출, ... 차액), the rest as keys."""
    return [SHIFT_CASH_WORDS.get(key, key) for key in SHIFT_COLUMNS]


def shift_rows(db):
    """Every closed shift's drawer arithmetic, as its Z report printed it."""
    for (report,) in db.execute("SELECT report FROM shifts WHERE report IS NOT NULL ORDER BY closed_at"):
        z = json.loads(report)
        z["unbooked_cash"] = (z.get("unbooked") or {}).get("cash", 0)
        z["difference_kind"] = SHIFT_CASH_WORDS[z.get("difference_kind") or "even"]
        yield [z.get(key) for key in SHIFT_COLUMNS]


def product_history(db, sku: str, limit: int = 500) -> list[dict]:
    """Every event that touched a product: sales, holds, refunds, restocks, corrections."""
    rows = db.execute(
        "SELECT seq, type, data, at FROM events WHERE json_extract(data, '$.sku') = ?"
        " OR EXISTS (SELECT 1 FROM json_each(events.data, '$.lines') WHERE json_extract(value, '$.sku') = ?)"
        " ORDER BY seq DESC LIMIT ?", [sku, sku, limit]).fetchall()
    return [{"seq": seq, "type": type_, "data": json.loads(data), "at": at} for seq, type_, data, at in rows]
