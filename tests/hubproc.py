"""A real hub in a child process on a free loopback port, and clients for it."""
import os
import signal
import socket
import subprocess
import sys
import time
from functools import partial
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import socketio

from hub.rules import cashiers, devices, staff
from hub.store import Store

ROOT = Path(__file__).resolve().parent.parent
# The cashier a test till signs in, unless the test signs someone else in.
TEST_CASHIER, TEST_PIN = "t01", "2468"
# What a till sends with its cashier's sign-in, as pos/app.js does.
SIGNED_COMMANDS = {"checkout", "refund", "void", "shift_open", "shift_close", "logout"}
START_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HubProcess:
    def __init__(self, data_dir: Path, config_path: Path, *, lan_name: str | None = None):
        """`lan_name`: serve as `run_hall.py --lan` does, HTTPS with the hall CA, answering to that name too."""
        self.data_dir = Path(data_dir)
        self.config_path = Path(config_path)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lan_args: list[str] = []
        if lan_name:
            self.http_port = free_port()
            self.url = f"https://localhost:{self.port}"
            self.lan_args = ["--lan", "--host", "127.0.0.1", "--http-port", str(self.http_port), "--name", lan_name]
        self.process = None
        self.log_path = self.data_dir / "hub.log"
        # Who a test till signs in: a cashier hall.toml lists, or (None) one the test adds.
        self.till_cashier: tuple[str, str] | None = None

    def start(self) -> "HubProcess":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "run_hall.py"), "--data", str(self.data_dir),
             "--port", str(self.port), "--config", str(self.config_path), *self.lan_args],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hub exited at start:\n{self.log_path.read_text()}")
            try:
                if requests.get(self.url + "/api/health", timeout=0.5, verify=self.verify).ok:
                    return self
            except (requests.ConnectionError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"hub did not start in {START_TIMEOUT}s:\n{self.log_path.read_text()}")

    @property
    def ca_cert(self) -> Path:
        return self.data_dir / "tls" / "hall-ca.pem"

    @property
    def verify(self) -> str | bool:
        """What requests checks the hub's certificate against: the hall CA, on a hub that serves HTTPS."""
        return str(self.ca_cert) if self.lan_args else True

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: no clean-up, as when the laptop's power goes."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def _write(self, fn, *args):
        """Run one domain change on the hall's file, as the command line does while the hub runs."""
        store = Store(self.data_dir / "hall.db")
        try:
            result, _ = store.run(fn, *args, now=datetime.now(ZoneInfo("Asia/Seoul")))
        finally:
            store.close()
        return result

    def token(self, role: str, name: str) -> str:
        """Mint a token the way `run_hall.py token` does."""
        return self._write(devices.mint_token, role, name)["token"]

    def pairing_code(self, role: str, name: str) -> str:
        """A one-time code, as `run_hall.py pair` prints it."""
        return self._write(devices.create_pairing, role, name)["code"]

    def add_staff(self, name: str, password: str) -> None:
        self._write(staff.add, name, password)

    def add_cashier(self, cashier_id: str, pin: str, *, supervisor: bool = False) -> None:
        self._write(partial(cashiers.upsert, cashier_id=cashier_id, name=f"{cashier_id} 계산원",
                            pin_hash=cashiers.hash_pin(pin), supervisor=supervisor))

    def client(self, role: str, name: str | None = None, token: str | None = None,
               sign_in: bool = True, url: str | None = None) -> "Client":
        """A connected client; a staff client also signs a person in, as the staff screen does, and a till
        signs a cashier in with a PIN, as the till does before it sells. `url`: another process of a cluster
        (tests/clusterproc.py)."""
        url = url or self.url
        session = requests.Session()
        session.verify = self.verify
        try:
            client = Client(url, token or self.token(role, name or f"{role}-test"), http_session=session)
        except socketio.exceptions.ConnectionError as refused:
            # Rare under a loaded CI machine and not seen alone: say what the hub was doing meanwhile.
            raise AssertionError(f"{refused} (connecting to {url}); {self.log_tails()}") from refused
        if role == "staff" and sign_in:
            self.add_staff("tester", "correct horse")
            answer = client.call("staff_login", {"name": "tester", "password": "correct horse"})
            assert answer["ok"], answer
        if role == "pos" and sign_in:
            cashier_id, pin = self.till_cashier or (TEST_CASHIER, TEST_PIN)
            if self.till_cashier is None:
                self.add_cashier(cashier_id, pin)
            answer = client.call("login", {"cashier_id": cashier_id, "pin": pin})
            assert answer["ok"], answer
        return client

    def log_tails(self) -> str:
        return "the hub's log ends:\n" + self.log_path.read_text(errors="replace")[-4000:]

    def read_store(self) -> Store:
        return Store(self.data_dir / "hall.db")

    def scalar(self, sql: str, params=()):
        """The one value `sql` reads from the hall's file now."""
        store = self.read_store()
        try:
            return store.read_db.execute(sql, params).fetchone()[0]
        finally:
            store.close()


class Client:
    """A python-socketio client that records every pushed event."""

    def __init__(self, url: str, token: str, connect: bool = True, http_session=None):
        self.url = url
        self.token = token
        self.events: list[dict] = []
        self.sign_in: str | None = None
        self.sio = socketio.Client(reconnection=False, http_session=http_session)
        self.sio.on("event", self.events.append)
        if connect:
            self.connect()

    def connect(self) -> "Client":
        self.sio.connect(self.url, auth={"token": self.token}, transports=["websocket"], wait_timeout=10)
        return self

    def call(self, command: str, payload=None, timeout: float = 20):
        """Send a command and wait for its ack. Like a till, it keeps the sign-in a PIN sign-in answers with
        and sends it with the work that needs one, unless the payload names its own."""
        if command in SIGNED_COMMANDS and isinstance(payload, dict) and "sign_in" not in payload and self.sign_in:
            payload = {**payload, "sign_in": self.sign_in}
        answer = self.sio.call(command, payload, timeout=timeout)
        if command == "login" and isinstance(answer, dict) and answer.get("ok"):
            self.sign_in = answer["sign_in"]
        return answer

    def wait_for(self, predicate, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in list(self.events):
                if predicate(event):
                    return event
            time.sleep(0.01)
        raise AssertionError(f"no matching event within {timeout}s; got {[e['type'] for e in self.events]}")

    def close(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()
