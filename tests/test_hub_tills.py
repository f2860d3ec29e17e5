"""The till's commands over Socket.IO: sign-in lockout, refunds with receipts, offline replays kept."""
import uuid
from datetime import datetime, timedelta

import pytest

from tests.conftest import CASHIERS_TOML, SEOUL, running_till_hub

CASHIERS = CASHIERS_TOML + """
[printers.counter-1]
type = "virtual"

[stations]
pos-1 = "counter-1"
"""


@pytest.fixture
def till_hub(tmp_path, catalog_csv):
    with running_till_hub(tmp_path, catalog_csv, CASHIERS) as process:
        yield process


def sale(**extra):
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1}],
            "payments": [{"method": "cash", "amount": 60000}], **extra}


def test_cashiers_from_the_settings_can_sign_in_and_a_wrong_pin_locks(till_hub, clients):
    pos = clients(till_hub.client("pos", "pos-1", sign_in=False))
    staff = clients(till_hub.client("staff", "staff-1"))
    assert [c["cashier_id"] for c in pos.call("cashiers")["cashiers"]] == ["c01", "s01"]
    assert pos.call("login", {"cashier_id": "c01", "pin": "1234"})["cashier"]["name"] == "김계산"
    codes = [pos.call("login", {"cashier_id": "c01", "pin": "1111"})["error"]["code"] for _ in range(5)]
    assert codes == ["wrong_pin"] * 4 + ["locked"]
    assert pos.call("login", {"cashier_id": "c01", "pin": "1234"})["error"]["code"] == "locked"
    staff.wait_for(lambda e: e["type"] == "cashier.locked" and e["data"]["cashier_id"] == "c01")


@pytest.mark.parametrize("payload", [{}, {"cashier_id": "c01"}, {"cashier_id": "c01", "pin": 1234},
                                     {"cashier_id": "c01", "pin": "12"}, {"cashier_id": "a b", "pin": "1234"}])
def test_malformed_sign_in_is_invalid(till_hub, clients, payload):
    pos = clients(till_hub.client("pos", "pos-1"))
    assert pos.call("login", payload)["error"]["code"] == "invalid"


def test_a_refund_puts_stock_back_and_prints_a_refund_receipt(till_hub, clients):
    pos = clients(till_hub.client("pos", "pos-1"))
    kiosk = clients(till_hub.client("kiosk", "kiosk-1"))
    sold = pos.call("checkout", sale())["sale"]
    found = pos.call("sale_lookup", {"receipt_no": f"RCPT:{sold['receipt_no']}"})["sale"]
    assert found["lines"][0]["refunded"] == 0
    refund = pos.call("refund", {"refund_id": str(uuid.uuid4()), "receipt_no": sold["receipt_no"],
                                 "lines": [{"line_no": 1, "qty": 1}], "supervisor_id": "s01",
                                 "supervisor_pin": "9999"})
    assert refund["ok"] is True and refund["refund"]["total"] == 55000
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"] == {
        "sku": "ROBOT", "on_hand": 10, "available": 10})
    printed = pos.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["ref"] == refund["refund"]["receipt_no"])
    raw = (till_hub.data_dir / "prints" / "counter-1" / f"{printed['data']['job_id']}.bin").read_bytes()
    assert "환불".encode("cp949") in raw and b"REFUND" in raw


def test_closing_a_shift_prints_the_z_report(till_hub, clients):
    pos = clients(till_hub.client("pos", "pos-1"))
    shift_id = str(uuid.uuid4())
    assert pos.call("shift_open", {"shift_id": shift_id, "cashier_id": "c01", "float": 50000})["ok"]
    pos.call("checkout", sale(shift_id=shift_id))
    closed = pos.call("shift_close", {"shift_id": shift_id, "counted_cash": 105000})
    assert closed["report"]["expected_cash"] == 105000 and closed["report"]["difference"] == 0
    printed = pos.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["kind"] == "shift_report")
    raw = (till_hub.data_dir / "prints" / "counter-1" / f"{printed['data']['job_id']}.bin").read_bytes()
    assert "정산".encode("cp949") in raw and b"SHIFT REPORT" in raw


def test_an_offline_sale_the_hub_cannot_understand_is_kept_shown_and_its_cash_counted(till_hub, clients):
    pos = clients(till_hub.client("pos", "pos-1"))
    staff = clients(till_hub.client("staff", "staff-1"))
    shift_id = str(uuid.uuid4())
    assert pos.call("shift_open", {"shift_id": shift_id, "float": 50000})["ok"]
    # A product the hub does not know (a firm's late addition typed in offline): nothing to book it against.
    replay = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "NOSUCH", "qty": 2, "unit_price": 15000}],
              "payments": [{"method": "cash", "amount": 50000}], "total": 30000, "shift_id": shift_id,
              "offline_at": (datetime.now(SEOUL) - timedelta(minutes=30)).isoformat()}
    answer = pos.call("checkout", replay)
    assert answer["error"]["code"] == "unknown_product"
    event = staff.wait_for(lambda e: e["type"] == "sale.replay_refused")
    assert event["data"]["sale_id"] == replay["sale_id"] and event["data"]["cash"] == 30000
    assert pos.call("checkout", replay)["error"]["code"] == "unknown_product"
    failures = staff.call("replay_failures")["failures"]
    assert [f["sale_id"] for f in failures] == [replay["sale_id"]]
    assert failures[0]["payload"]["lines"] == [{"sku": "NOSUCH", "qty": 2, "unit_price": 15000}]
    assert [f["sale_id"] for f in pos.call("replay_failures")["failures"]] == [replay["sale_id"]]
    # The 30,000 of cash it kept (50,000 tendered, 20,000 change) is in the drawer: the shift expects it.
    report = pos.call("shift_report", {"shift_id": shift_id})["report"]
    assert report["unbooked"] == {"count": 1, "cash": 30000}
    assert report["expected_cash"] == 80000 and report["cash_sales"] == 0


def test_an_online_sale_refused_is_not_a_replay_failure(till_hub, clients):
    pos = clients(till_hub.client("pos", "pos-1"))
    assert pos.call("checkout", {**sale(), "lines": [{"sku": "GONE", "qty": 1}]})["error"]["code"] == "out_of_stock"
    assert pos.call("replay_failures")["failures"] == []
