"""Hall staff: named people with passwords who sign in on a paired staff screen.

The device token says "this is a staff screen"; the sign-in says who is at
it, so every restock, correction and revocation is recorded with a person.
A sign-in starts a session (sessions.py), so a reload does not ask again.
"""
import re

from . import lockout, sessions
from ..errors import invalid
from ..events import Event

NAME_PATTERN = re.compile(r"^[A-Za-z0-9가-힣][A-Za-z0-9가-힣._-]{0,29}$")
MIN_PASSWORD = 8


def check_name(name) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise invalid("name: 1-30 letters, digits, Hangul, '.', '_' or '-'", field="name")
    return name


def check_password(password) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= 128:
        raise invalid(f"password must be {MIN_PASSWORD} to 128 characters", field="password")
    return password


def add(db, name: str, password: str, *, now):
    """Add a staff member, or set a new password (which also lifts a lock and ends their sessions)."""
    sessions.end_for(db, name=check_name(name), why=sessions.PASSWORD, now=now)
    db.execute("INSERT INTO staff_users (name, password_hash, failed_attempts, created_at) VALUES (?, ?, 0, ?)"
               " ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, failed_attempts = 0,"
               " locked_until = NULL",
               [check_name(name), lockout.hash_secret(check_password(password)), now.isoformat(timespec="milliseconds")])
    lockout.unlock(db, "staff", name)
    return {"name": name}, [Event("staff.saved", {"name": name})]


def unlock(db, name: str, *, by: str, now):
    """Lift a staff member's locks at every device."""
    lifted = lockout.unlock(db, "staff", check_name(name))
    unlocked = Event("sign_in.unlocked", {"kind": "staff", "person": name, "device": None, "by": by})
    return {"name": name, "unlocked": lifted}, [unlocked] if lifted else []


PASSWORDS = lockout.Keeping(kind="staff", table="staff_users", key_column="name", hash_column="password_hash",
                            secret_word="password", wrong_code="wrong_password",
                            wrong_message="unknown name or wrong password", unknown_code="wrong_password",
                            unknown_message="unknown name or wrong password", tell_attempts_left=False)


def sign_in(db, name: str, password: str, *, device: str, now, replaces: str | None = None):
    """Check a password, counting misses; returns {"refused": ...} rather than raising, so a miss is kept.

    A right password starts a session at the device (`session`: the token for the screen, `session_key`: what
    the hub remembers of it); `replaces` is the key of the session this connection had, which ends.
    """
    tried = lockout.check(db, PASSWORDS, name, password, device=device, now=now)
    if tried.locked_now:
        locked = Event("staff.locked", {"name": name, "device": device, "until": tried.locked_until})
        return {"refused": tried.refusal}, [locked]
    if tried.refusal:
        return {"refused": tried.refusal}, []
    session, _ = sessions.start(db, name, device=device, now=now, replaces=replaces)
    return ({"staff": {"name": name}, "session": {"token": session["token"], "expires_at": session["expires_at"]},
             "session_key": session["key"]},
            [Event("staff.signed_in", {"name": name, "device": device})])
