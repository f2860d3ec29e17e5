"""What one kiosk may take at once. A kiosk is a stranger's device, so the hub, not the kiosk page, keeps it
from holding a product's whole stock or a demo's places for a quarter of an hour. Tills are not limited: a
cashier sells what the buyer brings.
"""
from dataclasses import dataclass

from ..errors import HallError


@dataclass(frozen=True)
class KioskLimits:
    units_per_line: int   # units of one product in one order
    open_orders: int      # orders waiting at the cashier from one kiosk at once
    places_per_slot: int  # places one kiosk may book in one demo session

    # The same two checks as a phone's VisitorLimits (rules/visitors.py): holds and bookings ask the limits.
    def check_order(self, db, lines: list[dict], *, device: str, now) -> None:
        check_order(db, lines, device=device, limits=self)

    def check_booking(self, db, slot_id: str, party: int, *, device: str, now) -> None:
        check_booking(db, slot_id, party, device=device, limits=self)


def refuse(limit: str, allowed: int, message: str, **details) -> HallError:
    return HallError("limit_reached", message, limit=limit, allowed=allowed, **details)


def check_order(db, lines: list[dict], *, device: str, limits: KioskLimits) -> None:
    """Refuse an order past the kiosk's limits (before anything is held)."""
    for index, line in enumerate(lines):
        if line["qty"] > limits.units_per_line:
            raise refuse("units_per_line", limits.units_per_line,
                          f"a kiosk order takes at most {limits.units_per_line} of one product",
                          field=f"lines[{index}].qty", sku=line["sku"])
    waiting = db.execute("SELECT count(*) FROM holds WHERE device = ? AND status = 'active'", [device]).fetchone()[0]
    if waiting >= limits.open_orders:
        raise refuse("open_orders", limits.open_orders,
                      f"this kiosk already has {waiting} orders waiting to be paid; pay or cancel one first")


def check_booking(db, slot_id: str, party: int, *, device: str, limits: KioskLimits) -> None:
    """Refuse a booking that would give one kiosk more than its share of a session's places."""
    booked = db.execute("SELECT coalesce(sum(party), 0) FROM demo_tickets WHERE slot_id = ? AND device = ?"
                        " AND status IN ('booked', 'checked_in')", [slot_id, device]).fetchone()[0]
    if booked + party > limits.places_per_slot:
        raise refuse("places_per_slot", limits.places_per_slot,
                      f"one kiosk books at most {limits.places_per_slot} places of a session",
                      already=booked)
