"""The print spool's rules, on a fresh store with a fixed time."""
import uuid
from datetime import timedelta

import pytest

from hub.rules import printing
from hub.wire import payloads
from hub.errors import HallError
from printers import spool
from tests.conftest import NOON, signed_in

HALL = {"name": "테스트 판매관", "business_no": "123-45-67890", "representative": "홍길동",
        "address": "서울", "phone": "02-000-0000", "receipt_footer": "감사합니다"}


def sell(store, sale_id=None, printer="counter-1"):
    request = payloads.checkout({"sale_id": sale_id or str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
                                 "payments": [{"method": "cash", "amount": 1100}], "sign_in": signed_in(store)})
    return store.run(printing.sell, request, device="pos-1", tax_rate=10, printer=printer, hall=HALL, now=NOON)


def jobs(store):
    return store.read_db.execute("SELECT printer, kind, ref, state, reprint_of FROM print_jobs ORDER BY job_no").fetchall()


def test_a_sale_queues_its_receipt_in_the_same_transaction(store):
    result, rows = sell(store)
    receipt_no = result["sale"]["receipt_no"]
    assert jobs(store) == [("counter-1", "receipt", receipt_no, "queued", None)]
    queued = [r for r in rows if r["type"] == "print.queued"]
    assert queued[0]["data"] == {"job_id": "job-0000001", "printer": "counter-1", "kind": "receipt",
                                 "ref": receipt_no, "reprint": False}


def test_a_retried_sale_does_not_print_again(store):
    sale_id = str(uuid.uuid4())
    sell(store, sale_id)
    sell(store, sale_id)
    assert len(jobs(store)) == 1


def test_a_refused_sale_queues_nothing(store):
    request = payloads.checkout({"sale_id": str(uuid.uuid4()), "lines": [{"sku": "GONE", "qty": 1}],
                                 "payments": [{"method": "cash", "amount": 30000}], "sign_in": signed_in(store)})
    with pytest.raises(HallError):
        store.run(printing.sell, request, device="pos-1", tax_rate=10, printer="counter-1", hall=HALL, now=NOON)
    assert jobs(store) == []


def test_a_station_without_a_printer_still_sells(store):
    result, _ = sell(store, printer=None)
    assert result["sale"]["receipt_no"] and jobs(store) == []


def test_a_kiosk_hold_queues_its_order_slip(store):
    request = payloads.hold({"hold_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1}]})
    result, _ = store.run(printing.hold, request, device="kiosk-1", hold_seconds=600, printer="kiosk-1",
                          hall=HALL, now=NOON)
    assert jobs(store) == [("kiosk-1", "order_slip", result["hold"]["code"], "queued", None)]


def test_reprint_is_a_new_job_marked_as_a_reprint(store):
    result, _ = sell(store)
    answer, rows = store.run(printing.reprint, {"receipt_no": result["sale"]["receipt_no"]}, printer="counter-2",
                             now=NOON)
    assert answer == {"job_id": "job-0000002", "printer": "counter-2"}
    assert jobs(store)[1] == ("counter-2", "receipt", result["sale"]["receipt_no"], "queued", "job-0000001")
    assert spool.get_job(store.read_db, "job-0000002")["document"]["reprint"] is True
    assert rows[0]["data"]["reprint"] is True


@pytest.mark.parametrize("request_", [{"receipt_no": "999999-99999"}, {"job_id": "job-0000404"},
                                      {"job_id": "../etc"}])
def test_reprint_of_something_never_printed_is_refused(store, request_):
    with pytest.raises(HallError) as refused:
        store.run(printing.reprint, request_, printer=None, now=NOON)
    assert refused.value.code in ("unknown_receipt", "unknown_job")


def test_a_failed_try_backs_off_and_keeps_the_job_at_the_head_of_the_queue(store):
    sell(store)
    sell(store)
    first = spool.head_of_queue(store.read_db, "counter-1")
    for attempt, wait in enumerate(spool.BACKOFF_SECONDS + (30,), start=1):
        result, rows = store.run(printing.mark_failed, first["job_id"], reason="refused", message="off", now=NOON)
        assert result["attempts"] == attempt
        assert result["retry_at"] == (NOON + timedelta(seconds=wait)).isoformat(timespec="milliseconds")
    assert spool.head_of_queue(store.read_db, "counter-1")["job_id"] == first["job_id"]
    store.run(printing.mark_printed, first["job_id"], confirmed=True, now=NOON)
    assert spool.head_of_queue(store.read_db, "counter-1")["job_id"] == "job-0000002"


def test_marking_printed_twice_records_it_once(store):
    sell(store)
    _, rows = store.run(printing.mark_printed, "job-0000001", confirmed=True, now=NOON)
    _, again = store.run(printing.mark_printed, "job-0000001", confirmed=True, now=NOON)
    assert len(rows) == 1 and again == []


def test_printer_status_is_an_event_only_when_it_changes(store):
    changes = [store.run(printing.set_printer_status, "counter-1", state, now=NOON)[1]
               for state in ("online", "online", "paper_out", "paper_out", "online")]
    assert [len(rows) for rows in changes] == [1, 0, 1, 0, 1]


def test_every_job_kind_lays_out_for_its_printer(store):
    result, _ = sell(store)
    job = spool.get_job(store.read_db, "job-0000001")
    assert spool.layout_of(job, 48).paper == 48
    assert spool.layout_of(job, 32).paper == 32


def test_a_try_is_counted_before_its_bytes_go_and_once(store):
    sell(store)
    store.run(printing.mark_sending, "job-0000001", now=NOON)
    result, _ = store.run(printing.mark_failed, "job-0000001", reason="dropped", message="cut", now=NOON, counted=True)
    assert result["attempts"] == 1
    store.run(printing.mark_sending, "job-0000001", now=NOON)
    _, rows = store.run(printing.mark_printed, "job-0000001", confirmed=True, now=NOON)
    assert [row["data"]["attempts"] for row in rows] == [2]
