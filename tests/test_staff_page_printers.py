"""The staff screen's printers panel: jobs by their number, a Z report by its till and cashier, and a
reprint that asks first with the picture of what will print."""
import re
import uuid

from tests.pages import wait_until
from tests.test_pos_support import query, till_hub  # noqa: F401 (till_hub is a fixture)
from tests.test_staff_page import WAIT_MS, no_errors, open_staff, sell

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


def close_a_shift(hub, clients) -> str:
    """c01 opens a shift on pos-1 and closes it: its Z report prints on counter-1."""
    till = clients(hub.client("pos", "pos-1"))
    shift_id = str(uuid.uuid4())
    assert till.call("shift_open", {"shift_id": shift_id, "cashier_id": "c01", "float": 50000})["ok"]
    sell(till, "PEN", 1, 1100, shift_id=shift_id, cashier="c01")
    assert till.call("shift_close", {"shift_id": shift_id, "counted_cash": 51100})["ok"]
    till.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["kind"] == "shift_report", timeout=5)
    return shift_id


def test_a_z_report_is_listed_by_its_number_till_and_cashier_not_its_shifts_uuid(till_hub, context, clients):
    shift_id = close_a_shift(till_hub, clients)
    [(job_no,)] = query(till_hub, "SELECT job_no FROM print_jobs WHERE kind = 'shift_report'")
    page = open_staff(till_hub, context, panel="printers")
    z_row = page.locator('#jobs-table tr[data-job="job-%07d"]' % job_no)
    z_row.wait_for(timeout=WAIT_MS)
    wait_until(page, "n => !document.querySelector(`#jobs-table tr[data-job='job-${String(n).padStart(7, '0')}']`)"
                           ".textContent.includes('…')", arg=job_no, timeout=WAIT_MS)
    assert z_row.locator("th").text_content() == f"#{job_no}"
    shown = z_row.text_content()
    assert shift_id not in shown and not UUID.search(shown), shown
    assert re.search(r"pos-1 · 김계산 · \d{1,2}월 \d{1,2}일 \d\d:\d\d 마감", shown), shown
    no_errors(page)


def test_a_reprint_asks_first_with_the_picture_and_enter_does_not_print(till_hub, context, clients):
    till = clients(till_hub.client("pos", "pos-1"))
    receipt_no = sell(till, "PEN", 1, 1100)["receipt_no"]
    till.wait_for(lambda e: e["type"] == "print.printed", timeout=5)
    page = open_staff(till_hub, context, panel="printers")
    job = page.locator('#jobs-table tr[data-state="printed"]').first
    job.wait_for(timeout=WAIT_MS)

    job.locator("button[data-do=reprint]").click()
    dialog = page.locator("#preview-dialog")
    dialog.wait_for(timeout=WAIT_MS)
    assert dialog.get_attribute("data-mode") == "ask"
    assert re.fullmatch(rf"#\d+ 영수증 {receipt_no}을\(를\) counter-1에서 다시 인쇄할까요\?", page.text_content("#preview-title"))
    wait_until(page, "document.querySelector('#preview-img').complete"
                           " && document.querySelector('#preview-img').naturalWidth > 0", timeout=WAIT_MS)
    assert page.evaluate("document.activeElement.id") == "preview-close"
    page.keyboard.press("Enter")  # the safe answer has the focus
    page.wait_for_selector("#preview-dialog", state="hidden", timeout=WAIT_MS)
    page.wait_for_timeout(300)
    assert query(till_hub, "SELECT count(*) FROM print_jobs WHERE ref = ?", [receipt_no]) == [(1,)]

    job.locator("button[data-do=reprint]").click()
    dialog.wait_for(timeout=WAIT_MS)
    page.click("#preview-reprint")
    wait_until(page, "[...document.querySelectorAll('#jobs-table tr')].some(r => r.textContent.includes('재발행'))",
                           timeout=WAIT_MS)
    assert query(till_hub, "SELECT count(*) FROM print_jobs WHERE ref = ? AND reprint_of IS NOT NULL",
                 [receipt_no]) == [(1,)]
    # The job's row can come (print.queued) before the command's answer that makes the toast.
    wait_until(page, "document.querySelector('#toasts').textContent.includes('재발행')", timeout=WAIT_MS)
    assert re.search(r"counter-1에 재발행 #\d+을\(를\) 넣었습니다", page.text_content("#toasts"))
    no_errors(page)
