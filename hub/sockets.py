"""Socket.IO handlers: authenticate, check the role, parse, call the domain, answer.

Every command is registered in COMMANDS with the roles that may send it; the
protocol document is tested against this table.
"""
import logging

from flask import request
from flask_socketio import join_room

from printers import spool

from . import (alerts, cashiers, catalog, demos, devices, feedback, inventory, printing, refunds, replays,
               reports, requests, shifts, staff)
from .errors import HallError

log = logging.getLogger(__name__)

COMMANDS: dict[str, dict] = {}


def command(name: str, roles: set[str], *, signed_in: bool = False):
    """Register a command for `roles`; `signed_in`: on a staff screen, only with a person signed in."""
    def register(handler):
        COMMANDS[name] = {"roles": frozenset(roles), "handler": handler, "signed_in": signed_in}
        return handler
    return register


def actor(device: dict) -> str:
    """Who did it, for the record: the signed-in person at a staff screen, else the device."""
    return f"{device['person']}@{device['name']}" if device.get("person") else device["name"]


@command("catalog", {"kiosk", "pos", "staff", "scanner"})
def _catalog(hall, device, payload):
    seq, products = hall.snapshot(lambda db: catalog.list_products(db))
    return {"seq": seq, "products": products}


@command("sync", {"kiosk", "pos", "staff", "scanner"})
def _sync(hall, device, payload):
    args = requests.sync(payload)
    head = hall.store.head()
    events = hall.store.events_since(args["since"], role=device["role"], limit=args["limit"])
    more = len(events) == args["limit"]
    # With `more`, the client asks again from the last seq it was given.
    seq = events[-1]["seq"] if more else head
    return {"seq": seq, "more": more,
            "events": [{"seq": e["seq"], "type": e["type"], "data": e["data"], "at": e["at"]} for e in events]}


@command("hold", {"kiosk", "pos"})
def _hold(hall, device, payload):
    request_ = requests.hold(payload)
    result, _ = hall.write(printing.hold, request_, device=device["name"], hold_seconds=hall.config.hold_seconds,
                           # A slip is for a visitor walking to a cashier; a till that parks a sale needs none.
                           printer=hall.printer_for(device["name"]) if device["role"] == "kiosk" else None,
                           hall=hall.config.hall)
    return result


@command("hold_release", {"kiosk", "pos", "staff"})
def _hold_release(hall, device, payload):
    code = requests.hold_code(payload)
    result, _ = hall.write(inventory.release_hold, code, device=device["name"], role=device["role"])
    return result


@command("hold_lookup", {"pos", "staff"})
def _hold_lookup(hall, device, payload):
    code = requests.hold_code(payload)
    return {"hold": inventory.find_hold(hall.store.read_db, code)}


@command("checkout", {"pos"})
def _checkout(hall, device, payload):
    request_ = requests.checkout(payload)
    try:
        result, _ = hall.write(printing.sell, request_, device=device["name"], tax_rate=hall.config.tax_rate,
                               printer=hall.printer_for(device["name"]), hall=hall.config.hall)
    except HallError as refused:
        if request_["offline_at"] and refused.code not in ("id_reused",):
            # The buyer has gone home with the goods: keep the sale in view, never drop it.
            hall.write(replays.record, request_, refused, device=device["name"])
        raise
    return result


def _refuse_if(result: dict) -> dict:
    """Commands that count a wrong PIN commit the count, then refuse."""
    if "refused" in result:
        raise result["refused"]
    return result


@command("login", {"pos"})
def _login(hall, device, payload):
    request_ = requests.login(payload)
    result, _ = hall.write(cashiers.login, request_["cashier_id"], request_["pin"], device=device["name"])
    return _refuse_if(result)


@command("cashiers", {"pos", "staff"})
def _cashiers(hall, device, payload):
    return {"cashiers": cashiers.listing(hall.store.read_db)}


@command("cashier_save", {"staff"}, signed_in=True)
def _cashier_save(hall, device, payload):
    payload = requests.mapping(payload)
    pin = cashiers.check_pin(payload.get("pin"))
    result, _ = hall.write(cashiers.upsert, cashiers.check_id(payload.get("cashier_id")), payload.get("name"),
                           cashiers.hash_pin(pin), supervisor=payload.get("supervisor") is True, by=actor(device))
    return result


@command("shift_open", {"pos"})
def _shift_open(hall, device, payload):
    result, _ = hall.write(shifts.open_shift, requests.shift_open(payload), device=device["name"])
    return result


@command("shift_close", {"pos"})
def _shift_close(hall, device, payload):
    result, _ = hall.write(printing.close_shift, requests.shift_close(payload), device=device["name"],
                           printer=hall.printer_for(device["name"]), hall=hall.config.hall)
    return result


