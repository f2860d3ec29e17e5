"""Staff sessions: a person signed in at a staff screen stays signed in through a reload, and the page never
keeps the password.

staff_login gives the screen a session token, a long random secret stored only as its SHA-256 (enough for a
random secret, as for device tokens) with the person, the device and an expiry. The page keeps the token for
its own tab (sessionStorage) and presents it whenever its socket connects again. A session ends when the person
signs out, when the screen's device is revoked or paired anew, when the person's password is set again, and
LIFETIME after sign-in, whichever comes first; then the password is asked again.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from . import devices
from ..errors import HallError, invalid

# A working day at the hall. Short enough that a token copied from a forgotten tab is soon worthless.
LIFETIME = timedelta(hours=8)
# Ended and expired sessions are kept this long for the record, then removed when someone signs in.
KEPT_AFTER = timedelta(days=1)
# Why a session ended, as the screen is told (error.reason of `session_ended`).
SIGNED_OUT = "signed_out"
DEVICE = "device"
PASSWORD = "password"
REPLACED = "replaced"
EXPIRED = "expired"
UNKNOWN = "unknown"


def key_of(token: str) -> str:
    """What the hub stores and remembers of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def start(db, name: str, *, device: str, now, replaces: str | None = None):
    """A new session for `name` at `device`, in the sign-in's own transaction; `replaces` is the key of the
    session the same connection had, which ends. The token is in the result only: the hub keeps its hash."""
    if replaces:
        end(db, replaces, why=REPLACED, now=now)
    db.execute("DELETE FROM staff_sessions WHERE expires_at < ?", [_stamp(now - KEPT_AFTER)])
    token = secrets.token_urlsafe(32)
    expires_at = _stamp(now + LIFETIME)
    db.execute("INSERT INTO staff_sessions (token_hash, name, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
               [key_of(token), name, device, _stamp(now), expires_at])
    return {"token": token, "key": key_of(token), "expires_at": expires_at}, []


def ended(why: str) -> HallError:
    return HallError("session_ended", f"this sign-in has ended ({why}); sign in with your password", reason=why)


def resume(db, token, *, device: str, now):
    """The person a session token signs in at `device`, or `session_ended` with the reason.

    A token is good only at the device it was given to, and only while that device's pairing is the one the
    session began under: a device revoked and paired again starts with nobody signed in.
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        raise invalid("token must be the session token from staff_login", field="token")
    row = db.execute(
        "SELECT s.name, s.device, s.created_at, s.expires_at, s.ended_why, d.created_at, d.revoked_at"
        " FROM staff_sessions s LEFT JOIN devices d ON d.name = s.device WHERE s.token_hash = ?",
        [key_of(token)]).fetchone()
    if row is None or row[1] != device:
        raise ended(UNKNOWN)
    name, _, created_at, expires_at, ended_why, paired_at, revoked_at = row
    if ended_why:
        raise ended(ended_why)
    if revoked_at or paired_at is None or paired_at > created_at:
        raise ended(DEVICE)
    if expires_at <= _stamp(now):
        raise ended(EXPIRED)
    return {"staff": {"name": name}, "expires_at": expires_at, "key": key_of(token)}, []


def end(db, key: str, *, why: str, now):
    """End one session (sign-out, or a new sign-in on the same connection)."""
    db.execute("UPDATE staff_sessions SET ended_at = ?, ended_why = ? WHERE token_hash = ? AND ended_at IS NULL",
               [_stamp(now), why, key])
    return {}, []


def end_for(db, *, why: str, now, device: str | None = None, name: str | None = None) -> None:
    """End every open session at a device, or of a person."""
    column, value = ("device", device) if device is not None else ("name", name)
    db.execute(f"UPDATE staff_sessions SET ended_at = ?, ended_why = ? WHERE {column} = ? AND ended_at IS NULL",
               [_stamp(now), why, value])


def revoke_device(db, name: str, *, now):
    """devices.revoke, with every staff session at that device ending in the same transaction."""
    result, events = devices.revoke(db, name, now=now)
    end_for(db, device=name, why=DEVICE, now=now)
    return result, events


def person_of(db, token, *, now) -> str | None:
    """Who a live session token signs in, at whichever staff screen it was given; None for any other token.
    For reading the hall's figures over HTTP (/metrics), where there is no socket to say the device."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    row = db.execute("SELECT device FROM staff_sessions WHERE token_hash = ?", [key_of(token)]).fetchone()
    if row is None:
        return None
    try:
        return resume(db, token, device=row[0], now=now)[0]["staff"]["name"]
    except HallError:
        return None
