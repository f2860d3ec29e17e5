"""Who may read /metrics: the hub's own machine, and a staff session still signed in; nobody else."""
from datetime import timedelta

import pytest

from hub.errors import HallError
from hub.rules import devices, sessions, staff
from hub.wire import metrics
from tests.conftest import NOON

PASSWORD = "open sesame 1"
AWAY = "192.168.10.24"


@pytest.fixture
def token(store) -> str:
    store.run(devices.mint_token, "staff", "staff-1", now=NOON - timedelta(hours=1))
    store.run(staff.add, "mina", PASSWORD, now=NOON - timedelta(hours=1))
    result, _ = store.run(staff.sign_in, "mina", PASSWORD, device="staff-1", now=NOON)
    return result["session"]["token"]


def refused(store, address, authorization, at=NOON) -> bool:
    try:
        metrics.allowed(store.read_db, at, address, authorization)
    except HallError as error:
        assert error.code == "unauthorized"
        return True
    return False


@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_the_hubs_own_machine_reads_without_a_token(store, address):
    assert not refused(store, address, "")


def test_a_signed_in_staff_session_reads_from_another_machine(store, token):
    assert sessions.person_of(store.read_db, token, now=NOON) == "mina"
    assert not refused(store, AWAY, f"Bearer {token}")


@pytest.mark.parametrize("authorization", ["", "Bearer ", "Bearer not-a-token-at-all-but-long-enough", "Basic x"])
def test_anyone_else_on_the_network_is_refused(store, token, authorization):
    assert refused(store, AWAY, authorization)


def test_a_device_token_is_not_a_staff_session(store, token):
    minted, _ = store.run(devices.mint_token, "staff", "staff-2", now=NOON)
    assert refused(store, AWAY, f"Bearer {minted['token']}")


def test_a_session_that_ended_or_expired_reads_no_more(store, token):
    assert refused(store, AWAY, f"Bearer {token}", at=NOON + sessions.LIFETIME + timedelta(seconds=1))
    store.run(sessions.end, sessions.key_of(token), why=sessions.SIGNED_OUT, now=NOON)
    assert refused(store, AWAY, f"Bearer {token}")
