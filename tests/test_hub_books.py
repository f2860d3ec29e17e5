"""The books match the money (issue 13), over Socket.IO against a real hub: offline sales are facts,
현금영수증 carried through refunds, one drawer arithmetic, the day close and its seal."""
import csv
import io
import json
import re
import sqlite3
import uuid
from datetime import datetime, timedelta

import pytest
import requests as http

from printers.documents import SHIFT_CASH_WORDS
from tests.conftest import CASHIERS_TOML, SEOUL, running_till_hub

TILLS = CASHIERS_TOML + """
[printers.counter-1]
type = "virtual"

[printers.office]
type = "virtual"

[stations]
pos-1 = "counter-1"
staff-1 = "office"
"""


@pytest.fixture
def hub(tmp_path, catalog_csv):
    with running_till_hub(tmp_path, catalog_csv, TILLS) as process:
        yield process


def minutes_ago(minutes: int) -> str:
    return (datetime.now(SEOUL) - timedelta(minutes=minutes)).isoformat()


def offline_sale(sku: str, qty: int, price: int, *, shift_id=None, **extra) -> dict:
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty, "unit_price": price}],
            "payments": [{"method": "cash", "amount": qty * price}], "offline_at": minutes_ago(20),
            "shift_id": shift_id, **extra}


def export(hub, staff, name: str, **params) -> list[dict]:
    answer = http.get(f"{hub.url}/api/exports/{name}.csv", params=params, timeout=10,
                      headers={"Authorization": f"Bearer {staff.token}"})
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


def printed_text(hub, printer: str, job_id: str) -> str:
    """The job's bytes as text, without the codes that switch Korean and bold on and off mid-line."""
    raw = (hub.data_dir / "prints" / printer / f"{job_id}.bin").read_bytes()
    return re.sub(r"\x1c[&.]|\x1bE[\x00\x01]", "", raw.decode("cp949", errors="replace"))


def test_two_offline_tills_selling_the_same_last_unit_both_enter_the_books_with_one_discrepancy(hub, clients):
    pos1, pos2 = clients(hub.client("pos", "pos-1")), clients(hub.client("pos", "pos-2"))
    staff = clients(hub.client("staff", "staff-1"))
    # LAST: 3 on the shelf. Two are sold online; then both tills, cut off, sell "the last one".
    shifts = {}
    for name, till in (("pos-1", pos1), ("pos-2", pos2)):
        shifts[name] = str(uuid.uuid4())
        assert till.call("shift_open", {"shift_id": shifts[name], "float": 100000})["ok"]
    assert pos1.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 2}],
                                  "payments": [{"method": "card", "amount": 198000, "approval_no": "30001"}],
                                  "shift_id": shifts["pos-1"]})["ok"]
    first = pos1.call("checkout", offline_sale("LAST", 1, 99000, shift_id=shifts["pos-1"]))
    second = pos2.call("checkout", offline_sale("LAST", 1, 99000, shift_id=shifts["pos-2"]))
    assert first["ok"] and second["ok"], (first, second)

    oversold = staff.wait_for(lambda e: e["type"] == "stock.oversold")
    assert oversold["data"]["sku"] == "LAST" and oversold["data"]["qty"] == 1
    assert oversold["data"]["receipt_no"] == second["sale"]["receipt_no"]
    staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "oversold")
    found = staff.call("discrepancies")["discrepancies"]
    assert [(d["sku"], d["qty"], d["device"]) for d in found] == [("LAST", 1, "pos-2")]
    # Stock never below zero: the gap is the discrepancy, not a negative count.
    product = next(p for p in staff.call("catalog")["products"] if p["sku"] == "LAST")
    assert (product["on_hand"], product["available"]) == (0, 0)

    firm = next(row for row in export(hub, staff, "firms") if row["firm"] == "(주)하늘드론")
    assert (int(firm["units"]), int(firm["gross"])) == (4, 4 * 99000)
    journal = [row for row in export(hub, staff, "sales") if row["sku"] == "LAST"]
    assert sorted(int(row["qty"]) for row in journal) == [1, 1, 2]
    day = staff.call("day_report")["report"]
    assert day["gross"] == 4 * 99000 and day["offline"]["sales"] == 2
    assert day["tax"]["supply"] + day["tax"]["vat"] == 4 * 99000
    assert len(day["offline"]["discrepancies"]) == 1

    for name, till in (("pos-1", pos1), ("pos-2", pos2)):
        z = till.call("shift_close", {"shift_id": shifts[name], "counted_cash": 199000})["report"]
        assert z["cash_sales"] == 99000 and z["expected_cash"] == 199000 and z["difference"] == 0
    # A count of the shelf settles it.
    counted = staff.call("adjust", {"sku": "LAST", "kind": "count", "qty": 0, "reason": "shelf count"})
    assert counted["ok"], counted
    settled = staff.wait_for(lambda e: e["type"] == "stock.discrepancy_settled")
    assert settled["data"]["settlement"] == "count: 0"
    assert staff.call("discrepancies")["discrepancies"] == []


