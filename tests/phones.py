"""A visitor's phone for hub tests: a session from POST /api/visit/session and a python-socketio client that
connects as /visit/ does (auth token, query visitor=1) and keeps every `changes` and `mine` push it hears."""
import time

import requests
import socketio


def new_session(hub) -> dict:
    answer = requests.post(hub.url + "/api/visit/session", json={}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


class Phone:
    def __init__(self, hub, session: dict | None = None, *, tagged: bool = True):
        self.session = session or new_session(hub)
        self.visitor = self.session["visitor"]
        self.changes: list[tuple[float, dict]] = []  # (when heard, push), in order
        self.mine: list[dict] = []
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("changes", lambda data: self.changes.append((time.monotonic(), data)))
        self.sio.on("mine", self.mine.append)
        self.sio.connect(hub.url + ("?visitor=1" if tagged else ""), auth={"token": self.session["token"]},
                         transports=["websocket"], wait_timeout=10)

    def call(self, command: str, payload=None, timeout: float = 20):
        return self.sio.call(command, payload, timeout=timeout)

    def wait_for_change(self, predicate, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for _, push in list(self.changes):
                if predicate(push):
                    return push
            time.sleep(0.01)
        raise AssertionError(f"no matching push within {timeout}s; got {self.changes}")

    def wait_for_mine(self, kind: str, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for push in list(self.mine):
                if push["type"] == kind:
                    return push
            time.sleep(0.01)
        raise AssertionError(f"no {kind} push within {timeout}s; got {self.mine}")

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
