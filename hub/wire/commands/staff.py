"""Commands of the staff screen: stock corrections, people, devices, reports, alerts, feedback."""
from ...rules import (alerts, cashiers, days, devices, discrepancies, feedback, inventory, printing, replays,
                      reports, sessions, staff)
from .. import payloads
from ..registry import actor, command, refuse_if


@command("restock", {"staff"})
def _restock(hall, device, payload):
    result, _ = hall.write(inventory.restock, payloads.restock(payload), device=actor(device))
    return result


@command("adjust", {"staff"})
def _adjust(hall, device, payload):
    result, _ = hall.write(inventory.adjust, payloads.adjust(payload), device=actor(device))
    return result


@command("feedback", {"kiosk", "visitor"})
def _feedback(hall, device, payload):
    result, _ = hall.write(feedback.record, payloads.feedback(payload), device=device["name"])
    return result


@command("feedback_list", {"staff"})
def _feedback_list(hall, device, payload):
    db = hall.store.read_db
    return {"feedback": feedback.newest(db), "daily": feedback.daily_average(db)}


@command("staff_login", {"staff"}, signed_in=False)
def _staff_login(hall, device, payload):
    request_ = payloads.staff_login(payload)
    name = staff.check_name(request_["name"])
    result, _ = hall.write(staff.sign_in, name, request_["password"], device=device["name"], replaces=device.get("session"))
    refuse_if(result)
    device["person"] = name
    device["session"] = result["session_key"]
    return {key: value for key, value in result.items() if key != "session_key"}


@command("staff_resume", {"staff"}, signed_in=False)
def _staff_resume(hall, device, payload):
    token = payloads.staff_resume(payload)
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
    online, last_seen = hall.presence.everywhere()  # on every process of the hall, not only this screen's
    rows = hall.store.read_db.execute("SELECT name, role, created_at, revoked_at FROM devices ORDER BY role, name")
    return {"devices": [{"name": n, "role": r, "created_at": c, "revoked_at": rv, "online": n in online,
                         "last_seen": last_seen.get(n),
                         "printer": hall.printer_for(n)} for n, r, c, rv in rows]}


@command("device_revoke", {"staff"})
def _device_revoke(hall, device, payload):
    result, _ = hall.write(sessions.revoke_device, payloads.device_name(payload))
    return result


@command("pair_create", {"staff"})
def _pair_create(hall, device, payload):
    request_ = payloads.pair_create(payload)
    result, _ = hall.write(devices.create_pairing, request_["role"], request_["name"])
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
    sku = payloads.product_sku(payload)
    inventory.product(hall.store.read_db, sku)
    return {"sku": sku, "events": reports.product_history(hall.store.read_db, sku)}


@command("set_low_stock", {"staff"})
def _set_low_stock(hall, device, payload):
    request_ = payloads.set_low_stock(payload)
    result, _ = hall.write(alerts.set_low_stock, request_["sku"], request_["threshold"], by=actor(device))
    return result


@command("alerts", {"staff"})
def _alerts(hall, device, payload):
    open_only = payloads.alerts(payload)["open_only"]
    # Alerts the hub raised while its disk took no writes are kept in memory until it does: shown from there.
    return {"alerts": alerts.listing(hall.store.read_db, open_only=open_only), "unwritten": hall.health.unwritten_now()}


@command("alert_ack", {"staff"})
def _alert_ack(hall, device, payload):
    alert_id = payloads.alert_ack(payload)
    result, _ = hall.write(alerts.acknowledge, alert_id, by=actor(device))
    return result


@command("replay_resolve", {"staff"})
def _replay_resolve(hall, device, payload):
    request_ = payloads.replay_resolve(payload)
    result, _ = hall.write(replays.resolve, request_["sale_id"], request_["note"], by=actor(device))
    return result


@command("discrepancies", {"staff"})
def _discrepancies(hall, device, payload):
    open_only = payloads.discrepancies(payload)
    return {"discrepancies": discrepancies.listing(hall.store.read_db, open_only=open_only)}


@command("discrepancy_settle", {"staff"})
def _discrepancy_settle(hall, device, payload):
    request_ = payloads.discrepancy_settle(payload)
    result, _ = hall.write(discrepancies.settle, request_["discrepancy_id"], request_["note"], by=actor(device))
    return result


def _day(hall, payload) -> str:
    return payloads.day(payload, default=hall.clock().date().isoformat())


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
