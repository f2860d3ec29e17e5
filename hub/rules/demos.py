"""Live demo sessions: the program from CSV, bookings that never overfill a slot,
signed tickets, one admission per ticket, and no-shows released for walk-ins.

The program counts in the show's days (day 1, 2, 3 at HH:MM), not dates, so the same file serves any
show: it is laid out once, from the show's first day, when the hall first loads it."""
import json
import re
from datetime import date, datetime, time, timedelta

from . import claims, idempotency, tickets
from .csv_rows import CsvRows
from ..errors import HallError
from ..events import Event

COLUMNS = ("demo_id", "name", "name_en", "firm", "booth", "description", "description_en", "day", "time",
           "minutes", "capacity")
DEMO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
TIME_OF_DAY = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
MAX_DAYS = 31


def parse_program(text: str, timezone, first_day: date) -> list[dict]:
    """Slot rows from demos CSV text laid out from the show's `first_day`, or HallError('demos_invalid')
    naming each bad line."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "starts_at" in header and "day" not in header.split(","):
        # A program from before day numbers: say what to write instead of only "missing columns".
        problem = ("the program gives dates (starts_at); give the show's day (day: 1, 2, 3) and the time "
                   "(time: HH:MM) instead, as python config/make_demos.py writes them")
        raise HallError("demos_invalid", f"demo program not imported: line 1: {problem}",
                        errors=[{"line": 1, "problem": problem}])
    program = CsvRows(text, COLUMNS, code="demos_invalid", what="demo program")
    rows, demos, seen_slots = [], {}, set()
    for line, row in program:
        problems = []
        clean = {k: v.strip() for k, v in row.items()}
        if any(any(ord(ch) < 32 for ch in v) for v in clean.values()):
            problems.append("control characters")
        if not DEMO_ID.match(clean["demo_id"]):
            problems.append(f"demo_id {clean['demo_id']!r} must be 1-20 letters, digits, '_' or '-'")
        for column, limit in (("name", 80), ("name_en", 120), ("firm", 80), ("booth", 16), ("description", 400),
                              ("description_en", 400)):
            if len(clean[column]) > limit or (column in ("name", "firm", "booth") and not clean[column]):
                problems.append(f"{column} must be 1-{limit} characters")
        day = int(clean["day"]) if clean["day"].isdigit() else 0
        if not 1 <= day <= MAX_DAYS:
            problems.append(f"day {clean['day']!r} must be the show's day number, 1-{MAX_DAYS} (1 is the first day)")
        clock = TIME_OF_DAY.match(clean["time"])
        if not clock:
            problems.append(f"time {clean['time']!r} is not a time of day like 14:00")
        starts = None
        if day and clock and not problems:
            starts = datetime.combine(first_day + timedelta(days=day - 1),
                                      time(int(clock.group(1)), int(clock.group(2))), tzinfo=timezone)
        minutes = int(clean["minutes"]) if clean["minutes"].isdigit() else 0
        capacity = int(clean["capacity"]) if clean["capacity"].isdigit() else 0
        if not 5 <= minutes <= 480:
            problems.append("minutes must be 5-480")
        if not 1 <= capacity <= 1000:
            problems.append("capacity must be 1-1000")
        if not problems:
            identity = (clean["name"], clean["name_en"], clean["firm"], clean["booth"])
            if demos.setdefault(clean["demo_id"], (identity, line))[0] != identity:
                problems.append(f"demo {clean['demo_id']} is described differently on line "
                                f"{demos[clean['demo_id']][1]}")
            slot_id = f"{clean['demo_id']}-{starts:%m%d%H%M}"
            if slot_id in seen_slots:
                problems.append(f"slot {slot_id} (day {day} {clean['time']}) is listed twice")
            seen_slots.add(slot_id)
        for problem in problems:
            program.problem(line, problem)
        if not problems:
            rows.append({**clean, "slot_id": slot_id, "starts_at": starts, "minutes": minutes,
                         "capacity": capacity})
    program.refuse_if_any()
    return rows


def _fact(db, name: str) -> str | None:
    row = db.execute("SELECT value FROM hall_facts WHERE name = ?", [name]).fetchone()
    return row and row[0]


def show_first_day(db, *, configured: date | None, now):
    """The show's day 1: hall.toml's [show] first_day, else the day this hall was first started. That day
    is remembered in the hall's file, so a restart on a later day does not move the program."""
    db.execute("INSERT OR IGNORE INTO hall_facts (name, value) VALUES ('first_started', ?)",
               [now.date().isoformat()])
    return configured or date.fromisoformat(_fact(db, "first_started")), []


