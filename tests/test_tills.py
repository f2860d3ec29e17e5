"""Cashier PINs and lockout, shifts with a Z report, refunds and voids — on a fresh store."""
import uuid
from datetime import timedelta

import pytest

from hub.rules import cashiers, checkout, refunds, shifts
from hub.wire import payloads
from hub.errors import HallError
from tests.conftest import NOON, signed_in


@pytest.fixture
def till(store):
    store.run(cashiers.upsert, "c01", "김계산", cashiers.hash_pin("1234"), supervisor=False, now=NOON)
    store.run(cashiers.upsert, "s01", "박감독", cashiers.hash_pin("9999"), supervisor=True, now=NOON)
    return store


def login(store, pin, cashier_id="c01", now=NOON):
    result, rows = store.run(cashiers.login, cashier_id, pin, device="pos-1", now=now)
    return result, rows


def test_the_right_pin_signs_in_and_the_pin_is_not_stored(till):
    result, rows = login(till, "1234")
    assert result["cashier"] == {"cashier_id": "c01", "name": "김계산", "supervisor": False}
    assert len(result["sign_in"]) >= 32
    stored = till.read_db.execute("SELECT pin_hash FROM cashiers WHERE cashier_id = 'c01'").fetchone()[0]
    assert "1234" not in stored and stored.startswith("scrypt$")


def test_five_wrong_pins_lock_the_cashier_even_with_the_right_pin_after(till):
    answers = [login(till, "0000")[0]["refused"] for _ in range(5)]
    assert [a.code for a in answers] == ["wrong_pin"] * 4 + ["locked"]
    assert [a.details.get("attempts_left") for a in answers[:4]] == [4, 3, 2, 1]
    assert login(till, "1234")[0]["refused"].code == "locked"
    assert "cashier" in login(till, "1234", now=NOON + timedelta(minutes=5, seconds=1))[0]


def test_a_right_pin_resets_the_count(till):
    for _ in range(4):
        login(till, "0000")
    login(till, "1234")
    assert login(till, "0000")[0]["refused"].details["attempts_left"] == 4


def test_an_unknown_cashier_is_refused(till):
    assert login(till, "1234", cashier_id="nobody")[0]["refused"].code == "unknown_cashier"


def sell(store, lines, payments, shift_id=None, cashier="c01"):
    request = payloads.checkout({"sale_id": str(uuid.uuid4()), "lines": lines, "payments": payments,
                                 "shift_id": shift_id, "sign_in": signed_in(store, cashier)})
    return store.run(checkout.checkout, request, device="pos-1", tax_rate=10, now=NOON)[0]["sale"]


def open_shift(store, float_=100000):
    shift_id = str(uuid.uuid4())
    store.run(shifts.open_shift, payloads.shift_open({"shift_id": shift_id, "sign_in": signed_in(store), "float": float_}),
              device="pos-1", now=NOON)
    return shift_id


def refund(store, receipt_no, lines=None, void=False, **extra):
    payload = {"refund_id": str(uuid.uuid4()), "receipt_no": receipt_no, "sign_in": signed_in(store), **extra}
    if lines is not None:
        payload["lines"] = lines
    return store.run(refunds.refund, payloads.refund(payload, void=void), device="pos-1", tax_rate=10,
                     approval_over=50000, void=void, now=NOON)


def test_a_shift_closes_with_the_expected_cash_and_the_difference(till):
    shift_id = open_shift(till)
    sell(till, [{"sku": "PEN", "qty": 10}], [{"method": "cash", "amount": 20000}], shift_id)
    sell(till, [{"sku": "ROBOT", "qty": 1}], [{"method": "card", "amount": 55000, "approval_no": "1"}], shift_id)
    sale = sell(till, [{"sku": "RICE", "qty": 1}], [{"method": "cash", "amount": 12000}], shift_id)
    refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 1}], shift_id=shift_id)
    request = payloads.shift_close({"shift_id": shift_id, "counted_cash": 110500, "sign_in": signed_in(till)})
    result, rows = till.run(shifts.close_shift, request, device="pos-1", now=NOON)
    z = result["report"]
    assert z["sales_count"] == 3
    assert z["by_method"] == {"cash": 11000 + 12000, "card": 55000}
    assert z["refunds"] == {"count": 1, "amount": 12000}
    assert z["expected_cash"] == 100000 + 23000 - 12000
    assert z["difference"] == 110500 - 111000
    assert rows[0]["type"] == "shift.closed"
    again, _ = till.run(shifts.close_shift, request, device="pos-1", now=NOON)
    assert again == result


def test_a_closed_shift_cannot_close_again_with_another_count(till):
    shift_id = open_shift(till)
    till.run(shifts.close_shift, payloads.shift_close({"shift_id": shift_id, "counted_cash": 1, "sign_in": signed_in(till)}), device="pos-1",
             now=NOON)
    with pytest.raises(HallError) as refused:
        till.run(shifts.close_shift, payloads.shift_close({"shift_id": shift_id, "counted_cash": 2, "sign_in": signed_in(till)}),
                 device="pos-1", now=NOON)
    assert refused.value.code == "shift_closed"


