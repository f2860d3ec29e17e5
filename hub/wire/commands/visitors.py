"""Commands of visitors' own phones (what they watch, their own orders and tickets) and staff's view of them."""
from ...rules import visitors
from .. import payloads
from ..registry import actor, command


@command("watch", {"visitor"})
def _watch(hall, device, payload):
    request_ = payloads.watch(payload)
    seq, (stock, slots) = hall.snapshot(lambda db: visitors.watched(db, request_["skus"], request_["slots"]))
    # Indexed at the ack's seq: a change committed after it is pushed, one already in the ack is not.
    hall.watchers.watch(device["sid"], stock, slots, since=seq,
                        starts={slot_id: place["starts_at"] for slot_id, place in slots.items()})
    return {"seq": seq, "stock": stock, "slots": slots}


@command("mine", {"visitor"})
def _mine(hall, device, payload):
    payloads.mine(payload)
    seq, own = hall.snapshot(lambda db: visitors.mine(db, device["name"], now=hall.clock()))
    return {"seq": seq, **own}


@command("visitors", {"staff"})
def _visitors(hall, device, payload):
    listed = visitors.listing(hall.store.read_db, limit=payloads.visitors(payload))
    for row in listed:
        row["last_seen"] = hall.connections.last_seen.get(row["visitor"])
    return {"visitors": listed}


@command("visitor_revoke", {"staff"})
def _visitor_revoke(hall, device, payload):
    result, _ = hall.write(visitors.revoke, payloads.visitor(payload), by=actor(device))
    return result
