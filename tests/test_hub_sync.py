"""A client that was away catches up through `sync` with no gap."""
import uuid

from tests.hubproc import Client


def test_a_reconnecting_kiosk_gets_every_event_it_missed_in_order(hub, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    seen = kiosk.call("catalog")["seq"]
    kiosk.close()
    for n in range(5):
        assert pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": n + 1}],
                                     "payments": [{"method": "cash", "amount": 20000}]})["ok"]
    assert staff.call("restock", {"sku": "GONE", "qty": 4})["ok"]

    back = clients(Client(hub.url, kiosk.token))
    answer = back.call("sync", {"since": seen})
    missed = answer["events"]
    assert [e["seq"] for e in missed] == sorted(e["seq"] for e in missed)
    assert all(e["seq"] > seen for e in missed)
    stock = [e["data"] for e in missed if e["type"] == "stock.changed"]
    assert [s["available"] for s in stock if s["sku"] == "PEN"] == [499, 497, 494, 490, 485]
    assert {"sku": "GONE", "on_hand": 4, "available": 4} in stock
    assert not [e for e in missed if e["type"] in ("sale.completed", "stock.restocked")]
    assert answer["seq"] == pos.call("sync", {"since": 0})["seq"]
    assert back.call("sync", {"since": answer["seq"]})["events"] == []


def test_a_till_sees_every_event_for_its_role_with_no_gap(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    for n in range(3):
        pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "RICE", "qty": 1}],
                              "payments": [{"method": "cash", "amount": 12000}]})
    everything = staff.call("sync", {"since": 0})["events"]
    seqs = [e["seq"] for e in everything]
    assert seqs == list(range(1, len(seqs) + 1))
    live = staff.wait_for(lambda e: e["seq"] == seqs[-1])
    assert live == everything[-1]


def test_sync_pages_a_long_absence(hub, clients):
    staff = clients(hub.client("staff", "staff-1"))
    for _ in range(6):
        staff.call("restock", {"sku": "PEN", "qty": 1})
    page = staff.call("sync", {"since": 0, "limit": 4})
    assert page["more"] is True and page["seq"] == page["events"][-1]["seq"]
    rest = staff.call("sync", {"since": page["seq"], "limit": 4000})
    assert rest["more"] is False
    seqs = [e["seq"] for e in page["events"] + rest["events"]]
    assert seqs == list(range(1, rest["seq"] + 1))
