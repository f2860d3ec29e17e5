"""Sales and orders that print: the change and its print job in one transaction.

A retried sale (no new events) queues nothing, so a receipt is never printed
twice by a terminal that lost its ack; a station with no printer still sells.
"""
from printers import spool

from . import checkout, demos, inventory, refunds, shifts


def receipt_hall(hall: dict) -> dict:
    """The seller's identity as a receipt prints it."""
    return {"name": hall["name"], "business_no": hall["business_no"], "representative": hall["representative"],
            "address": hall["address"], "phone": hall["phone"], "footer": hall.get("receipt_footer", "")}


def receipt_sale(sale: dict) -> dict:
    return {**sale, "terminal": sale["device"], "cashier": sale.get("cashier") or "-"}


def sell(db, request: dict, *, device: str, now, tax_rate: int, printer: str | None, hall: dict):
    """checkout.checkout, then the receipt job on the terminal's printer."""
    result, events = checkout.checkout(db, request, device=device, now=now, tax_rate=tax_rate)
    if events and printer:
        sale = result["sale"]
        events.append(spool.enqueue(db, printer=printer, kind="receipt", ref=sale["receipt_no"], now=now,
                                    document={"hall": receipt_hall(hall), "sale": receipt_sale(sale)}))
    return result, events


def hold(db, request: dict, *, device: str, now, hold_seconds: int, printer: str | None, hall: dict):
    """inventory.place_hold, then the order slip on the kiosk's printer."""
    result, events = inventory.place_hold(db, request, device=device, now=now, hold_seconds=hold_seconds)
    if events and printer:
        placed = result["hold"]
        events.append(spool.enqueue(db, printer=printer, kind="order_slip", ref=placed["code"], now=now,
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
        events.append(spool.enqueue(db, printer=printer, kind="receipt", ref=done["receipt_no"], now=now,
                                    document={"hall": receipt_hall(hall), "sale": sale, "refund": True}))
    return result, events


def close_shift(db, request: dict, *, device: str, now, printer: str | None, hall: dict):
    """shifts.close_shift, then the Z report on the till's printer."""
    result, events = shifts.close_shift(db, request, device=device, now=now)
    if events and printer:
        report = result["report"]
        events.append(spool.enqueue(db, printer=printer, kind="shift_report", ref=report["shift_id"], now=now,
                                    document={"hall": receipt_hall(hall), "report": report}))
    return result, events


def book(db, request: dict, *, device: str, now, printer: str | None, hall: dict, **rules):
    """demos.book, then the ticket on the kiosk's printer."""
    result, events = demos.book(db, request, device=device, now=now, **rules)
    if events and printer:
        ticket = result["ticket"]
        document = {"demo_name": ticket["demo"]["name"], "demo_name_en": ticket["demo"]["name_en"],
                    "booth": ticket["demo"]["booth"], "slot_start": ticket["starts_at"],
                    "slot_end": ticket["ends_at"], "party_size": ticket["party"], "qr_payload": ticket["qr"],
                    "short_code": ticket["short_code"]}
        events.append(spool.enqueue(db, printer=printer, kind="demo_ticket", ref=ticket["ticket_id"], now=now,
                                    document={"hall": receipt_hall(hall), "ticket": document}))
    return result, events
