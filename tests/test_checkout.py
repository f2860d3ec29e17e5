"""A sale: all or nothing, once per sale_id, VAT split, change from cash only."""
import uuid
from datetime import timedelta

import pytest

from hub.rules import checkout, inventory
from hub.wire import payloads
from hub.errors import HallError
from tests.conftest import NOON, signed_in


def sell(store, lines, payments, *, sale_id=None, hold_code=None, now=NOON):
    payload = {"sale_id": sale_id or str(uuid.uuid4()), "lines": lines, "payments": payments,
               "sign_in": signed_in(store, now=now)}
    if hold_code:
        payload["hold_code"] = hold_code
    return store.run(checkout.checkout, payloads.checkout(payload), device="pos-1", tax_rate=10, now=now)


def on_hand(store, sku):
    return store.read_db.execute("SELECT on_hand - held FROM products WHERE sku = ?", [sku]).fetchone()[0]


def test_cash_sale_gives_change_and_splits_vat_apart_from_tax_free_lines(store):
    result, rows = sell(store, [{"sku": "ROBOT", "qty": 1}, {"sku": "RICE", "qty": 2}],
                        [{"method": "cash", "amount": 100000}])
    sale = result["sale"]
    assert sale["total"] == 55000 + 24000
    assert sale["tax_free_total"] == 24000
    assert (sale["supply"], sale["vat"]) == (50000, 5000)
    assert sale["change"] == 21000
    assert sale["payments"] == [{"method": "cash", "amount": 79000, "tendered": 100000, "change": 21000}]
    assert sale["receipt_no"] == "261125-00001"
    assert [r["type"] for r in rows] == ["sale.completed", "stock.changed", "stock.changed"]
    assert on_hand(store, "ROBOT") == 9 and on_hand(store, "RICE") == 48


def test_split_payment_card_and_cash(store):
    result, _ = sell(store, [{"sku": "ROBOT", "qty": 2}],
                     [{"method": "card", "amount": 60000, "approval_no": "30012345", "card_type": "신한",
                       "card_masked": "5123-****-****-1234"}, {"method": "cash", "amount": 50000}])
    assert result["sale"]["change"] == 0
    assert result["sale"]["paid"] == 110000


@pytest.mark.parametrize("payments, code", [
    ([{"method": "cash", "amount": 54999}], "payment_short"),
    ([], "payment_short"),
    ([{"method": "card", "amount": 60000, "approval_no": "1"}], "payment_over"),
])
def test_bad_payment_sells_nothing(store, payments, code):
    with pytest.raises(HallError) as refused:
        sell(store, [{"sku": "ROBOT", "qty": 1}], payments)
    assert refused.value.code == code
    assert on_hand(store, "ROBOT") == 10
    assert store.read_db.execute("SELECT count(*) FROM sales").fetchone()[0] == 0


def test_one_short_line_refuses_the_whole_sale(store):
    with pytest.raises(HallError) as refused:
        sell(store, [{"sku": "ROBOT", "qty": 1}, {"sku": "LAST", "qty": 4}], [{"method": "cash", "amount": 10**6}])
    assert refused.value.code == "out_of_stock"
    assert on_hand(store, "ROBOT") == 10 and on_hand(store, "LAST") == 3


def test_a_retried_sale_id_sells_once_and_answers_the_same(store):
    sale_id = str(uuid.uuid4())
    first, _ = sell(store, [{"sku": "LAST", "qty": 1}], [{"method": "cash", "amount": 99000}], sale_id=sale_id)
    again, rows = sell(store, [{"sku": "LAST", "qty": 1}], [{"method": "cash", "amount": 99000}], sale_id=sale_id)
    assert again == first and rows == []
    assert on_hand(store, "LAST") == 2


def test_a_sale_id_reused_for_another_sale_is_refused(store):
    sale_id = str(uuid.uuid4())
    sell(store, [{"sku": "LAST", "qty": 1}], [{"method": "cash", "amount": 99000}], sale_id=sale_id)
    with pytest.raises(HallError) as refused:
        sell(store, [{"sku": "PEN", "qty": 1}], [{"method": "cash", "amount": 1100}], sale_id=sale_id)
    assert refused.value.code == "id_reused"


def place(store, lines, device="kiosk-1"):
    request = payloads.hold({"hold_id": str(uuid.uuid4()), "lines": lines})
    result, _ = store.run(inventory.place_hold, request, device=device, hold_seconds=600, now=NOON)
    return result["hold"]["code"]


