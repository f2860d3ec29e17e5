"""Visitors' ratings: stored once, shown to staff, exported as a spreadsheet-safe CSV."""
import csv
import io
import uuid

import pytest
import requests as http

from hub.rules import exports, feedback
from hub.wire import payloads
from hub.errors import HallError
from tests.conftest import NOON


@pytest.mark.parametrize("payload", [
    {"rating": 3}, {"feedback_id": str(uuid.uuid4()), "rating": 0}, {"feedback_id": str(uuid.uuid4()), "rating": 6},
    {"feedback_id": str(uuid.uuid4()), "rating": "5"}, {"feedback_id": str(uuid.uuid4()), "rating": 5,
                                                         "comment": "x" * 301},
    {"feedback_id": str(uuid.uuid4()), "rating": 5, "context": "elsewhere"},
])
def test_bad_feedback_is_invalid(payload):
    with pytest.raises(HallError) as refused:
        payloads.feedback(payload)
    assert refused.value.code == "invalid"


def test_a_rating_retried_is_kept_once(store):
    request = payloads.feedback({"feedback_id": str(uuid.uuid4()), "rating": 5, "comment": "좋아요", "context": "order"})
    store.run(feedback.record, request, device="kiosk-1", now=NOON)
    store.run(feedback.record, request, device="kiosk-1", now=NOON)
    assert [f["rating"] for f in feedback.newest(store.read_db)] == [5]
    assert feedback.daily_average(store.read_db) == [{"day": "2026-11-25", "count": 1, "average": 5.0}]


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM", "'@SUM"),
    ("로봇", "로봇"), (12000, "12000"), (None, ""),
])
def test_csv_cells_that_would_run_as_formulas_are_defused(value, written):
    assert exports.cell(value) == written


def test_feedback_csv_opens_as_utf8_with_a_bom(hub, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    staff = clients(hub.client("staff", "staff-1"))
    for rating, comment in ((5, "로봇 시연 최고"), (3, "=cmd|' /C calc'!A0")):
        assert kiosk.call("feedback", {"feedback_id": str(uuid.uuid4()), "rating": rating, "comment": comment})["ok"]
    staff.wait_for(lambda e: e["type"] == "feedback.received")
    assert staff.call("feedback_list")["daily"][0]["count"] == 2
    alone = hub.token("staff", "staff-2")  # a staff screen where nobody has signed in
    refused = http.get(hub.url + "/api/exports/feedback.csv", headers={"Authorization": f"Bearer {alone}"}, timeout=5)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "sign_in_required"
    answer = http.get(hub.url + "/api/exports/feedback.csv", headers={"Authorization": f"Bearer {staff.token}"},
                      timeout=5)
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert sorted(r["rating"] for r in rows) == ["3", "5"]
    assert {r["comment"] for r in rows} == {"로봇 시연 최고", "'=cmd|' /C calc'!A0"}
    assert kiosk.call("feedback_list")["error"]["code"] == "forbidden"