def test_an_offline_sale_at_another_price_is_booked_as_charged_and_flagged(hub, clients):
    pos, staff = clients(hub.client("pos", "pos-1")), clients(hub.client("staff", "staff-1"))
    sold = pos.call("checkout", offline_sale("ROBOT", 2, 50000))
    assert sold["ok"], sold
    line = sold["sale"]["lines"][0]
    assert (line["unit_price"], line["listed_price"], sold["sale"]["total"]) == (50000, 55000, 100000)
    flagged = staff.wait_for(lambda e: e["type"] == "sale.price_differed")
    assert flagged["data"]["lines"] == [{"sku": "ROBOT", "name": line["name"], "charged": 50000, "listed": 55000,
                                         "qty": 2}]
    staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "price_differs")
    # Online, the hub's list price is the price, whatever a till says.
    online = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1, "unit_price": 1}],
                                   "payments": [{"method": "cash", "amount": 55000}]})
    assert online["sale"]["lines"][0]["unit_price"] == 55000 and "listed_price" not in online["sale"]["lines"][0]


def test_a_refunded_cash_receipt_sale_nets_to_zero_in_the_cash_receipt_export(hub, clients):
    pos, staff = clients(hub.client("pos", "pos-1")), clients(hub.client("staff", "staff-1"))
    sold = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 2}],
                                 "payments": [{"method": "cash", "amount": 110000}],
                                 "cash_receipt": {"kind": "phone", "number": "010-1234-5678"}})["sale"]
    printed = pos.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["ref"] == sold["receipt_no"])
    paper = printed_text(hub, "counter-1", printed["data"]["job_id"])
    assert "현금영수증 (소득공제)" in paper and "010****5678" in paper and "01012345678" not in paper
    refund = pos.call("void", {"refund_id": str(uuid.uuid4()), "receipt_no": sold["receipt_no"],
                               "cashier_id": "c01", "pin": "1234"})
    assert refund["ok"], refund
    assert refund["refund"]["cash_receipt"] == {"kind": "phone", "number": "01012345678", "amount": 110000}
    back = pos.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["ref"] == refund["refund"]["receipt_no"])
    assert "현금영수증 취소 (소득공제)" in printed_text(hub, "counter-1", back["data"]["job_id"])

    rows = export(hub, staff, "cash-receipts")
    assert [(r["type"], int(r["cash_amount"])) for r in rows] == [("issue", 110000), ("cancel", -110000)]
    assert sum(int(r["cash_amount"]) for r in rows) == 0
    assert rows[1]["original_receipt_no"] == sold["receipt_no"]
    refund_rows = [r for r in export(hub, staff, "sales") if r["kind"] == "void"]
    assert refund_rows and all(r["cash_receipt_kind"] == "phone" and r["cash_receipt_number"] == "01012345678"
                               for r in refund_rows)
    assert staff.call("day_report")["report"]["cash_receipts"] == {"count": 1, "cancelled": 1, "amount": 0}


