"""Parsing of untrusted command payloads into plain, checked values.

Each command's payload is declared once, below, as a msgspec Struct: its fields, their types and limits.
`SCHEMAS` maps a command to its Struct; docs/protocol.md's payload tables are made from the same Structs
(scripts/protocol_tables.py), so the contract and the code cannot drift. What a type cannot say (one line
per product, a 현금영수증 number's check digit) is a few lines in the command's own parse function.

Every refusal is HallError("invalid", ...) naming the offending field, and touches nothing, so a
malformed command can never leave half a change behind. To add a command: a Struct under
@command_schema("name"), and a parse function that returns what the rule takes.
"""
import re
import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

import msgspec
from msgspec import Meta, Struct

from ..errors import invalid
from ..rules.cashiers import check_id, check_pin
from ..rules.feedback import CONTEXTS as FEEDBACK_CONTEXTS
from ..rules.feedback import MAX_COMMENT as MAX_FEEDBACK_COMMENT

MAX_LINES = 200
MAX_QTY = 999
MAX_WON = 100_000_000
MAX_TEXT = 200
MAX_DEPTH = 8
BEST_SELLERS = 24  # what a till's shelf shows before a search: a couple of screens of touch tiles
MOST_BEST_SELLERS = 60


def Text(max_len: int = MAX_TEXT):  # noqa: N802 (reads as a type in the Structs)
    """A string of at most `max_len` characters; stripped, and free of control characters, after parsing."""
    return Annotated[str, Meta(max_length=max_len)]


def Int(low: int, high: int):  # noqa: N802
    # msgspec refuses a JSON true or 2.0 where an int is declared: quantity 1 cannot arrive as `true`.
    return Annotated[int, Meta(ge=low, le=high)]


# A client-made id (sale, hold, scan...): a UUID, kept in canonical form so a retry in capitals is the same.
ClientId = uuid.UUID
# A client's own time (an offline sale's), ISO 8601 with its UTC offset.
Moment = Annotated[datetime, Meta(tz=True)]
Sku = Text(40)
ReceiptNo = Text(20)
PersonId = Text(40)  # a cashier or supervisor id; its form is checked by rules.cashiers
Pin = Text(16)
SignIn = Text(64)  # the till's sign-in secret from its cashier's PIN sign-in


class Schema(Struct, forbid_unknown_fields=False):
    """A command's payload. Fields not declared are ignored, as a newer screen may send more.

    Text is stripped after parsing, except the fields named in `raw_text`: secrets (a PIN, a password, a
    token) are checked exactly as typed, by the rule that knows them."""
    raw_text: ClassVar[frozenset] = frozenset()


# command -> its payload's Struct: what docs/protocol.md's tables are made from.
SCHEMAS: dict[str, type[Schema]] = {}


def command_schema(*commands: str):
    """Declare a Struct as the payload of `commands` (a command sits beside its schema; no table to edit)."""
    def register(cls: type[Schema]) -> type[Schema]:
        for name in commands:
            SCHEMAS[name] = cls
        return cls
    return register


# ------------------------------------------------------------------ the schemas, one per command

class Line(Struct):
    sku: Sku
    qty: Int(1, MAX_QTY)


Lines = Annotated[list[Line], Meta(min_length=1, max_length=MAX_LINES)]


class SoldLine(Line):
    # What the till charged for one unit: an offline sale is booked at it (docs/protocol.md `checkout`).
    unit_price: Int(0, MAX_WON) | None = None


class Cash(Struct, tag_field="method", tag="cash"):
    amount: Int(1, MAX_WON)


class Card(Struct, tag_field="method", tag="card"):
    amount: Int(1, MAX_WON)
    approval_no: Text(20)
    card_type: Text(40) | None = None
    card_masked: Text(25) | None = None  # a full card number must never reach our database or a receipt


class CashReceipt(Struct):
    """A 현금영수증 request: the buyer's phone, business number or cash-receipt card."""
    kind: Literal["phone", "business", "card"]
    number: Text(40)