def program_first_day(db) -> date | None:
    """The show's day 1 the loaded program was laid out from (None before a program is loaded)."""
    value = _fact(db, "program_first_day")
    return date.fromisoformat(value) if value else None


def program_span(db, *, now) -> dict:
    """The loaded program at a glance, and whether it is over: a hall whose every session has ended can book
    nothing, and staff should hear so."""
    sessions, starts, ends = db.execute("SELECT count(*), min(starts_at), max(ends_at) FROM demo_slots").fetchone()
    first_day = program_first_day(db)
    return {"first_day": first_day and first_day.isoformat(), "sessions": sessions, "starts_at": starts,
            "ends_at": ends, "over": bool(sessions) and datetime.fromisoformat(ends) <= now}


def load_program(db, rows: list[dict], *, now, source: str, first_day: date | None = None):
    """Put the demo program into an empty hall; `first_day` is the show's day 1 it was laid out from."""
    if db.execute("SELECT count(*) FROM demo_slots").fetchone()[0]:
        raise HallError("demos_exist", "the hall already has a demo program")
    if first_day is not None:
        db.execute("INSERT OR REPLACE INTO hall_facts (name, value) VALUES ('program_first_day', ?)",
                   [first_day.isoformat()])
    for row in rows:
        db.execute("INSERT OR IGNORE INTO demos (demo_id, name, name_en, firm, booth, description, description_en)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [row["demo_id"], row["name"], row["name_en"], row["firm"], row["booth"], row["description"],
                    row["description_en"]])
        ends = row["starts_at"] + timedelta(minutes=row["minutes"])
        db.execute("INSERT INTO demo_slots (slot_id, demo_id, starts_at, ends_at, capacity, booked, checked_in)"
                   " VALUES (?, ?, ?, ?, ?, 0, 0)",
                   [row["slot_id"], row["demo_id"], row["starts_at"].isoformat(timespec="minutes"),
                    ends.isoformat(timespec="minutes"), row["capacity"]])
    demos = len({r["demo_id"] for r in rows})
    return {"demos": demos, "slots": len(rows)}, [Event("demos.loaded", {"source": source, "demos": demos,
                                                                         "slots": len(rows)})]


SLOT_FIELDS = ("slot_id", "demo_id", "starts_at", "ends_at", "capacity", "booked", "checked_in", "released_at")


def slot(db, slot_id: str) -> dict:
    row = db.execute(f"SELECT {', '.join(SLOT_FIELDS)} FROM demo_slots WHERE slot_id = ?", [slot_id]).fetchone()
    if row is None:
        raise HallError("unknown_slot", f"no demo slot {slot_id}")
    found = dict(zip(SLOT_FIELDS, row))
    found["available"] = found["capacity"] - found["booked"]
    return found


def slot_changed(db, slot_id: str) -> Event:
    current = slot(db, slot_id)
    return Event("slot.changed", {k: current[k] for k in ("slot_id", "demo_id", "capacity", "booked", "checked_in",
                                                          "available", "released_at")})


def demo(db, demo_id: str) -> dict:
    fields = ("demo_id", "name", "name_en", "firm", "booth", "description", "description_en")
    return dict(zip(fields, db.execute(f"SELECT {', '.join(fields)} FROM demos WHERE demo_id = ?",
                                       [demo_id]).fetchone()))