@command("shift_report", {"pos", "staff"})
def _shift_report(hall, device, payload):
    shift_id = requests.client_id(requests.mapping(payload).get("shift_id"), "shift_id")
    return {"report": shifts.report(hall.store.read_db, shift_id)}


@command("sale_lookup", {"pos", "staff"})
def _sale_lookup(hall, device, payload):
    return {"sale": refunds.find_sale(hall.store.read_db, requests.receipt_no(payload))}


def _refund_command(hall, device, payload, *, void: bool):
    result, _ = hall.write(printing.refund, requests.refund(payload, void=void), device=device["name"],
                           tax_rate=hall.config.tax_rate, approval_over=hall.config.refund_approval_over,
                           void=void, printer=hall.printer_for(device["name"]), hall=hall.config.hall)
    return _refuse_if(result)


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


@command("restock", {"staff"}, signed_in=True)
def _restock(hall, device, payload):
    result, _ = hall.write(inventory.restock, requests.restock(payload), device=actor(device))
    return result


@command("adjust", {"staff"}, signed_in=True)
def _adjust(hall, device, payload):
    result, _ = hall.write(inventory.adjust, requests.adjust(payload), device=actor(device))
    return result


@command("reprint", {"pos", "staff"}, signed_in=True)
def _reprint(hall, device, payload):
    result, _ = hall.write(spool.reprint, requests.reprint(payload), printer=hall.printer_for(device["name"]))
    return result


@command("print_jobs", {"staff"})
def _print_jobs(hall, device, payload):
    printer = requests.optional_name(payload, "printer")
    db = hall.store.read_db
    states = {row[0]: {"status": row[1], "detail": row[2], "changed_at": row[3]}
              for row in db.execute("SELECT printer, status, detail, changed_at FROM printer_states")}
    printers = [{"printer": name, **states.get(name, {"status": "unknown", "detail": "", "changed_at": None}),
                 "queued": db.execute("SELECT count(*) FROM print_jobs WHERE printer = ? AND state = 'queued'",
                                      [name]).fetchone()[0]}
                for name in hall.printers]
    return {"printers": printers, "jobs": spool.queue(db, printer)}


@command("feedback", {"kiosk"})
def _feedback(hall, device, payload):
    result, _ = hall.write(feedback.record, feedback.parse(payload), device=device["name"])
    return result


@command("feedback_list", {"staff"})
def _feedback_list(hall, device, payload):
    db = hall.store.read_db
    return {"feedback": feedback.newest(db), "daily": feedback.daily_average(db)}


@command("staff_login", {"staff"})
def _staff_login(hall, device, payload):
    payload = requests.mapping(payload)
    name = staff.check_name(payload.get("name"))
    password = payload.get("password")
    if not isinstance(password, str) or len(password) > 128:
        raise HallError("invalid", "password must be a string", field="password")
    result, _ = hall.write(staff.sign_in, name, password, device=device["name"])
    _refuse_if(result)
    hall.connections.get(request.sid)["person"] = name
    return result


@command("staff_logout", {"staff"})
def _staff_logout(hall, device, payload):
    hall.connections.get(request.sid).pop("person", None)
    return {}


@command("devices", {"staff"})
def _devices(hall, device, payload):
    online = hall.connections.online()
    rows = hall.store.read_db.execute("SELECT name, role, created_at, revoked_at FROM devices ORDER BY role, name")
    return {"devices": [{"name": n, "role": r, "created_at": c, "revoked_at": rv, "online": n in online,
                         "last_seen": hall.connections.last_seen.get(n),
                         "printer": hall.printer_for(n)} for n, r, c, rv in rows]}


@command("device_revoke", {"staff"}, signed_in=True)
def _device_revoke(hall, device, payload):
    name = requests.text(requests.mapping(payload).get("name"), "name", max_len=40)
    result, _ = hall.write(devices.revoke, name)
    return result


@command("pair_create", {"staff"}, signed_in=True)
def _pair_create(hall, device, payload):
    payload = requests.mapping(payload)
    result, _ = hall.write(devices.create_pairing, payload.get("role"), payload.get("name"))
    return result


@command("sales_report", {"staff"})
def _sales_report(hall, device, payload):
    day = hall.clock().date().isoformat()

    def read(db):
        return {"day": day, "today": reports.totals(db, day=day), "show": reports.totals(db),
                "hourly": reports.hourly(db), "firms": reports.firms(db, tax_rate=hall.config.tax_rate),
                "top": reports.top_products(db)}
    seq, report = hall.snapshot(read)
    return {"seq": seq, **report}