@command_schema("sync")
class Sync(Schema):
    since: Int(0, 2**62) = 0
    limit: Int(1, 5000) = 5000


@command_schema("hold")
class Hold(Schema):
    hold_id: ClientId
    lines: Lines


@command_schema("hold_release", "hold_lookup")
class HoldCode(Schema):
    code: Text(20)


@command_schema("checkout")
class Checkout(Schema):
    sale_id: ClientId
    lines: Annotated[list[SoldLine], Meta(min_length=1, max_length=MAX_LINES)]
    payments: Annotated[list[Cash | Card], Meta(max_length=10)]
    hold_code: Text(20) | None = None
    sign_in: SignIn | None = None
    shift_id: ClientId | None = None
    cash_receipt: CashReceipt | None = None
    offline_at: Moment | None = None
    total: Int(0, MAX_WON) | None = None  # the till's own total: kept with an offline sale the hub cannot book


@command_schema("sale_lookup")
class ReceiptLookup(Schema):
    receipt_no: ReceiptNo


class RefundLine(Struct):
    line_no: Int(1, MAX_LINES)
    qty: Int(1, MAX_QTY)


@command_schema("refund")
class Refund(Schema):
    raw_text = frozenset({"supervisor_pin"})
    refund_id: ClientId
    receipt_no: ReceiptNo
    lines: Annotated[list[RefundLine], Meta(min_length=1, max_length=MAX_LINES)]
    reason: Text() | None = None
    sign_in: SignIn | None = None
    shift_id: ClientId | None = None
    supervisor_id: PersonId | None = None
    supervisor_pin: Pin | None = None


@command_schema("void")
class Void(Schema):
    raw_text = frozenset({"pin"})
    refund_id: ClientId
    receipt_no: ReceiptNo
    cashier_id: PersonId
    pin: Pin
    reason: Text() | None = None
    sign_in: SignIn | None = None
    shift_id: ClientId | None = None


@command_schema("reprint")
class Reprint(Schema):
    job_id: Text(20) | None = None
    receipt_no: ReceiptNo | None = None


@command_schema("print_jobs")
class PrintJobs(Schema):
    printer: Text(40) | None = None


@command_schema("restock")
class Restock(Schema):
    sku: Sku
    qty: Int(1, 100_000)
    reason: Text() | None = None
    request_id: ClientId | None = None


@command_schema("adjust")
class Adjust(Schema):
    sku: Sku
    kind: Literal["count", "write_off"]
    qty: Int(0, 100_000)  # a count may be 0; a write-off takes at least one
    reason: Text()
    request_id: ClientId | None = None


@command_schema("login")
class Login(Schema):
    raw_text = frozenset({"pin"})
    cashier_id: PersonId
    pin: Pin


@command_schema("logout")
class Logout(Schema):
    sign_in: SignIn | None = None


@command_schema("cashier_unlock")
class CashierUnlock(Schema):
    raw_text = frozenset({"supervisor_pin"})
    cashier_id: PersonId
    supervisor_id: PersonId
    supervisor_pin: Pin


@command_schema("sign_in_unlock")
class SignInUnlock(Schema):
    kind: Literal["cashier", "staff"]
    person: Text(40)
    device: Text(40) | None = None


@command_schema("shift_open")
class ShiftOpen(Schema):
    shift_id: ClientId
    float: Int(0, 10_000_000)
    sign_in: SignIn | None = None
    opened_at: Moment | None = None


@command_schema("shift_close")
class ShiftClose(Schema):
    shift_id: ClientId
    counted_cash: Int(0, 100_000_000)
    sign_in: SignIn | None = None
    closed_at: Moment | None = None


@command_schema("book")
class Book(Schema):
    booking_id: ClientId
    slot_id: Text(40)
    party: Int(1, 50)


@command_schema("check_in")
class CheckIn(Schema):
    scan_id: ClientId
    code: Text(400)
    booth: Text(16) | None = None
    door: Text(40) | None = None
    offline_at: Moment | None = None