def program(db) -> list[dict]:
    """Every demo with its slots and places left, for the kiosk and the scanners."""
    demos = {d["demo_id"]: {**d, "slots": []} for d in (demo(db, row[0]) for row in
                                                           db.execute("SELECT demo_id FROM demos ORDER BY demo_id"))}
    for row in db.execute(f"SELECT {', '.join(SLOT_FIELDS)} FROM demo_slots ORDER BY starts_at, slot_id"):
        found = dict(zip(SLOT_FIELDS, row))
        found["available"] = found["capacity"] - found["booked"]
        demos[found["demo_id"]]["slots"].append(found)
    return list(demos.values())


def _window(found: dict, *, early_minutes: int, release_minutes: int) -> tuple[datetime, datetime]:
    starts = datetime.fromisoformat(found["starts_at"])
    return starts - timedelta(minutes=early_minutes), starts + timedelta(minutes=release_minutes)


def _by_code(db, code: str):
    """The ticket a typed code names. Tickets booked before ids and codes were one thing have a
    separate short code; either of their two still finds them."""
    return db.execute("SELECT ticket_id FROM demo_tickets WHERE ticket_id = ? OR short_code = ?",
                      [code, code]).fetchone()


def book(db, request: dict, *, device: str, now, key, max_party: int, early_minutes: int, release_minutes: int,
         limits=None, visitor: bool = False):
    """Book places in a slot, all or none, never past its capacity; returns the signed ticket."""
    earlier = idempotency.recall(db, "book", request["booking_id"], request)
    if earlier is not None:
        return earlier, []
    if not 1 <= request["party"] <= max_party:
        raise HallError("invalid", f"party size must be 1 to {max_party}", field="party")
    found = slot(db, request["slot_id"])
    if limits is not None:
        limits.check_booking(db, found["slot_id"], request["party"], device=device, now=now)
    valid_from, valid_until = _window(found, early_minutes=early_minutes, release_minutes=release_minutes)
    ends = datetime.fromisoformat(found["ends_at"])
    if now >= ends:
        raise HallError("slot_closed", "this session is over; choose a later one")
    if now >= valid_until:
        # A walk-in after the no-shows were released: the ticket is good until the session ends.
        valid_until = ends
    if request["party"] > found["available"]:
        raise HallError("slot_full", f"only {found['available']} places left", available=found["available"])
    # One code for the ticket everywhere: its id is what the kiosk shows, the paper prints, the door and
    # the staff screen list, and a person types. short_code stays in the answer (the same code) for screens
    # that read it.
    ticket_id = short_code = tickets.new_code(lambda code: _by_code(db, code) is not None)
    claim = tickets.TicketClaim(ticket_id, found["slot_id"], request["party"], int(valid_from.timestamp()),
                                int(valid_until.timestamp()))
    qr = tickets.sign(key, claim)
    db.execute("UPDATE demo_slots SET booked = booked + ? WHERE slot_id = ?", [request["party"], found["slot_id"]])
    db.execute("INSERT INTO demo_tickets (ticket_id, booking_id, slot_id, party, device, status, short_code, qr,"
               " created_at, valid_from, valid_until) VALUES (?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, ?)",
               [ticket_id, request["booking_id"], found["slot_id"], request["party"], device, short_code, qr,
                now.isoformat(timespec="milliseconds"), valid_from.isoformat(timespec="seconds"),
                valid_until.isoformat(timespec="seconds")])
    shown = demo(db, found["demo_id"])
    ticket = {"ticket_id": ticket_id, "short_code": short_code, "qr": qr, "slot_id": found["slot_id"],
              "party": request["party"], "starts_at": found["starts_at"], "ends_at": found["ends_at"],
              "valid_from": valid_from.isoformat(timespec="minutes"),
              "valid_until": valid_until.isoformat(timespec="minutes"),
              "demo": {k: shown[k] for k in ("demo_id", "name", "name_en", "firm", "booth")}}
    result = {"ticket": ticket}
    idempotency.remember(db, "book", request["booking_id"], request, result, now)
    booked = Event("ticket.booked", {k: ticket[k] for k in ("ticket_id", "slot_id", "party")} | {"device": device}
                   | ({"visitor": True} if visitor else {}))
    return result, [booked, slot_changed(db, found["slot_id"])]


