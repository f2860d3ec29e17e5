"""Device tokens and one-time pairing codes. Only hashes are stored.

A token is a long random secret, so a plain SHA-256 is enough to make a
stolen database useless for connecting; pairing codes are short-lived and
single-use for the same reason.
"""
import hashlib
import re
import secrets
from datetime import timedelta

from ..errors import HallError, invalid
from ..events import ROLES, Event

PAIRING_MINUTES = 10
# Typed on a touch screen from a staff screen or a terminal: no look-alikes.
PAIRING_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_identity(role: str, name: str) -> None:
    if role not in ROLES:
        raise invalid(f"role must be one of {', '.join(ROLES)}", field="role")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise invalid("name: 1-40 letters, digits, '.', '_' or '-'", field="name")


def mint_token(db, role: str, name: str, *, now):
    """A new token for device `name`; an earlier token of the same name stops working."""
    check_identity(role, name)
    token = secrets.token_urlsafe(32)
    stamp = now.isoformat(timespec="milliseconds")
    db.execute(
        "INSERT INTO devices (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET role = excluded.role, token_hash = excluded.token_hash,"
        " created_at = excluded.created_at, revoked_at = NULL",
        [name, role, _hash(token), stamp],
    )
    return {"token": token, "name": name, "role": role}, [Event("device.added", {"name": name, "role": role})]


def revoke(db, name: str, *, now):
    """Revoke a device's token; the hub drops its open connections when it sees the event."""
    row = db.execute("SELECT role FROM devices WHERE name = ? AND revoked_at IS NULL", [name]).fetchone()
    if row is None:
        raise HallError("unknown_device", f"no active device named {name}", name=name)
    db.execute("UPDATE devices SET revoked_at = ? WHERE name = ?", [now.isoformat(timespec="milliseconds"), name])
    return {"name": name, "revoked": True}, [Event("device.revoked", {"name": name, "role": row[0]})]


def create_pairing(db, role: str, name: str, *, now):
    """A one-time code, valid PAIRING_MINUTES, that a screen trades for its token."""
    check_identity(role, name)
    raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
    expires_at = (now + timedelta(minutes=PAIRING_MINUTES)).isoformat(timespec="milliseconds")
    db.execute(
        "INSERT INTO pairing_codes (code_hash, role, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        [_hash(raw), role, name, now.isoformat(timespec="milliseconds"), expires_at],
    )
    code = f"{raw[:4]}-{raw[4:]}"
    return ({"code": code, "role": role, "name": name, "expires_at": expires_at},
            [Event("pairing.created", {"role": role, "name": name, "expires_at": expires_at})])


def normalise_code(code) -> str:
    if not isinstance(code, str) or len(code) > 20:
        raise invalid("code must be a string", field="code")
    return code.strip().upper().replace("-", "").replace(" ", "")


def redeem_pairing(db, code: str, *, now):
    """Trade a pairing code for the device's token, once."""
    row = db.execute(
        "SELECT code_hash, role, name, expires_at, used_at FROM pairing_codes WHERE code_hash = ?",
        [_hash(normalise_code(code))],
    ).fetchone()
    if row is None:
        raise HallError("unknown_code", "this pairing code is not valid")
    code_hash, role, name, expires_at, used_at = row
    if used_at is not None:
        raise HallError("code_used", "this pairing code was already used")
    if expires_at <= now.isoformat(timespec="milliseconds"):
        raise HallError("code_expired", "this pairing code has expired; ask staff for a new one")
    db.execute("UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?",
               [now.isoformat(timespec="milliseconds"), code_hash])
    result, events = mint_token(db, role, name, now=now)
    return result, [*events, Event("device.paired", {"name": name, "role": role})]


def authenticate(db, token) -> dict | None:
    """The active device holding `token`, or None."""
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        return None
    row = db.execute(
        "SELECT name, role FROM devices WHERE token_hash = ? AND revoked_at IS NULL", [_hash(token)]
    ).fetchone()
    return None if row is None else {"name": row[0], "role": row[1]}