@command_schema("feedback")
class Feedback(Schema):
    feedback_id: ClientId
    rating: Int(1, 5)
    comment: Text(MAX_FEEDBACK_COMMENT) | None = None
    context: Literal[FEEDBACK_CONTEXTS] = "attract"
    lang: Text(8) | None = None


@command_schema("ticket_cancel")
class TicketCancel(Schema):
    ticket_id: Text(20)


@command_schema("device_revoke")
class DeviceName(Schema):
    name: Text(40)


@command_schema("product_history")
class ProductSku(Schema):
    sku: Sku


@command_schema("set_low_stock")
class SetLowStock(Schema):
    sku: Sku
    threshold: Int(0, 100_000) | None = None  # none: the hall's own threshold again


@command_schema("alerts")
class Alerts(Schema):
    open_only: bool = False


@command_schema("alert_ack")
class AlertAck(Schema):
    alert_id: Int(1, 2**62)


@command_schema("replay_resolve")
class ReplayResolve(Schema):
    sale_id: ClientId
    note: Text()


@command_schema("discrepancies")
class Discrepancies(Schema):
    open_only: bool = True


@command_schema("discrepancy_settle")
class DiscrepancySettle(Schema):
    discrepancy_id: Int(1, 2**62)
    note: Text()


@command_schema("day_report", "day_close")
class Day(Schema):
    day: date | None = None  # YYYY-MM-DD; the hub's own today when none is given


@command_schema("call_staff")
class CallStaff(Schema):
    call_id: ClientId
    lang: Literal["ko", "en"] = "ko"  # the visitor's language, so staff know which to speak


@command_schema("shift_report")
class ShiftReport(Schema):
    shift_id: ClientId


@command_schema("best_sellers")
class BestSellers(Schema):
    limit: Int(1, MOST_BEST_SELLERS) = BEST_SELLERS


@command_schema("staff_login")
class StaffLogin(Schema):
    raw_text = frozenset({"name", "password"})
    name: Text(40)  # its form is checked by rules.staff
    password: Text(128)


@command_schema("staff_resume")
class StaffResume(Schema):
    raw_text = frozenset({"token"})
    token: Text(200)


@command_schema("pair_create")
class PairCreate(Schema):
    raw_text = frozenset({"role", "name"})
    role: Text(20)  # role and name are checked by rules.devices
    name: Text(40)


@command_schema("watch")
class Watch(Schema):
    # What a phone shows now: a screen of products and the sessions of the program it has open.
    skus: Annotated[list[Sku], Meta(max_length=60)] = []
    slots: Annotated[list[Text(40)], Meta(max_length=40)] = []


@command_schema("mine")
class Mine(Schema):
    pass


@command_schema("visitors")
class Visitors(Schema):
    limit: Int(1, 1000) = 100


@command_schema("visitor_revoke")
class VisitorRevoke(Schema):
    visitor: Text(20)


@command_schema("cashier_save")
class CashierSave(Schema):
    raw_text = frozenset({"cashier_id", "pin", "name"})
    cashier_id: PersonId
    pin: Pin
    name: Text(40)
    supervisor: bool = False




# ------------------------------------------------------------------ parsing

_MISSING = re.compile(r"^Object missing required field `([^`]+)`")
_WHERE = re.compile(r" - at `\$([^`]*)`$")


def _refusal(error: msgspec.ValidationError):
    """msgspec's message ("Expected `int` >= 1 - at `$.lines[0].qty`") as our `invalid`, naming the field."""
    message = str(error)
    where = _WHERE.search(message)
    field = where.group(1).lstrip(".") if where else ""
    reason = message[:where.start()] if where else message
    missing = _MISSING.match(reason)
    if missing:
        field = f"{field}.{missing.group(1)}" if field else missing.group(1)
        reason = "is required"
    field = field or "payload"
    return invalid(f"{field}: {reason[:1].lower()}{reason[1:]}", field=field)


_REQUIRED: dict[type, frozenset] = {}
_CONTROL = re.compile("[\x00-\x1f]")


