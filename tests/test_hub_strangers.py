"""Strangers on the network: connections that show no token, slow headers, too many sockets, guessed codes."""
import socket
import time

import pytest
import requests as http
import socketio

from tests.conftest import hall_config
from tests.hubproc import HubProcess

TRUST = """
[trust]
unauthenticated_seconds = 2
connections_per_address = 30
request_header_seconds = 2
pairing_tries_per_minute = 5
"""


@pytest.fixture
def guarded_hub(tmp_path, catalog_csv):
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=TRUST)).start()
    yield process
    process.stop()


def engine_io_socket(hub) -> socket.socket:
    """An Engine.IO websocket that never sends the Socket.IO connect (so never a token)."""
    sock = socket.create_connection(("127.0.0.1", hub.port), timeout=10)
    sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{hub.port}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert b"101" in sock.recv(4096).split(b"\r\n")[0]
    return sock


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if sock.recv(4096) == b"":
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


def test_a_socket_that_never_shows_a_token_is_closed_within_seconds(guarded_hub):
    sock = engine_io_socket(guarded_hub)
    try:
        assert closed_within(sock, 6)
    finally:
        sock.close()


def test_a_socket_refused_for_a_bad_token_does_not_stay(guarded_hub):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(guarded_hub.url, auth={"token": "guessed-token-of-some-length"}, transports=["websocket"],
                       wait_timeout=5)
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline and http.get(guarded_hub.url + "/api/health", timeout=5).json()["connections"]:
        time.sleep(0.2)
    assert http.get(guarded_hub.url + "/api/health", timeout=5).json()["connections"] == 0


def test_a_device_that_shows_its_token_stays(guarded_hub, clients):
    kiosk = clients(guarded_hub.client("kiosk", "kiosk-1"))
    time.sleep(3)
    assert kiosk.call("catalog", {})["ok"] is True


def test_headers_that_never_end_are_dropped(guarded_hub):
    sock = socket.create_connection(("127.0.0.1", guarded_hub.port), timeout=10)
    try:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
        assert closed_within(sock, 6)
    finally:
        sock.close()


def test_one_address_holds_only_so_many_connections(guarded_hub):
    held = [socket.create_connection(("127.0.0.1", guarded_hub.port), timeout=10) for _ in range(30)]
    try:
        time.sleep(0.3)
        answer = http.get(guarded_hub.url + "/api/health", timeout=5)
        assert answer.status_code == 503
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert http.get(guarded_hub.url + "/api/health", timeout=5).status_code == 200


def test_guessing_pairing_codes_is_slowed_and_staff_are_told(guarded_hub, clients):
    staff = clients(guarded_hub.client("staff", "staff-1"))
    answers = [http.post(guarded_hub.url + "/api/pair", json={"code": f"AAAA-AAA{n}"}, timeout=5) for n in range(8)]
    assert [a.status_code for a in answers[:5]] == [404] * 5
    assert {a.status_code for a in answers[5:]} == {429}
    assert answers[5].json()["error"]["code"] == "slow_down" and int(answers[5].headers["Retry-After"]) > 0
    alert = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "pairing_guesses")
    assert alert["data"]["subject"] == "127.0.0.1"
    # A right code from the slowed address waits too: guessing cannot be told from typing.
    code = guarded_hub.pairing_code("pos", "pos-9")
    assert http.post(guarded_hub.url + "/api/pair", json={"code": code}, timeout=5).status_code == 429
