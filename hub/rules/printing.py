"""Sales and orders that print: the change and its print job in one transaction.

A retried sale (no new events) queues nothing, so a receipt is never printed
twice by a terminal that lost its ack; a station with no printer still sells.

The spool (printers/) stands on its own; this module is where its job events
become the hall's events and its refusals the hall's errors, so the rest of the
hub goes through here and never speaks the spool's own types.
"""
from contextlib import contextmanager
from functools import wraps

from printers import spool

from ..errors import HallError
from ..events import Event
from . import checkout, claims, days, demos, inventory, refunds, shifts

# Reads that change nothing and refuse nothing pass straight through.
head_of_queue = spool.head_of_queue
queue = spool.queue
layout_of = spool.layout_of


def _hall_event(job_event: spool.JobEvent) -> Event:
    return Event(job_event.type, job_event.data)


@contextmanager
def _refused_in_hall_terms():
    try:
        yield
    except spool.SpoolError as refused:
        raise HallError(refused.code, refused.message) from None


def _in_hall_terms(action):
    """A spool step that answers with the hall's events and raises the hall's error."""
    @wraps(action)
    def step(db, *args, **kwargs):
        with _refused_in_hall_terms():
            result, job_events = action(db, *args, **kwargs)
        return result, [_hall_event(e) for e in job_events]
    return step


mark_printed = _in_hall_terms(spool.mark_printed)
mark_failed = _in_hall_terms(spool.mark_failed)
set_printer_status = _in_hall_terms(spool.set_printer_status)
_reprint = _in_hall_terms(spool.reprint)


def reprint(db, request: dict, *, printer: str | None, now, station_only: bool = False):
    """A reprint, marked as one. A till (`station_only`) reprints any receipt by its number (a buyer may come
    to another counter), but a job by its id only from its own printer: not another till's Z report."""
    if station_only and request.get("job_id") and get_job(db, request["job_id"])["printer"] != printer:
        raise HallError("forbidden", "a till reprints a receipt by its number, or a job of its own printer")
    return _reprint(db, request, printer=printer, now=now)


def printer_states(db, names) -> list[dict]:
    """Each printer's last known state and its queue: how many jobs wait, and since when the oldest has."""
    states = {row[0]: {"status": row[1], "detail": row[2], "changed_at": row[3]}
              for row in db.execute("SELECT printer, status, detail, changed_at FROM printer_states")}
    listed = []
    for name in names:
        queued, oldest = db.execute("SELECT count(*), min(created_at) FROM print_jobs WHERE printer = ?"
                                    " AND state = 'queued'", [name]).fetchone()
        listed.append({"printer": name, **states.get(name, {"status": "unknown", "detail": "", "changed_at": None}),
                       "queued": queued, "oldest_queued_at": oldest})
    return listed


def get_job(db, job_id: str) -> dict:
    with _refused_in_hall_terms():
        return spool.get_job(db, job_id)


def enqueue(db, **job) -> Event:
    return _hall_event(spool.enqueue(db, **job))


def receipt_hall(hall: dict) -> dict:
    """The seller's identity as a receipt prints it."""
    return {"name": hall["name"], "business_no": hall["business_no"], "representative": hall["representative"],
            "address": hall["address"], "phone": hall["phone"], "footer": hall.get("receipt_footer", "")}


def receipt_sale(sale: dict) -> dict:
    return {**sale, "terminal": sale["device"], "cashier": sale.get("cashier") or "-"}


def sell(db, request: dict, *, device: str, now, tax_rate: int, printer: str | None, hall: dict,
         bounds=claims.DEFAULT_BOUNDS):
    """checkout.checkout, then the receipt job on the terminal's printer."""
    result, events = checkout.checkout(db, request, device=device, now=now, tax_rate=tax_rate, bounds=bounds)
    if events and printer:
        sale = result["sale"]
        events.append(enqueue(db, printer=printer, kind="receipt", ref=sale["receipt_no"], now=now,
                                    document={"hall": receipt_hall(hall), "sale": receipt_sale(sale)}))
    return result, events


def hold(db, request: dict, *, device: str, now, hold_seconds: int, printer: str | None, hall: dict,
         limits=None, visitor: bool = False):
    """inventory.place_hold, then the order slip on the kiosk's printer (a phone has none: it shows the code)."""
    result, events = inventory.place_hold(db, request, device=device, now=now, hold_seconds=hold_seconds,
                                          limits=limits, visitor=visitor)
    if events and printer:
        placed = result["hold"]
        events.append(enqueue(db, printer=printer, kind="order_slip", ref=placed["code"], now=now,
                                    document={"hall": receipt_hall(hall), "hold": placed}))
    return result, events


def refund(db, request: dict, *, device: str, now, tax_rate: int, approval_over: int, void: bool,
           printer: str | None, hall: dict):
    """refunds.refund, then the refund receipt (환불 영수증) on the till's printer."""
    result, events = refunds.refund(db, request, device=device, now=now, tax_rate=tax_rate,
                                    approval_over=approval_over, void=void)
    if printer and "refund" in result and any(e.type == "refund.completed" for e in events):
        done = result["refund"]
        sale = {**done, "terminal": device, "cashier": done.get("cashier") or "-", "change": 0}
        events.append(enqueue(db, printer=printer, kind="receipt", ref=done["receipt_no"], now=now,
                                    document={"hall": receipt_hall(hall), "sale": sale, "refund": True}))
    return result, events


def close_shift(db, request: dict, *, device: str, now, printer: str | None, hall: dict,
                bounds=claims.DEFAULT_BOUNDS):
    """shifts.close_shift, then the Z report on the till's printer."""
    result, events = shifts.close_shift(db, request, device=device, now=now, bounds=bounds)
    if events and printer:
        report = result["report"]
        events.append(enqueue(db, printer=printer, kind="shift_report", ref=report["shift_id"], now=now,
                                    document={"hall": receipt_hall(hall), "report": report}))
    return result, events


def close_day(db, day: str, *, by: str, now, tax_rate: int, printer: str | None, hall: dict):
    """days.close, then the day report on the staff station's printer."""
    result, events = days.close(db, day, by=by, now=now, tax_rate=tax_rate)
    if printer:
        events.append(enqueue(db, printer=printer, kind="day_report", ref=day, now=now,
                              document={"hall": receipt_hall(hall), "report": result["report"]}))
    return result, events


def book(db, request: dict, *, device: str, now, printer: str | None, hall: dict, **rules):
    """demos.book, then the ticket on the kiosk's printer."""
    result, events = demos.book(db, request, device=device, now=now, **rules)
    if events and printer:
        ticket = result["ticket"]
        document = {"demo_name": ticket["demo"]["name"], "demo_name_en": ticket["demo"]["name_en"],
                    "booth": ticket["demo"]["booth"], "slot_start": ticket["starts_at"],
                    "slot_end": ticket["ends_at"], "party_size": ticket["party"], "qr_payload": ticket["qr"],
                    "code": ticket["ticket_id"]}
        events.append(enqueue(db, printer=printer, kind="demo_ticket", ref=ticket["ticket_id"], now=now,
                                    document={"hall": receipt_hall(hall), "ticket": document}))
    return result, events