@command("product_history", {"staff"})
def _product_history(hall, device, payload):
    sku = requests.text(requests.mapping(payload).get("sku"), "sku", max_len=40)
    inventory.product(hall.store.read_db, sku)
    return {"sku": sku, "events": reports.product_history(hall.store.read_db, sku)}


@command("set_low_stock", {"staff"}, signed_in=True)
def _set_low_stock(hall, device, payload):
    payload = requests.mapping(payload)
    sku = requests.text(payload.get("sku"), "sku", max_len=40)
    threshold = payload.get("threshold")
    if threshold is not None:
        threshold = requests.integer(threshold, "threshold", low=0, high=100_000)
    result, _ = hall.write(alerts.set_low_stock, sku, threshold, by=actor(device))
    return result


@command("alerts", {"staff"})
def _alerts(hall, device, payload):
    open_only = requests.mapping(payload).get("open_only") is True
    return {"alerts": alerts.listing(hall.store.read_db, open_only=open_only)}


@command("alert_ack", {"staff"}, signed_in=True)
def _alert_ack(hall, device, payload):
    alert_id = requests.integer(requests.mapping(payload).get("alert_id"), "alert_id", low=1, high=2**62)
    result, _ = hall.write(alerts.acknowledge, alert_id, by=actor(device))
    return result


@command("replay_resolve", {"staff"}, signed_in=True)
def _replay_resolve(hall, device, payload):
    payload = requests.mapping(payload)
    sale_id = requests.client_id(payload.get("sale_id"), "sale_id")
    note = requests.text(payload.get("note"), "note")
    result, _ = hall.write(replays.resolve, sale_id, note, by=actor(device))
    return result


@command("demos", {"kiosk", "pos", "staff", "scanner"})
def _demos(hall, device, payload):
    seq, listed = hall.snapshot(demos.program)
    return {"seq": seq, "demos": listed}


@command("book", {"kiosk", "staff"}, signed_in=True)
def _book(hall, device, payload):
    rules = hall.config.demos
    result, _ = hall.write(printing.book, requests.book(payload), device=actor(device), key=hall.ticket_key,
                           max_party=rules["max_party"], early_minutes=rules["early_minutes"],
                           release_minutes=rules["release_minutes"],
                           printer=hall.printer_for(device["name"]) if device["role"] == "kiosk" else None,
                           hall=hall.config.hall)
    return result


@command("ticket_cancel", {"kiosk", "staff"}, signed_in=True)
def _ticket_cancel(hall, device, payload):
    ticket_id = requests.text(requests.mapping(payload).get("ticket_id"), "ticket_id", max_len=20)
    result, _ = hall.write(demos.cancel, ticket_id, device=actor(device))
    return result


@command("check_in", {"scanner", "staff"}, signed_in=True)
def _check_in(hall, device, payload):
    result, _ = hall.write(demos.check_in, requests.check_in(payload), device=actor(device),
                           public_key=hall.ticket_key.public_key())
    return result


@command("checkin_conflicts", {"staff", "scanner"})
def _checkin_conflicts(hall, device, payload):
    return {"conflicts": demos.conflicts(hall.store.read_db)}


def _answer(hall, name: str, payload) -> dict:
    device = hall.connections.get(request.sid)
    if device is None:
        return HallError("unauthorized", "this connection is not signed in").to_ack()
    hall.connections.seen(request.sid)
    spec = COMMANDS[name]
    if device["role"] not in spec["roles"]:
        return HallError("forbidden", f"a {device['role']} may not send {name}").to_ack()
    if spec["signed_in"] and device["role"] == "staff" and not device.get("person"):
        return HallError("sign_in_required", "sign in with your staff name and password first").to_ack()
    try:
        return {"ok": True, **spec["handler"](hall, device, payload)}
    except HallError as refused:
        return refused.to_ack()
    except Exception:
        log.exception("command %s from %s failed", name, device["name"])
        return HallError("internal", "the hub could not do this; nothing was changed").to_ack()


def init_sockets(socketio, hall) -> None:
    @socketio.on("connect")
    def connect(auth):
        token = auth.get("token") if isinstance(auth, dict) else None
        device = devices.authenticate(hall.store.read_db, token)
        if device is None:
            raise ConnectionRefusedError("unauthorized")
        hall.connections.add(request.sid, device)
        join_room(f"role:{device['role']}")
        join_room(f"device:{device['name']}")

    @socketio.on("disconnect")
    def on_disconnect(reason=None):
        hall.connections.remove(request.sid)

    for name in COMMANDS:
        socketio.on_event(name, _bind(hall, name))


def _bind(hall, name):
    def handler(payload=None):
        return _answer(hall, name, payload)
    handler.__name__ = f"command_{name}"
    return handler
