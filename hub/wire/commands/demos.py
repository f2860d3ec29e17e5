"""Commands for live demo sessions: the program, booking, cancelling, the door."""
from ...rules import demos, printing
from .. import payloads
from ..registry import actor, command


@command("demos", {"kiosk", "pos", "staff", "scanner", "visitor"}, signed_in=False)
def _demos(hall, device, payload):
    seq, listed = hall.snapshot(demos.program)
    return {"seq": seq, "demos": listed}


@command("book", {"kiosk", "staff", "visitor"})
def _book(hall, device, payload):
    rules = hall.config.demos
    role = device["role"]
    limits = {"kiosk": hall.config.kiosk_limits, "visitor": hall.visitor_limits}.get(role)
    result, _ = hall.write(printing.book, payloads.book(payload), device=actor(device), key=hall.ticket_key,
                           max_party=rules["max_party"], early_minutes=rules["early_minutes"],
                           release_minutes=rules["release_minutes"],
                           printer=hall.printer_for(device["name"]) if role == "kiosk" else None,
                           hall=hall.config.hall, limits=limits, visitor=role == "visitor")
    return result


@command("ticket_cancel", {"kiosk", "staff", "visitor"})
def _ticket_cancel(hall, device, payload):
    ticket_id = payloads.ticket_cancel(payload)
    result, _ = hall.write(demos.cancel, ticket_id, device=actor(device), role=device["role"])
    return result


@command("check_in", {"scanner", "staff"})
def _check_in(hall, device, payload):
    result, _ = hall.write(demos.check_in, payloads.check_in(payload), device=actor(device),
                           public_key=hall.ticket_public_key, bounds=hall.config.time_bounds)
    return result


@command("checkin_conflicts", {"staff", "scanner"})
def _checkin_conflicts(hall, device, payload):
    return {"conflicts": demos.conflicts(hall.store.read_db)}
