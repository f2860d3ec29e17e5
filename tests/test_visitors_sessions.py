"""Visitors' phones: anonymous sessions, signed tokens, revocation and expiry, the role's bounds, and phones
counted apart from the hall's screens. Real hub processes on loopback, real Socket.IO clients."""
import base64
import hashlib
import hmac
import re
import stat
import time
import uuid

import pytest
import requests
import socketio

from tests.conftest import hall_config
from tests.hubproc import HubProcess
from tests.phones import Phone, new_session

# Only what the role allows is tried through; each of these is a till's, the staff's, a kiosk's or a scanner's.
NOT_FOR_PHONES = ["checkout", "restock", "adjust", "hold_lookup", "sync", "catalog", "call_staff", "check_in",
                  "refund", "devices", "visitors", "visitor_revoke", "sales_report", "shift_open"]


def started(tmp_path, catalog_csv, extra: str = "") -> HubProcess:
    return HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=extra)).start()


def sessions_in(hub) -> int:
    return hub.scalar("SELECT count(*) FROM visitor_sessions")


def refused_at_connect(hub, token, query: str = "?visitor=1") -> bool:
    """Whether the hub refused this token at connect with `unauthorized`, as the page hears it."""
    client = socketio.Client(reconnection=False)
    heard = []
    client.on("connect_error", heard.append)
    try:
        client.connect(hub.url + query, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        return heard == [{"message": "unauthorized"}]
    client.disconnect()
    return False


def test_a_session_is_anonymous_signed_and_connects(hub, phones):
    session = new_session(hub)
    assert set(session) == {"ok", "token", "visitor", "expires_at"}
    assert re.fullmatch(r"v-[a-z2-7]{10}", session["visitor"])
    assert session["token"].startswith(f"V1.{session['visitor']}.")
    key = hub.data_dir / "visitor-session-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    store = hub.read_store()
    try:
        row = store.read_db.execute("SELECT * FROM visitor_sessions").fetchall()
    finally:
        store.close()
    assert [r[0] for r in row] == [session["visitor"]]
    phone = phones(Phone(hub, session))
    assert phone.call("demos", {})["ok"] is True


def test_a_forged_or_altered_token_is_refused(hub):
    session = new_session(hub)
    head, signature = session["token"].rsplit(".", 1)
    other = "v-aaaaaaaaaa"
    assert refused_at_connect(hub, session["token"].replace(session["visitor"], other))
    assert refused_at_connect(hub, head + "." + ("A" if signature[0] != "A" else "B") + signature[1:])
    assert refused_at_connect(hub, "V1.v-aaaaaaaaaa.9999999999.not-a-signature")
    assert refused_at_connect(hub, "V1.v-aaaaaaaaaa.9999999999.서명")  # not even ASCII
    assert "Traceback" not in (hub.data_dir / "hub.log").read_text(encoding="utf-8")


def token_until(hub, visitor: str, expires: int) -> str:
    """A token for `visitor` signed with the hub's own key, ending at `expires` (epoch seconds)."""
    secret = (hub.data_dir / "visitor-session-key").read_bytes()
    body = f"V1.{visitor}.{expires}"
    signature = base64.urlsafe_b64encode(hmac.new(secret, body.encode(), hashlib.sha256).digest()).rstrip(b"=")
    return f"{body}.{signature.decode()}"


def test_an_expired_token_is_refused(hub):
    """A token the hub's own key signed, but whose time is up: only the expiry can refuse it."""
    session = new_session(hub)
    assert refused_at_connect(hub, token_until(hub, session["visitor"], int(time.time()) - 5))
    assert not refused_at_connect(hub, session["token"])  # the same visitor, in time, is let in


def test_a_session_that_ends_while_connected_is_refused_and_dropped(hub, phones):
    session = new_session(hub)
    phone = phones(Phone(hub, {**session, "token": token_until(hub, session["visitor"], int(time.time()) + 2)}))
    assert phone.call("mine", {})["ok"] is True
    time.sleep(2.5)
    assert phone.call("mine", {})["error"]["code"] == "unauthorized"
    deadline = time.monotonic() + 5
    while phone.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not phone.sio.connected


def test_a_revoked_session_is_dropped_and_refused(hub, clients, phones):
    phone = phones(Phone(hub))
    staff = clients(hub.client("staff", "staff-1"))
    answer = staff.call("visitor_revoke", {"visitor": phone.visitor})
    assert answer["ok"] is True and answer["released"] == []
    revoked = staff.wait_for(lambda e: e["type"] == "visitor.revoked")
    assert revoked["data"] == {"visitor": phone.visitor, "by": "tester@staff-1"}
    deadline = time.monotonic() + 5
    while phone.sio.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not phone.sio.connected
    assert refused_at_connect(hub, phone.session["token"])
    listed = staff.call("visitors", {})["visitors"]
    assert [(v["visitor"], v["revoked_at"] is not None) for v in listed] == [(phone.visitor, True)]


def test_revoking_an_unknown_visitor_is_refused(hub, clients):
    staff = clients(hub.client("staff", "staff-1"))
    answer = staff.call("visitor_revoke", {"visitor": "v-aaaaaaaaaa"})
    assert answer["error"]["code"] == "unknown_visitor"
    assert staff.call("visitors", {})["visitors"] == []


@pytest.mark.parametrize("command", NOT_FOR_PHONES)
def test_a_phone_may_not_send_what_is_not_its_own(hub, phones, command):
    phone = phones(Phone(hub))
    answer = phone.call(command, {})
    assert answer["ok"] is False and answer["error"]["code"] == "forbidden", answer


def test_a_screens_token_is_refused_on_a_phones_connection(hub):
    token = hub.token("kiosk", "kiosk-1")
    assert refused_at_connect(hub, token, "?visitor=1")
    assert not refused_at_connect(hub, token, "")


def test_too_many_sessions_from_one_address_wait_and_none_is_made(tmp_path, catalog_csv):
    hub = started(tmp_path, catalog_csv, "[visitor]\nsessions_per_address_per_minute = 3\n")
    try:
        answers = [requests.post(hub.url + "/api/visit/session", json={}, timeout=5) for _ in range(5)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
        refused = answers[3]
        assert refused.json()["error"]["code"] == "slow_down"
        assert int(refused.headers["Retry-After"]) >= 1 and refused.json()["error"]["retry_after"] >= 1
        assert sessions_in(hub) == 3
    finally:
        hub.stop()


def test_a_session_needs_a_json_object(hub):
    answer = requests.post(hub.url + "/api/visit/session", data="[]", headers={"Content-Type": "application/json"},
                           timeout=5)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid"
    assert sessions_in(hub) == 0


def test_phones_do_not_use_up_the_screens_places_and_have_their_own_limit(tmp_path, catalog_csv, clients, phones):
    hub = started(tmp_path, catalog_csv, "[trust]\nconnections_per_address = 4\n\n"
                                         "[visitor]\nconnections_per_address = 6\n")
    try:
        sessions = [new_session(hub) for _ in range(7)]
        for session in sessions[:6]:
            phones(Phone(hub, session))  # more phones than the screens' 4 places, from the same address
        kiosk = clients(hub.client("kiosk", "kiosk-1"))
        assert kiosk.call("catalog", {})["ok"] is True
        with pytest.raises(socketio.exceptions.ConnectionError):
            phones(Phone(hub, sessions[6]))  # the phones' own limit
        assert kiosk.call("catalog", {})["ok"] is True
    finally:
        hub.stop()


def test_a_phone_sends_only_so_many_commands_a_minute(tmp_path, catalog_csv, phones):
    hub = started(tmp_path, catalog_csv, "[visitor]\ncommands_per_minute = 4\nmax_open_orders = 10\n")
    try:
        phone = phones(Phone(hub))
        answers = [phone.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}]})
                   for _ in range(6)]
        assert [a["ok"] for a in answers] == [True] * 4 + [False] * 2
        assert {a["error"]["code"] for a in answers[4:]} == {"slow_down"}
        assert answers[4]["error"]["retry_after"] > 0
        store = hub.read_store()
        try:
            held = store.read_db.execute("SELECT count(*) FROM holds WHERE device = ?", [phone.visitor]).fetchone()[0]
        finally:
            store.close()
        assert held == 4
    finally:
        hub.stop()


def test_the_visitor_page_lives_under_visit(hub):
    answer = requests.get(hub.url + "/visit?from=poster", allow_redirects=False, timeout=5)
    assert answer.status_code == 308 and answer.headers["Location"].endswith("/visit/?from=poster")