def test_a_sale_consumes_the_kiosk_hold(store):
    code = place(store, [{"sku": "LAST", "qty": 3}])
    result, rows = sell(store, [{"sku": "LAST", "qty": 3}], [{"method": "cash", "amount": 297000}], hold_code=code)
    assert result["sale"]["hold_code"] == code
    assert "hold.consumed" in [r["type"] for r in rows]
    assert store.read_db.execute("SELECT on_hand, held FROM products WHERE sku='LAST'").fetchone() == (0, 0)
    with pytest.raises(HallError) as again:
        sell(store, [{"sku": "PEN", "qty": 1}], [{"method": "cash", "amount": 1100}], hold_code=code)
    assert again.value.code == "hold_used"


def test_held_units_cannot_be_sold_to_someone_else(store):
    place(store, [{"sku": "LAST", "qty": 3}])
    with pytest.raises(HallError) as refused:
        sell(store, [{"sku": "LAST", "qty": 1}], [{"method": "cash", "amount": 99000}])
    assert refused.value.code == "out_of_stock"


def test_an_expired_hold_cannot_be_paid(store):
    code = place(store, [{"sku": "LAST", "qty": 1}])
    with pytest.raises(HallError) as refused:
        sell(store, [{"sku": "LAST", "qty": 1}], [{"method": "cash", "amount": 99000}], hold_code=code,
             now=NOON + timedelta(minutes=11))
    assert refused.value.code == "hold_expired"


def test_an_unknown_hold_code_is_refused(store):
    with pytest.raises(HallError) as refused:
        sell(store, [{"sku": "PEN", "qty": 1}], [{"method": "cash", "amount": 1100}], hold_code="ZZZZZZ")
    assert refused.value.code == "hold_not_found"


def test_receipt_numbers_count_up_within_a_day_and_restart_the_next(store):
    numbers = [sell(store, [{"sku": "PEN", "qty": 1}], [{"method": "cash", "amount": 1100}], now=now)[0]
               ["sale"]["receipt_no"] for now in (NOON, NOON, NOON + timedelta(days=1))]
    assert numbers == ["261125-00001", "261125-00002", "261126-00001"]


def offline(store, lines, cash, **extra):
    payload = {"sale_id": str(uuid.uuid4()), "lines": lines, "payments": [{"method": "cash", "amount": cash}],
               "sign_in": signed_in(store), "offline_at": (NOON - timedelta(minutes=30)).isoformat(), **extra}
    return store.run(checkout.checkout, payloads.checkout(payload), device="pos-1", tax_rate=10, now=NOON)


def test_an_offline_sale_past_the_free_stock_stands_and_leaves_kiosk_orders_their_units(store):
    held, _ = store.run(inventory.place_hold, {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 2}]},
                        device="kiosk-1", hold_seconds=900, now=NOON)
    result, rows = offline(store, [{"sku": "LAST", "qty": 3, "unit_price": 99000}], 297000)
    assert result["sale"]["total"] == 297000
    counts = store.read_db.execute("SELECT on_hand, held FROM products WHERE sku = 'LAST'").fetchone()
    assert counts == (2, 2)  # the one free unit came off; the kiosk order's two stay set aside for it
    [oversold] = [r for r in rows if r["type"] == "stock.oversold"]
    assert (oversold["data"]["qty"], oversold["data"]["sale_id"]) == (2, result["sale"]["sale_id"])
    # A shelf count settles it.
    _, counted = store.run(inventory.adjust, {"sku": "LAST", "kind": "count", "qty": 2, "reason": "count",
                                              "request_id": None}, device="staff-1", now=NOON)
    assert [r["data"]["settlement"] for r in counted if r["type"] == "stock.discrepancy_settled"] == ["count: 2"]


def test_an_offline_sale_of_a_kiosk_order_that_expired_meanwhile_still_stands(store):
    held, _ = store.run(inventory.place_hold, {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 2}]},
                        device="kiosk-1", hold_seconds=60, now=NOON - timedelta(hours=1))
    store.run(inventory.expire_holds, now=NOON - timedelta(minutes=50))
    result, _ = offline(store, [{"sku": "PEN", "qty": 2, "unit_price": 1100}], 2200, hold_code=held["hold"]["code"])
    assert result["sale"]["total"] == 2200 and on_hand(store, "PEN") == 498


def test_an_offline_sale_whose_payments_do_not_cover_its_own_prices_is_refused(store):
    with pytest.raises(HallError) as refused:
        offline(store, [{"sku": "PEN", "qty": 2, "unit_price": 1100}], 1000)
    assert refused.value.code == "payment_short"
    assert store.read_db.execute("SELECT count(*) FROM sales").fetchone() == (0,)
