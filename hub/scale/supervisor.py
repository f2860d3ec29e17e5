"""The supervisor of a hall run as several processes: starts them, starts again any that ends, stops them all.

It runs no hub itself and uses no gevent (plain subprocesses, signals and sleeps): a parent that outlives any
child's crash. The writer (process 0) starts first and the others only once it answers, since it brings the
file up to date; a child that ends for any reason is started again on its own port, the writer included (the
serving processes answer `writer_unreachable` meanwhile and their screens send again). SIGTERM or SIGINT stops
the serving processes first (their screens hear `restarting`), then the writer, each with its own clean stop.
"""
import ctypes
import logging
import os
import secrets
import signal
import socket
import subprocess
import time

log = logging.getLogger("hub.scale.supervisor")

RESTART_PAUSE_SECONDS = 0.5
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
POLL_SECONDS = 0.1
# A child that ends this soon after starting, this many times running, has a fault a restart will not mend
# (a port taken, a broken hall.toml): the supervisor gives up rather than spin.
QUICK_EXIT_SECONDS = 5.0
QUICK_EXITS_TOLERATED = 5
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _ends_with(parent: int):
    """For a child, run between fork and exec: it hears SIGTERM (its clean stop) when the supervisor dies, even
    of SIGKILL, rather than go on holding its port with nobody to stop it."""
    def arrange() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died before the line above: nobody will send the signal now
            os.kill(os.getpid(), signal.SIGTERM)
    return arrange


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Supervisor:
    def __init__(self, command_of, count: int, ports: list[int]):
        """`command_of(index)` is the argv of child `index`; `ports` are the ports they serve on."""
        self._command_of = command_of
        self._count = count
        self._ports = ports
        self._children: dict[int, subprocess.Popen] = {}
        self._started_at: dict[int, float] = {}
        self._quick_exits: dict[int, int] = {}
        self._stopping = False
        self.relay_key = secrets.token_hex(32)

    def run(self) -> int:
        """Run until SIGTERM/SIGINT; 0 after a clean stop, 2 when a child cannot be kept running."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._stop_asked)
        try:
            if not self._start(0, wait=True):
                return 2
            for index in range(1, self._count):
                self._start(index, wait=False)
            while not self._stopping:
                time.sleep(POLL_SECONDS)
                for index, child in list(self._children.items()):
                    if child.poll() is not None and not self._stopping:
                        if not self._again(index, child.returncode):
                            return 2
            return 0
        finally:
            self._stop_all()

    def _stop_asked(self, signum, frame) -> None:
        log.info("signal %s: stopping every process", signal.Signals(signum).name)
        self._stopping = True

    def _start(self, index: int, *, wait: bool) -> bool:
        env = {**os.environ, "HALL_RELAY_KEY": self.relay_key}
        child = subprocess.Popen(self._command_of(index), env=env, preexec_fn=_ends_with(os.getpid()))
        self._children[index] = child
        self._started_at[index] = time.monotonic()
        log.info("process %d started (pid %d) on port %d", index, child.pid, self._ports[index])
        if not wait:
            return True
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline and not self._stopping:
            if child.poll() is not None:
                log.error("process %d ended at start (exit %s)", index, child.returncode)
                return False
            if _answers(self._ports[index]):
                return True
            time.sleep(POLL_SECONDS)
        return not self._stopping and _answers(self._ports[index])

    def _again(self, index: int, code: int) -> bool:
        quick = time.monotonic() - self._started_at[index] < QUICK_EXIT_SECONDS
        self._quick_exits[index] = self._quick_exits.get(index, 0) + 1 if quick else 0
        if self._quick_exits[index] > QUICK_EXITS_TOLERATED:
            log.error("process %d keeps ending at start (exit %s): giving up", index, code)
            return False
        log.warning("process %d ended (exit %s): starting it again", index, code)
        time.sleep(RESTART_PAUSE_SECONDS)
        return self._start(index, wait=False)

    def _stop_all(self) -> None:
        # The serving processes first: while they stop cleanly their last writes still reach the writer.
        for indexes in ([i for i in self._children if i != 0], [0]):
            for index in indexes:
                child = self._children[index]
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for index in indexes:
                child = self._children[index]
                try:
                    child.wait(STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    log.error("process %d did not stop in %.0f s: killed", index, STOP_TIMEOUT_SECONDS)
                    child.kill()
                    child.wait()