def test_the_drawer_arithmetic_is_the_same_on_the_answer_the_paper_and_the_export(hub, clients):
    pos, staff = clients(hub.client("pos", "pos-1")), clients(hub.client("staff", "staff-1"))
    shift_id = str(uuid.uuid4())
    assert pos.call("shift_open", {"shift_id": shift_id, "float": 200000})["ok"]
    receipts = []
    for qty in (3, 2):
        receipts.append(pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": qty}],
                                              "payments": [{"method": "cash", "amount": qty * 55000}],
                                              "shift_id": shift_id})["sale"]["receipt_no"])
    assert pos.call("refund", {"refund_id": str(uuid.uuid4()), "receipt_no": receipts[0], "shift_id": shift_id,
                               "lines": [{"line_no": 1, "qty": 1}], "supervisor_id": "s01",
                               "supervisor_pin": "9999"})["ok"]
    z = pos.call("shift_close", {"shift_id": shift_id, "counted_cash": 400000})["report"]
    # 200,000 + 275,000 − 55,000 = 420,000 expected; 400,000 counted: 20,000 short.
    assert (z["float"], z["cash_sales"], z["cash_refunds"], z["expected_cash"]) == (200000, 275000, 55000, 420000)
    assert (z["difference"], z["difference_kind"]) == (-20000, "short")
    job = pos.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["kind"] == "shift_report")
    paper = printed_text(hub, "counter-1", job["data"]["job_id"]).splitlines()

    def on_paper(word):
        return next(line for line in paper if word in line).split()[-1]
    assert on_paper(SHIFT_CASH_WORDS["cash_refunds"]) == "55,000원"
    assert on_paper(SHIFT_CASH_WORDS["expected_cash"]) == "420,000원"
    assert any("-20,000원 (부족)" in line for line in paper)
    row = export(hub, staff, "shifts")[0]
    assert int(row[SHIFT_CASH_WORDS["float"]]) + int(row[SHIFT_CASH_WORDS["cash_sales"]]) \
        - int(row[SHIFT_CASH_WORDS["cash_refunds"]]) == int(row[SHIFT_CASH_WORDS["expected_cash"]]) == 420000
    assert (int(row[SHIFT_CASH_WORDS["difference"]]), row["difference_kind"]) == (-20000, "부족")


def test_the_day_close_reports_seals_and_shows_a_later_change(hub, clients):
    pos, staff = clients(hub.client("pos", "pos-1")), clients(hub.client("staff", "staff-1"))
    shift_id = str(uuid.uuid4())
    assert pos.call("shift_open", {"shift_id": shift_id, "float": 0})["ok"]
    pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "ROBOT", "qty": 1}, {"sku": "RICE", "qty": 2}],
                          "payments": [{"method": "card", "amount": 55000 + 2 * 12000, "approval_no": "30002"}], "shift_id": shift_id})
    closed = staff.call("day_close")
    assert closed["ok"], closed
    figures = closed["report"]
    assert [s["terminal"] for s in figures["open_shifts"]] == ["pos-1"]
    assert figures["by_method"]["card"]["net"] == 79000 and figures["tax"]["tax_free"] == 24000
    assert figures["firms"] and sum(f["net"] for f in figures["firms"]) == figures["net"] == 79000
    digest = figures["seal"]["digest"]
    assert staff.call("day_close")["error"]["code"] == "day_closed"
    job = staff.wait_for(lambda e: e["type"] == "print.printed" and e["data"]["kind"] == "day_report")
    paper = printed_text(hub, "office", job["data"]["job_id"]).replace("\n", "")
    assert digest[:40] in paper.replace(" ", "")
    seen = staff.call("day_report")
    assert seen["closed"] and seen["verify"]["matches"] and seen["verify"]["after_close"] == 0
    day_csv = export(hub, staff, "day")
    assert next(r for r in day_csv if r["section"] == "seal")["detail"] == digest

    # Someone edits the day's record behind the hub's back: the seal no longer matches.
    hub.stop()
    with sqlite3.connect(hub.data_dir / "hall.db") as db:
        db.execute("UPDATE events SET data = replace(data, '55000', '5500') WHERE type = 'sale.completed'")
    hub.start()
    staff = clients(hub.client("staff", "staff-1"))
    assert staff.call("day_report")["verify"]["matches"] is False


@pytest.mark.parametrize("day", ["2026-13-01", "yesterday", 20261204])
def test_a_malformed_day_is_invalid(hub, clients, day):
    staff = clients(hub.client("staff", "staff-1"))
    assert staff.call("day_report", {"day": day})["error"]["code"] == "invalid"


def test_the_till_names_the_drawer_in_the_z_reports_words():
    till = json.loads(open("pos/i18n/ko.json", encoding="utf-8").read())
    shown = {"float": "close.float", "cash_sales": "close.by_cash", "cash_refunds": "close.cash_refunds",
             "unbooked_cash": "close.unbooked", "expected_cash": "close.expected_cash",
             "counted_cash": "close.counted_cash", "difference": "close.difference", "over": "close.over",
             "short": "close.short", "even": "close.even"}
    assert {part: till[key] for part, key in shown.items()} == SHIFT_CASH_WORDS
