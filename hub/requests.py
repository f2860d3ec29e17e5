"""Parsing of untrusted command payloads into plain, checked values.

Every function raises HallError("invalid", ...) naming the offending field and
touches nothing, so a malformed command can never leave half a change behind.
"""
import uuid

from .errors import invalid

MAX_LINES = 200
MAX_QTY = 999
MAX_WON = 100_000_000
MAX_TEXT = 200


def mapping(payload) -> dict:
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise invalid("payload must be an object", field="payload")
    return payload


def integer(value, field: str, *, low: int, high: int) -> int:
    # bool is an int in Python; a JSON true must not pass as quantity 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"{field} must be an integer", field=field)
    if not low <= value <= high:
        raise invalid(f"{field} must be between {low} and {high}", field=field)
    return value


def text(value, field: str, *, required: bool = True, max_len: int = MAX_TEXT) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise invalid(f"{field} must be a non-empty string", field=field)
    if len(value) > max_len:
        raise invalid(f"{field} is longer than {max_len} characters", field=field)
    if any(ord(ch) < 32 for ch in value):
        raise invalid(f"{field} contains control characters", field=field)
    return value.strip()


def client_id(value, field: str) -> str:
    """A client-made id: a UUID string, returned in canonical form."""
    if not isinstance(value, str) or len(value) > 64:
        raise invalid(f"{field} must be a UUID string", field=field)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise invalid(f"{field} must be a UUID string", field=field) from None


def _sku(value, field: str) -> str:
    return text(value, field, max_len=40)


def lines(value) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise invalid("lines must be a non-empty list", field="lines")
    if len(value) > MAX_LINES:
        raise invalid(f"at most {MAX_LINES} lines", field="lines")
    parsed, seen = [], set()
    for index, line in enumerate(value):
        if not isinstance(line, dict):
            raise invalid("each line must be an object", field=f"lines[{index}]")
        sku = _sku(line.get("sku"), f"lines[{index}].sku")
        if sku in seen:
            raise invalid(f"{sku} is listed twice; send one line per product", field=f"lines[{index}].sku")
        seen.add(sku)
        qty = integer(line.get("qty"), f"lines[{index}].qty", low=1, high=MAX_QTY)
        parsed.append({"sku": sku, "qty": qty})
    return parsed


def hold(payload) -> dict:
    payload = mapping(payload)
    return {"hold_id": client_id(payload.get("hold_id"), "hold_id"), "lines": lines(payload.get("lines"))}


def hold_code(payload) -> str:
    payload = mapping(payload)
    code = text(payload.get("code"), "code", max_len=20)
    return code.upper().replace("-", "").removeprefix("HOLD:")


def payments(value) -> list[dict]:
    if not isinstance(value, list):
        raise invalid("payments must be a list", field="payments")
    if len(value) > 10:
        raise invalid("at most 10 payments", field="payments")
    parsed = []
    for index, payment in enumerate(value):
        field = f"payments[{index}]"
        if not isinstance(payment, dict):
            raise invalid("each payment must be an object", field=field)
        method = payment.get("method")
        if method not in ("cash", "card"):
            raise invalid("method must be 'cash' or 'card'", field=f"{field}.method")
        amount = integer(payment.get("amount"), f"{field}.amount", low=1, high=MAX_WON)
        entry = {"method": method, "amount": amount}
        if method == "card":
            entry["approval_no"] = text(payment.get("approval_no"), f"{field}.approval_no", max_len=20)
            entry["card_type"] = text(payment.get("card_type"), f"{field}.card_type",
                                       required=False, max_len=40)
            masked = text(payment.get("card_masked"), f"{field}.card_masked", required=False, max_len=25)
            # A full card number must never reach our database or a receipt.
            if masked and sum(ch.isdigit() for ch in masked) > 10:
                raise invalid("card_masked must hide all but a few digits", field=f"{field}.card_masked")
            entry["card_masked"] = masked
        parsed.append(entry)
    return parsed


def checkout(payload) -> dict:
    payload = mapping(payload)
    code = payload.get("hold_code")
    return {
        "sale_id": client_id(payload.get("sale_id"), "sale_id"),
        "lines": lines(payload.get("lines")),
        "payments": payments(payload.get("payments")),
        "hold_code": hold_code({"code": code}) if code is not None else None,
        "cashier": text(payload.get("cashier"), "cashier", required=False, max_len=40),
    }


def _optional_request_id(payload) -> str | None:
    value = payload.get("request_id")
    return None if value is None else client_id(value, "request_id")


def restock(payload) -> dict:
    payload = mapping(payload)
    return {
        "sku": _sku(payload.get("sku"), "sku"),
        "qty": integer(payload.get("qty"), "qty", low=1, high=100_000),
        "reason": text(payload.get("reason"), "reason", required=False) or "",
        "request_id": _optional_request_id(payload),
    }


def adjust(payload) -> dict:
    payload = mapping(payload)
    kind = payload.get("kind")
    if kind not in ("count", "write_off"):
        raise invalid("kind must be 'count' or 'write_off'", field="kind")
    low = 0 if kind == "count" else 1
    return {
        "sku": _sku(payload.get("sku"), "sku"),
        "kind": kind,
        "qty": integer(payload.get("qty"), "qty", low=low, high=100_000),
        "reason": text(payload.get("reason"), "reason"),
        "request_id": _optional_request_id(payload),
    }


def sync(payload) -> dict:
    payload = mapping(payload)
    return {
        "since": integer(payload.get("since", 0), "since", low=0, high=2**62),
        "limit": integer(payload.get("limit", 5000), "limit", low=1, high=5000),
    }


def reprint(payload) -> dict:
    payload = mapping(payload)
    if payload.get("job_id") is not None:
        return {"job_id": text(payload.get("job_id"), "job_id", max_len=20)}
    return {"receipt_no": text(payload.get("receipt_no"), "receipt_no", max_len=20)}


def optional_name(payload, field: str) -> str | None:
    return text(mapping(payload).get(field), field, required=False, max_len=40)