TICKET_FIELDS = ("ticket_id", "booking_id", "slot_id", "party", "device", "status", "short_code", "created_at",
                 "checked_in_at", "door", "valid_from", "valid_until")


def _ticket(db, ticket_id: str) -> dict | None:
    row = db.execute(f"SELECT {', '.join(TICKET_FIELDS)} FROM demo_tickets WHERE ticket_id = ?",
                     [ticket_id]).fetchone()
    return None if row is None else dict(zip(TICKET_FIELDS, row))


def cancel(db, ticket_id: str, *, device: str, role: str, now):
    """Give a booking's places back. A kiosk cancels only what it booked: a ticket id is printed in its QR."""
    row = _by_code(db, tickets.typed(ticket_id))
    found = _ticket(db, row[0]) if row else None
    if found is None:
        raise HallError("unknown_ticket", f"no ticket {ticket_id}")
    if role in ("kiosk", "visitor") and found["device"] != device:
        raise HallError("forbidden", f"a {role} may cancel only the tickets it booked")
    ticket_id = found["ticket_id"]
    if found["status"] != "booked":
        raise HallError("ticket_not_cancellable", f"this ticket is {found['status'].replace('_', ' ')}")
    db.execute("UPDATE demo_tickets SET status = 'cancelled' WHERE ticket_id = ?", [ticket_id])
    db.execute("UPDATE demo_slots SET booked = booked - ? WHERE slot_id = ?", [found["party"], found["slot_id"]])
    cancelled = Event("ticket.cancelled", {"ticket_id": ticket_id, "slot_id": found["slot_id"], "by": device})
    return {"ticket_id": ticket_id, "status": "cancelled"}, [cancelled, slot_changed(db, found["slot_id"])]


def _answer(reason: str, found: dict | None = None, **extra) -> dict:
    answer = {"admitted": reason == "admitted", "reason": reason, **extra}
    if found:
        answer.update({"ticket_id": found["ticket_id"], "party": found["party"], "slot_id": found["slot_id"]})
    return answer


