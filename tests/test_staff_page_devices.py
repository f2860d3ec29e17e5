"""The staff screen's devices, printers, feedback and alerts panels, against a real hub."""
import time
import uuid
from datetime import datetime, timedelta

import pytest
import requests as http

from tests.conftest import SEOUL, hall_config
from tests.hubproc import Client, HubProcess, free_port
from tests.test_staff_page import WAIT_MS, no_errors, open_staff, sell
from tests.pages import wait_until


def wait_for_device_state(page, name: str, state: str) -> None:
    wait_until(page, 
        "([name, state]) => document.querySelector(`#devices-table tr[data-device=\"${name}\"]`)?.dataset.state"
        " === state", arg=[name, state], timeout=WAIT_MS)


def test_revoking_a_device_disconnects_it(hub, context, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-3"))
    page = open_staff(hub, context, panel="devices")
    device = page.locator('#devices-table tr[data-device="kiosk-3"]')
    device.wait_for(timeout=WAIT_MS)
    assert device.get_attribute("data-state") == "online"
    assert page.locator('#devices-table tr[data-device="staff-1"] .tag').count() == 1  # this screen

    device.locator("button[data-revoke]").click()
    assert "kiosk-3" in page.text_content("#confirm-title")
    page.click("#confirm-ok")
    deadline = time.monotonic() + 3
    while kiosk.sio.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not kiosk.sio.connected
    wait_for_device_state(page, "kiosk-3", "revoked")
    no_errors(page)


def test_a_till_coming_and_going_shows_without_waiting_for_the_next_read(hub, context):
    token = hub.token("pos", "pos-4")
    page = open_staff(hub, context, panel="devices")
    till = page.locator('#devices-table tr[data-device="pos-4"]')
    till.wait_for(timeout=WAIT_MS)
    assert till.get_attribute("data-state") == "offline"
    # No more periodic reads: only the hub's presence push can change the row now.
    page.evaluate("clearInterval(window.staffApp.devices.timer)")
    client = Client(hub.url, token)
    try:
        wait_for_device_state(page, "pos-4", "online")
        assert "POS 계산대: 1대 중 1대 온라인" in page.text_content("#devices-summary")
    finally:
        client.close()
    wait_for_device_state(page, "pos-4", "offline")
    no_errors(page)


def test_pairing_a_new_device_shows_its_code_and_qr_until_it_is_used(hub, context):
    page = open_staff(hub, context, panel="devices")
    page.select_option("#pairnew-role", "pos")
    page.fill("#pairnew-name", "pos-7")
    page.click("#pairnew-form button[type=submit]")
    page.wait_for_selector("#pairnew-code", timeout=WAIT_MS)
    code = page.text_content("#pairnew-code")
    assert len(code) == 9 and code[4] == "-"
    wait_until(page, "document.querySelector('.pair-qr').complete && document.querySelector('.pair-qr').naturalWidth > 0",
                           timeout=WAIT_MS)
    assert "까지" in page.text_content("#pairnew-expiry")
    paired = http.post(hub.url + "/api/pair", json={"code": code}, timeout=5).json()
    assert paired["ok"] and paired["name"] == "pos-7"
    wait_until(page, "document.querySelector('#pairnew-expiry').textContent.includes('연결 완료')",
                           timeout=WAIT_MS)
    page.wait_for_selector('#devices-table tr[data-device="pos-7"]', timeout=WAIT_MS)
    page.fill("#pairnew-name", "no spaces allowed")
    page.click("#pairnew-form button[type=submit]")
    assert "장치 이름" in page.text_content("#pairnew-error")
    no_errors(page)


@pytest.fixture
def printing_hub(tmp_path, catalog_csv):
    """A hub whose till prints on a network printer at a loopback port nobody listens on."""
    dead_port = free_port()
    extra = (f'[printers.counter-1]\ntype = "network"\nhost = "127.0.0.1"\nport = {dead_port}\n'
             f'connect_timeout = 0.5\nread_timeout = 0.5\n\n'
             f'[printers.kiosk-1]\ntype = "virtual"\n\n[stations]\npos-1 = "counter-1"\nkiosk-1 = "kiosk-1"\n')
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=extra)).start()
    yield process
    process.stop()