def _clean(value, field: str):
    """Strip every string of a parsed Struct and refuse control characters and blank required text."""
    if isinstance(value, Struct):
        cls = type(value)
        required = _REQUIRED.get(cls)
        if required is None:
            required = _REQUIRED[cls] = frozenset(
                f.name for f in msgspec.structs.fields(cls) if f.required)
        raw = getattr(cls, "raw_text", ())
        for name in value.__struct_fields__:
            item = getattr(value, name)
            path = f"{field}.{name}" if field else name
            if isinstance(item, str) and name not in raw:
                if _CONTROL.search(item):
                    raise invalid(f"{path} contains control characters", field=path)
                stripped = item.strip()
                if not stripped and name in required:
                    raise invalid(f"{path} must be a non-empty string", field=path)
                if stripped is not item:
                    setattr(value, name, stripped)
            elif isinstance(item, (Struct, list)):
                _clean(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _clean(item, f"{field}[{index}]")


def parse(schema: type[Schema], payload):
    """`payload` checked against `schema`: a Struct with its text stripped, or HallError("invalid", field=...)."""
    if payload is None:
        payload = {}
    try:
        parsed = msgspec.convert(payload, schema, strict=True)
    except msgspec.ValidationError as error:
        raise _refusal(error) from None
    _clean(parsed, "")
    return parsed


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


# ------------------------------------------------------------------ small helpers the handlers share

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


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="milliseconds")


def moment(value, field: str) -> str | None:
    """A client's timestamp on its own (tests and replays compare claims in this form)."""
    try:
        return _moment(msgspec.convert(value, Moment | None, strict=True))
    except msgspec.ValidationError:
        raise invalid(f"{field} must be an ISO 8601 time with its UTC offset", field=field) from None


# ------------------------------------------------------------------ each command: parse, then what a type cannot say

def _lines(parsed: list[Line]) -> list[dict]:
    seen = set()
    for index, line in enumerate(parsed):
        if line.sku in seen:
            raise invalid(f"{line.sku} is listed twice; send one line per product", field=f"lines[{index}].sku")
        seen.add(line.sku)
    return [{"sku": line.sku, "qty": line.qty} for line in parsed]


def _sold_lines(parsed: list[SoldLine]) -> list[dict]:
    return [{**line, "unit_price": sold.unit_price} for line, sold in zip(_lines(parsed), parsed)]


def hold(payload) -> dict:
    parsed = parse(Hold, payload)
    return {"hold_id": str(parsed.hold_id), "lines": _lines(parsed.lines)}


def _hold_code(code: str) -> str:
    # A slip's QR says "HOLD:ABC234"; a cashier types "abc-234": both are the same hold.
    return code.upper().replace("-", "").removeprefix("HOLD:")


def hold_code(payload) -> str:
    return _hold_code(parse(HoldCode, payload).code)


def _payments(parsed: list) -> list[dict]:
    paid = []
    for index, payment in enumerate(parsed):
        if isinstance(payment, Card):
            masked = payment.card_masked
            if masked and sum(ch.isdigit() for ch in masked) > 10:
                raise invalid("card_masked must hide all but a few digits", field=f"payments[{index}].card_masked")
            paid.append({"method": "card", "amount": payment.amount, "approval_no": payment.approval_no,
                         "card_type": payment.card_type, "card_masked": masked})
        else:
            paid.append({"method": "cash", "amount": payment.amount})
    return paid


def _business_number_valid(digits: str) -> bool:
    """Korea's 사업자등록번호 check digit."""
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(int(d) * w for d, w in zip(digits[:9], weights)) + (int(digits[8]) * 5) // 10
    return (10 - total % 10) % 10 == int(digits[9])


def _cash_receipt(receipt: CashReceipt | None) -> dict | None:
    if receipt is None:
        return None
    kind, number = receipt.kind, receipt.number
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
    parsed = parse(Checkout, payload)
    sold = _sold_lines(parsed.lines)
    paid = _payments(parsed.payments)
    receipt = _cash_receipt(parsed.cash_receipt)
    if receipt and not any(p["method"] == "cash" for p in paid):
        raise invalid("a 현금영수증 is issued for cash payments only", field="cash_receipt")
    return {
        "sale_id": str(parsed.sale_id),
        "lines": sold,
        "payments": paid,
        "hold_code": None if parsed.hold_code is None else _hold_code(parsed.hold_code),
        "sign_in": parsed.sign_in,
        "shift_id": _id(parsed.shift_id),
        "cash_receipt": receipt,
        "offline_at": _moment(parsed.offline_at),
        "total": parsed.total,
    }


