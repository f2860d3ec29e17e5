"""Tokens and pairing codes: stored hashed, revocable, single-use, short-lived."""
from datetime import timedelta

import pytest

from hub.rules import devices
from hub.errors import HallError
from tests.conftest import NOON


def test_a_minted_token_authenticates_and_is_stored_only_as_a_hash(store):
    result, _ = store.run(devices.mint_token, "pos", "pos-1", now=NOON)
    assert devices.authenticate(store.read_db, result["token"]) == {"name": "pos-1", "role": "pos"}
    stored = store.read_db.execute("SELECT token_hash FROM devices").fetchone()[0]
    assert result["token"] not in stored


def test_a_revoked_token_no_longer_authenticates(store):
    result, _ = store.run(devices.mint_token, "kiosk", "kiosk-1", now=NOON)
    store.run(devices.revoke, "kiosk-1", now=NOON)
    assert devices.authenticate(store.read_db, result["token"]) is None


def test_minting_again_replaces_the_old_token(store):
    old, _ = store.run(devices.mint_token, "pos", "pos-1", now=NOON)
    new, _ = store.run(devices.mint_token, "pos", "pos-1", now=NOON)
    assert devices.authenticate(store.read_db, old["token"]) is None
    assert devices.authenticate(store.read_db, new["token"])["name"] == "pos-1"


@pytest.mark.parametrize("token", [None, "", "x", 42, "a" * 500, "not-a-real-token-at-all-123"])
def test_bad_tokens_do_not_authenticate(store, token):
    assert devices.authenticate(store.read_db, token) is None


@pytest.mark.parametrize("role, name", [("admin", "x"), ("pos", ""), ("pos", "a b"), ("pos", "<b>"),
                                        ("pos", "x" * 41)])
def test_bad_identities_are_invalid(store, role, name):
    with pytest.raises(HallError) as refused:
        store.run(devices.mint_token, role, name, now=NOON)
    assert refused.value.code == "invalid"


def test_a_pairing_code_is_traded_once_for_a_token(store):
    pairing, _ = store.run(devices.create_pairing, "kiosk", "kiosk-7", now=NOON)
    assert len(pairing["code"]) == 9 and pairing["code"][4] == "-"
    paired, rows = store.run(devices.redeem_pairing, pairing["code"].lower(), now=NOON + timedelta(minutes=9))
    assert devices.authenticate(store.read_db, paired["token"]) == {"name": "kiosk-7", "role": "kiosk"}
    assert [r["type"] for r in rows] == ["device.added", "device.paired"]
    with pytest.raises(HallError) as again:
        store.run(devices.redeem_pairing, pairing["code"], now=NOON)
    assert again.value.code == "code_used"


def test_a_pairing_code_expires_after_ten_minutes(store):
    pairing, _ = store.run(devices.create_pairing, "pos", "pos-3", now=NOON)
    with pytest.raises(HallError) as refused:
        store.run(devices.redeem_pairing, pairing["code"], now=NOON + timedelta(minutes=10))
    assert refused.value.code == "code_expired"


def test_an_unknown_pairing_code_is_refused(store):
    with pytest.raises(HallError) as refused:
        store.run(devices.redeem_pairing, "AAAA-AAAA", now=NOON)
    assert refused.value.code == "unknown_code"
