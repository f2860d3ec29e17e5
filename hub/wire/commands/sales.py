"""Commands at the counters and kiosks: the catalog, catching up, holds, sales, refunds."""
from ...rules import catalog, inventory, printing, refunds, replays
from .. import payloads
from ...errors import HallError
from ..registry import command, refuse_if


@command("catalog", {"kiosk", "pos", "staff", "scanner"}, signed_in=False)
def _catalog(hall, device, payload):
    seq, products = hall.snapshot(lambda db: catalog.list_products(db))
    return {"seq": seq, "products": products}


@command("sync", {"kiosk", "pos", "staff", "scanner"}, signed_in=False)
def _sync(hall, device, payload):
    args = payloads.sync(payload)
    head = hall.store.head()
    events = hall.store.events_since(args["since"], role=device["role"], limit=args["limit"])
    more = len(events) == args["limit"]
    # With `more`, the client asks again from the last seq it was given.
    seq = events[-1]["seq"] if more else head
    answer = {"seq": seq, "more": more, "record": hall.record,
              "events": [{"seq": e["seq"], "type": e["type"], "data": e["data"], "at": e["at"]} for e in events]}
    if hall.place.several:
        answer["processes"] = list(hall.place.ports)  # where to go when this process cannot be reached
    return answer


@command("hold", {"kiosk", "pos", "visitor"})
def _hold(hall, device, payload):
    request_ = payloads.hold(payload)
    role = device["role"]
    limits = {"kiosk": hall.config.kiosk_limits, "visitor": hall.visitor_limits}.get(role)
    result, _ = hall.write(printing.hold, request_, device=device["name"], hold_seconds=hall.config.hold_seconds,
                           # A slip is for a visitor walking to a cashier from a kiosk; a till that parks a sale
                           # needs none, and a phone shows its code and QR itself.
                           printer=hall.printer_for(device["name"]) if role == "kiosk" else None,
                           hall=hall.config.hall, limits=limits, visitor=role == "visitor")
    return result


@command("hold_release", {"kiosk", "pos", "staff", "visitor"})
def _hold_release(hall, device, payload):
    code = payloads.hold_code(payload)
    result, _ = hall.write(inventory.release_hold, code, device=device["name"], role=device["role"])
    return result


@command("hold_lookup", {"pos", "staff"})
def _hold_lookup(hall, device, payload):
    code = payloads.hold_code(payload)
    return {"hold": inventory.find_hold(hall.store.read_db, code)}


@command("checkout", {"pos"})
def _checkout(hall, device, payload):
    request_ = payloads.checkout(payload)
    try:
        result, _ = hall.write(printing.sell, request_, device=device["name"], tax_rate=hall.config.tax_rate,
                               printer=hall.printer_for(device["name"]), hall=hall.config.hall,
                               bounds=hall.config.time_bounds)
    except HallError as refused:
        if request_["offline_at"] and refused.code not in ("id_reused",):
            # The buyer has gone home with the goods: keep the sale in view, never drop it.
            hall.write(replays.record, request_, refused, device=device["name"])
        raise
    return result


@command("sale_lookup", {"pos", "staff"})
def _sale_lookup(hall, device, payload):
    return {"sale": refunds.find_sale(hall.store.read_db, payloads.receipt_no(payload))}


def _refund_command(hall, device, payload, *, void: bool):
    result, _ = hall.write(printing.refund, payloads.refund(payload, void=void), device=device["name"],
                           tax_rate=hall.config.tax_rate, approval_over=hall.config.refund_approval_over,
                           void=void, printer=hall.printer_for(device["name"]), hall=hall.config.hall)
    return refuse_if(result)


@command("refund", {"pos"})
def _refund(hall, device, payload):
    return _refund_command(hall, device, payload, void=False)


@command("void", {"pos"})
def _void(hall, device, payload):
    return _refund_command(hall, device, payload, void=True)


@command("replay_failures", {"pos", "staff"})
def _replay_failures(hall, device, payload):
    failures = replays.listing(hall.store.read_db)
    if device["role"] == "pos":
        failures = [f for f in failures if f["device"] == device["name"]]
    return {"failures": failures}


@command("reprint", {"pos", "staff"})
def _reprint(hall, device, payload):
    result, _ = hall.write(printing.reprint, payloads.reprint(payload), printer=hall.printer_for(device["name"]),
                           station_only=device["role"] == "pos")
    return result


@command("print_jobs", {"staff"})
def _print_jobs(hall, device, payload):
    printer = payloads.optional_name(payload, "printer")
    db = hall.store.read_db
    return {"printers": printing.printer_states(db, hall.printers), "jobs": printing.queue(db, printer)}
