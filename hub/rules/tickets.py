"""Signed demo tickets: a compact payload and an Ed25519 signature, both in the QR.

A scanner holding the hub's public key can tell a real ticket from a forged
or altered one without reaching the hub, as pretix's scanners do.
Format: "T1." + base64url(payload) + "." + base64url(signature), where the
payload is "ticket_id|slot_id|party|valid_from|valid_until" (epoch seconds).

The ticket_id is the ticket's one code: eight characters a person can read,
printed under the QR, shown on the kiosk, listed at the door and on the staff
screen, and typed at the door when a QR will not scan.
"""
import base64
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "T1."
# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B): a code read off paper is typed right the first time.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def new_code(taken) -> str:
    """A fresh ticket code; `taken(code)` says whether the hall already has it."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken(code):
            return code


def typed(text: str) -> str:
    """A code as a person typed it (any case, spaces, a dash in the middle) in the form it is stored."""
    return re.sub(r"[\s-]", "", text).upper()


@dataclass(frozen=True)
class TicketClaim:
    ticket_id: str
    slot_id: str
    party: int
    valid_from: int
    valid_until: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The hall's signing key, made once and kept beside the database (readable by the hub only)."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(pem)
    return key


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key, base64url: what scanners keep to check tickets offline."""
    return _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def sign(key: Ed25519PrivateKey, claim: TicketClaim) -> str:
    payload = f"{claim.ticket_id}|{claim.slot_id}|{claim.party}|{claim.valid_from}|{claim.valid_until}".encode()
    return PREFIX + _b64(payload) + "." + _b64(key.sign(payload))


class BadTicket(ValueError):
    """Not a ticket of this hall: malformed, truncated, altered or signed by another key."""


def verify(public_key: Ed25519PublicKey, text: str) -> TicketClaim:
    if not isinstance(text, str) or not text.startswith(PREFIX) or text.count(".") != 2 or len(text) > 400:
        raise BadTicket("not a ticket")
    body, signature = text[len(PREFIX):].split(".")
    try:
        payload, sig = _unb64(body), _unb64(signature)
    except ValueError as err:
        raise BadTicket("damaged code") from err
    try:
        public_key.verify(sig, payload)
    except InvalidSignature as err:
        raise BadTicket("signature does not match") from err
    try:
        ticket_id, slot_id, party, valid_from, valid_until = payload.decode().split("|")
        return TicketClaim(ticket_id, slot_id, int(party), int(valid_from), int(valid_until))
    except ValueError as err:
        raise BadTicket("malformed payload") from err


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_unb64(text))
