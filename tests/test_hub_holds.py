"""A kiosk hold expires by itself and its stock comes back, with the event to say so."""
import uuid


def test_an_unpaid_hold_is_released_when_its_time_is_up(short_hold_hub, clients):
    kiosk = clients(short_hold_hub.client("kiosk", "kiosk-1"))
    pos = clients(short_hold_hub.client("pos", "pos-1"))
    placed = kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 3}]})
    code = placed["hold"]["code"]
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["available"] == 0)
    pos.wait_for(lambda e: e["type"] == "hold.expired" and e["data"]["code"] == code, timeout=5)
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"] == {
        "sku": "LAST", "on_hand": 3, "available": 3}, timeout=5)
    late = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 3}],
                                 "payments": [{"method": "cash", "amount": 297000}], "hold_code": code})
    assert late["error"]["code"] == "hold_expired"
