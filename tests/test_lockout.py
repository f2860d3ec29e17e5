"""One lockout for cashier PINs and staff passwords: the same counting, each with its own words."""
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


def attempt(store, kind, secret, *, key=None, now=NOON):
    keeping, known, _, _ = PEOPLE[kind]

    def check(db, *, now):
        return lockout.check(db, keeping, key or known, secret, now=now, columns=()), []
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
