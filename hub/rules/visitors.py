"""Visitors' own phones: anonymous sessions, what one phone may take, and what it reads.

A phone gets a session without a name or a phone number: a visitor id and a token the hub signs with a
secret of its own (HMAC-SHA256), so a connection is checked by arithmetic and one primary-key read of the
revocation list, never by a scan. A phone is a stranger's device, more so than a kiosk: the hub, not the
page, holds each one to [visitor] in hall.toml (docs/security.md).
"""
import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from . import inventory
from .fair_share import refuse
from ..errors import HallError
from ..events import Event

TOKEN_PREFIX = "V1"
SECRET_BYTES = 32
# base32's lowercase letters and digits 2-7: readable on the staff screen, safe in a room name and a URL.
VISITOR_ID_CHARS = 10
ORDER_STATUS = {"active": "waiting", "consumed": "paid", "expired": "expired", "released": "released"}
LIVE_TICKETS = ("booked", "checked_in")


@dataclass(frozen=True)
class VisitorLimits:
    """What one phone may take at once ([visitor] in hall.toml)."""
    open_orders: int
    units_per_line: int
    lines: int
    bookings_per_slot: int
    bookings_per_day: int

    @classmethod
    def from_settings(cls, settings: dict) -> "VisitorLimits":
        return cls(open_orders=settings["max_open_orders"], units_per_line=settings["max_qty_per_line"],
                   lines=settings["max_lines"], bookings_per_slot=settings["bookings_per_slot"],
                   bookings_per_day=settings["bookings_per_day"])

    def check_order(self, db, lines: list[dict], *, device: str, now) -> None:
        """Refuse an order past a phone's limits, before anything is held."""
        if len(lines) > self.lines:
            raise refuse("lines", self.lines, f"an order from a phone holds at most {self.lines} products",
                         field="lines")
        for index, line in enumerate(lines):
            if line["qty"] > self.units_per_line:
                raise refuse("units_per_line", self.units_per_line,
                             f"an order from a phone takes at most {self.units_per_line} of one product",
                             field=f"lines[{index}].qty", sku=line["sku"])
        waiting = db.execute("SELECT count(*) FROM holds WHERE device = ? AND status = 'active' AND expires_at > ?",
                             [device, _stamp(now)]).fetchone()[0]
        if waiting >= self.open_orders:
            raise refuse("open_orders", self.open_orders,
                         "this phone already has an order waiting to be paid; pay or cancel it first")

    def check_booking(self, db, slot_id: str, party: int, *, device: str, now) -> None:
        """Refuse a booking past a phone's share: one per session, a few a day (cancelled ones do not count)."""
        in_slot = db.execute("SELECT count(*) FROM demo_tickets WHERE device = ? AND slot_id = ? AND status IN"
                             " ('booked', 'checked_in')", [device, slot_id]).fetchone()[0]
        if in_slot >= self.bookings_per_slot:
            raise refuse("bookings_per_slot", self.bookings_per_slot,
                         "this phone already has a ticket for this session", already=in_slot)
        today = db.execute("SELECT count(*) FROM demo_tickets WHERE device = ? AND created_at >= ?"
                           " AND status != 'cancelled'", [device, now.date().isoformat()]).fetchone()[0]
        if today >= self.bookings_per_day:
            raise refuse("bookings_per_day", self.bookings_per_day,
                         f"a phone books at most {self.bookings_per_day} sessions a day", already=today)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- the secret and the token ----------------------------------------------------------------------------

def load_or_create_secret(path: Path) -> bytes:
    """The key visitor tokens are signed with, made at first start beside the hall's file, readable by the hub
    only. A new key (a fresh data folder) ends every phone's session: each asks for a new one."""
    path = Path(path)
    if path.exists():
        secret = path.read_bytes()
        if len(secret) < SECRET_BYTES:
            raise ValueError(f"{path} is too short to be the visitor session key")
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(SECRET_BYTES)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(secret)
    return secret


def _signature(secret: bytes, body: str) -> str:
    return _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())


def _token(secret: bytes, visitor: str, expires: datetime) -> str:
    body = f"{TOKEN_PREFIX}.{visitor}.{int(expires.timestamp())}"
    return f"{body}.{_signature(secret, body)}"


def looks_like_token(token) -> bool:
    return isinstance(token, str) and token.startswith(TOKEN_PREFIX + ".") and len(token) <= 120


def _new_visitor_id(db) -> str:
    while True:
        raw = base64.b32encode(secrets.token_bytes(VISITOR_ID_CHARS)).decode().lower()
        visitor = f"v-{raw[:VISITOR_ID_CHARS]}"
        if db.execute("SELECT 1 FROM visitor_sessions WHERE visitor = ?", [visitor]).fetchone() is None:
            return visitor


