"""A secret (a cashier's PIN, a staff member's password) checked with its misses counted.

Stored as a salted scrypt hash. Five wrong tries lock the person for five
minutes: a four-digit PIN is weak on its own, and what protects it is that
only a paired screen can ask and that guessing is slow.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

MAX_ATTEMPTS = 5
LOCK_MINUTES = 5
# Cheap enough for a till (~30 ms), costly enough to slow a stolen-file attack.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}

# What one try came to.
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


def attempt(db, table: str, key_column: str, key: str, secret: str, *, stored_hash: str, failed: int,
            locked_until: str | None, now) -> tuple[str, str | int | None]:
    """One try at `secret` for the row `key` of `table`, which has failed_attempts and locked_until columns.

    Returns (outcome, detail): (LOCKED or LOCKED_NOW, until), (WRONG, attempts left) or (RIGHT, None).
    The count is written either way, so the caller must commit even when it refuses.
    `table` and `key_column` come from the code, never from a client.
    """
    if locked_until and locked_until > now.isoformat(timespec="milliseconds"):
        return LOCKED, locked_until
    row = f"WHERE {key_column} = ?"
    if not secret_matches(secret, stored_hash):
        failed += 1
        if failed >= MAX_ATTEMPTS:
            until = (now + timedelta(minutes=LOCK_MINUTES)).isoformat(timespec="milliseconds")
            db.execute(f"UPDATE {table} SET failed_attempts = 0, locked_until = ? {row}", [until, key])
            return LOCKED_NOW, until
        db.execute(f"UPDATE {table} SET failed_attempts = ? {row}", [failed, key])
        return WRONG, MAX_ATTEMPTS - failed
    if failed or locked_until:
        db.execute(f"UPDATE {table} SET failed_attempts = 0, locked_until = NULL {row}", [key])
    return RIGHT, None
