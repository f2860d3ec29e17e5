"""The staff screen's commands: who did it, devices, sales per firm, exports, alerts."""
import csv
import io
import threading
import time
import uuid

import pytest
import requests as http
import socketio

from tests.conftest import hall_config
from tests.hubproc import Client, HubProcess


def sell(pos, sku, qty, amount, **extra):
    answer = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
                                   "payments": [{"method": "cash", "amount": amount}], **extra})
    assert answer["ok"], answer
    return answer["sale"]


def test_staff_must_sign_in_and_actions_record_the_person(hub, clients):
    anonymous = clients(hub.client("staff", "staff-1", sign_in=False))
    assert anonymous.call("restock", {"sku": "PEN", "qty": 1})["error"]["code"] == "sign_in_required"
    hub.add_staff("mina", "open sesame")
    assert anonymous.call("staff_login", {"name": "mina", "password": "wrong one"})["error"]["code"] == \
        "wrong_password"
    assert anonymous.call("staff_login", {"name": "mina", "password": "open sesame"})["ok"]
    assert anonymous.call("restock", {"sku": "PEN", "qty": 1, "reason": "delivery"})["ok"]
    restocked = anonymous.wait_for(lambda e: e["type"] == "stock.restocked")
    assert restocked["data"]["by"] == "mina@staff-1"


def test_five_wrong_passwords_lock_the_name(hub, clients):
    screen = clients(hub.client("staff", "staff-1", sign_in=False))
    hub.add_staff("joon", "a long password")
    codes = [screen.call("staff_login", {"name": "joon", "password": "nope nope"})["error"]["code"]
             for _ in range(5)]
    assert codes == ["wrong_password"] * 4 + ["locked"]
    assert screen.call("staff_login", {"name": "joon", "password": "a long password"})["error"]["code"] == "locked"


def test_devices_are_listed_paired_and_revoked_from_the_staff_screen(hub, clients):
    staff = clients(hub.client("staff", "staff-1"))
    kiosk = clients(hub.client("kiosk", "kiosk-3"))
    listed = {d["name"]: d for d in staff.call("devices")["devices"]}
    assert listed["kiosk-3"]["online"] is True and listed["kiosk-3"]["role"] == "kiosk"
    pairing = staff.call("pair_create", {"role": "pos", "name": "pos-7"})
    assert pairing["ok"] and len(pairing["code"]) == 9
    paired = http.post(hub.url + "/api/pair", json={"code": pairing["code"]}, timeout=5).json()
    assert paired["name"] == "pos-7"
    assert staff.call("device_revoke", {"name": "kiosk-3"})["ok"]
    deadline = time.monotonic() + 3
    while kiosk.sio.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not kiosk.sio.connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        Client(hub.url, kiosk.token)


