"""Commands of the staff screen: stock corrections, people, devices, reports, alerts, feedback."""
from ...rules import (alerts, cashiers, days, devices, discrepancies, feedback, inventory, printing, replays,
                      reports, sessions, staff)
from .. import payloads
from ...errors import HallError
from ..registry import actor, command, refuse_if


@command("restock", {"staff"})
def _restock(hall, device, payload):
    result, _ = hall.write(inventory.restock, payloads.restock(payload), device=actor(device))
    return result


@command("adjust", {"staff"})
def _adjust(hall, device, payload):
    result, _ = hall.write(inventory.adjust, payloads.adjust(payload), device=actor(device))
    return result


@command("feedback", {"kiosk"})
def _feedback(hall, device, payload):
    result, _ = hall.write(feedback.record, payloads.feedback(payload), device=device["name"])
    return result


@command("feedback_list", {"staff"})
def _feedback_list(hall, device, payload):
    db = hall.store.read_db
    return {"feedback": feedback.newest(db), "daily": feedback.daily_average(db)}


@command("staff_login", {"staff"}, signed_in=False)
def _staff_login(hall, device, payload):
    payload = payloads.mapping(payload)
    name = staff.check_name(payload.get("name"))
    password = payload.get("password")
    if not isinstance(password, str) or len(password) > 128:
        raise HallError("invalid", "password must be a string", field="password")
    result, _ = hall.write(staff.sign_in, name, password, device=device["name"], replaces=device.get("session"))
    refuse_if(result)
    device["person"] = name
    device["session"] = result["session_key"]
    return {key: value for key, value in result.items() if key != "session_key"}


@command("staff_resume", {"staff"}, signed_in=False)
def _staff_resume(hall, device, payload):
    token = payloads.mapping(payload).get("token")
    result, _ = sessions.resume(hall.store.read_db, token, device=device["name"], now=hall.clock())
    device["person"] = result["staff"]["name"]
    device["session"] = result["key"]
    return {"staff": result["staff"], "expires_at": result["expires_at"]}


@command("sign_in_unlock", {"staff"})
def _sign_in_unlock(hall, device, payload):
    request_ = payloads.sign_in_unlock(payload)
    if request_["kind"] == "staff":
        result, _ = hall.write(staff.unlock, request_["person"], by=actor(device))
    else:
        result, _ = hall.write(cashiers.unlock, request_["person"], device=request_["device"], by=actor(device))
    return result


@command("staff_logout", {"staff"}, signed_in=False)
def _staff_logout(hall, device, payload):
    device.pop("person", None)
    key = device.pop("session", None)
    if key:
        hall.write(sessions.end, key, why=sessions.SIGNED_OUT)
    return {}


@command("devices", {"staff"})
def _devices(hall, device, payload):
    online = hall.connections.online()
    rows = hall.store.read_db.execute("SELECT name, role, created_at, revoked_at FROM devices ORDER BY role, name")
    return {"devices": [{"name": n, "role": r, "created_at": c, "revoked_at": rv, "online": n in online,
                         "last_seen": hall.connections.last_seen.get(n),
                         "printer": hall.printer_for(n)} for n, r, c, rv in rows]}


@command("device_revoke", {"staff"})
def _device_revoke(hall, device, payload):
    name = payloads.text(payloads.mapping(payload).get("name"), "name", max_len=40)
    result, _ = hall.write(sessions.revoke_device, name)
    return result


@command("pair_create", {"staff"})
def _pair_create(hall, device, payload):
    payload = payloads.mapping(payload)
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
    sku = payloads.text(payloads.mapping(payload).get("sku"), "sku", max_len=40)
    inventory.product(hall.store.read_db, sku)
    return {"sku": sku, "events": reports.product_history(hall.store.read_db, sku)}


@command("set_low_stock", {"staff"})
def _set_low_stock(hall, device, payload):
    payload = payloads.mapping(payload)
    sku = payloads.text(payload.get("sku"), "sku", max_len=40)
    threshold = payload.get("threshold")
    if threshold is not None:
        threshold = payloads.integer(threshold, "threshold", low=0, high=100_000)
    result, _ = hall.write(alerts.set_low_stock, sku, threshold, by=actor(device))
    return result


@command("alerts", {"staff"})
def _alerts(hall, device, payload):
    open_only = payloads.mapping(payload).get("open_only") is True
    # Alerts the hub raised while its disk took no writes are kept in memory until it does: shown from there.
    return {"alerts": alerts.listing(hall.store.read_db, open_only=open_only), "unwritten": hall.health.unwritten}


@command("alert_ack", {"staff"})
def _alert_ack(hall, device, payload):
    alert_id = payloads.integer(payloads.mapping(payload).get("alert_id"), "alert_id", low=1, high=2**62)
    result, _ = hall.write(alerts.acknowledge, alert_id, by=actor(device))
    return result


@command("replay_resolve", {"staff"})
def _replay_resolve(hall, device, payload):
    payload = payloads.mapping(payload)
    sale_id = payloads.client_id(payload.get("sale_id"), "sale_id")
    note = payloads.text(payload.get("note"), "note")
    result, _ = hall.write(replays.resolve, sale_id, note, by=actor(device))
    return result


@command("discrepancies", {"staff"})
def _discrepancies(hall, device, payload):
    open_only = payloads.mapping(payload).get("open_only", True) is not False
    return {"discrepancies": discrepancies.listing(hall.store.read_db, open_only=open_only)}


@command("discrepancy_settle", {"staff"})
def _discrepancy_settle(hall, device, payload):
    payload = payloads.mapping(payload)
    discrepancy_id = payloads.integer(payload.get("discrepancy_id"), "discrepancy_id", low=1, high=2**62)
    note = payloads.text(payload.get("note"), "note")
    result, _ = hall.write(discrepancies.settle, discrepancy_id, note, by=actor(device))
    return result


def _day(hall, payload) -> str:
    return payloads.day(payloads.mapping(payload).get("day"), default=hall.clock().date().isoformat())


@command("day_report", {"staff"})
def _day_report(hall, device, payload):
    day = _day(hall, payload)

    def read(db):
        done = days.closed(db, day)
        if done is None:
            return {"day": day, "closed": False, "report": days.report(db, day, tax_rate=hall.config.tax_rate)}
        return {"day": day, "closed": True, "report": done["report"], "verify": days.verify(db, day)}
    seq, answer = hall.snapshot_aside(read)
    return {"seq": seq, **answer}


@command("day_close", {"staff"})
def _day_close(hall, device, payload):
    day = _day(hall, payload)
    result, _ = hall.write(printing.close_day, day, by=actor(device), tax_rate=hall.config.tax_rate,
                           printer=hall.printer_for(device["name"]), hall=hall.config.hall)
    return result