def test_a_refund_returns_stock_and_goes_back_card_first(till):
    sale = sell(till, [{"sku": "ROBOT", "qty": 2}, {"sku": "RICE", "qty": 1}],
                [{"method": "card", "amount": 60000, "approval_no": "A1"}, {"method": "cash", "amount": 62000}])
    result, rows = refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 1}, {"line_no": 2, "qty": 1}],
                          supervisor_id="s01", supervisor_pin="9999")
    done = result["refund"]
    assert done["total"] == 67000 and done["tax_free_total"] == 12000
    assert (done["supply"], done["vat"]) == (50000, 5000)
    assert done["payments"] == [{"method": "card", "amount": 60000, "approval_no": "A1"},
                                {"method": "cash", "amount": 7000, "approval_no": None}]
    assert done["original_receipt_no"] == sale["receipt_no"] and done["approved_by"] == "s01"
    stock = {r["data"]["sku"]: r["data"]["on_hand"] for r in rows if r["type"] == "stock.changed"}
    assert stock == {"ROBOT": 9, "RICE": 50}


def test_a_line_cannot_be_refunded_beyond_what_was_sold(till):
    sale = sell(till, [{"sku": "PEN", "qty": 3}], [{"method": "cash", "amount": 3300}])
    refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 2}])
    with pytest.raises(HallError) as refused:
        refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 2}])
    assert refused.value.code == "over_refund" and refused.value.details["refundable"] == 1


def test_a_large_refund_needs_a_supervisors_pin(till):
    sale = sell(till, [{"sku": "ROBOT", "qty": 1}], [{"method": "cash", "amount": 55000}])
    result, _ = refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 1}])
    assert result["refused"].code == "approval_required"
    result, _ = refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 1}], supervisor_id="c01",
                       supervisor_pin="1234")
    assert result["refused"].code == "supervisor_required"
    result, _ = refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 1}], supervisor_id="s01",
                       supervisor_pin="0000")
    assert result["refused"].code == "wrong_pin"
    assert till.read_db.execute("SELECT count(*) FROM refunds").fetchone()[0] == 0
    assert till.read_db.execute("SELECT failed FROM sign_in_misses WHERE person = 's01' AND device = 'pos-1'"
                                ).fetchone()[0] == 1


def test_a_void_takes_back_the_whole_sale_with_the_cashiers_pin(till):
    sale = sell(till, [{"sku": "LAST", "qty": 2}, {"sku": "PEN", "qty": 1}], [{"method": "cash", "amount": 200000}])
    result, _ = refund(till, sale["receipt_no"], void=True, cashier_id="c01", pin="0000")
    assert result["refused"].code == "wrong_pin"
    result, _ = refund(till, sale["receipt_no"], void=True, cashier_id="c01", pin="1234")
    assert result["refund"]["kind"] == "void" and result["refund"]["total"] == 199100
    with pytest.raises(HallError) as again:
        refund(till, sale["receipt_no"], void=True, cashier_id="c01", pin="1234")
    assert again.value.code == "already_refunded"


def test_another_cashier_cannot_void_but_a_supervisor_can(till):
    till.run(cashiers.upsert, "c02", "이수납", cashiers.hash_pin("5555"), supervisor=False, now=NOON)
    sale = sell(till, [{"sku": "PEN", "qty": 1}], [{"method": "cash", "amount": 1100}])
    result, _ = refund(till, sale["receipt_no"], void=True, cashier_id="c02", pin="5555")
    assert result["refused"].code == "wrong_cashier"
    result, _ = refund(till, sale["receipt_no"], void=True, cashier_id="s01", pin="9999")
    assert result["refund"]["approved_by"] == "s01"


def test_sale_lookup_shows_what_is_left_to_refund(till):
    sale = sell(till, [{"sku": "PEN", "qty": 3}], [{"method": "cash", "amount": 3300}])
    refund(till, sale["receipt_no"], [{"line_no": 1, "qty": 1}])
    found = refunds.find_sale(till.read_db, sale["receipt_no"])
    assert found["lines"][0]["refunded"] == 1 and len(found["refunds"]) == 1
    with pytest.raises(HallError) as refused:
        refunds.find_sale(till.read_db, "000000-00000")
    assert refused.value.code == "unknown_receipt"


@pytest.mark.parametrize("receipt, ok", [
    ({"kind": "phone", "number": "010-1234-5678"}, True), ({"kind": "phone", "number": "02-123-4567"}, False),
    ({"kind": "business", "number": "214-82-12343"}, True), ({"kind": "business", "number": "214-82-12345"}, False),
    ({"kind": "card", "number": "1234567890123"}, True), ({"kind": "email", "number": "x"}, False),
    ({"kind": "phone", "number": "010-abcd-5678"}, False), ("01012345678", False),
])
def test_cash_receipt_requests_are_checked(receipt, ok):
    payload = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
               "payments": [{"method": "cash", "amount": 1100}], "cash_receipt": receipt}
    if ok:
        assert payloads.checkout(payload)["cash_receipt"]["number"].isdigit()
    else:
        with pytest.raises(HallError):
            payloads.checkout(payload)


def test_a_cash_receipt_is_for_cash_only():
    with pytest.raises(HallError) as refused:
        payloads.checkout({"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
                           "payments": [{"method": "card", "amount": 1100, "approval_no": "1"}],
                           "cash_receipt": {"kind": "phone", "number": "01012345678"}})
    assert refused.value.details["field"] == "cash_receipt"
