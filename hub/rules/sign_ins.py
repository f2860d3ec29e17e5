"""Who is signed in at a till: the hub's own record, never the till's word.

A PIN sign-in at a till gets a sign-in secret from the hub. The till sends it with every sale, refund and
shift, including those it made offline and sends later, and the hub takes the cashier from its own record of
that secret: it must exist, belong to the sending till, and (for work done now) still be open. A new sign-in at
a till ends the one before; signing out or the sign-in's age ends it too. Offline work done before the end
still counts: its money was taken while that cashier was signed in.
"""
import hashlib
import secrets
from datetime import timedelta

from ..errors import HallError

# Longer than a hall's longest day: a cashier signs in once in the morning.
LIFETIME = timedelta(hours=16)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _stamp(now) -> str:
    return now.isoformat(timespec="milliseconds")


def start(db, *, device: str, cashier_id: str, now) -> str:
    """Open a sign-in for `cashier_id` at `device`, ending the till's earlier one; returns its secret."""
    db.execute("UPDATE till_sign_ins SET ended_at = ? WHERE device = ? AND ended_at IS NULL", [_stamp(now), device])
    secret = secrets.token_urlsafe(24)
    db.execute("INSERT INTO till_sign_ins (secret_hash, device, cashier_id, signed_in_at, expires_at)"
               " VALUES (?, ?, ?, ?, ?)",
               [_hash(secret), device, cashier_id, _stamp(now), _stamp(now + LIFETIME)])
    return secret


def end(db, secret, *, device: str, now):
    """Sign out: the sign-in no longer counts for new work at this till."""
    if isinstance(secret, str):
        db.execute("UPDATE till_sign_ins SET ended_at = ? WHERE secret_hash = ? AND device = ? AND ended_at IS NULL",
                   [_stamp(now), _hash(secret), device])
    return {"signed_out": True}, []


def cashier(db, secret, *, device: str, now, offline: bool) -> dict:
    """The cashier signed in at `device` by `secret`: {"cashier_id", "name", "supervisor"}.

    `offline`: the work was done before now, while the till could not reach the hub; a sign-in that has
    ended since still counts for it. Refuses `sign_in_required` with `reason`: missing, unknown, other_till,
    ended.
    """
    if not isinstance(secret, str) or not secret:
        raise HallError("sign_in_required", "a cashier must sign in at this till with a PIN first", reason="missing")
    row = db.execute(
        "SELECT s.device, s.cashier_id, s.expires_at, s.ended_at, c.name, c.supervisor FROM till_sign_ins s"
        " JOIN cashiers c ON c.cashier_id = s.cashier_id WHERE s.secret_hash = ?", [_hash(secret)]).fetchone()
    if row is None:
        raise HallError("sign_in_required", "this sign-in is not known to the hub; sign in again", reason="unknown")
    signed_device, cashier_id, expires_at, ended_at, name, supervisor = row
    if signed_device != device:
        raise HallError("sign_in_required", "this sign-in belongs to another till; sign in here", reason="other_till")
    if not offline and (ended_at is not None or expires_at <= _stamp(now)):
        raise HallError("sign_in_required", "this sign-in has ended; sign in again", reason="ended")
    return {"cashier_id": cashier_id, "name": name, "supervisor": bool(supervisor)}
