"""A real redis-server (Debian's) of a test's own, on a free loopback port, that stops with the test.

Each test starts its own rather than sharing one the machine may run: a fault test restarts it, and no test may
lean on a service only one machine has. Nothing is saved to disk (`--save ""`, no append-only file).
"""
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.hubproc import free_port

START_TIMEOUT = 10


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self._folder = Path(tempfile.mkdtemp(prefix="hall-redis-"))

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: sh scripts/system-packages.sh")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self._folder), "--logfile", str(self._folder / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited at start: {self.log_tail()}")
            if self.answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start in {START_TIMEOUT}s: {self.log_tail()}")

    def answers(self) -> bool:
        """Whether it answers PING now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as link:
                link.sendall(b"PING\r\n")
                return link.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def restart(self, down_seconds: float = 0.0) -> None:
        """Stop it, stay down a while, and start it again on the same port (the processes must reconnect)."""
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join((self._folder / "redis.log").read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
