"""Events: small named records of every state change, and who may hear each type.

Domain functions return Event values; the store gives them their `seq` in the
same transaction as the change, and the broadcaster delivers them. A client
sees only the types its role is in the audience of, live and through `sync`.
"""
from dataclasses import dataclass, field

# The hall's own screens: a device token names one of these (rules/devices.py).
ROLES = ("kiosk", "pos", "staff", "scanner")
# A visitor's own phone: an anonymous session, not a device (rules/visitors.py). It is in no role's room and
# hears no event as such: only the changes it watches and its own orders' and tickets' news (hub/wire/watchers.py).
VISITOR = "visitor"

EVERYONE = frozenset(ROLES)
TILLS = frozenset({"pos", "staff"})
STAFF = frozenset({"staff"})

# Who hears each event type. A type missing here is a programming error,
# caught by Event() so nothing is ever broadcast to the wrong screens.
AUDIENCE = {
    "stock.changed": EVERYONE,
    "hold.created": TILLS,
    "hold.released": TILLS,
    "hold.expired": TILLS,
    "hold.consumed": TILLS,
    # Staff only: every till hearing every other till's sale cost each sale a message per till.
    "sale.completed": STAFF,
    "stock.restocked": STAFF,
    "stock.adjusted": STAFF,
    "catalog.loaded": EVERYONE,
    "device.added": STAFF,
    "device.revoked": STAFF,
    "device.paired": STAFF,
    "pairing.created": STAFF,
    # Every screen follows its own printer: a kiosk says "slip printing", a till "printer offline".
    "print.queued": EVERYONE,
    "print.printed": EVERYONE,
    "print.failed": EVERYONE,
    "printer.status": EVERYONE,
    "feedback.received": STAFF,
    "cashier.saved": STAFF,
    "cashier.locked": TILLS,
    "staff.locked": STAFF,
    "sign_in.unlocked": TILLS,
    "cashier.signed_in": STAFF,
    "shift.opened": TILLS,
    "shift.closed": TILLS,
    "refund.completed": TILLS,
    "sale.replay_refused": TILLS,
    "staff.saved": STAFF,
    "staff.signed_in": STAFF,
    "alert.raised": STAFF,
    "alert.acked": STAFF,
    # Every kiosk hears it and only the one named in it shows it: the hub's rooms are by role.
    "help.acknowledged": frozenset({"kiosk"}),
    "product.threshold": STAFF,
    "replay.resolved": TILLS,
    "demos.loaded": EVERYONE,
    "slot.changed": EVERYONE,
    "slot.released": frozenset({"staff", "scanner"}),
    "ticket.booked": STAFF,
    "ticket.cancelled": frozenset({"staff", "scanner"}),
    # Scanners keep a list of admissions heard while online, to refuse a second entry if the link drops.
    "checkin.recorded": frozenset({"staff", "scanner"}),
    "checkin.conflict": frozenset({"staff", "scanner"}),
    # A device's claimed time the hub did not believe (hub/rules/claims.py): staff look at that device's clock.
    "claim.doubted": STAFF,
    # The books (rules/discrepancies.py, rules/days.py): an offline sale the stock could not cover, one charged
    # at another price than the list, their settling, a day closed and sealed.
    "stock.oversold": STAFF,
    "stock.discrepancy_settled": STAFF,
    "sale.price_differed": STAFF,
    "day.closed": STAFF,
    # A visitor's phone session ended by staff (rules/visitors.py): its connections are dropped at once.
    "visitor.revoked": STAFF,
}


@dataclass(frozen=True)
class Event:
    type: str
    data: dict
    audience: frozenset = field(default=None)

    def __post_init__(self):
        if self.type not in AUDIENCE:
            raise ValueError(f"unknown event type {self.type!r}")
        if self.audience is None:
            object.__setattr__(self, "audience", AUDIENCE[self.type])


def stock_changed(sku: str, on_hand: int, held: int) -> Event:
    return Event("stock.changed", {"sku": sku, "on_hand": on_hand, "available": on_hand - held})


def public_form(row: dict) -> dict:
    """The shape a client receives: {seq, type, data, at}."""
    return {"seq": row["seq"], "type": row["type"], "data": row["data"], "at": row["at"]}
