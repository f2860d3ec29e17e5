"""Sales figures for the staff screen and each firm's settlement: read-only queries."""
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


def firms(db, *, tax_rate: int) -> list[dict]:
    """Per firm: units, gross, VAT within it, refunds and net; every firm of the catalog, sold or not."""
    sold = {row[0]: row[1:] for row in db.execute(
        "SELECT p.firm, coalesce(sum(l.qty), 0), coalesce(sum(l.amount), 0),"
        " coalesce(sum(CASE WHEN l.tax_free = 0 THEN l.amount ELSE 0 END), 0)"
        " FROM sale_lines l JOIN products p ON p.sku = l.sku GROUP BY p.firm")}
    back = {row[0]: row[1:] for row in db.execute(
        "SELECT p.firm, sum(r.qty), sum(r.amount),"
        " sum(CASE WHEN p.tax_free = 0 THEN r.amount ELSE 0 END)"
        " FROM refund_lines r JOIN products p ON p.sku = r.sku GROUP BY p.firm")}
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
    rows = db.execute(
        "SELECT l.sku, p.name, p.name_en, p.firm, sum(l.qty) AS units, sum(l.amount) FROM sale_lines l"
        " JOIN products p ON p.sku = l.sku GROUP BY l.sku ORDER BY units DESC, l.sku LIMIT ?", [limit]).fetchall()
    return [{"sku": s, "name": n, "name_en": e, "firm": f, "units": u, "gross": g} for s, n, e, f, u, g in rows]


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
        " NULL, NULL, NULL"
        " FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.refund_id JOIN sales s ON s.sale_id = r.sale_id"
        " JOIN sale_lines sl ON sl.sale_id = r.sale_id AND sl.line_no = rl.line_no"
        " ORDER BY 4, 2, 7")


CASH_RECEIPT_HEADER = ["receipt_no", "at", "device", "kind", "number", "cash_amount", "total"]


def cash_receipts(db):
    """현금영수증 requests, for issuing them to the tax service."""
    yield from db.execute(
        "SELECT s.receipt_no, s.at, s.device, s.cash_receipt_kind, s.cash_receipt_number,"
        " (SELECT sum(amount) FROM payments p WHERE p.sale_id = s.sale_id AND p.method = 'cash'), s.total"
        " FROM sales s WHERE s.cash_receipt_kind IS NOT NULL ORDER BY s.at")


def product_history(db, sku: str, limit: int = 500) -> list[dict]:
    """Every event that touched a product: sales, holds, refunds, restocks, corrections."""
    import json
    rows = db.execute(
        "SELECT seq, type, data, at FROM events WHERE json_extract(data, '$.sku') = ?"
        " OR EXISTS (SELECT 1 FROM json_each(events.data, '$.lines') WHERE json_extract(value, '$.sku') = ?)"
        " ORDER BY seq DESC LIMIT ?", [sku, sku, limit]).fetchall()
    return [{"seq": seq, "type": type_, "data": json.loads(data), "at": at} for seq, type_, data, at in rows]
