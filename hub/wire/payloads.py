"""Parsing of untrusted command payloads into plain, checked values.

Every function raises HallError("invalid", ...) naming the offending field and
touches nothing, so a malformed command can never leave half a change behind.
"""
import uuid
from datetime import date, datetime

from ..rules.cashiers import check_id, check_pin
from ..rules.feedback import CONTEXTS as FEEDBACK_CONTEXTS
from ..rules.feedback import MAX_COMMENT as MAX_FEEDBACK_COMMENT
from ..errors import invalid

MAX_LINES = 200
MAX_QTY = 999
MAX_WON = 100_000_000
MAX_TEXT = 200


MAX_DEPTH = 8


def well_formed(payload, field: str = "payload", depth: int = 0) -> None:
    """Refuse text that is not valid Unicode anywhere in a payload, naming where it is.

    JSON may carry a lone surrogate ("\\ud800"); Python holds it as a str that cannot
    be encoded, so it would fail deep inside SQLite or the log instead of here.
    """
    if depth > MAX_DEPTH:
        raise invalid(f"{field} is nested too deeply", field=field)
    if isinstance(payload, str):
        _valid_unicode(payload, field)
    elif isinstance(payload, dict):
        for key, value in payload.items():
            _valid_unicode(key, field)
            well_formed(value, f"{key}" if field == "payload" else f"{field}.{key}", depth + 1)
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            well_formed(value, f"{field}[{index}]", depth + 1)


def _valid_unicode(value, field: str) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid(f"{field} is not valid Unicode text", field=field) from None


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


def lines(value, *, priced: bool = False) -> list[dict]:
    """One line per product; `priced`: a line may say the unit price the till charged (an offline sale's)."""
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
        entry = {"sku": sku, "qty": qty}
        if priced:
            price = line.get("unit_price")
            entry["unit_price"] = None if price is None else integer(price, f"lines[{index}].unit_price",
                                                                     low=0, high=MAX_WON)
        parsed.append(entry)
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


def optional_client_id(payload: dict, field: str) -> str | None:
    value = payload.get(field)
    return None if value is None else client_id(value, field)


def moment(value, field: str) -> str | None:
    """A client's timestamp (an offline sale's own time), ISO 8601 with its offset."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise invalid(f"{field} must be an ISO 8601 time", field=field)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise invalid(f"{field} must be an ISO 8601 time", field=field) from None
    if parsed.tzinfo is None:
        raise invalid(f"{field} must carry its UTC offset", field=field)
    return parsed.isoformat(timespec="milliseconds")


def _business_number_valid(digits: str) -> bool:
    """Korea's 사업자등록번호 check digit."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights)) + (int(digits[8]) * 5) // 10
    return (10 - total % 10) % 10 == int(digits[9])


