"""Cashiers and supervisors, who sign in at a till with a PIN (see lockout.py for how it is kept)."""
import re

from . import lockout, sign_ins
from ..errors import HallError, invalid
from ..events import Event

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")

hash_pin = lockout.hash_secret


def check_id(cashier_id) -> str:
    if not isinstance(cashier_id, str) or not ID_PATTERN.match(cashier_id):
        raise invalid("cashier_id: 1-20 letters, digits, '.', '_' or '-'", field="cashier_id")
    return cashier_id


def check_pin(pin, field: str = "pin") -> str:
    if not isinstance(pin, str) or not PIN_PATTERN.match(pin):
        raise invalid(f"{field} must be 4 to 8 digits", field=field)
    return pin


def upsert(db, cashier_id: str, name: str, pin_hash: str, *, supervisor: bool, now, by: str = "config"):
    """Add a cashier or change their name, PIN or rank; a new PIN also lifts a lock."""
    check_id(cashier_id)
    if not isinstance(name, str) or not name.strip() or len(name) > 40:
        raise invalid("name must be 1-40 characters", field="name")
    db.execute(
        "INSERT INTO cashiers (cashier_id, name, pin_hash, supervisor, failed_attempts, created_at)"
        " VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT(cashier_id) DO UPDATE SET name = excluded.name,"
        " pin_hash = excluded.pin_hash, supervisor = excluded.supervisor, failed_attempts = 0, locked_until = NULL",
        [cashier_id, name.strip(), pin_hash, int(supervisor), now.isoformat(timespec="milliseconds")],
    )
    lockout.unlock(db, PINS.kind, cashier_id)
    saved = Event("cashier.saved", {"cashier_id": cashier_id, "name": name.strip(), "supervisor": supervisor,
                                    "by": by})
    return {"cashier_id": cashier_id, "name": name.strip(), "supervisor": supervisor}, [saved]


def load_from_config(db, entries: list[dict], *, now):
    """Cashiers listed in hall.toml with a pin_hash; those already known keep what staff set."""
    added, events = [], []
    for entry in entries:
        known = db.execute("SELECT 1 FROM cashiers WHERE cashier_id = ?", [entry["id"]]).fetchone()
        if known:
            continue
        _, saved = upsert(db, entry["id"], entry["name"], entry["pin_hash"],
                          supervisor=bool(entry.get("supervisor")), now=now)
        added.append(entry["id"])
        events += saved
    return {"added": added}, events


PINS = lockout.Keeping(kind="cashier", table="cashiers", key_column="cashier_id", hash_column="pin_hash", secret_word="PIN",
                       wrong_code="wrong_pin", wrong_message="wrong PIN", unknown_code="unknown_cashier",
                       unknown_message="no cashier {key}", tell_attempts_left=True)


def verify(db, cashier_id: str, pin: str, *, device: str, now, need_supervisor: bool = False):
    """Check a PIN, counting misses. Returns (cashier or None, refusal or None, events).

    A miss must be remembered even though the command fails, so this never
    raises for a wrong PIN: the caller commits, then refuses.
    """
    tried = lockout.check(db, PINS, cashier_id, pin, device=device, now=now, columns=("name", "supervisor"))
    if tried.locked_now:
        locked = Event("cashier.locked", {"cashier_id": cashier_id, "name": tried.person["name"],
                                          "until": tried.locked_until, "device": device})
        return None, tried.refusal, [locked]
    if tried.refusal:
        return None, tried.refusal, []
    name, supervisor = tried.person["name"], bool(tried.person["supervisor"])
    if need_supervisor and not supervisor:
        return None, HallError("supervisor_required", f"{name} is not a supervisor"), []
    return {"cashier_id": cashier_id, "name": name, "supervisor": supervisor}, None, []


def login(db, cashier_id: str, pin: str, *, device: str, now):
    """A cashier signs in at a till. The result says `refused` rather than raising, see verify()."""
    cashier, refusal, events = verify(db, cashier_id, pin, device=device, now=now)
    if refusal:
        return {"refused": refusal}, events
    secret = sign_ins.start(db, device=device, cashier_id=cashier_id, now=now)
    signed_in = Event("cashier.signed_in", {**cashier, "device": device})
    return {"cashier": cashier, "sign_in": secret}, [*events, signed_in]


def listing(db, *, device: str | None = None, now) -> list[dict]:
    """The cashiers, each with `locked_until` at `device` (a till's list), or their latest lock anywhere."""
    locked = lockout.locks(db, PINS.kind, device=device, now=now)
    rows = db.execute("SELECT cashier_id, name, supervisor FROM cashiers ORDER BY cashier_id")
    return [{"cashier_id": c, "name": n, "supervisor": bool(s), "locked_until": locked.get(c)} for c, n, s in rows]


def unlock(db, cashier_id: str, *, device: str | None, by: str, now):
    """Lift a cashier's lock at one till (a supervisor there) or everywhere (staff)."""
    check_id(cashier_id)
    lifted = lockout.unlock(db, PINS.kind, cashier_id, device=device)
    unlocked = Event("sign_in.unlocked", {"kind": PINS.kind, "person": cashier_id, "device": device, "by": by})
    return {"cashier_id": cashier_id, "unlocked": lifted}, [unlocked] if lifted else []


def supervisor_unlock(db, request: dict, *, device: str, now):
    """A supervisor at a till lifts a cashier's lock there with their own PIN (itself counted)."""
    supervisor, refusal, events = verify(db, request["supervisor_id"], request["supervisor_pin"], device=device,
                                         now=now, need_supervisor=True)
    if refusal:
        return {"refused": refusal}, events
    result, unlocked = unlock(db, request["cashier_id"], device=device,
                              by=f"{supervisor['cashier_id']}@{device}", now=now)
    return result, [*events, *unlocked]