def sign_in(payload: dict) -> str | None:
    """The till's sign-in secret from its cashier's PIN sign-in (the hub refuses the work without one)."""
    return parse(Logout, payload).sign_in


def restock(payload) -> dict:
    parsed = parse(Restock, payload)
    return {"sku": parsed.sku, "qty": parsed.qty, "reason": parsed.reason or "",
            "request_id": _id(parsed.request_id)}


def adjust(payload) -> dict:
    parsed = parse(Adjust, payload)
    if parsed.kind == "write_off" and parsed.qty < 1:
        raise invalid("qty must be between 1 and 100000 for a write-off", field="qty")
    return {"sku": parsed.sku, "kind": parsed.kind, "qty": parsed.qty, "reason": parsed.reason,
            "request_id": _id(parsed.request_id)}


def sync(payload) -> dict:
    parsed = parse(Sync, payload)
    return {"since": parsed.since, "limit": parsed.limit}


def reprint(payload) -> dict:
    parsed = parse(Reprint, payload)
    if parsed.job_id is not None:
        return {"job_id": parsed.job_id}
    if not parsed.receipt_no:
        raise invalid("receipt_no must be a non-empty string", field="receipt_no")
    return {"receipt_no": parsed.receipt_no}


def optional_name(payload, field: str) -> str | None:
    return text(mapping(payload).get(field), field, required=False, max_len=40)


def login(payload) -> dict:
    parsed = parse(Login, payload)
    return {"cashier_id": check_id(parsed.cashier_id), "pin": check_pin(parsed.pin)}


def cashier_unlock(payload) -> dict:
    parsed = parse(CashierUnlock, payload)
    return {"cashier_id": check_id(parsed.cashier_id), "supervisor_id": check_id(parsed.supervisor_id),
            "supervisor_pin": check_pin(parsed.supervisor_pin, "supervisor_pin")}


def sign_in_unlock(payload) -> dict:
    parsed = parse(SignInUnlock, payload)
    return {"kind": parsed.kind, "person": parsed.person, "device": parsed.device}


def shift_open(payload) -> dict:
    parsed = parse(ShiftOpen, payload)
    return {"shift_id": str(parsed.shift_id), "sign_in": parsed.sign_in, "float": parsed.float,
            "opened_at": _moment(parsed.opened_at)}


def shift_close(payload) -> dict:
    parsed = parse(ShiftClose, payload)
    return {"shift_id": str(parsed.shift_id), "sign_in": parsed.sign_in, "counted_cash": parsed.counted_cash,
            "closed_at": _moment(parsed.closed_at)}


def _receipt_no(value: str) -> str:
    return value.removeprefix("RCPT:")


def refund(payload, *, void: bool = False) -> dict:
    if void:
        # A void takes back the whole sale, so it needs the PIN of the cashier who rang it up.
        parsed = parse(Void, payload)
        return {"refund_id": str(parsed.refund_id), "receipt_no": _receipt_no(parsed.receipt_no),
                "reason": parsed.reason or "", "sign_in": parsed.sign_in, "shift_id": _id(parsed.shift_id),
                "lines": None, "approver_id": check_id(parsed.cashier_id), "approver_pin": check_pin(parsed.pin)}
    parsed = parse(Refund, payload)
    seen = set()
    for index, line in enumerate(parsed.lines):
        if line.line_no in seen:
            raise invalid("a line is listed twice", field=f"lines[{index}].line_no")
        seen.add(line.line_no)
    request = {"refund_id": str(parsed.refund_id), "receipt_no": _receipt_no(parsed.receipt_no),
               "reason": parsed.reason or "", "sign_in": parsed.sign_in, "shift_id": _id(parsed.shift_id),
               "lines": [{"line_no": line.line_no, "qty": line.qty} for line in parsed.lines],
               "approver_id": None, "approver_pin": None}
    if parsed.supervisor_id is not None:
        request["approver_id"] = check_id(parsed.supervisor_id)
        if parsed.supervisor_pin is None:
            raise invalid("supervisor_pin must be 4 to 8 digits", field="supervisor_pin")
        request["approver_pin"] = check_pin(parsed.supervisor_pin, "supervisor_pin")
    return request