def test_sales_per_firm_hour_and_product_add_up(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    sell(pos, "ROBOT", 2, 110000)
    rice = sell(pos, "RICE", 3, 36000)
    assert pos.call("refund", {"refund_id": str(uuid.uuid4()), "receipt_no": rice["receipt_no"],
                               "lines": [{"line_no": 1, "qty": 1}]})["ok"]
    report = staff.call("sales_report")
    assert report["show"] == {"gross": 146000, "sales": 2, "refunds": 12000, "refund_count": 1, "net": 134000}
    firms = {f["firm"]: f for f in report["firms"]}
    hanbit = firms["(주)한빛로보틱스"]
    assert (hanbit["units"], hanbit["gross"], hanbit["refunds"], hanbit["net"]) == (2, 110000, 0, 110000)
    assert (hanbit["supply"], hanbit["vat"]) == (100000, 10000)
    farmers = firms["농부들영농조합"]
    assert (farmers["units"], farmers["net"], farmers["vat"], farmers["tax_free"]) == (2, 24000, 0, 24000)
    assert firms["(주)하늘드론"]["units"] == 0
    assert sum(h["gross"] for h in report["hourly"]) == 146000
    # Ranked by net sales in won with refunds netted: 2 robots (110,000) before 3 rice less 1 returned (24,000).
    assert [(p["sku"], p["units"], p["refunds"], p["net"]) for p in report["top"][:2]] == [
        ("ROBOT", 2, 0, 110000), ("RICE", 2, 12000, 24000)]
    history = staff.call("product_history", {"sku": "RICE"})["events"]
    assert {"sale.completed", "stock.changed", "refund.completed"} <= {e["type"] for e in history}


def test_exports_open_as_utf8_with_the_right_sums(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    sell(pos, "ROBOT", 1, 60000, cash_receipt={"kind": "phone", "number": "010-1234-5678"})
    sell(pos, "RICE", 2, 24000)
    staff = clients(hub.client("staff", "staff-9"))  # a person is signed in at the screen that exports
    headers = {"Authorization": f"Bearer {staff.token}"}

    def rows(name):
        answer = http.get(f"{hub.url}/api/exports/{name}.csv", headers=headers, timeout=5)
        assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
        return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))

    journal = rows("sales")
    assert sum(int(r["amount"]) for r in journal) == 55000 + 24000
    assert {r["name"] for r in journal} == {"교육용 로봇 키트", "유기농 쌀 2kg"}
    firms = {r["firm"]: r for r in rows("firms")}
    assert firms["(주)한빛로보틱스"]["net"] == "55000" and firms["(주)한빛로보틱스"]["vat"] == "5000"
    receipts = rows("cash-receipts")
    assert [(r["kind"], r["number"], r["cash_amount"]) for r in receipts] == [("phone", "01012345678", "55000")]
    assert http.get(f"{hub.url}/api/exports/secrets.csv", headers=headers, timeout=5).status_code == 404
    assert http.get(f"{hub.url}/api/exports/sales.csv", timeout=5).status_code == 401


def test_selling_out_raises_an_alert_staff_can_acknowledge(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    sell(pos, "LAST", 3, 297000)
    raised = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "sold_out")
    assert raised["data"]["subject"] == "LAST"
    assert [a["kind"] for a in staff.call("alerts", {"open_only": True})["alerts"]] == ["sold_out"]
    assert staff.call("alert_ack", {"alert_id": raised["data"]["alert_id"]})["ok"]
    assert staff.call("alerts", {"open_only": True})["alerts"] == []
    assert staff.call("alert_ack", {"alert_id": 999})["error"]["code"] == "unknown_alert"