def cash_receipt(value) -> dict | None:
    """A 현금영수증 request: the buyer's phone, business number or cash-receipt card."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid("cash_receipt must be an object", field="cash_receipt")
    kind = value.get("kind")
    number = value.get("number")
    if kind not in ("phone", "business", "card"):
        raise invalid("cash_receipt.kind must be 'phone', 'business' or 'card'", field="cash_receipt.kind")
    if not isinstance(number, str):
        raise invalid("cash_receipt.number must be a string", field="cash_receipt.number")
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) != len(number.replace("-", "").replace(" ", "")):
        raise invalid("cash_receipt.number may hold only digits and dashes", field="cash_receipt.number")
    valid = {
        "phone": digits.startswith("01") and len(digits) in (10, 11),
        "business": len(digits) == 10 and _business_number_valid(digits),
        "card": 13 <= len(digits) <= 19,
    }[kind]
    if not valid:
        raise invalid(f"cash_receipt.number is not a valid {kind} number", field="cash_receipt.number")
    return {"kind": kind, "number": digits}


def checkout(payload) -> dict:
    payload = mapping(payload)
    code = payload.get("hold_code")
    sale_id = client_id(payload.get("sale_id"), "sale_id")
    sold = lines(payload.get("lines"), priced=True)
    paid = payments(payload.get("payments"))
    till_total = payload.get("total")
    receipt = cash_receipt(payload.get("cash_receipt"))
    if receipt and not any(p["method"] == "cash" for p in paid):
        raise invalid("a 현금영수증 is issued for cash payments only", field="cash_receipt")
    return {
        "sale_id": sale_id,
        "lines": sold,
        "payments": paid,
        "hold_code": hold_code({"code": code}) if code is not None else None,
        "sign_in": sign_in(payload),
        "shift_id": optional_client_id(payload, "shift_id"),
        "cash_receipt": receipt,
        "offline_at": moment(payload.get("offline_at"), "offline_at"),
        # The total the till asked for: kept with an offline sale the hub cannot book, to count its cash.
        "total": None if till_total is None else integer(till_total, "total", low=0, high=MAX_WON),
    }


def sign_in(payload: dict) -> str | None:
    """The till's sign-in secret from its cashier's PIN sign-in (the hub refuses the work without one)."""
    return text(payload.get("sign_in"), "sign_in", required=False, max_len=64)


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


def day(value, *, default: str) -> str:
    """A hall day, YYYY-MM-DD (the hub's own today when none is given)."""
    if value is None:
        return default
    if not isinstance(value, str) or len(value) != 10:
        raise invalid("day must be YYYY-MM-DD", field="day")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise invalid("day must be YYYY-MM-DD", field="day") from None


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


def login(payload) -> dict:
    payload = mapping(payload)
    return {"cashier_id": check_id(payload.get("cashier_id")), "pin": check_pin(payload.get("pin"))}


def cashier_unlock(payload) -> dict:
    payload = mapping(payload)
    return {"cashier_id": check_id(payload.get("cashier_id")),
            "supervisor_id": check_id(payload.get("supervisor_id")),
            "supervisor_pin": check_pin(payload.get("supervisor_pin"), "supervisor_pin")}


def sign_in_unlock(payload) -> dict:
    payload = mapping(payload)
    kind = payload.get("kind")
    if kind not in ("cashier", "staff"):
        raise invalid("kind must be 'cashier' or 'staff'", field="kind")
    return {"kind": kind, "person": text(payload.get("person"), "person", max_len=40),
            "device": text(payload.get("device"), "device", required=False, max_len=40)}


def shift_open(payload) -> dict:
    payload = mapping(payload)
    return {"shift_id": client_id(payload.get("shift_id"), "shift_id"),
            "sign_in": sign_in(payload),
            "float": integer(payload.get("float"), "float", low=0, high=10_000_000),
            "opened_at": moment(payload.get("opened_at"), "opened_at")}


def shift_close(payload) -> dict:
    payload = mapping(payload)
    return {"shift_id": client_id(payload.get("shift_id"), "shift_id"),
            "sign_in": sign_in(payload),
            "counted_cash": integer(payload.get("counted_cash"), "counted_cash", low=0, high=100_000_000),
            "closed_at": moment(payload.get("closed_at"), "closed_at")}


def refund(payload, *, void: bool = False) -> dict:
    payload = mapping(payload)
    request = {
        "refund_id": client_id(payload.get("refund_id"), "refund_id"),
        "receipt_no": text(payload.get("receipt_no"), "receipt_no", max_len=20).removeprefix("RCPT:"),
        "reason": text(payload.get("reason"), "reason", required=False) or "",
        "sign_in": sign_in(payload),
        "shift_id": optional_client_id(payload, "shift_id"),
        "approver_id": None, "approver_pin": None,
    }
    if void:
        # A void takes back the whole sale, so it needs the PIN of the cashier who rang it up.
        request["lines"] = None
        request["approver_id"] = check_id(payload.get("cashier_id"))
        request["approver_pin"] = check_pin(payload.get("pin"))
        return request
    raw = payload.get("lines")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_LINES:
        raise invalid("lines must be a non-empty list", field="lines")
    chosen, seen = [], set()
    for index, line in enumerate(raw):
        if not isinstance(line, dict):
            raise invalid("each line must be an object", field=f"lines[{index}]")
        number = integer(line.get("line_no"), f"lines[{index}].line_no", low=1, high=MAX_LINES)
        if number in seen:
            raise invalid("a line is listed twice", field=f"lines[{index}].line_no")
        seen.add(number)
        chosen.append({"line_no": number, "qty": integer(line.get("qty"), f"lines[{index}].qty", low=1, high=MAX_QTY)})
    request["lines"] = chosen
    if payload.get("supervisor_id") is not None:
        request["approver_id"] = check_id(payload.get("supervisor_id"))
        request["approver_pin"] = check_pin(payload.get("supervisor_pin"), "supervisor_pin")
    return request


def receipt_no(payload) -> str:
    return text(mapping(payload).get("receipt_no"), "receipt_no", max_len=20).removeprefix("RCPT:")


def book(payload) -> dict:
    payload = mapping(payload)
    return {"booking_id": client_id(payload.get("booking_id"), "booking_id"),
            "slot_id": text(payload.get("slot_id"), "slot_id", max_len=40),
            "party": integer(payload.get("party"), "party", low=1, high=50)}


def check_in(payload) -> dict:
    payload = mapping(payload)
    return {"scan_id": client_id(payload.get("scan_id"), "scan_id"),
            "code": text(payload.get("code"), "code", max_len=400),
            "booth": text(payload.get("booth"), "booth", required=False, max_len=16),
            "door": text(payload.get("door"), "door", required=False, max_len=40),
            "offline_at": moment(payload.get("offline_at"), "offline_at")}


def feedback(payload) -> dict:
    payload = mapping(payload)
    context = payload.get("context", "attract")
    if context not in FEEDBACK_CONTEXTS:
        raise invalid(f"context must be one of {', '.join(FEEDBACK_CONTEXTS)}", field="context")
    return {
        "feedback_id": client_id(payload.get("feedback_id"), "feedback_id"),
        "rating": integer(payload.get("rating"), "rating", low=1, high=5),
        "comment": text(payload.get("comment"), "comment", required=False, max_len=MAX_FEEDBACK_COMMENT) or "",
        "context": context,
        "lang": text(payload.get("lang"), "lang", required=False, max_len=8) or "",
    }
