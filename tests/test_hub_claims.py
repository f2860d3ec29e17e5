"""Against a real hub: a door's claimed time cannot open a ticket early; a paid sale's odd time is flagged."""
import uuid
from datetime import datetime, timedelta

from tests.conftest import SEOUL, cobot_demo_hub


def test_a_scanner_claiming_a_later_time_cannot_admit_a_ticket_for_a_session_an_hour_away(tmp_path, catalog_csv,
                                                                                        clients):
    hub = cobot_demo_hub(tmp_path, catalog_csv, capacity=5, starts_in=timedelta(minutes=90))
    try:
        kiosk = clients(hub.client("kiosk", "kiosk-1"))
        scanner = clients(hub.client("scanner", "scanner-1"))
        ticket = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": hub.slot_id, "party": 2})["ticket"]
        claimed = (datetime.fromisoformat(ticket["valid_from"]) + timedelta(minutes=1)).isoformat()
        answer = scanner.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"], "booth": "A-103",
                                           "offline_at": claimed})
        assert answer["ok"] is False
        assert (answer["error"]["code"], answer["error"]["field"], answer["error"]["reason"]) == \
            ("invalid", "offline_at", "future")
        # Scanned now, on the hub's own clock, the same ticket is simply too early.
        now = scanner.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"], "booth": "A-103"})
        assert now["scan"]["reason"] == "too_early"
        slot = kiosk.call("demos")["demos"][0]["slots"][0]
        assert slot["checked_in"] == 0
    finally:
        hub.stop()


def test_a_replayed_sale_claiming_next_week_stands_and_staff_are_told(hub, clients):
    pos = clients(hub.client("pos", "pos-1"))
    staff = clients(hub.client("staff", "staff-1"))
    claimed = (datetime.now(SEOUL) + timedelta(days=7)).isoformat()
    answer = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
                                   "payments": [{"method": "cash", "amount": 1100}], "offline_at": claimed})
    assert answer["ok"] is True
    sold_at = datetime.fromisoformat(answer["sale"]["at"])
    assert abs(sold_at - datetime.now(SEOUL)) < timedelta(minutes=1)
    doubted = staff.wait_for(lambda e: e["type"] == "claim.doubted")
    assert doubted["data"]["ref"] == answer["sale"]["sale_id"] and doubted["data"]["reason"] == "future"
    alert = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "time_claim")
    assert alert["data"]["subject"] == "pos-1"
    assert alert["seq"] == doubted["seq"] + 1  # in the same commit, right after the event that calls for it