def test_a_product_threshold_decides_when_stock_is_low(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    assert staff.call("set_low_stock", {"sku": "PEN", "threshold": 495})["ok"]
    sell(pos, "PEN", 4, 5000)
    assert not [e for e in staff.events if e["type"] == "alert.raised"]
    sell(pos, "PEN", 1, 1100)
    low = staff.wait_for(lambda e: e["type"] == "alert.raised")
    assert low["data"]["kind"] == "low_stock" and low["data"]["data"]["available"] == 495


def test_a_command_sent_right_after_sign_in_is_answered_as_signed_in(hub, clients):
    # The staff screen signs in again by itself after a reconnect and does not wait for the answer before the
    # next click's command: the hub must take one screen's commands in the order they were sent.
    screen = clients(hub.client("staff", "staff-1", sign_in=False))
    hub.add_staff("mina", "open sesame")
    answers = {}
    done = threading.Event()

    def answered(name):
        def record(answer):
            answers[name] = answer
            if len(answers) == 3:
                done.set()
        return record

    screen.sio.emit("staff_login", {"name": "mina", "password": "open sesame"}, callback=answered("login"))
    screen.sio.emit("restock", {"sku": "PEN", "qty": 1, "reason": "delivery"}, callback=answered("restock"))
    screen.sio.emit("adjust", {"sku": "PEN", "kind": "count", "qty": 7, "reason": "counted"},
                    callback=answered("count"))
    assert done.wait(10), answers
    assert [answers[n]["ok"] for n in ("login", "restock", "count")] == [True, True, True], answers
    on_hand = hub.read_store().read_db.execute("SELECT on_hand FROM products WHERE sku='PEN'").fetchone()[0]
    assert on_hand == 7  # the count, sent last, was applied last


def test_staff_hear_a_device_come_and_go_once_whatever_its_sockets(hub, clients):
    staff = clients(hub.client("staff", "staff-1"))
    heard, kiosk_heard = [], []
    staff.sio.on("presence", heard.append)
    kiosk = clients(hub.client("kiosk", "kiosk-3"))
    kiosk.sio.on("presence", kiosk_heard.append)
    second_tab = clients(Client(hub.url, kiosk.token))
    kiosk.close()
    second_tab.close()
    deadline = time.monotonic() + 5
    while not any(p["name"] == "kiosk-3" and not p["online"] for p in heard) and time.monotonic() < deadline:
        time.sleep(0.02)
    listed = {d["name"]: d for d in staff.call("devices")["devices"]}
    assert listed["kiosk-3"]["online"] is False
    assert [(p["name"], p["role"], p["online"]) for p in heard if p["name"] == "kiosk-3"] == [
        ("kiosk-3", "kiosk", True), ("kiosk-3", "kiosk", False)]
    assert heard[-1]["at"] == listed["kiosk-3"]["last_seen"]
    assert kiosk_heard == []  # who is online is for staff only


@pytest.fixture
def quick_silence_hub(tmp_path, catalog_csv):
    """A hub that calls a terminal silent after 1 s instead of the hall's 2 minutes."""
    process = HubProcess(tmp_path / "data",
                         hall_config(tmp_path, catalog_csv, extra="[terminals]\nsilent_seconds = 1\n")).start()
    yield process
    process.stop()


def raised_alerts(staff, kind=None, subject=None) -> list[dict]:
    """The alerts a staff client has heard raised, of `kind` and about `subject` when given, oldest first."""
    return [e["data"] for e in staff.events if e["type"] == "alert.raised"
            and kind in (None, e["data"]["kind"]) and subject in (None, e["data"]["subject"])]


def test_a_till_gone_quiet_raises_one_alert_per_silence(quick_silence_hub, clients):
    hub = quick_silence_hub
    staff = clients(hub.client("staff", "staff-1"))
    clients(hub.client("kiosk", "kiosk-1"))  # connected throughout: never silent
    till = hub.client("pos", "pos-1")
    till.close()

    def silences():
        return raised_alerts(staff, kind="terminal_silent")

    staff.wait_for(lambda e: silences())
    first = silences()[0]
    assert first["subject"] == "pos-1" and first["data"]["device"] == "pos-1"
    assert staff.call("alert_ack", {"alert_id": first["alert_id"]})["ok"]
    time.sleep(1.5)  # six looks at the terminals: acknowledged, the same silence raises nothing more
    assert len(silences()) == 1
    time.sleep(1)  # so the next silence starts in another second of last_seen
    clients(Client(hub.url, till.token)).close()
    staff.wait_for(lambda e: len(silences()) == 2)
    assert [a["subject"] for a in silences()] == ["pos-1", "pos-1"]


def stock_alerts(staff, sku):
    return [(a["kind"], a["data"]["available"]) for a in raised_alerts(staff, subject=sku)]


def test_low_stock_is_told_once_until_a_restock_lifts_it(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    assert staff.call("set_low_stock", {"sku": "PEN", "threshold": 495})["ok"]
    sell(pos, "PEN", 5, 5500)  # 495 left: low
    first = staff.wait_for(lambda e: e["type"] == "alert.raised")
    assert staff.call("alert_ack", {"alert_id": first["data"]["alert_id"]})["ok"]
    sell(pos, "PEN", 1, 1100)  # still low, and staff know: nothing more
    sell(pos, "PEN", 1, 1100)
    assert staff.call("restock", {"sku": "PEN", "qty": 10, "reason": "delivery"})["ok"]  # 503: above it again
    sell(pos, "PEN", 8, 8800)  # 495: a new run of low stock
    staff.wait_for(lambda e: len(stock_alerts(staff, "PEN")) == 2)
    assert stock_alerts(staff, "PEN") == [("low_stock", 495), ("low_stock", 495)]


def test_selling_out_after_an_acknowledged_low_is_told(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    sell(pos, "LAST", 1, 99000)  # 2 left of 3, under the hall's threshold of 5
    low = staff.wait_for(lambda e: e["type"] == "alert.raised")
    assert staff.call("alert_ack", {"alert_id": low["data"]["alert_id"]})["ok"]
    sell(pos, "LAST", 2, 198000)
    staff.wait_for(lambda e: len(stock_alerts(staff, "LAST")) == 2)
    assert stock_alerts(staff, "LAST") == [("low_stock", 2), ("sold_out", 0)]
