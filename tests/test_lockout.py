"""One lockout for cashier PINs and staff passwords: counted per person and device, each with its own words."""
from datetime import timedelta

import pytest

from hub.rules import cashiers, lockout, staff
from tests.conftest import NOON

PEOPLE = {
    "cashier": (cashiers.PINS, "c01", "1234", "0000"),
    "staff": (staff.PASSWORDS, "kim", "hall-password", "wrong-password"),
}


@pytest.fixture
def people(store):
    store.run(cashiers.upsert, "c01", "김계산", cashiers.hash_pin("1234"), supervisor=False, now=NOON)
    store.run(staff.add, "kim", "hall-password", now=NOON)
    return store


def attempt(store, kind, secret, *, key=None, device="device-1", now=NOON):
    keeping, known, _, _ = PEOPLE[kind]

    def check(db, *, now):
        return lockout.check(db, keeping, key or known, secret, device=device, now=now, columns=()), []
    return store.run(check, now=now)[0]


@pytest.mark.parametrize("kind", sorted(PEOPLE))
def test_the_fifth_miss_locks_and_even_the_right_secret_waits_out_the_lock(people, kind):
    _, _, right, wrong = PEOPLE[kind]
    tries = [attempt(people, kind, wrong) for _ in range(lockout.MAX_ATTEMPTS)]
    assert [t.locked_now for t in tries] == [False] * 4 + [True]
    assert tries[-1].refusal.code == "locked"
    assert attempt(people, kind, right).refusal.code == "locked"
    later = NOON + timedelta(minutes=lockout.LOCK_MINUTES, seconds=1)
    assert attempt(people, kind, right, now=later).refusal is None


@pytest.mark.parametrize("kind", sorted(PEOPLE))
def test_a_right_secret_clears_the_misses(people, kind):
    _, _, right, wrong = PEOPLE[kind]
    for _ in range(lockout.MAX_ATTEMPTS - 1):
        attempt(people, kind, wrong)
    assert attempt(people, kind, right).refusal is None
    assert not any(attempt(people, kind, wrong).locked_now for _ in range(lockout.MAX_ATTEMPTS - 1))


def test_a_till_hears_how_many_pin_tries_are_left_a_staff_screen_does_not(people):
    assert attempt(people, "cashier", "0000").refusal.to_ack()["error"]["attempts_left"] == 4
    assert "attempts_left" not in attempt(people, "staff", "wrong-password").refusal.to_ack()["error"]


def test_a_staff_screen_cannot_tell_an_unknown_name_from_a_wrong_password(people):
    unknown = attempt(people, "staff", "hall-password", key="nobody").refusal
    wrong = attempt(people, "staff", "wrong-password").refusal
    assert (unknown.code, unknown.message) == (wrong.code, wrong.message) == \
        ("wrong_password", "unknown name or wrong password")
    assert attempt(people, "cashier", "1234", key="c99").refusal.code == "unknown_cashier"


@pytest.mark.parametrize("kind", sorted(PEOPLE))
def test_a_stranger_at_one_device_cannot_lock_the_person_out_of_another(people, kind):
    _, _, right, wrong = PEOPLE[kind]
    for _ in range(lockout.MAX_ATTEMPTS):
        attempt(people, kind, wrong, device="device-1")
    assert attempt(people, kind, right, device="device-1").refusal.code == "locked"
    assert attempt(people, kind, right, device="device-2").refusal is None


def test_a_device_that_locked_several_people_is_slowed_down_for_everyone(people):
    for number in range(lockout.DEVICE_LOCKS):
        people.run(cashiers.upsert, f"x{number}", "누군가", cashiers.hash_pin("1357"), supervisor=False, now=NOON)
        for _ in range(lockout.MAX_ATTEMPTS):
            attempt(people, "cashier", "0000", key=f"x{number}", device="device-9")
    slowed = attempt(people, "cashier", "1234", device="device-9").refusal
    assert slowed.code == "slow_down" and slowed.details["retry_after"] > NOON.isoformat()
    assert attempt(people, "cashier", "1234", device="device-1").refusal is None
    later = NOON + timedelta(minutes=lockout.LOCK_MINUTES, seconds=1)
    assert attempt(people, "cashier", "1234", device="device-9", now=later).refusal is None


def test_staff_and_a_supervisor_lift_a_lock(people):
    for _ in range(lockout.MAX_ATTEMPTS):
        attempt(people, "cashier", "0000", device="pos-1")
    people.run(cashiers.upsert, "s01", "박감독", cashiers.hash_pin("9999"), supervisor=True, now=NOON)
    request = {"cashier_id": "c01", "supervisor_id": "s01", "supervisor_pin": "9999"}
    result, rows = people.run(cashiers.supervisor_unlock, request, device="pos-1", now=NOON)
    assert result["unlocked"] == 1 and rows[-1]["type"] == "sign_in.unlocked"
    assert attempt(people, "cashier", "1234", device="pos-1").refusal is None
    for _ in range(lockout.MAX_ATTEMPTS):
        attempt(people, "staff", "wrong-password", device="staff-1")
    people.run(staff.unlock, "kim", by="admin@staff-2", now=NOON)
    assert attempt(people, "staff", "hall-password", device="staff-1").refusal is None


def test_a_cashier_not_a_supervisor_cannot_lift_a_lock(people):
    for _ in range(lockout.MAX_ATTEMPTS):
        attempt(people, "cashier", "0000", device="pos-1")
    people.run(cashiers.upsert, "c02", "이수납", cashiers.hash_pin("5555"), supervisor=False, now=NOON)
    request = {"cashier_id": "c01", "supervisor_id": "c02", "supervisor_pin": "5555"}
    result, _ = people.run(cashiers.supervisor_unlock, request, device="pos-1", now=NOON)
    assert result["refused"].code == "supervisor_required"
    assert attempt(people, "cashier", "1234", device="pos-1").refusal.code == "locked"


def test_each_lock_raises_a_staff_alert_naming_the_person_and_the_device(people):
    from hub.events import Event
    from hub.rules import alerts
    locked = Event("cashier.locked", {"cashier_id": "c01", "name": "김계산", "until": NOON.isoformat(),
                                      "device": "pos-3"})
    kind, subject, _, _ = alerts.for_event(None, locked, default_threshold=5)
    assert (kind, subject) == ("sign_in_locked", "c01@pos-3")
