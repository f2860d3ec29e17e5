"""A command repeated with the same client id gets its first answer back.

Clients retry after a dropped link without knowing whether the first try
landed; the answer is kept in the same transaction as the change it reports.
"""
import hashlib
import json

from ..errors import HallError


# A credential sent with a command proves who asked; it is not part of what was asked, so a retry after the
# till signed in again is still the same command.
CREDENTIALS = ("sign_in",)


def fingerprint(request: dict) -> str:
    asked = {key: value for key, value in request.items() if key not in CREDENTIALS}
    canonical = json.dumps(asked, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def recall(db, command: str, client_id: str, request: dict) -> dict | None:
    """The stored result of an earlier identical command, or None if it is new."""
    row = db.execute(
        "SELECT fingerprint, result FROM commands WHERE command = ? AND client_id = ?",
        [command, client_id],
    ).fetchone()
    if row is None:
        return None
    if row[0] != fingerprint(request):
        raise HallError("id_reused", f"this {command} id was already used for a different request",
                        client_id=client_id)
    return json.loads(row[1])


def remember(db, command: str, client_id: str, request: dict, result: dict, now) -> None:
    db.execute(
        "INSERT INTO commands (command, client_id, fingerprint, result, at) VALUES (?, ?, ?, ?, ?)",
        [command, client_id, fingerprint(request), json.dumps(result, ensure_ascii=False),
         now.isoformat(timespec="milliseconds")],
    )
