"""A secret (a cashier's PIN, a staff member's password) checked with its misses counted.

Stored as a salted scrypt hash. Misses are counted per person *and device*: five wrong tries lock that person
at that device for five minutes, so a stranger at one till cannot lock a cashier out of every till (a lockout
as a weapon), while guessing at that till stays slow. A device where several people were locked in a short
while is slowed down for everyone: it is being used to guess names. Every lock raises a staff alert (through
its event), and staff or a supervisor can lift it.
"""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import HallError

MAX_ATTEMPTS = 5
LOCK_MINUTES = 5
# A device where this many people were locked within DEVICE_WINDOW waits out a lock of its own.
DEVICE_LOCKS = 3
DEVICE_WINDOW = timedelta(minutes=30)
# Cheap enough for a till (~30 ms), costly enough to slow a stolen-file attack.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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
    kind: str               # "cashier" or "staff": whose misses sign_in_misses counts
    table: str              # named by the code, never by a client
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


def _stamp(moment) -> str:
    return moment.isoformat(timespec="milliseconds")


def check(db, keeping: Keeping, key: str, secret: str, *, device: str, now, columns: tuple = ()) -> Try:
    """One try at `secret` for the person `key` at `device`, with misses counted there.

    Never raises for a wrong secret: the count is written either way, so the caller commits, then refuses
    with the refusal it returns. `columns` are read from the person's row for the caller (a name for messages).
    """
    slowed_until = _device_slowed_until(db, device, now)
    if slowed_until:
        return Try(None, HallError("slow_down", f"too many people were locked at this device; wait until "
                                   f"{slowed_until[11:16]}", retry_after=slowed_until))
    row = db.execute(f"SELECT {keeping.hash_column}{''.join(', ' + c for c in columns)} FROM {keeping.table}"
                     f" WHERE {keeping.key_column} = ?", [key]).fetchone()
    if row is None:
        return Try(None, HallError(keeping.unknown_code, keeping.unknown_message.format(key=key)))
    stored_hash, *extra = row
    person = dict(zip(columns, extra))
    where = [keeping.kind, key, device]
    misses = db.execute("SELECT failed, locked_until FROM sign_in_misses WHERE kind = ? AND person = ? AND device = ?",
                        where).fetchone()
    failed, locked_until = misses or (0, None)
    if locked_until and locked_until > _stamp(now):
        return Try(person, _locked(keeping, locked_until), locked_until=locked_until)
    if secret_matches(secret, stored_hash):
        if misses:
            db.execute("DELETE FROM sign_in_misses WHERE kind = ? AND person = ? AND device = ?", where)
        return Try(person, None)
    failed += 1
    if failed >= MAX_ATTEMPTS:
        until = _stamp(now + timedelta(minutes=LOCK_MINUTES))
        db.execute("INSERT INTO sign_in_misses (kind, person, device, failed, locked_until, locked_at)"
                   " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (kind, person, device) DO UPDATE SET failed = 0,"
                   " locked_until = excluded.locked_until, locked_at = excluded.locked_at",
                   [*where, until, _stamp(now)])
        return Try(person, _locked(keeping, until), locked_now=True, locked_until=until)
    db.execute("INSERT INTO sign_in_misses (kind, person, device, failed) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (kind, person, device) DO UPDATE SET failed = excluded.failed", [*where, failed])
    details = {"attempts_left": MAX_ATTEMPTS - failed} if keeping.tell_attempts_left else {}
    return Try(person, HallError(keeping.wrong_code, keeping.wrong_message, **details))


def _locked(keeping: Keeping, until: str) -> HallError:
    return HallError("locked", f"too many wrong {keeping.secret_word}s here; locked at this device until "
                     f"{until[11:16]}", locked_until=until)


def _device_slowed_until(db, device: str, now) -> str | None:
    """When a device used to lock several people lately may be tried again (None: it may now)."""
    locks = [row[0] for row in db.execute(
        "SELECT locked_at FROM sign_in_misses WHERE device = ? AND locked_at > ? ORDER BY locked_at DESC",
        [device, _stamp(now - DEVICE_WINDOW)])]
    if len(locks) < DEVICE_LOCKS:
        return None
    until = _stamp(datetime.fromisoformat(locks[0]) + timedelta(minutes=LOCK_MINUTES))
    return until if until > _stamp(now) else None


def unlock(db, kind: str, person: str, *, device: str | None = None) -> int:
    """Lift a person's locks (at one device, or everywhere); returns how many were lifted."""
    if device is None:
        return db.execute("DELETE FROM sign_in_misses WHERE kind = ? AND person = ?", [kind, person]).rowcount
    return db.execute("DELETE FROM sign_in_misses WHERE kind = ? AND person = ? AND device = ?",
                      [kind, person, device]).rowcount


def locks(db, kind: str, *, device: str | None = None, now) -> dict[str, str]:
    """{person: locked until} for the people of `kind` locked now (at `device`, or anywhere: the latest)."""
    sql = "SELECT person, max(locked_until) FROM sign_in_misses WHERE kind = ? AND locked_until > ?"
    params = [kind, _stamp(now)]
    if device is not None:
        sql += " AND device = ?"
        params.append(device)
    return dict(db.execute(sql + " GROUP BY person", params).fetchall())
