"""A device's claimed time is believed only within bounds: an admission out of bounds is refused, a sale stands."""
import uuid
from datetime import datetime, timedelta

import pytest

from hub.errors import HallError
from hub.rules import alerts, checkout, claims, demos, shifts
from hub.wire import payloads
from tests.conftest import NOON, signed_in
from tests.test_demos import book, hall, scan  # noqa: F401  (hall is a fixture)

BOUNDS = claims.TimeBounds(skew=timedelta(minutes=2), longest_outage=timedelta(hours=12))


@pytest.mark.parametrize("offset, expected", [
    (None, None), (timedelta(0), None), (timedelta(minutes=2), None), (timedelta(minutes=2, seconds=1), "future"),
    (timedelta(hours=-12), None), (timedelta(hours=-12, seconds=-1), "too_old"), (timedelta(days=400), "future"),
])
def test_a_claim_is_believed_only_within_the_skew_and_the_longest_outage(offset, expected):
    claimed = None if offset is None else (NOON + offset).isoformat()
    assert claims.doubt(claimed, NOON, BOUNDS) == expected


def first_slot(store) -> dict:
    return min((slot for demo in demos.program(store.read_db) for slot in demo["slots"]),
               key=lambda slot: slot["starts_at"])


def test_a_door_cannot_admit_a_ticket_early_by_claiming_a_later_time(hall):  # noqa: F811
    slot = first_slot(hall)
    ticket = book(hall, slot_id=slot["slot_id"])[0]["ticket"]
    starts = ticket["starts_at"]
    # The attack: an hour before the session, a scanner claims it is one minute past the ticket's opening.
    hour_before = datetime.fromisoformat(starts) - timedelta(hours=1)
    claimed = (datetime.fromisoformat(ticket["valid_from"]) + timedelta(minutes=1)).isoformat()
    with pytest.raises(HallError) as refused:
        scan(hall, ticket["qr"], at=hour_before, booth=None, offline_at=claimed)
    assert refused.value.code == "invalid"
    assert refused.value.details["field"] == "offline_at" and refused.value.details["reason"] == "future"
    assert demos.slot(hall.read_db, slot["slot_id"])["checked_in"] == 0


def test_a_door_admission_older_than_the_longest_outage_is_refused(hall):  # noqa: F811
    ticket = book(hall, slot_id=first_slot(hall)["slot_id"])[0]["ticket"]
    opens = datetime.fromisoformat(ticket["valid_from"])
    with pytest.raises(HallError) as refused:
        scan(hall, ticket["qr"], at=opens + timedelta(hours=13), booth=None,
             offline_at=(opens + timedelta(minutes=5)).isoformat())
    assert refused.value.details["reason"] == "too_old"


def sale_request(store, offline_at):
    return payloads.checkout({"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
                              "payments": [{"method": "cash", "amount": 1100}], "offline_at": offline_at,
                              "sign_in": signed_in(store)})


def test_a_paid_sale_with_a_claim_from_the_future_stands_at_the_hubs_time_and_is_flagged(store):
    claimed = (NOON + timedelta(days=3)).isoformat()
    result, rows = store.run(checkout.checkout, sale_request(store, claimed), device="pos-1", tax_rate=10, now=NOON,
                             bounds=BOUNDS)
    assert result["sale"]["at"] == NOON.isoformat(timespec="milliseconds")
    assert result["sale"]["offline_at"] == payloads.moment(claimed, "offline_at")  # the claim is kept beside it
    doubted = [r for r in rows if r["type"] == "claim.doubted"]
    assert [d["data"]["reason"] for d in doubted] == ["future"]
    assert doubted[0]["data"]["ref"] == result["sale"]["sale_id"]


def test_a_believed_claim_raises_nothing(store):
    _, rows = store.run(checkout.checkout, sale_request(store, (NOON - timedelta(minutes=30)).isoformat()),
                        device="pos-1", tax_rate=10, now=NOON, bounds=BOUNDS)
    assert not [r for r in rows if r["type"] == "claim.doubted"]


def test_a_shift_opened_with_an_unbelievable_time_is_recorded_at_the_hubs(store):
    request = payloads.shift_open({"shift_id": str(uuid.uuid4()), "sign_in": signed_in(store), "float": 100000,
                                   "opened_at": (NOON - timedelta(days=2)).isoformat()})
    result, rows = store.run(shifts.open_shift, request, device="pos-1", now=NOON, bounds=BOUNDS)
    assert result["shift"]["opened_at"] == NOON.isoformat(timespec="milliseconds")
    assert [r["data"]["reason"] for r in rows if r["type"] == "claim.doubted"] == ["too_old"]


def test_staff_get_one_alert_per_device_whose_clock_is_not_believed():
    flagged = {"device": "pos-1", "what": "sale", "ref": "x", "claimed": "2030-01-01T00:00:00+09:00",
               "reason": "future", "recorded_at": NOON.isoformat()}
    from hub.events import Event
    kind, subject, _, _ = alerts.for_event(None, Event("claim.doubted", flagged), default_threshold=5)
    assert (kind, subject) == ("time_claim", "pos-1")