def receipt_no(payload) -> str:
    return _receipt_no(parse(ReceiptLookup, payload).receipt_no)


def book(payload) -> dict:
    parsed = parse(Book, payload)
    return {"booking_id": str(parsed.booking_id), "slot_id": parsed.slot_id, "party": parsed.party}


def check_in(payload) -> dict:
    parsed = parse(CheckIn, payload)
    return {"scan_id": str(parsed.scan_id), "code": parsed.code, "booth": parsed.booth, "door": parsed.door,
            "offline_at": _moment(parsed.offline_at)}


def feedback(payload) -> dict:
    parsed = parse(Feedback, payload)
    return {"feedback_id": str(parsed.feedback_id), "rating": parsed.rating, "comment": parsed.comment or "",
            "context": parsed.context, "lang": parsed.lang or ""}


def ticket_cancel(payload) -> str:
    return parse(TicketCancel, payload).ticket_id


def device_name(payload) -> str:
    return parse(DeviceName, payload).name


def product_sku(payload) -> str:
    return parse(ProductSku, payload).sku


def set_low_stock(payload) -> dict:
    parsed = parse(SetLowStock, payload)
    return {"sku": parsed.sku, "threshold": parsed.threshold}


def alerts(payload) -> dict:
    return {"open_only": parse(Alerts, payload).open_only}


def alert_ack(payload) -> int:
    return parse(AlertAck, payload).alert_id


def replay_resolve(payload) -> dict:
    parsed = parse(ReplayResolve, payload)
    return {"sale_id": str(parsed.sale_id), "note": parsed.note}


def shift_report(payload) -> str:
    return str(parse(ShiftReport, payload).shift_id)


def best_sellers(payload) -> int:
    return parse(BestSellers, payload).limit


def staff_login(payload) -> dict:
    parsed = parse(StaffLogin, payload)
    return {"name": parsed.name, "password": parsed.password}


def staff_resume(payload) -> str:
    return parse(StaffResume, payload).token


def pair_create(payload) -> dict:
    parsed = parse(PairCreate, payload)
    return {"role": parsed.role, "name": parsed.name}


def cashier_save(payload) -> dict:
    parsed = parse(CashierSave, payload)
    return {"cashier_id": parsed.cashier_id, "pin": parsed.pin, "name": parsed.name,
            "supervisor": parsed.supervisor}


def discrepancies(payload) -> bool:
    """open_only"""
    return parse(Discrepancies, payload).open_only


def discrepancy_settle(payload) -> dict:
    parsed = parse(DiscrepancySettle, payload)
    return {"discrepancy_id": parsed.discrepancy_id, "note": parsed.note}


def day(payload, *, default: str) -> str:
    """A hall day, YYYY-MM-DD (the hub's own today when none is given)."""
    parsed = parse(Day, payload).day
    return default if parsed is None else parsed.isoformat()


def call_staff(payload) -> dict:
    parsed = parse(CallStaff, payload)
    return {"call_id": str(parsed.call_id), "lang": parsed.lang}


def watch(payload) -> dict:
    parsed = parse(Watch, payload)
    # Repeats cost nothing and change nothing: each product and session is watched once, in the order sent.
    return {"skus": list(dict.fromkeys(parsed.skus)), "slots": list(dict.fromkeys(parsed.slots))}


def mine(payload) -> None:
    parse(Mine, payload)


def visitors(payload) -> int:
    return parse(Visitors, payload).limit


def visitor(payload) -> str:
    return parse(VisitorRevoke, payload).visitor
