"""Tokens and pairing from the command line take effect on a running hub at once."""
import subprocess
import sys
import time

import pytest
import requests as http
import socketio

from tests.hubproc import ROOT, Client


def cli(hub, *args):
    return subprocess.run([sys.executable, str(ROOT / "run_hall.py"), *args, "--data", str(hub.data_dir),
                           "--config", str(hub.config_path)],
                          capture_output=True, text=True, timeout=30, cwd=ROOT)


def test_token_prints_the_token_alone_and_it_connects_at_once(hub, clients):
    done = cli(hub, "token", "--role", "pos", "--name", "pos-9")
    assert done.returncode == 0
    token = done.stdout.strip()
    assert done.stdout == token + "\n" and len(token) >= 40
    pos = clients(Client(hub.url, token))
    assert pos.call("catalog")["ok"] is True


def test_revoking_from_the_command_line_drops_the_open_connection(hub, clients):
    token = cli(hub, "token", "--role", "kiosk", "--name", "kiosk-5").stdout.strip()
    kiosk = clients(Client(hub.url, token))
    bystander = clients(hub.client("kiosk", "kiosk-6"))
    staff = clients(hub.client("staff", "staff-1"))
    assert cli(hub, "token", "--revoke", "kiosk-5").returncode == 0
    deadline = time.monotonic() + 3
    while kiosk.sio.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not kiosk.sio.connected
    assert bystander.sio.connected
    staff.wait_for(lambda e: e["type"] == "device.revoked" and e["data"]["name"] == "kiosk-5")
    with pytest.raises(socketio.exceptions.ConnectionError):
        Client(hub.url, token)


def test_revoking_an_unknown_device_fails_clearly(hub):
    done = cli(hub, "token", "--revoke", "nobody")
    assert done.returncode == 2 and "unknown_device" in done.stderr


@pytest.mark.parametrize("args", [["token", "--role", "admin", "--name", "x"], ["token", "--name", "x"],
                                  ["pair", "--role", "pos"]])
def test_bad_command_lines_fail_without_a_token(hub, args):
    done = cli(hub, *args)
    assert done.returncode == 2 and done.stdout == ""


def test_a_pairing_code_is_traded_once_over_http_for_a_working_token(hub, clients):
    done = cli(hub, "pair", "--role", "pos", "--name", "pos-4")
    code = done.stdout.strip()
    assert done.returncode == 0 and len(code) == 9
    paired = http.post(hub.url + "/api/pair", json={"code": code}, timeout=5)
    assert paired.status_code == 200
    body = paired.json()
    assert body["ok"] is True and body["role"] == "pos" and body["name"] == "pos-4"
    assert clients(Client(hub.url, body["token"])).call("catalog")["ok"] is True
    again = http.post(hub.url + "/api/pair", json={"code": code}, timeout=5)
    assert again.status_code == 409 and again.json()["error"]["code"] == "code_used"


@pytest.mark.parametrize("body, status, code", [
    ({"code": "AAAA-AAAA"}, 404, "unknown_code"), ({"code": 5}, 400, "invalid"), ([], 400, "invalid"),
    ("not json", 400, "invalid"),
])
def test_bad_pairing_requests_get_a_clear_error(hub, body, status, code):
    if isinstance(body, str):
        answer = http.post(hub.url + "/api/pair", data=body, timeout=5)
    else:
        answer = http.post(hub.url + "/api/pair", json=body, timeout=5)
    assert answer.status_code == status and answer.json()["error"]["code"] == code
