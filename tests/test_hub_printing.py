"""Printing through a real hub: a dead printer never blocks a sale, and nothing prints twice."""
import time
import uuid
from datetime import datetime

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import hall_config
from tests.fake_printer import FakePrinter
from tests.hubproc import HubProcess, free_port


def network_hall(tmp_path, catalog_csv, port):
    extra = (f'[printers.counter-1]\ntype = "network"\nhost = "127.0.0.1"\nport = {port}\n'
             f'connect_timeout = 0.5\nread_timeout = 0.5\n\n'
             f'[printers.kiosk-1]\ntype = "virtual"\n\n[stations]\npos-1 = "counter-1"\nkiosk-1 = "kiosk-1"\n')
    return HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=extra))


def sale(sku="PEN", qty=1, amount=1100):
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
            "payments": [{"method": "cash", "amount": amount}]}


def jobs_with(printer: FakePrinter, text: str) -> list[bytes]:
    return [job for job in printer.jobs if text.encode() in job]


def wait_until(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def printer_port():
    return free_port()


@pytest.fixture
def hall(tmp_path, catalog_csv, printer_port):
    process = network_hall(tmp_path, catalog_csv, printer_port).start()
    yield process
    process.stop()


def test_a_sale_completes_while_the_printer_is_off_and_prints_once_when_it_is_back(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    answer = pos.call("checkout", sale())
    assert answer["ok"] is True
    receipt_no = answer["sale"]["receipt_no"]
    failed = pos.wait_for(lambda e: e["type"] == "print.failed", timeout=5)
    assert failed["data"]["reason"] == "refused" and failed["data"]["ref"] == receipt_no
    pos.wait_for(lambda e: e["type"] == "printer.status" and e["data"]["status"] == "offline")

    with FakePrinter(port=printer_port) as printer:
        printed = pos.wait_for(lambda e: e["type"] == "print.printed", timeout=15)
        assert printed["data"]["ref"] == receipt_no and printed["data"]["confirmed"] is True
        time.sleep(1.5)
        assert len(jobs_with(printer, f"RCPT:{receipt_no}")) == 1
    pos.wait_for(lambda e: e["type"] == "printer.status" and e["data"]["status"] == "online")


def at(event: dict) -> float:
    return datetime.fromisoformat(event["at"]).timestamp()


def test_a_printer_back_online_prints_within_seconds_not_when_its_backoff_runs_out(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    receipt_no = pos.call("checkout", sale())["sale"]["receipt_no"]
    # Three refused tries: the next one is five seconds away.
    failed = pos.wait_for(lambda e: e["type"] == "print.failed" and e["data"]["attempts"] == 3, timeout=15)
    with FakePrinter(port=printer_port) as printer:
        printed = pos.wait_for(lambda e: e["type"] == "print.printed", timeout=15)
        assert printed["data"]["ref"] == receipt_no and len(jobs_with(printer, f"RCPT:{receipt_no}")) == 1
    retry_at = datetime.fromisoformat(failed["data"]["retry_at"]).timestamp()
    assert at(printed) < retry_at, "the printer waited out its backoff"
    assert at(printed) - printer.started_at < 3.0
    assert [e["data"]["attempts"] for e in pos.events if e["type"] == "print.failed"] == [1, 2, 3]


def test_a_printer_that_answers_but_loses_jobs_waits_out_its_backoff(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    with FakePrinter(port=printer_port, drop_after=300):
        pos.call("checkout", sale())
        third = pos.wait_for(lambda e: e["type"] == "print.failed" and e["data"]["attempts"] == 3, timeout=15)
        # Its status answers every poll, yet the next try waits for retry_at: a jammed printer is not hammered.
        time.sleep(3.0)
        tries = [e for e in pos.events if e["type"] == "print.failed"]
    assert third["data"]["reason"] in ("dropped", "timeout")
    assert len(tries) == 3


def test_jobs_go_out_in_order(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    with FakePrinter(port=printer_port) as printer:
        numbers = [pos.call("checkout", sale())["sale"]["receipt_no"] for _ in range(4)]
        assert wait_until(lambda: all(jobs_with(printer, f"RCPT:{n}") for n in numbers))
        order = [next(i for i, job in enumerate(printer.jobs) if f"RCPT:{n}".encode() in job) for n in numbers]
        assert order == sorted(order)


def test_paper_out_holds_the_job_until_paper_is_loaded(hall, printer_port, clients):
    staff = clients(hall.client("staff", "staff-1"))
    pos = clients(hall.client("pos", "pos-1"))
    with FakePrinter(port=printer_port, status="paper_out") as printer:
        receipt_no = pos.call("checkout", sale())["sale"]["receipt_no"]
        staff.wait_for(lambda e: e["type"] == "printer.status" and e["data"]["status"] == "paper_out", timeout=5)
        failed = staff.wait_for(lambda e: e["type"] == "print.failed")
        assert failed["data"]["reason"] == "paper_out"
        assert jobs_with(printer, f"RCPT:{receipt_no}") == []
        printer.status = "online"
        staff.wait_for(lambda e: e["type"] == "print.printed", timeout=15)
        assert len(jobs_with(printer, f"RCPT:{receipt_no}")) == 1


def test_a_printer_dropping_mid_job_gets_the_whole_job_again(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    printer = FakePrinter(port=printer_port, drop_after=300).start()
    try:
        receipt_no = pos.call("checkout", sale())["sale"]["receipt_no"]
        failed = pos.wait_for(lambda e: e["type"] == "print.failed", timeout=10)
        assert failed["data"]["reason"] in ("dropped", "timeout")
    finally:
        printer.stop()
    with FakePrinter(port=printer_port) as whole:
        pos.wait_for(lambda e: e["type"] == "print.printed", timeout=15)
        complete = jobs_with(whole, f"RCPT:{receipt_no}")
        assert len(complete) == 1 and complete[0].startswith(b"\x1b@")


def test_a_restarted_hub_resumes_the_queue(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    receipt_no = pos.call("checkout", sale())["sale"]["receipt_no"]
    pos.wait_for(lambda e: e["type"] == "print.failed", timeout=5)
    pos.close()
    hall.stop()
    with FakePrinter(port=printer_port) as printer:
        hall.start()
        assert wait_until(lambda: jobs_with(printer, f"RCPT:{receipt_no}"), timeout=15)
        time.sleep(1.0)
        assert len(jobs_with(printer, f"RCPT:{receipt_no}")) == 1
    state = hall.read_store().read_db.execute("SELECT state FROM print_jobs").fetchall()
    assert state == [("printed",)]


def test_the_kiosk_slip_is_saved_with_a_picture_whose_qr_reads_back(hall, clients):
    kiosk = clients(hall.client("kiosk", "kiosk-1"))
    placed = kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1}]})
    printed = kiosk.wait_for(lambda e: e["type"] == "print.printed", timeout=10)
    folder = hall.data_dir / "prints" / "kiosk-1"
    raw = (folder / f"{printed['data']['job_id']}.bin").read_bytes()
    assert raw.startswith(b"\x1b@") and "주문서".encode("cp949") in raw
    codes = zxingcpp.read_barcodes(Image.open(folder / f"{printed['data']['job_id']}.png"))
    assert [c.text for c in codes] == [f"HOLD:{placed['hold']['code']}"]


def test_reprint_and_the_staff_view_of_the_queue(hall, printer_port, clients):
    pos = clients(hall.client("pos", "pos-1"))
    staff = clients(hall.client("staff", "staff-1"))
    with FakePrinter(port=printer_port) as printer:
        receipt_no = pos.call("checkout", sale())["sale"]["receipt_no"]
        pos.wait_for(lambda e: e["type"] == "print.printed", timeout=10)
        again = pos.call("reprint", {"receipt_no": receipt_no})
        assert again["ok"] is True and again["printer"] == "counter-1"
        assert wait_until(lambda: len(jobs_with(printer, f"RCPT:{receipt_no}")) == 2)
        assert "재발행".encode("cp949") in jobs_with(printer, f"RCPT:{receipt_no}")[1]
    view = staff.call("print_jobs", {})
    assert {p["printer"] for p in view["printers"]} == {"counter-1", "kiosk-1"}
    assert [j["ref"] for j in view["jobs"]][:2] == [receipt_no, receipt_no]
    assert pos.call("reprint", {"receipt_no": "000000-00000"})["error"]["code"] == "unknown_receipt"


def test_staff_see_a_picture_of_any_job_and_a_kiosk_does_not(hall, clients):
    import io

    import requests as http
    pos = clients(hall.client("pos", "pos-1"))
    pos.call("checkout", sale())
    queued = pos.wait_for(lambda e: e["type"] == "print.queued")
    url = f"{hall.url}/api/print-jobs/{queued['data']['job_id']}.png"
    staff_token = clients(hall.client("staff", "staff-1")).token
    picture = http.get(url, headers={"Authorization": f"Bearer {staff_token}"}, timeout=10)
    assert picture.status_code == 200 and picture.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(picture.content)).width == 608
    kiosk_token = hall.token("kiosk", "kiosk-1")
    assert http.get(url, headers={"Authorization": f"Bearer {kiosk_token}"}, timeout=5).status_code == 403
    assert http.get(url, timeout=5).status_code == 401
    missing = http.get(f"{hall.url}/api/print-jobs/job-9999999.png",
                       headers={"Authorization": f"Bearer {staff_token}"}, timeout=5)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_job"