def start_session(db, *, now, secret: bytes, hours: int):
    """A new anonymous session: a visitor id and its signed token, good for `hours`."""
    visitor = _new_visitor_id(db)
    expires = now + timedelta(hours=hours)
    db.execute("INSERT INTO visitor_sessions (visitor, created_at, expires_at) VALUES (?, ?, ?)",
               [visitor, _stamp(now), _stamp(expires)])
    return {"token": _token(secret, visitor, expires), "visitor": visitor, "expires_at": _stamp(expires)}, []


def authenticate(db, token, *, secret: bytes, now) -> dict | None:
    """The visitor holding `token` as a connection's device, or None when it is forged, expired or revoked."""
    if not looks_like_token(token) or token.count(".") != 3:
        return None
    prefix, visitor, expires, signature = token.split(".")
    # As bytes: compare_digest refuses str with anything but ASCII, and a forged token may carry anything.
    expected = _signature(secret, f"{prefix}.{visitor}.{expires}")
    if not hmac.compare_digest(signature.encode("utf-8", "replace"), expected.encode()):
        return None
    if not expires.isdigit() or int(expires) <= now.timestamp():
        return None
    row = db.execute("SELECT revoked_at FROM visitor_sessions WHERE visitor = ?", [visitor]).fetchone()
    if row is None or row[0] is not None:
        return None
    return {"name": visitor, "role": "visitor"}


# --- staff: the list and the revocation ------------------------------------------------------------------

def listing(db, *, limit: int) -> list[dict]:
    """The newest sessions first, with what each holds now."""
    rows = db.execute(
        "SELECT visitor, created_at, revoked_at,"
        " (SELECT count(*) FROM holds WHERE device = visitor AND status = 'active'),"
        " (SELECT count(*) FROM demo_tickets WHERE device = visitor AND status IN ('booked', 'checked_in'))"
        " FROM visitor_sessions ORDER BY created_at DESC, visitor LIMIT ?", [limit])
    return [{"visitor": v, "created_at": c, "revoked_at": r, "open_orders": o, "tickets": t}
            for v, c, r, o, t in rows]


def revoke(db, visitor: str, *, by: str, now):
    """End a phone's session: the hub drops its connections, its waiting orders are released (their stock is
    free at once); its tickets stay, as a person may still come to the session."""
    row = db.execute("SELECT revoked_at FROM visitor_sessions WHERE visitor = ?", [visitor]).fetchone()
    if row is None:
        raise HallError("unknown_visitor", f"no visitor session {visitor}", visitor=visitor)
    if row[0] is not None:
        return {"visitor": visitor, "revoked_at": row[0], "released": []}, []
    db.execute("UPDATE visitor_sessions SET revoked_at = ?, revoked_by = ? WHERE visitor = ?",
               [_stamp(now), by, visitor])
    events, released = [Event("visitor.revoked", {"visitor": visitor, "by": by})], []
    for (code,) in db.execute("SELECT code FROM holds WHERE device = ? AND status = 'active'", [visitor]).fetchall():
        hold = inventory.find_hold(db, code)
        events.append(Event("hold.released", {"hold_id": hold["hold_id"], "code": code, "by": by}))
        events.extend(inventory.close_hold(db, hold, "released", now=now))
        released.append(code)
    return {"visitor": visitor, "revoked_at": _stamp(now), "released": released}, events


# --- what a phone reads ----------------------------------------------------------------------------------

def _minutes(stamp: str) -> str:
    return datetime.fromisoformat(stamp).isoformat(timespec="minutes")


