"""Holds, expiry, restocks and corrections, straight on the store with a fixed time."""
import uuid
from datetime import timedelta

import pytest

from hub.rules import inventory
from hub.wire import payloads
from hub.errors import HallError
from tests.conftest import NOON


def counts(store, sku):
    on_hand, held = store.read_db.execute("SELECT on_hand, held FROM products WHERE sku = ?", [sku]).fetchone()
    return on_hand, held


def hold(store, lines, *, now=NOON, hold_id=None, device="kiosk-1"):
    request = payloads.hold({"hold_id": hold_id or str(uuid.uuid4()), "lines": lines})
    return store.run(inventory.place_hold, request, device=device, hold_seconds=600, now=now)


def test_a_hold_reserves_stock_without_taking_it(store):
    result, rows = hold(store, [{"sku": "ROBOT", "qty": 4}])
    assert counts(store, "ROBOT") == (10, 4)
    assert result["hold"]["total"] == 4 * 55000
    assert result["hold"]["expires_at"] == (NOON + timedelta(minutes=10)).isoformat(timespec="milliseconds")
    assert [r["type"] for r in rows] == ["hold.created", "stock.changed"]
    assert rows[1]["data"] == {"sku": "ROBOT", "on_hand": 10, "available": 6}


def test_a_short_hold_names_each_short_line_and_reserves_nothing(store):
    with pytest.raises(HallError) as refused:
        hold(store, [{"sku": "ROBOT", "qty": 2}, {"sku": "LAST", "qty": 5}, {"sku": "GONE", "qty": 1}])
    assert refused.value.code == "out_of_stock"
    assert refused.value.details["lines"] == [
        {"sku": "LAST", "requested": 5, "available": 3}, {"sku": "GONE", "requested": 1, "available": 0}]
    assert counts(store, "ROBOT") == (10, 0)


def test_an_unknown_product_is_refused(store):
    with pytest.raises(HallError) as refused:
        hold(store, [{"sku": "NOPE", "qty": 1}])
    assert refused.value.code == "unknown_product"


def test_the_same_hold_id_holds_once(store):
    hold_id = str(uuid.uuid4())
    first, _ = hold(store, [{"sku": "LAST", "qty": 2}], hold_id=hold_id)
    again, rows = hold(store, [{"sku": "LAST", "qty": 2}], hold_id=hold_id)
    assert again == first and rows == []
    assert counts(store, "LAST") == (3, 2)


def test_a_hold_id_reused_for_other_lines_is_refused(store):
    hold_id = str(uuid.uuid4())
    hold(store, [{"sku": "LAST", "qty": 1}], hold_id=hold_id)
    with pytest.raises(HallError) as refused:
        hold(store, [{"sku": "LAST", "qty": 2}], hold_id=hold_id)
    assert refused.value.code == "id_reused"


def test_expired_holds_are_released_by_the_sweep(store):
    placed, _ = hold(store, [{"sku": "LAST", "qty": 3}])
    early, rows = store.run(inventory.expire_holds, now=NOON + timedelta(minutes=9))
    assert early["expired"] == [] and rows == []
    late, rows = store.run(inventory.expire_holds, now=NOON + timedelta(minutes=10))
    assert late["expired"] == [placed["hold"]["code"]]
    assert [r["type"] for r in rows] == ["hold.expired", "stock.changed"]
    assert counts(store, "LAST") == (3, 0)


def test_a_kiosk_cancels_its_own_order_but_not_anothers(store):
    placed, _ = hold(store, [{"sku": "ROBOT", "qty": 1}], device="kiosk-1")
    code = placed["hold"]["code"]
    with pytest.raises(HallError) as refused:
        store.run(inventory.release_hold, code, device="kiosk-2", role="kiosk", now=NOON)
    assert refused.value.code == "forbidden"
    store.run(inventory.release_hold, code, device="kiosk-1", role="kiosk", now=NOON)
    assert counts(store, "ROBOT") == (10, 0)
    with pytest.raises(HallError) as again:
        store.run(inventory.release_hold, code, device="kiosk-1", role="kiosk", now=NOON)
    assert again.value.code == "hold_expired"


def test_restock_adds_units_and_says_who(store):
    request = payloads.restock({"sku": "GONE", "qty": 7, "reason": "2nd delivery"})
    result, rows = store.run(inventory.restock, request, device="staff-1", now=NOON)
    assert result == {"sku": "GONE", "on_hand": 7, "available": 7}
    assert rows[0]["data"] == {"sku": "GONE", "qty": 7, "reason": "2nd delivery", "by": "staff-1"}


def test_restock_with_a_request_id_counts_once(store):
    request = payloads.restock({"sku": "PEN", "qty": 10, "request_id": str(uuid.uuid4())})
    store.run(inventory.restock, request, device="staff-1", now=NOON)
    store.run(inventory.restock, request, device="staff-1", now=NOON)
    assert counts(store, "PEN") == (510, 0)


@pytest.mark.parametrize("kind, qty, after", [("count", 8, 8), ("write_off", 2, 8), ("count", 0, 0)])
def test_adjust_corrects_or_writes_off(store, kind, qty, after):
    request = payloads.adjust({"sku": "ROBOT", "kind": kind, "qty": qty, "reason": "shelf count"})
    result, rows = store.run(inventory.adjust, request, device="staff-1", now=NOON)
    assert result["on_hand"] == after
    assert rows[0]["data"]["before"] == 10 and rows[0]["data"]["after"] == after


def test_adjust_never_goes_below_what_is_held(store):
    hold(store, [{"sku": "ROBOT", "qty": 6}])
    request = payloads.adjust({"sku": "ROBOT", "kind": "write_off", "qty": 5, "reason": "damaged"})
    with pytest.raises(HallError) as refused:
        store.run(inventory.adjust, request, device="staff-1", now=NOON)
    assert refused.value.code == "below_held"
    assert counts(store, "ROBOT") == (10, 6)
