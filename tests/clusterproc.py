"""A real cluster in child processes: a redis-server of its own and `run_hall.py --processes N --redis URL`,
the supervisor that starts the writer (process 0) and the serving processes (1..N-1), one port each.

Tokens, cashiers and staff are minted as HubProcess does (into the shared SQLite file, which every process
reads), and a client may be opened on any process. Every wait is bounded; a start that fails says what the
supervisor and the children wrote.
"""
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from bench.hubproc import free_ports
from tests.hubproc import ROOT, Client, HubProcess
from tests.redisproc import RedisServer

# The writer, then each serving process, each a whole hub start.
START_TIMEOUT = 60
# Each child's clean stop, one after another at worst, then the supervisor's own.
STOP_TIMEOUT = 30
# "started again after about 0.5 s", plus a hub's start on a machine shared with other tests.
RESTART_TIMEOUT = 30


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_ours(pid: int) -> bool:
    """Still one of this cluster's hub processes (not a pid the system gave to something else since)."""
    try:
        return b"run_hall.py" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class ClusterProcess(HubProcess):
    """`processes` hub processes sharing one data folder and a redis-server; process 0 is the writer."""

    def __init__(self, data_dir: Path, config_path: Path, *, processes: int = 2):
        # HubProcess's own __init__ would give one `url`; here each process has its own (url(i)).
        self.data_dir = Path(data_dir)
        self.config_path = Path(config_path)
        self.count = processes
        self.port = free_ports(processes)
        self.ports = [self.port + i for i in range(processes)]
        self.lan_args: list[str] = []
        self.till_cashier: tuple[str, str] | None = None
        self.log_path = self.data_dir / "supervisor.log"
        self.redis = RedisServer()
        self.process: subprocess.Popen | None = None
        self.seen_pids: set[int] = set()  # every child pid health named: the stop makes sure none is left

    # --- start and stop -------------------------------------------------------

    def start(self) -> "ClusterProcess":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.redis.start()
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "run_hall.py"), "--processes", str(self.count), "--redis", self.redis.url,
             "--port", str(self.port), "--data", str(self.data_dir), "--config", str(self.config_path)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        waiting = list(range(self.count))
        while waiting and time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.stop()
                raise RuntimeError(f"the supervisor exited at start (code {code}); {self.log_tails()}")
            answer = self._health_or_none(waiting[0])
            if answer and (answer.get("process") or {}).get("index") == waiting[0]:
                waiting.pop(0)
            else:
                time.sleep(0.1)
        if waiting:
            self.stop()
            raise RuntimeError(f"process {waiting[0]} did not answer /api/health with its `process` block in "
                               f"{START_TIMEOUT}s; {self.log_tails()}")
        return self

    def stop(self) -> int | None:
        """SIGTERM to the supervisor (it stops every child), then the redis-server; its exit code, or None when
        it had to be killed. A child the supervisor left behind is killed and named in an error."""
        code = None
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a test may have paused it (hold_restarts)
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        elif self.process:
            code = self.process.returncode
        left = self._kill_left_children()
        self.redis.close()
        if left:
            raise AssertionError(f"the supervisor left children running: {left}; {self.log_tails()}")
        return code

    def _kill_left_children(self) -> list[int]:
        left = [pid for pid in sorted(self.seen_pids) if _alive(pid) and _is_ours(pid)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return left

    def log_tails(self, chars: int = 3000) -> str:
        """The end of the supervisor's log and of every other log in the data folder (the children's)."""
        parts = []
        for path in [self.log_path, *sorted(p for p in self.data_dir.rglob("*.log") if p != self.log_path)]:
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            parts.append(f"--- {path.relative_to(self.data_dir)} ends:\n{text[-chars:]}")
        parts.append(f"--- redis-server log ends:\n{self.redis.log_tail()}")
        return "\n".join(parts)

    # --- each process ---------------------------------------------------------

    def url(self, i: int = 0) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def _health_or_none(self, i: int) -> dict | None:
        try:
            answer = requests.get(self.url(i) + "/api/health", timeout=2)
        except (requests.ConnectionError, requests.Timeout, OSError):
            return None
        if not answer.ok:
            return None
        body = answer.json()
        pid = (body.get("process") or {}).get("pid")
        if isinstance(pid, int):
            self.seen_pids.add(pid)
        return body

    def health(self, i: int) -> dict:
        body = self._health_or_none(i)
        if body is None:
            raise AssertionError(f"process {i} ({self.url(i)}) does not answer /api/health; {self.log_tails()}")
        return body

    def pid(self, i: int) -> int:
        return self.health(i)["process"]["pid"]

    def kill(self, i: int) -> int:
        """SIGKILL child i, as when the OOM killer picks it; its pid (to wait for the restart with)."""
        pid = self.pid(i)
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _alive(pid) and _is_ours(pid) and time.monotonic() < deadline:
            time.sleep(0.02)  # the supervisor reaps it; until then it is a zombie with an empty cmdline
        return pid

    def wait_restarted(self, i: int, old_pid: int, timeout: float = RESTART_TIMEOUT) -> int:
        """Until process i answers again on its port with another pid; the new pid."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self._health_or_none(i)
            process = (body or {}).get("process") or {}
            if process.get("index") == i and process.get("pid") not in (None, old_pid):
                return process["pid"]
            time.sleep(0.1)
        raise AssertionError(f"process {i} was not started again on port {self.ports[i]} within {timeout}s; "
                             f"{self.log_tails()}")

    @contextmanager
    def hold_restarts(self):
        """Pause the supervisor (SIGSTOP) so a killed child stays down until the block ends (SIGCONT)."""
        os.kill(self.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.process.pid, signal.SIGCONT)

    # --- clients --------------------------------------------------------------

    def client(self, role: str, name: str | None = None, token: str | None = None, sign_in: bool = True,
               url: str | None = None, *, process: int = 0) -> Client:
        """A connected client on process `process` (see HubProcess.client)."""
        return super().client(role, name, token=token, sign_in=sign_in, url=url or self.url(process))


# --- what screens heard, against the file ---------------------------------------

def logged_seqs(cluster: HubProcess, role: str, after: int, upto: int) -> list[int]:
    """The seqs of the log a screen of `role` may hear, after `after` up to `upto`, from the file itself."""
    store = cluster.read_store()
    try:
        return [e["seq"] for e in store.events_since(after, role=role) if e["seq"] <= upto]
    finally:
        store.close()


def head(cluster: HubProcess) -> int:
    """The log's head, read from the file."""
    return cluster.scalar("SELECT coalesce(max(seq), 0) FROM events")


def live_seqs(client: Client) -> list[int]:
    """The seqs one connection heard pushed, in the order they arrived."""
    return [e["seq"] for e in list(client.events)]


def wait_heard(client: Client, seq: int, timeout: float = 10.0) -> None:
    """Until the connection has heard `seq` pushed (or fail naming what it heard)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if seq in live_seqs(client):
            return
        time.sleep(0.02)
    raise AssertionError(f"{client.url} did not push seq {seq} within {timeout}s; heard {live_seqs(client)[-30:]}")


class Screen:
    """A screen as common/hall.js keeps one: it starts from `catalog`'s seq, applies pushed events by seq, and
    when its link drops it connects again (to whichever process it is told) and asks `sync` for everything
    after the last seq it applied. Kept per link, so the audit can say which link lost or doubled what."""

    def __init__(self, cluster: HubProcess, role: str, name: str, url: str):
        self.role = role
        self.token = cluster.token(role, name)
        self.links: list[Client] = [Client(url, self.token)]
        self.start = self.links[0].call("catalog")["seq"]
        # The hall's ports, as `sync` names them: where the screen goes when its own process fails.
        self.ports: list[int] = self.links[0].call("sync", {"since": self.start}).get("processes") or []
        # For each link after the first: (the seq sync was asked from, the seqs it gave, the head it named).
        self.catch_ups: list[tuple[int, list[int], int]] = []

    @property
    def link(self) -> Client:
        return self.links[-1]

    def wait_dropped(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.link.sio.connected and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not self.link.sio.connected, f"the link to {self.link.url} did not drop within {timeout}s"

    def applied(self) -> list[int]:
        """Every seq the screen applied, in the order it applied them: a pushed event older than what it has
        is dropped, as the screens do (hall.js orders by seq)."""
        done: list[int] = []
        last = self.start
        for k, link in enumerate(self.links):
            if k > 0:
                since, caught, named_head = self.catch_ups[k - 1]
                assert since == last, (since, last)
                done += caught
                last = max([last, named_head, *caught])
            for seq in live_seqs(link):
                if seq > last:
                    done.append(seq)
                    last = seq
        return done

    def last_applied(self) -> int:
        applied = self.applied()
        return applied[-1] if applied else self.start

    def next_url(self) -> str:
        """The next process after the one this screen was on, as common/hall.js moves on (same host)."""
        port = int(self.link.url.rsplit(":", 1)[1])
        assert len(self.ports) > 1 and port in self.ports, f"sync named the processes {self.ports}"
        return f"http://127.0.0.1:{self.ports[(self.ports.index(port) + 1) % len(self.ports)]}"

    def reconnect(self, url: str) -> None:
        """A new link to `url`, then `sync` from the last applied seq, page by page."""
        since = self.last_applied()
        link = Client(url, self.token)
        self.links.append(link)
        caught, cursor = [], since
        while True:
            answer = link.call("sync", {"since": cursor})
            assert answer["ok"], answer
            caught += [e["seq"] for e in answer["events"]]
            cursor = answer["seq"]
            if not answer["more"]:
                break
        self.catch_ups.append((since, caught, cursor))

    def close(self) -> None:
        for link in self.links:
            link.close()

    def audit(self, cluster: HubProcess, upto: int) -> None:
        """No event lost, none doubled, none out of order: each link's pushes strictly increase, and what the
        screen applied up to `upto` is exactly what the file holds for its role after it started."""
        for link in self.links:
            pushed = live_seqs(link)
            assert pushed == sorted(set(pushed)), f"{link.url} pushed out of order or twice: {pushed}"
        applied = [seq for seq in self.applied() if seq <= upto]
        expected = logged_seqs(cluster, self.role, self.start, upto)
        missing = sorted(set(expected) - set(applied))
        extra = sorted(set(applied) - set(expected))
        assert applied == expected, (f"{self.role} screen: missing {missing}, not in the log {extra}, "
                                     f"links {[link.url for link in self.links]}")
