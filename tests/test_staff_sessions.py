"""Staff sessions on a fresh hall file: a sign-in survives a reload by its token, and ends when it should."""
import hashlib
from datetime import timedelta

import pytest

from hub.errors import HallError
from hub.rules import devices, sessions, staff
from tests.conftest import NOON

PASSWORD = "open sesame 1"


@pytest.fixture
def hall(store):
    """The test hall with a staff screen `staff-1` and a person `mina`."""
    store.run(devices.mint_token, "staff", "staff-1", now=NOON - timedelta(hours=1))
    store.run(devices.mint_token, "staff", "staff-2", now=NOON - timedelta(hours=1))
    store.run(staff.add, "mina", PASSWORD, now=NOON - timedelta(hours=1))
    return store


def sign_in(store, at=NOON, device="staff-1") -> dict:
    result, _ = store.run(staff.sign_in, "mina", PASSWORD, device=device, now=at)
    return result


def resume(store, token, at=NOON, device="staff-1") -> dict:
    result, _ = store.run(sessions.resume, token, device=device, now=at)
    return result


def ended_why(store, token, **kwargs) -> str:
    with pytest.raises(HallError) as refused:
        resume(store, token, **kwargs)
    assert refused.value.code == "session_ended"
    return refused.value.details["reason"]


def test_a_sign_in_gives_a_token_the_hub_keeps_only_hashed(hall):
    signed = sign_in(hall)
    token = signed["session"]["token"]
    assert len(token) >= 40 and signed["session"]["expires_at"] == (NOON + sessions.LIFETIME).isoformat(
        timespec="milliseconds")
    stored = hall.read_db.execute("SELECT token_hash, name, device FROM staff_sessions").fetchall()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "mina", "staff-1")]
    assert token not in str(hall.read_db.execute("SELECT * FROM staff_sessions").fetchall())
    assert resume(hall, token, at=NOON + timedelta(hours=2))["staff"] == {"name": "mina"}


def test_a_wrong_password_starts_no_session(hall):
    result, _ = hall.run(staff.sign_in, "mina", "not it at all", device="staff-1", now=NOON)
    assert result["refused"].code == "wrong_password" and "session" not in result
    assert hall.read_db.execute("SELECT count(*) FROM staff_sessions").fetchone()[0] == 0


def test_a_session_is_good_only_at_its_own_device_and_only_for_its_lifetime(hall):
    token = sign_in(hall)["session"]["token"]
    assert ended_why(hall, token, device="staff-2") == "unknown"
    assert ended_why(hall, token, at=NOON + sessions.LIFETIME) == "expired"
    assert ended_why(hall, "x" * 43) == "unknown"


@pytest.mark.parametrize("bad", [None, 42, "", "short", "x" * 201])
def test_a_token_that_cannot_be_one_is_invalid(hall, bad):
    with pytest.raises(HallError) as refused:
        resume(hall, bad)
    assert (refused.value.code, refused.value.details["field"]) == ("invalid", "token")


def test_signing_out_ends_the_session(hall):
    signed = sign_in(hall)
    hall.run(sessions.end, signed["session_key"], why=sessions.SIGNED_OUT, now=NOON)
    assert ended_why(hall, signed["session"]["token"]) == "signed_out"


def test_a_new_sign_in_on_the_same_connection_ends_the_one_before(hall):
    first = sign_in(hall)
    result, _ = hall.run(staff.sign_in, "mina", PASSWORD, device="staff-1", now=NOON, replaces=first["session_key"])
    assert ended_why(hall, first["session"]["token"]) == "replaced"
    assert resume(hall, result["session"]["token"])["staff"] == {"name": "mina"}


def test_revoking_a_device_from_the_staff_screen_ends_its_sessions_and_no_others(hall):
    token = sign_in(hall)["session"]["token"]
    other = sign_in(hall, device="staff-2")["session"]["token"]
    hall.run(sessions.revoke_device, "staff-1", now=NOON)
    assert ended_why(hall, token) == "device"
    assert resume(hall, other, device="staff-2")["staff"] == {"name": "mina"}
    assert hall.read_db.execute("SELECT ended_why FROM staff_sessions WHERE device = 'staff-1'").fetchall() == [
        ("device",)]


def test_a_device_revoked_from_the_command_line_and_paired_again_starts_with_nobody_signed_in(hall):
    token = sign_in(hall)["session"]["token"]
    hall.run(devices.revoke, "staff-1", now=NOON)  # run_hall.py token --revoke: no session is touched
    assert ended_why(hall, token) == "device"
    hall.run(devices.mint_token, "staff", "staff-1", now=NOON + timedelta(minutes=1))
    assert ended_why(hall, token, at=NOON + timedelta(minutes=2)) == "device"


def test_setting_a_persons_password_again_ends_their_sessions(hall):
    token = sign_in(hall)["session"]["token"]
    hall.run(staff.add, "mina", "a new password", now=NOON)
    assert ended_why(hall, token) == "password"


def test_old_sessions_are_cleared_away_at_a_later_sign_in(hall):
    sign_in(hall)
    sign_in(hall, at=NOON + sessions.LIFETIME + sessions.KEPT_AFTER + timedelta(seconds=1))
    assert hall.read_db.execute("SELECT count(*) FROM staff_sessions").fetchone()[0] == 1
