"""A secret (a cashier's PIN, a staff member's password) checked with its misses counted.

Stored as a salted scrypt hash. Five wrong tries lock the person for five
minutes: a four-digit PIN is weak on its own, and what protects it is that
only a paired screen can ask and that guessing is slow.
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..errors import HallError

MAX_ATTEMPTS = 5
LOCK_MINUTES = 5
# Cheap enough for a till (~30 ms), costly enough to slow a stolen-file attack.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}

# What one try came to, inside check().
LOCKED = "locked"            # already locked: the secret was not even checked
LOCKED_NOW = "locked_now"    # this miss was the last one allowed
WRONG = "wrong"
RIGHT = "right"


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, **SCRYPT, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt_hex), **SCRYPT, dklen=32)
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass(frozen=True)
class Keeping:
    """Where one kind of person's secret is kept, and what a refusal may tell the screen."""
    table: str              # has failed_attempts and locked_until columns; named by the code, never a client
    key_column: str
    hash_column: str
    secret_word: str        # "PIN", "password": for the locked message
    wrong_code: str
    wrong_message: str
    unknown_code: str       # a staff screen is not told which names exist: it hears wrong_code
    unknown_message: str    # {key} is the name tried
    tell_attempts_left: bool


@dataclass(frozen=True)
class Try:
    """What one try came to: the person's requested columns, and the refusal if it failed."""
    person: dict | None
    refusal: HallError | None
    locked_now: bool = False
    locked_until: str | None = None


def check(db, keeping: Keeping, key: str, secret: str, *, now, columns: tuple = ()) -> Try:
    """One try at `secret` for the person `key`, with misses counted and a lock after MAX_ATTEMPTS.

    Never raises for a wrong secret: the count is written either way, so the caller commits, then refuses
    with the refusal it returns. `columns` are read from the person's row for the caller (a name for messages).
    """
    row = db.execute(f"SELECT {keeping.hash_column}, failed_attempts, locked_until"
                     f"{''.join(', ' + c for c in columns)} FROM {keeping.table} WHERE {keeping.key_column} = ?",
                     [key]).fetchone()
    if row is None:
        return Try(None, HallError(keeping.unknown_code, keeping.unknown_message.format(key=key)))
    stored_hash, failed, locked_until, *extra = row
    person = dict(zip(columns, extra))
    outcome, detail = _attempt(db, keeping, key, secret, stored_hash=stored_hash, failed=failed,
                               locked_until=locked_until, now=now)
    if outcome in (LOCKED, LOCKED_NOW):
        refusal = HallError("locked", f"too many wrong {keeping.secret_word}s; locked until {detail[11:16]}",
                            locked_until=detail)
        return Try(person, refusal, locked_now=outcome == LOCKED_NOW, locked_until=detail)
    if outcome == WRONG:
        details = {"attempts_left": detail} if keeping.tell_attempts_left else {}
        return Try(person, HallError(keeping.wrong_code, keeping.wrong_message, **details))
    return Try(person, None)


def _attempt(db, keeping: Keeping, key: str, secret: str, *, stored_hash: str, failed: int,
             locked_until: str | None, now) -> tuple[str, str | int | None]:
    """(LOCKED or LOCKED_NOW, until), (WRONG, attempts left) or (RIGHT, None), with the count written."""
    if locked_until and locked_until > now.isoformat(timespec="milliseconds"):
        return LOCKED, locked_until
    row = f"WHERE {keeping.key_column} = ?"
    if not secret_matches(secret, stored_hash):
        failed += 1
        if failed >= MAX_ATTEMPTS:
            until = (now + timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="milliseconds")
            db.execute(f"UPDATE {keeping.table} SET failed_attempts = 0, locked_until = ? {row}", [until, key])
            return LOCKED_NOW, until
        db.execute(f"UPDATE {keeping.table} SET failed_attempts = ? {row}", [failed, key])
        return WRONG, MAX_ATTEMPTS - failed
    if failed or locked_until:
        db.execute(f"UPDATE {keeping.table} SET failed_attempts = 0, locked_until = NULL {row}", [key])
    return RIGHT, None
