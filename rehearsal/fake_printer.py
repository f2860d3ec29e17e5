"""A fake ESC/POS network printer on 127.0.0.1, for the transport tests and the hall rehearsal; it stops by itself.

The rehearsal runs out of paper and back by setting `status` while it serves."""
from __future__ import annotations

import socket
import struct
import threading
import time

DLE_EOT = b"\x10\x04"

# Replies to DLE EOT 1 (printer) and DLE EOT 4 (paper sensor), as an Epson TM answers them.
STATUS_BYTES = {
    "online": (0x16, 0x12),
    "paper_near_end": (0x16, 0x1E),
    "paper_out": (0x1E, 0x72),  # a printer out of paper also reports itself offline
    "offline": (0x1E, 0x12),  # e.g. cover open
}


class FakePrinter:
    """Records every byte it receives, one job per connection, and answers DLE EOT n.

    status:      which STATUS_BYTES to answer with, or "silent" to never answer
    drop_after:  close the connection abruptly (RST) after this many bytes of a job
    read_delay:  seconds to wait before each read of at most `chunk` bytes (a slow printer)
    lifetime:    the thread ends by itself after this many seconds
    port:        listen on this port (a printer switched back on keeps its address), or any free one
    """

    def __init__(self, *, status: str = "online", drop_after: int | None = None, read_delay: float = 0.0,
                 chunk: int = 4096, lifetime: float = 20.0, port: int = 0):
        if status not in STATUS_BYTES and status != "silent":
            raise ValueError(f"unknown status {status!r}")
        self.status = status
        self.drop_after = drop_after
        self.read_delay = read_delay
        self.chunk = chunk
        self.lifetime = lifetime
        self.jobs: list[bytes] = []
        self.replies: list[int] = []
        self.started_at: float | None = None  # wall clock (time.time()), to compare with the hub's event times
        self._stop = threading.Event()
        self._job_done = threading.Condition()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # A small receive buffer so a slow printer really holds the sender back.
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self.host, self.port = self._listener.getsockname()
        self._thread = threading.Thread(target=self._run, name=f"fake-printer-{self.port}", daemon=True)

    # -- control -----------------------------------------------------------------------
    def start(self) -> "FakePrinter":
        self._listener.listen(1)
        self.started_at = time.time()
        self._listener.settimeout(0.05)
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._close_listener()
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "fake printer thread did not stop"

    def refuse(self) -> None:
        """From now on connections are refused: nothing listens on the port any more."""
        self._close_listener()

    def wait_jobs(self, count: int, timeout: float = 3.0) -> list[bytes]:
        """The jobs received once `count` connections have finished (or when time is up)."""
        deadline = time.monotonic() + timeout
        with self._job_done:
            while len(self.jobs) < count and time.monotonic() < deadline:
                self._job_done.wait(0.05)
            return list(self.jobs)

    @property
    def received(self) -> bytes:
        return b"".join(self.jobs)

    def __enter__(self) -> "FakePrinter":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the printer -------------------------------------------------------------------
    def _close_listener(self) -> None:
        # shutdown first: on Linux it stops the listening at once, even while the thread
        # sits in accept(); close() alone leaves the port open until accept() returns.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()

    def _alive(self, deadline: float) -> bool:
        return not self._stop.is_set() and time.monotonic() < deadline

    def _run(self) -> None:
        deadline = time.monotonic() + self.lifetime
        while self._alive(deadline):
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                break  # listener closed: refuse() or stop()
            with conn:
                self._serve(conn, deadline)

    def _serve(self, conn: socket.socket, deadline: float) -> None:
        conn.settimeout(0.05)
        job = bytearray()
        tail = b""
        dropped = False
        while self._alive(deadline):
            if self.drop_after is not None and len(job) >= self.drop_after:
                # Linger 0: close with a reset, as a printer switched off mid-job does.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                dropped = True
                break
            if self.read_delay and self._stop.wait(self.read_delay):
                break
            want = self.chunk if self.drop_after is None else min(self.chunk, self.drop_after - len(job))
            try:
                data = conn.recv(want)
            except socket.timeout:
                continue
            except OSError:
                break
            if not data:
                break
            job += data
            tail = self._answer(conn, tail + data)
        with self._job_done:
            self.jobs.append(bytes(job))
            self._job_done.notify_all()
        if not dropped:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _answer(self, conn: socket.socket, data: bytes) -> bytes:
        """Reply to each complete DLE EOT n in data; returns the bytes to keep for next time."""
        i = 0
        while True:
            j = data.find(DLE_EOT, i)
            if j < 0 or j + 2 >= len(data):
                break
            n = data[j + 2]
            i = j + 3
            if self.status == "silent":
                continue
            printer, paper = STATUS_BYTES[self.status]
            reply = {1: printer, 2: 0x12, 3: 0x12, 4: paper}.get(n)
            if reply is not None:
                self.replies.append(n)
                try:
                    conn.sendall(bytes((reply,)))
                except OSError:
                    pass
        # Keep a possibly split DLE EOT at the end for the next read.
        return data[max(i, len(data) - 2):]
