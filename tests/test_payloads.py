"""Malformed payloads are refused with `invalid` and the field at fault."""
import uuid

import msgspec
import pytest

from hub.wire import payloads
from hub.errors import HallError

SALE_ID = str(uuid.uuid4())
GOOD_LINES = [{"sku": "ROBOT", "qty": 1}]
GOOD_PAY = [{"method": "cash", "amount": 60000}]


def sale(**changes):
    payload = {"sale_id": SALE_ID, "lines": GOOD_LINES, "payments": GOOD_PAY}
    payload.update(changes)
    return payload


@pytest.mark.parametrize("payload, field", [
    (None, "sale_id"),
    ("not an object", "payload"),
    ([1, 2], "payload"),
    (sale(sale_id=None), "sale_id"),
    (sale(sale_id=12345), "sale_id"),
    (sale(sale_id="sale-1"), "sale_id"),
    (sale(sale_id="x" * 100), "sale_id"),
    (sale(lines=[]), "lines"),
    (sale(lines="ROBOT"), "lines"),
    (sale(lines=[["ROBOT", 1]]), "lines[0]"),
    (sale(lines=[{"sku": "ROBOT"}]), "lines[0].qty"),
    (sale(lines=[{"sku": "ROBOT", "qty": 0}]), "lines[0].qty"),
    (sale(lines=[{"sku": "ROBOT", "qty": -2}]), "lines[0].qty"),
    (sale(lines=[{"sku": "ROBOT", "qty": 1.5}]), "lines[0].qty"),
    (sale(lines=[{"sku": "ROBOT", "qty": "2"}]), "lines[0].qty"),
    (sale(lines=[{"sku": "ROBOT", "qty": True}]), "lines[0].qty"),
    (sale(lines=[{"sku": "ROBOT", "qty": 10**9}]), "lines[0].qty"),
    (sale(lines=[{"sku": "", "qty": 1}]), "lines[0].sku"),
    (sale(lines=[{"sku": 7, "qty": 1}]), "lines[0].sku"),
    (sale(lines=[{"sku": "A\x00B", "qty": 1}]), "lines[0].sku"),
    (sale(lines=[{"sku": "ROBOT", "qty": 1}, {"sku": "ROBOT", "qty": 2}]), "lines[1].sku"),
    (sale(lines=[{"sku": "P", "qty": 1}] * 201), "lines"),
    (sale(payments=None), "payments"),
    (sale(payments=[{"method": "bitcoin", "amount": 1}]), "payments[0].method"),
    (sale(payments=[{"method": "cash", "amount": 0}]), "payments[0].amount"),
    (sale(payments=[{"method": "cash", "amount": -5}]), "payments[0].amount"),
    (sale(payments=[{"method": "cash", "amount": "60000"}]), "payments[0].amount"),
    (sale(payments=[{"method": "card", "amount": 100}]), "payments[0].approval_no"),
    (sale(payments=[{"method": "card", "amount": 100, "approval_no": "1",
                     "card_masked": "4111111111111111"}]), "payments[0].card_masked"),
    (sale(hold_code=123), "hold_code"),
])
def test_malformed_checkout_is_invalid(payload, field):
    with pytest.raises(HallError) as refused:
        payloads.checkout(payload)
    assert refused.value.code == "invalid"
    assert refused.value.details["field"] == field


@pytest.mark.parametrize("payload", [
    {"sku": "ROBOT"}, {"sku": "ROBOT", "qty": 0}, {"sku": "ROBOT", "qty": -1},
    {"sku": "ROBOT", "qty": 2.0}, {"qty": 3}, {"sku": "ROBOT", "qty": 1, "reason": 5},
    {"sku": "ROBOT", "qty": 1, "request_id": "again"},
])
def test_malformed_restock_is_invalid(payload):
    with pytest.raises(HallError) as refused:
        payloads.restock(payload)
    assert refused.value.code == "invalid"