def mine(db, visitor: str, *, now) -> dict:
    """The phone's own orders of today and its tickets for sessions not over before today."""
    today = now.date().isoformat()
    orders = []
    for hold_id, code, lines, total, expires_at, status in db.execute(
            "SELECT hold_id, code, lines, total, expires_at, status FROM holds WHERE device = ? AND created_at >= ?"
            " ORDER BY created_at", [visitor, today]):
        shown = ORDER_STATUS.get(status, status)
        if status == "active" and expires_at <= _stamp(now):
            shown = "expired"  # the sweeper releases it within a second; the phone need not wait for it
        orders.append({"hold_id": hold_id, "code": code, "expires_at": expires_at, "lines": json.loads(lines),
                       "total": total, "status": shown})
    tickets = []
    for row in db.execute(
            "SELECT t.ticket_id, t.short_code, t.qr, t.slot_id, t.party, s.starts_at, s.ends_at, t.valid_from,"
            " t.valid_until, t.status, d.demo_id, d.name, d.name_en, d.firm, d.booth"
            " FROM demo_tickets t JOIN demo_slots s ON s.slot_id = t.slot_id JOIN demos d ON d.demo_id = s.demo_id"
            " WHERE t.device = ? AND (s.ends_at >= ? OR t.created_at >= ?) ORDER BY s.starts_at, t.ticket_id",
            [visitor, today, today]):
        (ticket_id, short_code, qr, slot_id, party, starts_at, ends_at, valid_from, valid_until, status,
         demo_id, name, name_en, firm, booth) = row
        tickets.append({"ticket_id": ticket_id, "short_code": short_code, "qr": qr, "slot_id": slot_id,
                        "party": party, "starts_at": starts_at, "ends_at": ends_at,
                        "valid_from": _minutes(valid_from), "valid_until": _minutes(valid_until),
                        "demo": {"demo_id": demo_id, "name": name, "name_en": name_en, "firm": firm,
                                 "booth": booth},
                        "status": status})
    return {"orders": orders, "tickets": tickets}


CATALOG_FIELDS = ("sku", "name", "name_en", "firm", "firm_en", "booth", "category", "price", "tax_free", "tags",
                  "image")
# What changes each public read: its version is the seq of the newest event of these types.
CATALOG_EVENTS = ("catalog.loaded",)
PROGRAM_EVENTS = ("demos.loaded",)


def catalog(db, *, image_url) -> list[dict]:
    """Every product without its stock (stock is live, through `watch`), so the list can be kept and reused."""
    products = []
    for row in db.execute(f"SELECT {', '.join(CATALOG_FIELDS)} FROM products ORDER BY sku"):
        product = dict(zip(CATALOG_FIELDS, row))
        product["tax_free"] = bool(product["tax_free"])
        product["tags"] = product["tags"].split(";") if product["tags"] else []
        product["image"] = image_url(product["image"])
        products.append(product)
    return products


def program(db) -> list[dict]:
    """The demo program without its places (live through `watch`)."""
    fields = ("demo_id", "name", "name_en", "firm", "booth", "description", "description_en")
    listed = {row[0]: {**dict(zip(fields, row)), "slots": []}
              for row in db.execute(f"SELECT {', '.join(fields)} FROM demos ORDER BY demo_id")}
    for slot_id, demo_id, starts_at, ends_at, capacity in db.execute(
            "SELECT slot_id, demo_id, starts_at, ends_at, capacity FROM demo_slots ORDER BY starts_at, slot_id"):
        listed[demo_id]["slots"].append({"slot_id": slot_id, "starts_at": starts_at, "ends_at": ends_at,
                                         "capacity": capacity})
    return list(listed.values())


def version(db, types: tuple[str, ...]) -> int:
    """The seq of the newest event of `types` (0 when there is none): read once at start, then kept by the hub
    from the events it delivers."""
    marks = ", ".join("?" for _ in types)
    return db.execute(f"SELECT coalesce(max(seq), 0) FROM events WHERE type IN ({marks})", list(types)).fetchone()[0]


def watched(db, skus: list[str], slots: list[str]) -> tuple[dict, dict]:
    """Current stock of `skus` and places of `slots`; unknown ones are left out."""
    stock, places = {}, {}
    if skus:
        marks = ", ".join("?" for _ in skus)
        for sku, on_hand, held in db.execute(f"SELECT sku, on_hand, held FROM products WHERE sku IN ({marks})",
                                             skus):
            stock[sku] = {"on_hand": on_hand, "available": on_hand - held}
    if slots:
        marks = ", ".join("?" for _ in slots)
        for slot_id, capacity, booked, starts_at in db.execute(
                f"SELECT slot_id, capacity, booked, starts_at FROM demo_slots WHERE slot_id IN ({marks})", slots):
            places[slot_id] = {"capacity": capacity, "booked": booked, "available": capacity - booked,
                               "starts_at": starts_at}
    return stock, places


def owner_of(db, row: dict) -> str | None:
    """The visitor a hold or ticket event is about, or None when a screen made it."""
    data = row["data"]
    if row["type"].startswith("hold."):
        found = db.execute("SELECT device FROM holds WHERE code = ?", [data.get("code")]).fetchone()
    else:
        found = db.execute("SELECT device FROM demo_tickets WHERE ticket_id = ?", [data.get("ticket_id")]).fetchone()
    if found and db.execute("SELECT 1 FROM visitor_sessions WHERE visitor = ?", [found[0]]).fetchone():
        return found[0]
    return None