def check_in(db, request: dict, *, device: str, now, public_key, bounds=claims.DEFAULT_BOUNDS):
    """Admit a ticket once. Every scan gets an answer with a reason; an offline
    admission that collides with an earlier one is recorded as a conflict."""
    earlier = idempotency.recall(db, "check_in", request["scan_id"], request)
    if earlier is not None:
        return earlier, []
    # An offline door's clock is a claim: judged within bounds, never taken as it comes.
    scanned_at = claims.believed_or_refused(request["offline_at"], now, bounds, field="offline_at")
    door = request["door"] or device
    found = None
    code = request["code"]
    if code.startswith(tickets.PREFIX):
        try:
            found = _ticket(db, tickets.verify(public_key, code).ticket_id)
        except tickets.BadTicket:
            found = None
    else:
        row = _by_code(db, tickets.typed(code))
        found = _ticket(db, row[0]) if row else None
    events = []
    if found is None:
        answer = _answer("invalid")
    else:
        found_slot = slot(db, found["slot_id"])
        shown = demo(db, found_slot["demo_id"])
        valid_from = datetime.fromisoformat(found["valid_from"])
        valid_until = datetime.fromisoformat(found["valid_until"])
        context = {"demo": shown["name"], "demo_en": shown["name_en"], "booth": shown["booth"],
                   "starts_at": found_slot["starts_at"]}
        if request["booth"] and request["booth"] != shown["booth"]:
            answer = _answer("wrong_demo", found, **context)
        elif found["status"] == "cancelled":
            answer = _answer("cancelled", found, **context)
        elif found["status"] == "checked_in":
            answer = _answer("already_used", found, first_at=found["checked_in_at"], first_door=found["door"],
                             **context)
            if request["offline_at"]:
                # Two doors each admitted this ticket while cut off: say so, never merge it away.
                conflict = {"ticket_id": found["ticket_id"], "first_at": found["checked_in_at"],
                            "first_door": found["door"], "second_at": scanned_at.isoformat(timespec="seconds"),
                            "second_door": door, "party": found["party"], "slot_id": found["slot_id"]}
                db.execute("INSERT INTO checkin_conflicts (ticket_id, scan_id, data, at) VALUES (?, ?, ?, ?)",
                           [found["ticket_id"], request["scan_id"], json.dumps(conflict, ensure_ascii=False),
                            now.isoformat(timespec="milliseconds")])
                events.append(Event("checkin.conflict", conflict))
                answer["conflict"] = True
        elif found["status"] == "no_show" or scanned_at > valid_until:
            answer = _answer("too_late", found, **context)
        elif scanned_at < valid_from:
            answer = _answer("too_early", found, opens_at=valid_from.isoformat(timespec="minutes"), **context)
        else:
            stamp = scanned_at.isoformat(timespec="seconds")
            db.execute("UPDATE demo_tickets SET status = 'checked_in', checked_in_at = ?, door = ? WHERE ticket_id = ?",
                       [stamp, door, found["ticket_id"]])
            db.execute("UPDATE demo_slots SET checked_in = checked_in + ? WHERE slot_id = ?",
                       [found["party"], found["slot_id"]])
            answer = _answer("admitted", found, **context)
            events.append(Event("checkin.recorded", {"ticket_id": found["ticket_id"], "slot_id": found["slot_id"],
                                                     "party": found["party"], "at": stamp, "door": door}))
            events.append(slot_changed(db, found["slot_id"]))
    db.execute("INSERT INTO demo_scans (scan_id, ticket_id, door, at, reason, offline_at) VALUES (?, ?, ?, ?, ?, ?)",
               [request["scan_id"], found and found["ticket_id"], door, now.isoformat(timespec="milliseconds"),
                answer["reason"], request["offline_at"]])
    result = {"scan": answer}
    idempotency.remember(db, "check_in", request["scan_id"], request, result, now)
    return result, events


def release_no_shows(db, *, now, release_minutes: int):
    """Free the places of tickets not checked in by `release_minutes` after their slot started."""
    cutoff = (now - timedelta(minutes=release_minutes)).isoformat(timespec="minutes")
    due = [row[0] for row in db.execute(
        "SELECT slot_id FROM demo_slots WHERE released_at IS NULL AND starts_at <= ?", [cutoff])]
    events = []
    for slot_id in due:
        freed = db.execute("SELECT coalesce(sum(party), 0), count(*) FROM demo_tickets"
                           " WHERE slot_id = ? AND status = 'booked'", [slot_id]).fetchone()
        db.execute("UPDATE demo_tickets SET status = 'no_show' WHERE slot_id = ? AND status = 'booked'", [slot_id])
        db.execute("UPDATE demo_slots SET booked = booked - ?, released_at = ? WHERE slot_id = ?",
                   [freed[0], now.isoformat(timespec="minutes"), slot_id])
        events.append(Event("slot.released", {"slot_id": slot_id, "places": freed[0], "tickets": freed[1]}))
        events.append(slot_changed(db, slot_id))
    return {"released": due}, events


def conflicts(db) -> list[dict]:
    return [json.loads(row[0]) | {"at": row[1]} for row in
            db.execute("SELECT data, at FROM checkin_conflicts ORDER BY at DESC")]
