"""Commands for the people at the tills: sign-in, shifts, the cashier list and the shelf of best sellers."""
from ...rules import cashiers, printing, reports, shifts, sign_ins
from .. import payloads
from ..registry import actor, command, refuse_if


@command("login", {"pos"})
def _login(hall, device, payload):
    request_ = payloads.login(payload)
    result, _ = hall.write(cashiers.login, request_["cashier_id"], request_["pin"], device=device["name"])
    return refuse_if(result)


@command("logout", {"pos"})
def _logout(hall, device, payload):
    result, _ = hall.write(sign_ins.end, payloads.sign_in(payloads.mapping(payload)), device=device["name"])
    return result


@command("cashiers", {"pos", "staff"})
def _cashiers(hall, device, payload):
    till = device["name"] if device["role"] == "pos" else None
    return {"cashiers": cashiers.listing(hall.store.read_db, device=till, now=hall.clock())}


@command("cashier_unlock", {"pos"})
def _cashier_unlock(hall, device, payload):
    result, _ = hall.write(cashiers.supervisor_unlock, payloads.cashier_unlock(payload), device=device["name"])
    return refuse_if(result)


@command("cashier_save", {"staff"})
def _cashier_save(hall, device, payload):
    request_ = payloads.cashier_save(payload)
    pin = cashiers.check_pin(request_["pin"])
    result, _ = hall.write(cashiers.upsert, cashiers.check_id(request_["cashier_id"]), request_["name"],
                           cashiers.hash_pin(pin), supervisor=request_["supervisor"], by=actor(device))
    return result


@command("shift_open", {"pos"})
def _shift_open(hall, device, payload):
    result, _ = hall.write(shifts.open_shift, payloads.shift_open(payload), device=device["name"],
                           bounds=hall.config.time_bounds)
    return result


@command("shift_close", {"pos"})
def _shift_close(hall, device, payload):
    result, _ = hall.write(printing.close_shift, payloads.shift_close(payload), device=device["name"],
                           printer=hall.printer_for(device["name"]), hall=hall.config.hall,
                           bounds=hall.config.time_bounds)
    return result


@command("shift_report", {"pos", "staff"})
def _shift_report(hall, device, payload):
    shift_id = payloads.shift_report(payload)
    till = device["name"] if device["role"] == "pos" else None
    return {"report": shifts.report(hall.store.read_db, shift_id, till=till)}


@command("best_sellers", {"pos"})
def _best_sellers(hall, device, payload):
    limit = payloads.best_sellers(payload)
    # Only skus and units: the till has the catalog, with prices and live stock.
    return {"products": reports.best_sellers(hall.store.read_db, limit)}
