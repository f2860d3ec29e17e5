"""The staff screen's sales panel: live per-firm figures, the hourly chart, and the CSV exports."""
import csv
import io
import uuid

from tests.test_staff_page import WAIT_MS, no_errors, open_staff, sell
from tests.pages import wait_until


def firm_cell(page, firm, field):
    return page.locator(f'#firms-table tbody tr[data-firm="{firm}"] td[data-field="{field}"]')


def test_a_pos_sale_appears_in_the_firm_table_and_the_hourly_chart(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    page = open_staff(hub, context, panel="sales")
    page.wait_for_selector('#firms-table tbody tr[data-firm="(주)한빛로보틱스"]', timeout=WAIT_MS)
    assert firm_cell(page, "(주)한빛로보틱스", "units").get_attribute("data-value") == "0"
    assert page.locator("#firms-table tbody tr").count() == 4  # every firm, sold or not

    robot = sell(pos, "ROBOT", 2, 110000)
    rice = sell(pos, "RICE", 3, 36000)
    wait_until(page, 
        """() => document.querySelector('#firms-table tbody tr[data-firm="농부들영농조합"] td[data-field="units"]')
                   ?.dataset.value === '3'""", timeout=WAIT_MS)
    hanbit = {field: firm_cell(page, "(주)한빛로보틱스", field).get_attribute("data-value")
              for field in ("units", "gross", "vat", "refunds", "net")}
    assert hanbit == {"units": "2", "gross": "110000", "vat": "10000", "refunds": "0", "net": "110000"}
    assert firm_cell(page, "농부들영농조합", "vat").get_attribute("data-value") == "0"  # tax-free rice

    hour = robot["at"][:13]
    bar = page.locator(f'#sales-chart g.bar[data-hour="{hour}"]')
    assert bar.get_attribute("data-gross") == "146000" and bar.get_attribute("data-sales") == "2"
    assert bar.locator("rect.gross").count() == 1
    assert page.locator("#sales-today dd[data-field=gross]").get_attribute("data-value") == "146000"
    assert page.locator("#sales-show dd[data-field=sales]").get_attribute("data-value") == "2"
    assert page.locator("#sales-top li").first.get_attribute("data-sku") == "ROBOT"  # by net won: 110,000 > 36,000

    # A refund comes off the firm's net, live.
    assert pos.call("refund", {"refund_id": str(uuid.uuid4()), "receipt_no": rice["receipt_no"],
                               "lines": [{"line_no": 1, "qty": 1}]})["ok"]
    wait_until(page, 
        """() => document.querySelector('#firms-table tbody tr[data-firm="농부들영농조합"] td[data-field="net"]')
                   ?.dataset.value === '24000'""", timeout=WAIT_MS)
    assert firm_cell(page, "농부들영농조합", "refunds").get_attribute("data-value") == "12000"
    assert page.locator(f'#sales-chart g.bar[data-hour="{hour}"]').get_attribute("data-refunds") == "12000"
    assert page.locator(f'#sales-chart g.bar[data-hour="{hour}"] rect.refund').count() == 1

    # Sorted by net at first (the robots lead); by units the two sellers tie at 2 and lead the others.
    assert page.locator("#firms-table tbody tr").first.get_attribute("data-firm") == "(주)한빛로보틱스"
    page.click("#firms-table thead th:nth-child(4) button")  # gross, largest first
    assert page.locator("#firms-table tbody tr").first.get_attribute("data-firm") == "(주)한빛로보틱스"
    page.click("#firms-table thead th:nth-child(4) button")  # gross, smallest first
    assert page.locator("#firms-table tbody tr").first.locator('td[data-field="gross"]').get_attribute(
        "data-value") == "0"
    no_errors(page)


def download(page, name):
    with page.expect_download(timeout=WAIT_MS) as started:
        page.click(f'[data-export="{name}"]')
    saved = started.value
    body = open(saved.path(), "rb").read()
    return saved.suggested_filename, body


def rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf"), body[:20]
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_exports_download_as_utf8_with_a_bom_and_the_right_sums(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    sell(pos, "ROBOT", 1, 60000, cash_receipt={"kind": "phone", "number": "010-1234-5678"})
    sell(pos, "RICE", 2, 24000)
    pens = sell(pos, "PEN", 10, 11000)
    assert pos.call("refund", {"refund_id": str(uuid.uuid4()), "receipt_no": pens["receipt_no"],
                               "lines": [{"line_no": 1, "qty": 4}]})["ok"]
    assert kiosk.call("feedback", {"feedback_id": str(uuid.uuid4()), "rating": 4, "comment": "좋아요",
                                   "context": "order"})["ok"]
    page = open_staff(hub, context, panel="sales")

    filename, body = download(page, "sales")
    assert filename == "sales-journal.csv"
    journal = rows(body)
    assert sum(int(r["amount"]) for r in journal) == 55000 + 24000 + 11000 - 4400
    assert sorted(int(r["amount"]) for r in journal) == [-4400, 11000, 24000, 55000]
    assert "유기농 쌀 2kg" in {r["name"] for r in journal}

    filename, body = download(page, "firms")
    assert filename == "firm-settlement.csv"
    firms = {r["firm"]: r for r in rows(body)}
    hanbit = firms["(주)한빛로보틱스"]
    assert (hanbit["gross"], hanbit["net"], hanbit["vat"]) == ("55000", "55000", "5000")
    green = firms["그린문구"]
    assert (green["gross"], green["refunds"], green["net"], green["vat"]) == ("11000", "4400", "6600", "600")
    assert firms["농부들영농조합"]["tax_free"] == "24000"
    assert sum(int(f["net"]) for f in firms.values()) == 55000 + 24000 + 6600

    filename, body = download(page, "cash-receipts")
    assert [(r["kind"], r["number"], r["cash_amount"]) for r in rows(body)] == [("phone", "01012345678", "55000")]

    filename, body = download(page, "feedback")
    assert [(r["rating"], r["comment"]) for r in rows(body)] == [("4", "좋아요")]
    assert "feedback.csv" in page.text_content("#export-status")
    no_errors(page)


def test_an_export_that_fails_says_why(hub, context):
    page = open_staff(hub, context, panel="sales")
    # The screen's token revoked behind its back: the export is refused, and the panel says so.
    page.evaluate("localStorage.setItem('hall.token.staff', 'x'.repeat(40))")
    page.click('[data-export="sales"]')
    wait_until(page, "document.querySelector('#export-status').dataset.state === 'error'", timeout=WAIT_MS)
    assert "판매 일지를 불러오지 못했습니다" in page.text_content("#export-status")
    assert page.locator("#export-status button").count() == 1  # try again