@pytest.mark.parametrize("payload", [
    {"since": -1}, {"since": "5"}, {"since": None}, {"limit": 0}, {"limit": 100000}, [],
])
def test_malformed_sync_is_invalid(payload):
    with pytest.raises(HallError) as refused:
        payloads.sync(payload)
    assert refused.value.code == "invalid"


def test_client_ids_are_normalised_so_a_retry_in_capitals_is_the_same_sale():
    lower = payloads.checkout(sale())["sale_id"]
    upper = payloads.checkout(sale(sale_id=SALE_ID.upper()))["sale_id"]
    assert lower == upper == SALE_ID


def test_hold_code_from_a_scanned_slip_is_read_like_a_typed_one():
    assert payloads.hold_code({"code": "HOLD:JHP66U"}) == "JHP66U"
    assert payloads.hold_code({"code": "jhp-66u"}) == "JHP66U"


@pytest.mark.parametrize("payload", [{"job_id": ""}, {"job_id": "  "}, {"job_id": "", "receipt_no": "R-1"}])
def test_a_blank_job_id_to_reprint_is_invalid(payload):
    """Found by the payload fuzz (tests/test_hub_payload_properties.py): it was an `internal`."""
    with pytest.raises(HallError) as refused:
        payloads.reprint(payload)
    assert (refused.value.code, refused.value.details["field"]) == ("invalid", "job_id")


REQUIRED = [(name, field.name) for name, schema in sorted(payloads.SCHEMAS.items())
            for field in msgspec.structs.fields(schema) if field.required]


@pytest.mark.parametrize("command, field", REQUIRED)
def test_every_required_field_of_every_schema_is_named_when_it_is_missing_or_of_the_wrong_kind(command, field):
    schema = payloads.SCHEMAS[command]
    for payload in ({}, {field: {"an object": "where a value belongs"}}):
        with pytest.raises(HallError) as refused:
            payloads.parse(schema, payload)
        assert refused.value.code == "invalid"
        if field in payload:
            assert refused.value.details["field"] == field


@pytest.mark.parametrize("command", sorted(payloads.SCHEMAS))
def test_a_payload_that_is_not_an_object_is_refused_as_the_payload(command):
    with pytest.raises(HallError) as refused:
        payloads.parse(payloads.SCHEMAS[command], "a string")
    assert (refused.value.code, refused.value.details["field"]) == ("invalid", "payload")


def test_text_is_stripped_but_a_secret_is_checked_as_typed():
    assert payloads.restock({"sku": "  ROBOT ", "qty": 1, "reason": " 입고 "}) == \
        {"sku": "ROBOT", "qty": 1, "reason": "입고", "request_id": None}
    assert payloads.staff_login({"name": "mina", "password": " open sesame "})["password"] == " open sesame "
    with pytest.raises(HallError) as refused:
        payloads.login({"cashier_id": "c01", "pin": " 1234"})
    assert refused.value.details["field"] == "pin"


@pytest.mark.parametrize("payload, field", [
    ({"sku": "ROBOT", "threshold": -1}, "threshold"), ({"sku": "ROBOT", "threshold": True}, "threshold"),
    ({"sku": "", "threshold": 3}, "sku"), ({"sku": "A\x1bB"}, "sku"),
])
def test_malformed_low_stock_settings_name_their_field(payload, field):
    with pytest.raises(HallError) as refused:
        payloads.set_low_stock(payload)
    assert (refused.value.code, refused.value.details["field"]) == ("invalid", field)


def test_a_write_off_takes_at_least_one_unit_and_a_count_may_be_zero():
    assert payloads.adjust({"sku": "PEN", "kind": "count", "qty": 0, "reason": "세어 봄"})["qty"] == 0
    with pytest.raises(HallError) as refused:
        payloads.adjust({"sku": "PEN", "kind": "write_off", "qty": 0, "reason": "파손"})
    assert refused.value.details["field"] == "qty"