def test_a_failed_print_job_shows_its_reason_and_its_picture(printing_hub, context, clients):
    hub = printing_hub
    pos = clients(hub.client("pos", "pos-1"))
    receipt_no = sell(pos, "PEN", 1, 1100)["receipt_no"]
    failed = pos.wait_for(lambda e: e["type"] == "print.failed", timeout=5)
    page = open_staff(hub, context, panel="printers")

    item = page.locator(f'#failed-jobs li[data-job="{failed["data"]["job_id"]}"]')
    item.wait_for(timeout=WAIT_MS)
    assert item.get_attribute("data-reason") == "refused"
    assert "연결 거부" in item.text_content() and receipt_no in item.text_content()
    wait_until(page, "document.querySelector('#printer-cards [data-printer=\"counter-1\"]')?.dataset.status === 'offline'",
                           timeout=WAIT_MS)
    assert page.locator('#jobs-table tr[data-state="failing"]').count() == 1

    item.locator("button[data-do=preview]").click()
    wait_until(page, "document.querySelector('#preview-img').complete && document.querySelector('#preview-img').naturalWidth > 0",
                           timeout=WAIT_MS)
    assert page.evaluate("document.querySelector('#preview-img').naturalWidth") == 608
    assert page.get_attribute("#preview-img", "src").startswith("blob:")
    page.click("#preview-dialog button[value=close]")

    # Reprint a kiosk slip (its printer works): the new job shows up as a reprint.
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    assert kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "RICE", "qty": 1}]})["ok"]
    slip = page.locator('#jobs-table tr[data-state="printed"]').first
    slip.wait_for(timeout=WAIT_MS)
    slip.locator("button[data-do=reprint]").click()
    page.click("#preview-reprint")  # it asks first, with the picture
    wait_until(page, "[...document.querySelectorAll('#jobs-table tr')].some(r => r.textContent.includes('재발행'))",
                           timeout=WAIT_MS)

    # The printer trouble is an alert too.
    wait_until(page, "Number(document.querySelector('#alert-badge').dataset.count) >= 1", timeout=WAIT_MS)
    no_errors(page)


def test_an_alert_appears_live_and_can_be_acknowledged(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-9"))
    page = open_staff(hub, context, panel="alerts")
    page.wait_for_selector("#alert-list .empty", timeout=WAIT_MS)
    assert page.get_attribute("#alert-badge", "data-count") == "0"

    sell(pos, "LAST", 3, 297000)
    alert = page.locator('#alert-list li[data-kind="sold_out"]')
    alert.wait_for(timeout=WAIT_MS)
    assert "한정판 드론" in alert.text_content() and "품절" in alert.text_content()
    assert page.get_attribute("#alert-badge", "data-count") == "1"
    assert page.text_content("#alert-count") == "1"

    alert.locator("button[data-do=ack]").click()
    page.wait_for_selector('#alert-list li[data-kind="sold_out"]', state="detached", timeout=WAIT_MS)
    assert page.get_attribute("#alert-badge", "data-count") == "0"
    assert staff.call("alerts", {"open_only": True})["alerts"] == []
    acked = staff.wait_for(lambda e: e["type"] == "alert.acked")
    assert acked["data"]["by"] == "mina@staff-1"

    page.click('#panel-alerts [data-show="all"]')
    page.wait_for_selector('#alert-list li.acked[data-kind="sold_out"]', timeout=WAIT_MS)
    no_errors(page)


def test_a_refused_offline_sale_can_be_resolved_with_a_note(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-9"))
    # A product the hub no longer knows: the one kind of offline sale it cannot book.
    refused = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "WITHDRAWN", "qty": 5}],
                                    "payments": [{"method": "cash", "amount": 495000}],
                                    "offline_at": (datetime.now(SEOUL) - timedelta(hours=1)).isoformat()})
    assert refused["error"]["code"] == "unknown_product"
    page = open_staff(hub, context, panel="alerts")
    failure = page.locator("#replay-list li.replay")
    failure.wait_for(timeout=WAIT_MS)
    assert "pos-1" in failure.text_content() and "WITHDRAWN × 5" in failure.text_content()
    page.wait_for_selector('#alert-list li[data-kind="replay_refused"]', timeout=WAIT_MS)
    failure.locator("button[type=submit]").click()
    assert "처리 내용" in failure.text_content()
    failure.locator("input").fill("고객에게 전액 환불")
    failure.locator("button[type=submit]").click()
    page.wait_for_selector("#replay-list li.replay", state="detached", timeout=WAIT_MS)
    resolved = staff.wait_for(lambda e: e["type"] == "replay.resolved")
    assert resolved["data"]["note"] == "고객에게 전액 환불" and resolved["data"]["by"] == "mina@staff-1"
    page.wait_for_selector('#alert-list li[data-kind="replay_refused"]', state="detached", timeout=WAIT_MS)
    no_errors(page)


def test_feedback_is_listed_newest_first_with_the_daily_average(hub, context, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    for rating, comment in ((5, "최고"), (2, "<b>느려요</b>")):
        assert kiosk.call("feedback", {"feedback_id": str(uuid.uuid4()), "rating": rating, "comment": comment,
                                       "context": "order"})["ok"]
    page = open_staff(hub, context, panel="feedback")
    page.wait_for_selector("#feedback-list li.fb", timeout=WAIT_MS)
    comments = page.eval_on_selector_all("#feedback-list .comment", "els => els.map(e => e.textContent)")
    assert comments == ["<b>느려요</b>", "최고"]
    assert page.text_content('#daily-table [data-field="average"]') == "3.50"
    assert kiosk.call("feedback", {"feedback_id": str(uuid.uuid4()), "rating": 5, "context": "attract"})["ok"]
    wait_until(page, "document.querySelectorAll('#feedback-list li.fb').length === 3", timeout=WAIT_MS)
    assert page.text_content('#daily-table [data-field="average"]') == "4.00"
    no_errors(page)
