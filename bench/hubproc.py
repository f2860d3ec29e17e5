"""Child processes for the benchmarks: a real hub on a free loopback port, and client workers.

Every child is started here and stopped here (SIGTERM, then SIGKILL after a
grace period), by its own pid, so a benchmark that fails half-way leaves
nothing running.
"""
import atexit
import http.client
import json
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psutil

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30
SEOUL = ZoneInfo("Asia/Seoul")

_running: list["Child"] = []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_ports(count: int, tries: int = 50) -> int:
    """The first of `count` consecutive free loopback ports: a cluster takes P..P+N-1."""
    for _ in range(tries):
        first = free_port()
        probes = []
        try:
            for port in range(first, first + count):
                probe = socket.socket()
                probes.append(probe)
                probe.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
    raise RuntimeError(f"no {count} consecutive free ports on 127.0.0.1")


def scratch_dir(prefix: str) -> Path:
    """A fresh folder for one server's data; removed by the caller with `remove`."""
    return Path(tempfile.mkdtemp(prefix=f"hall-bench-{prefix}-"))


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


class Child:
    """One child process with its output in a log file; `stop` ends it by pid."""

    def __init__(self, argv: list[str], log_path: Path, *, stdin=None, stdout=None):
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(argv, cwd=ROOT, stdin=stdin,
                                        stdout=stdout if stdout is not None else self._log,
                                        stderr=self._log, bufsize=0)
        self.ps = psutil.Process(self.process.pid)
        self._last_cpu = 0.0
        _running.append(self)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def cpu_seconds(self) -> float:
        """User plus system CPU time used so far, every thread included; the final figure once it ended."""
        try:
            times = self.ps.cpu_times()
        except psutil.NoSuchProcess:
            return self._last_cpu
        self._last_cpu = times.user + times.system
        return self._last_cpu

    def wait_exit(self, timeout: float = 10) -> None:
        """Wait for the process to end by itself, keeping its final CPU time (read before it is reaped)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.ps.status() == psutil.STATUS_ZOMBIE:
                    break
            except psutil.NoSuchProcess:
                break
            time.sleep(0.02)
        self.cpu_seconds()
        self.process.wait(timeout=1)

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace: float = 10) -> None:
        if self.alive():
            self.cpu_seconds()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()
        self._log.close()
        if self in _running:
            _running.remove(self)


class Running:
    """CPU of a process this bench did not start itself (a cluster's hub, found by the pid its health gives),
    with its children's added when `tree` (nginx's workers under its master): what `Window` measures."""

    def __init__(self, pid: int, tree: bool = False):
        self.ps = psutil.Process(pid)
        self.tree = tree
        self._last: dict[int, float] = {}

    @property
    def pid(self) -> int:
        return self.ps.pid

    def cpu_seconds(self) -> float:
        """Used so far; a process gone since keeps its last reading (a worker's is not lost when it ends)."""
        try:
            processes = [self.ps, *(self.ps.children(recursive=True) if self.tree else ())]
        except psutil.NoSuchProcess:
            processes = []
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            self._last[process.pid] = times.user + times.system
        return sum(self._last.values())


@atexit.register
def _stop_all() -> None:
    for child in list(_running):
        child.stop(grace=3)


def _end_survivors(processes: list, grace: float = 5) -> None:
    """Stop, by pid, what outlived its parent's stop (a supervisor that did not end its children in time)."""
    for process in processes:
        try:
            process.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(processes, timeout=grace)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            pass


def wait_http(url: str, child: Child, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.alive():
            raise RuntimeError(f"{child.log_path.name}: exited at start\n{child.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        # HTTPException: polling a loopback port in the ephemeral range that nothing listens on yet can
        # connect the probe to itself (TCP simultaneous open), and it then reads its own request back.
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)
    child.stop()
    raise RuntimeError(f"{url} did not answer within {timeout}s\n{child.log_tail()}")


STAFF_NAME = "bench-staff"
STAFF_PASSWORD = "bench-password-1"
# Bench tills sign this cashier in with a PIN, as a till does before it sells.
CASHIER = {"cashier_id": "b01", "pin": "2580"}


def mint_tokens(data_dir: Path, wanted: dict[str, int]) -> dict[str, list[str]]:
    """{role: [token, ...]} for `wanted[role]` devices, minted in one transaction of the hall's file.

    Bench devices have no station in hall.toml, so no printer: a sale queues no receipt.
    With staff screens wanted, the staff member STAFF_NAME is added too (restock needs a person signed in).
    """
    from hub.rules import devices
    from hub.store import Store

    calls, roles = [], []
    for role, count in wanted.items():
        for number in range(1, count + 1):
            calls.append((devices.mint_token, (role, f"bench-{role}-{number}"), {}))
            roles.append(role)
    if wanted.get("staff"):
        from hub.rules import staff
        calls.append((staff.add, (STAFF_NAME, STAFF_PASSWORD), {}))
        roles.append(None)
    if wanted.get("pos"):
        from hub.rules import cashiers
        calls.append((cashiers.upsert, (CASHIER["cashier_id"], "벤치 계산원", cashiers.hash_pin(CASHIER["pin"])),
                      {"supervisor": False}))
        roles.append(None)
    store = Store(Path(data_dir) / "hall.db")
    try:
        outcomes = store.run_batch(calls, now=datetime.now(SEOUL))
    finally:
        store.close()
    tokens: dict[str, list[str]] = {role: [] for role in wanted}
    for role, outcome in zip(roles, outcomes):
        if isinstance(outcome, BaseException):
            raise outcome
        if role is not None:
            tokens[role].append(outcome[0]["token"])
    return tokens


class Hub:
    """`python run_hall.py --data <fresh dir> --port <free port>` with bench devices minted first.

    With `processes` > 1 (and a `redis` URL) it is the whole cluster: `child` is then the supervisor, which runs
    no hub itself; `urls[i]` is process i's own port (0: the writer) and `processes()` their CPU meters."""

    def __init__(self, name: str, devices: dict[str, int], profile_to: Path | None = None,
                 config=None, processes: int = 1, redis: str | None = None):
        """`profile_to`: run the hub under py-spy, sampling the threads that hold the GIL, into this raw file.
        `config(data_dir) -> Path`: writes the hall.toml to start with (default: config/hall.toml)."""
        self.profile_to = profile_to
        self.data_dir = scratch_dir(name)
        self.config = config(self.data_dir) if config else None
        self.tokens = mint_tokens(self.data_dir, devices)
        self.tokens_file = self.data_dir / "tokens.json"
        self.tokens_file.write_text(json.dumps({**self.tokens, "cashier": CASHIER}))
        self.count, self.redis = processes, redis
        self.port = free_ports(processes) if processes > 1 else free_port()
        self.ports = list(range(self.port, self.port + processes))
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.url = self.urls[0]
        self.child: Child | None = None

    def __enter__(self) -> "Hub":
        argv = [sys.executable, str(ROOT / "run_hall.py"), "--data", str(self.data_dir), "--port", str(self.port),
                *(["--config", str(self.config)] if self.config else [])]
        if self.count > 1:
            argv += ["--processes", str(self.count), "--redis", self.redis]
        if self.profile_to:
            argv = [str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw", "--rate", "250",
                    "--gil", "--threads", "--output", str(self.profile_to), "--", *argv]
        self.child = Child(argv, self.data_dir / "hub.log")
        try:
            for url in self.urls:  # the supervisor starts the serving processes once the writer answers
                wait_http(url + "/api/health", self.child, timeout=START_TIMEOUT * self.count)
        except BaseException:  # `with` calls no __exit__ for an __enter__ that raised
            self._stop_child()
            remove(self.data_dir)
            raise
        return self

    def _stop_child(self) -> None:
        try:
            started = self.child.ps.children(recursive=True)  # a cluster's hubs, under its supervisor
        except psutil.Error:
            started = []
        self.child.stop()
        _end_survivors(started)

    def processes(self) -> list:
        """Each hub process's CPU meter, by index: the started child itself with one process, else the pid
        that process's /api/health names."""
        if self.count == 1:
            return [self.child]
        found = []
        for index, url in enumerate(self.urls):
            process = self.health(url).get("process", {})
            if process.get("index") != index or not process.get("pid"):
                raise RuntimeError(f"{url}/api/health names no process {index}: {process}")
            found.append(Running(process["pid"]))
        return found

    def __exit__(self, *exc) -> None:
        if self.child and self.profile_to:
            self._stop_profiler()
        if self.child:
            self._stop_child()
            self.log_problems = self.problems_logged()
        remove(self.data_dir)

    def _stop_profiler(self) -> None:
        """py-spy writes its file on an interrupt; the hub under it is then stopped by its own pid."""
        hubs = self.child.ps.children()
        self.child.process.send_signal(signal.SIGINT)
        try:
            self.child.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        for hub in hubs:
            try:
                hub.terminate()
                hub.wait(timeout=10)
            except psutil.Error:
                pass

    def health(self, url: str | None = None) -> dict:
        with urllib.request.urlopen((url or self.url) + "/api/health", timeout=5) as answer:
            return json.load(answer)

    def problems_logged(self) -> list[str]:
        """Lines of the hub's log at WARNING or above, for the report."""
        text = self.child.log_path.read_text(errors="replace") if self.child else ""
        return [line for line in text.splitlines()
                if " ERROR " in line or " WARNING " in line or "Traceback" in line]


async def staff_client(url: str, token: str):
    """A connected python-socketio AsyncClient on a staff screen with STAFF_NAME signed in."""
    import socketio

    sio = socketio.AsyncClient(reconnection=False)
    await sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=20)
    ack = await sio.call("staff_login", {"name": STAFF_NAME, "password": STAFF_PASSWORD}, timeout=10)
    if not ack.get("ok"):
        await sio.disconnect()
        raise RuntimeError(f"staff sign-in refused: {ack}")
    return sio


# The kinds of client a worker runs: python-socketio's AsyncClient, the lean Python listener, or
# socket.io-client in Node (the library the screens use; from web/node_modules, installed by make).
CLIENT_KINDS = ("AsyncClient", "lean", "js")


def worker_program(client: str) -> list[str]:
    if client == "js":
        return ["node", str(ROOT / "bench" / "js_clients.cjs")]
    return [sys.executable, "-m", "bench.clients"]


class Worker:
    """A client worker process (`python -m bench.clients` or `node bench/js_clients.cjs`): start, wait for
    READY, send GO or STOP, collect its JSON."""

    def __init__(self, name: str, mode: str, url: str, count: int, *, folder: Path, first: int = 0,
                 tokens_file: Path | None = None, role: str = "kiosk", max_seconds: float = 120,
                 client: str = "AsyncClient", extra: list[str] = ()):
        if client not in CLIENT_KINDS:
            raise ValueError(f"unknown client kind {client!r}")
        self.out = Path(folder) / f"{name}.json"
        argv = [*worker_program(client), mode, "--url", url, "--first", str(first),
                "--count", str(count), "--out", str(self.out), "--max-seconds", str(max_seconds),
                "--role", role, *(["--lean"] if client == "lean" else []), *extra]
        if tokens_file is not None:
            argv += ["--tokens-file", str(tokens_file)]
        self.child = Child(argv, Path(folder) / f"{name}.log", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.connected = 0

    def _line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.child.process.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError(f"worker {self.out.stem} said nothing in {timeout}s\n{self.child.log_tail()}")
        line = self.child.process.stdout.readline().decode().strip()
        if not line:
            raise RuntimeError(f"worker {self.out.stem} exited\n{self.child.log_tail()}")
        return line

    def wait_ready(self, timeout: float = 60) -> int:
        line = self._line(timeout)
        if not line.startswith("READY"):
            raise RuntimeError(f"worker {self.out.stem}: {line}\n{self.child.log_tail()}")
        self.connected = int(line.split()[1])
        return self.connected

    def count(self, timeout: float = 10) -> int:
        """Events a listening worker's clients have received so far."""
        self.send("COUNT")
        line = self._line(timeout)
        if not line.startswith("COUNT "):
            raise RuntimeError(f"worker {self.out.stem}: {line}\n{self.child.log_tail()}")
        return int(line.split()[1])

    def send(self, command: str) -> None:
        self.child.process.stdin.write(command.encode() + b"\n")
        self.child.process.stdin.flush()

    def result(self, timeout: float = 60) -> dict:
        """Wait for DONE and return what the worker wrote; the process is then stopped."""
        try:
            line = self._line(timeout)
            if line != "DONE":
                raise RuntimeError(f"worker {self.out.stem}: {line}\n{self.child.log_tail()}")
            self.child.wait_exit()
            return json.loads(self.out.read_text())
        finally:
            self.child.stop(grace=3)

    def stop(self) -> None:
        self.child.stop(grace=3)


def wait_until(page, expression: str, arg=None, *, timeout: float = 30_000, polling: float = 50) -> object:
    """Page.wait_for_function without the page evaluating a string: the hub's CSP allows no eval, so
    Playwright's own wait (which builds its predicate from text inside the page) is refused. This asks
    the page from outside (page.evaluate, which CSP does not govern) until the answer is truthy."""
    import time
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} ms for {expression[:120]!r}")
        page.wait_for_timeout(polling)
