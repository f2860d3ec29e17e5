"""Offline sales the hub could not fill when the till replayed them.

The goods have usually left with the buyer, so such a sale is never dropped:
it is kept with the hub's reason, shown to the cashier and to staff, and
stays open until staff resolve it (by a stock count, a refund, a call).
"""
import json

from ..errors import HallError
from ..events import Event

FIELDS = ("sale_id", "device", "payload", "error_code", "error", "details", "at", "resolved_at", "resolved_by")


def record(db, request: dict, refusal: HallError, *, device: str, now):
    """Keep a refused replay (once per sale_id) and tell the tills and staff."""
    known = db.execute("SELECT 1 FROM replay_failures WHERE sale_id = ?", [request["sale_id"]]).fetchone()
    if known:
        return {"sale_id": request["sale_id"]}, []
    at = now.isoformat(timespec="milliseconds")
    # Kept and shown to staff: without the till's sign-in secret.
    request = {key: value for key, value in request.items() if key != "sign_in"}
    db.execute("INSERT INTO replay_failures (sale_id, device, payload, error_code, error, details, at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               [request["sale_id"], device, json.dumps(request, ensure_ascii=False), refusal.code,
                refusal.message, json.dumps(refusal.details, ensure_ascii=False), at])
    refused = Event("sale.replay_refused", {"sale_id": request["sale_id"], "device": device, "code": refusal.code,
                                            "message": refusal.message, "details": refusal.details,
                                            "sale": request, "at": at})
    return {"sale_id": request["sale_id"]}, [refused]


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
