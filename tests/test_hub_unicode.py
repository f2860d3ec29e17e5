"""Text that is not valid Unicode is refused as `invalid`, naming its field, by every command that takes text."""
import uuid

import pytest

LONE = "\ud800"  # a lone surrogate: valid JSON ("\ud800"), not valid Unicode


def some_id():
    return str(uuid.uuid4())


CASES = [
    ("pos", "checkout", {"sale_id": some_id(), "lines": [{"sku": LONE, "qty": 1}],
                         "payments": [{"method": "cash", "amount": 1100}]}, "lines[0].sku"),
    ("pos", "checkout", {"sale_id": some_id(), "lines": [{"sku": "PEN", "qty": 1}],
                         "payments": [{"method": "card", "amount": 1100, "approval_no": LONE}]},
     "payments[0].approval_no"),
    ("pos", "hold", {"hold_id": some_id(), "lines": [{"sku": "PEN", "qty": 1, LONE: 1}]}, "lines[0]"),
    ("kiosk", "hold", {"hold_id": LONE, "lines": [{"sku": "PEN", "qty": 1}]}, "hold_id"),
    ("kiosk", "hold_release", {"code": LONE}, "code"),
    ("pos", "hold_lookup", {"code": "AB" + LONE}, "code"),
    ("pos", "sale_lookup", {"receipt_no": LONE}, "receipt_no"),
    ("pos", "refund", {"refund_id": some_id(), "receipt_no": "x", "reason": LONE, "lines": []}, "reason"),
    ("pos", "login", {"cashier_id": LONE, "pin": "1234"}, "cashier_id"),
    ("pos", "reprint", {"receipt_no": LONE}, "receipt_no"),
    ("kiosk", "feedback", {"feedback_id": some_id(), "rating": 5, "comment": LONE}, "comment"),
    ("kiosk", "book", {"booking_id": some_id(), "slot_id": LONE, "party": 1}, "slot_id"),
    ("kiosk", "ticket_cancel", {"ticket_id": LONE}, "ticket_id"),
    ("scanner", "check_in", {"scan_id": some_id(), "code": LONE}, "code"),
    ("staff", "staff_login", {"name": "tester", "password": "pass" + LONE + "word"}, "password"),
    ("staff", "restock", {"sku": "PEN", "qty": 1, "reason": LONE}, "reason"),
    ("staff", "adjust", {"sku": "PEN", "kind": "count", "qty": 1, "reason": LONE}, "reason"),
    ("staff", "cashier_save", {"cashier_id": "c09", "name": LONE, "pin": "1234"}, "name"),
    ("staff", "device_revoke", {"name": LONE}, "name"),
    ("staff", "pair_create", {"role": "pos", "name": LONE}, "name"),
    ("staff", "product_history", {"sku": LONE}, "sku"),
    ("staff", "replay_resolve", {"sale_id": some_id(), "note": LONE}, "note"),
    ("staff", "print_jobs", {"printer": LONE}, "printer"),
]


@pytest.mark.parametrize("role, command, payload, field", CASES,
                         ids=[f"{role}-{command}-{field}" for role, command, _, field in CASES])
def test_text_that_is_not_unicode_is_invalid_and_names_its_field(hub, clients, role, command, payload, field):
    client = clients(hub.client(role))
    head = client.call("sync", {"since": 0})["seq"]
    answer = client.call(command, payload)
    assert answer["ok"] is False, answer
    assert answer["error"]["code"] == "invalid"
    assert answer["error"]["field"] == field
    assert client.call("sync", {"since": 0})["seq"] == head


def test_a_payload_nested_without_end_is_invalid(hub, clients):
    deep: dict = {}
    for _ in range(50):
        deep = {"x": deep}
    answer = clients(hub.client("pos")).call("catalog", deep)
    assert answer["error"]["code"] == "invalid"
