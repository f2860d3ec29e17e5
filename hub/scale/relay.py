"""The relay: a serving process's writes, done by the writer process that owns the file.

A serving process runs every handler itself (it reads the file, checks the device and its payload) and only
`hall.write(fn, *args, **kwargs)` crosses to the writer: the rule function by reference, its arguments as
they are, over HTTP on loopback, into the writer's own group-committing Writer. The answer is what the
writer's `submit` gave: (result, event rows), or the HallError the rule raised.

The link is a kept TCP connection on 127.0.0.1 carrying length-prefixed frames (4 bytes, big-endian, then a
pickle), one exchange at a time on each, as many connections as writes in flight. It began as HTTP; parsing a
request and its headers for every write was a third of the writer's time per forwarded sale (bench/scale.py).

Both ends are the hall's own processes, started by one supervisor: a connection's first frame is the key the
supervisor gave its children, and the writer closes one whose key is wrong before it reads anything else, so
nothing from a stranger is ever unpickled. Even then, only the hall's rule functions, its error, and plain
values (dates, sets) may be named in a pickle.
Objects that live on both sides (the ticket-signing key, the visitors' session secret) cross by name and are
taken from the writer's own copy.
"""
import hmac
import io
import logging
import pickle
import socket
import struct
import time
from zoneinfo import ZoneInfo

import gevent
from gevent.server import StreamServer

from ..errors import HallError, internal, restarting

log = logging.getLogger(__name__)

HEADER = struct.Struct(">I")
# Far more than any write's arguments or answer (a day's close is the largest): a length past it is not ours.
MAX_FRAME = 64 << 20
ACCEPTED = b"ok"
# A writer being restarted by the supervisor takes a second or two to open the file again; a write that could
# not even reach it is tried for this long before the screen hears `writer_unreachable`.
CONNECT_PATIENCE_SECONDS = 5.0
# A write the writer took but did not answer in this long (a frozen process, a disk that hangs): the screen hears
# `writer_unreachable` before its own wait for the ack (8 s, common/hall.js) runs out, and sends it again under
# its own id.
ANSWER_TIMEOUT_SECONDS = 7.0
IDLE_LINKS_KEPT = 64

# What a forwarded pickle may name besides the hall's rules: the plain values their arguments and results hold.
# A rule's result may carry a refusal to raise after its commit (a wrong PIN counted, then refused).
PLAIN = {("hub.errors", "HallError"), ("builtins", "frozenset"), ("builtins", "set"), ("builtins", "bytearray"),
         ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
         ("datetime", "timezone"), ("zoneinfo", "ZoneInfo")}


class _Dumper(pickle.Pickler):
    """Pickles with the hall's own shared objects left out, by name."""

    def __init__(self, file, shared_names: dict[int, str]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared_names = shared_names

    def persistent_id(self, obj):
        return self._shared_names.get(id(obj))

    def reducer_override(self, obj):
        # A time zone by its key (the loader's ZoneInfo(key) takes it from the cache), not by the classmethod
        # ZoneInfo pickles itself with, which would need builtins.getattr on the other side.
        if isinstance(obj, ZoneInfo):
            return ZoneInfo, (obj.key,)
        return NotImplemented


class _Loader(pickle.Unpickler):
    """Unpickles only what find_class allows, with shared objects taken from this side's own copies."""

    def __init__(self, file, shared: dict[str, object]):
        super().__init__(file)
        self._shared = shared

    def find_class(self, module, name):
        refused = pickle.UnpicklingError(f"the relay does not carry {module}.{name}")
        if (module, name) in PLAIN:
            return super().find_class(module, name)
        if not module.startswith("hub.rules.") or "." in name:
            raise refused
        found = super().find_class(module, name)
        # Only what the rule module itself defines (its functions, its records), never a module or a function
        # it merely imported (hub.rules.x.os would be os).
        if getattr(found, "__module__", None) != module:
            raise refused
        return found

    def persistent_load(self, pid):
        try:
            return self._shared[pid]
        except KeyError:
            raise pickle.UnpicklingError(f"no shared object named {pid!r}") from None


def dumps(value, shared: dict[str, object]) -> bytes:
    out = io.BytesIO()
    _Dumper(out, {id(obj): name for name, obj in shared.items()}).dump(value)
    return out.getvalue()


def loads(data: bytes, shared: dict[str, object]):
    return _Loader(io.BytesIO(data), shared).load()


def unreachable(why: str) -> HallError:
    return HallError("writer_unreachable", f"the hall's writer process did not answer ({why}); send it again: "
                     "a command sent again under its own id is not done twice")


class LinkClosed(OSError):
    """The other end closed the connection, or sent what is not a frame."""


def send_frame(sock, payload: bytes) -> None:
    sock.sendall(HEADER.pack(len(payload)) + payload)


def read_frame(rfile) -> bytes:
    head = rfile.read(HEADER.size)
    if len(head) < HEADER.size:
        raise LinkClosed("the link closed")
    (size,) = HEADER.unpack(head)
    if size > MAX_FRAME:
        raise LinkClosed(f"a frame of {size} bytes is not the relay's")
    payload = rfile.read(size)
    if len(payload) < size:
        raise LinkClosed("the link closed within a frame")
    return payload


def _no_delay(sock) -> None:
    # An exchange is a small frame each way: with Nagle's algorithm the answer would wait for the other end's
    # delayed ACK, about 40 ms a write (it made a till's sale through a serving process five times slower).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class RelayServer:
    """The writer's end: a gevent StreamServer on 127.0.0.1, one greenlet per link from a serving process."""

    def __init__(self, hall, port: int, key: str, shared: dict[str, object]):
        self._hall = hall
        self._key = key.encode()
        self._shared = shared
        self._server = StreamServer(("127.0.0.1", port), self._serve)

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop(timeout=1)

    def _serve(self, sock, address) -> None:
        _no_delay(sock)
        rfile = sock.makefile("rb")
        try:
            if not hmac.compare_digest(read_frame(rfile), self._key):
                log.warning("a relay link from %s gave a wrong key: closed", address[0])
                return
            send_frame(sock, ACCEPTED)
            while True:
                request = read_frame(rfile)
                send_frame(sock, dumps(self._answer(request), self._shared))
        except OSError:
            pass  # the serving process went away or closed an idle link
        finally:
            rfile.close()
            sock.close()

    def _answer(self, request: bytes):
        try:
            asked = loads(request, self._shared)
        except Exception as unreadable:  # the key was right, so this is our own bug, never a stranger's
            log.exception("a forwarded write could not be read")
            return ("refused", HallError("internal", f"the writer could not read a forwarded write: {unreadable}"))
        if asked == "health":
            return self._health()
        return self._run(*asked)

    def _health(self) -> dict:
        told = self._hall.health.for_staff()
        return {"reasons": told["reasons"], "unwritten": told["unwritten"]}

    def _run(self, fn, args, kwargs) -> tuple:
        hall = self._hall
        if hall.stopping:
            return ("refused", restarting())
        hall.in_flight += 1
        try:
            result, rows = hall.writer.submit(fn, *args, **kwargs)
        except HallError as refused:
            return ("refused", refused)  # it crosses whole (HallError.__reduce__)
        except Exception:
            log.exception("forwarded write %s failed", getattr(fn, "__qualname__", fn))
            return ("refused", internal())
        finally:
            hall.in_flight -= 1
        return ("done", result, rows)


class _Link:
    """One kept connection to the writer, past its key."""
    __slots__ = ("sock", "rfile")

    def __init__(self, sock):
        self.sock, self.rfile = sock, sock.makefile("rb")

    def exchange(self, payload: bytes) -> bytes:
        send_frame(self.sock, payload)
        return read_frame(self.rfile)

    def close(self) -> None:
        self.rfile.close()
        self.sock.close()


class RelayWriter:
    """The serving process's Writer: the same `submit`, done by the writer process over the relay."""

    def __init__(self, port: int, key: str, shared: dict[str, object], clock):
        self._port = port
        self._key = key.encode()
        self._shared = shared
        self._clock = clock
        self._idle: list[_Link] = []
        self._in_flight = 0
        self.last_commit_at: str | None = None
        self.unreachable_since: str | None = None
        self.fault: dict | None = None  # the writer's storage refusal, as Writer.fault says it
        self.forwarded = 0

    def submit(self, fn, *args, **kwargs):
        """Run fn on the writer; returns (result, event rows) or raises its HallError, or `writer_unreachable`."""
        self._in_flight += 1
        try:
            outcome = self._ask((fn, args, kwargs))
        finally:
            self._in_flight -= 1
        if outcome[0] == "refused":
            refused = outcome[1]
            if refused.code == "storage_unavailable":
                self._storage_refused(refused)
            raise refused
        self.fault = None  # a write went through: whatever the writer's disk did, it takes writes again
        self.forwarded += 1
        self.last_commit_at = self._clock().isoformat(timespec="milliseconds")
        return outcome[1], outcome[2]

    def writers_health(self) -> dict | None:
        """The writer process's own health word ({reasons, unwritten}); None when it does not answer (health
        then says `writer_unreachable` of its own). Asked afresh each time: a staff screen asks rarely, and an
        alert kept in memory must not be missed for a cached moment."""
        try:
            return self._ask("health", patience=0.0)
        except HallError:
            return None

    def _ask(self, asked, *, patience: float = CONNECT_PATIENCE_SECONDS):
        request = dumps(asked, self._shared)
        link = self._connected_link(time.monotonic() + patience)
        try:
            answer = link.exchange(request)
        except OSError as lost:  # socket.timeout and LinkClosed among them
            # Sent, and then the link broke or fell silent: the writer may have done it. The screen sends it
            # again under its own id, which the writer answers with what it did.
            link.close()
            self._went_unreachable()
            raise unreachable(f"link lost: {lost.__class__.__name__}") from None
        self.unreachable_since = None
        if len(self._idle) < IDLE_LINKS_KEPT:
            self._idle.append(link)
        else:
            link.close()
        return loads(answer, self._shared)

    def _connected_link(self, deadline: float) -> _Link:
        """A link to the writer, past its key; nothing has been sent yet, so a writer that is down is waited for."""
        while self._idle:
            link = self._idle.pop()
            if _still_open(link.sock):
                return link
            link.close()  # the writer restarted, say, since this link was last used
        while True:
            try:
                return self._open()
            except OSError as refused:
                if time.monotonic() >= deadline:
                    self._went_unreachable()
                    raise unreachable(f"no connection: {refused.strerror or refused}") from None
                gevent.sleep(0.1)

    def _open(self) -> _Link:
        sock = socket.create_connection(("127.0.0.1", self._port), timeout=ANSWER_TIMEOUT_SECONDS)
        _no_delay(sock)
        link = _Link(sock)
        try:
            if link.exchange(self._key) != ACCEPTED:
                raise LinkClosed("the writer did not accept the relay's key")
        except OSError:
            link.close()
            raise
        return link

    def _storage_refused(self, refused: HallError) -> None:
        """The writer's disk takes no writes: health here says so too, as the writer's own does."""
        if self.fault is None:
            self.fault = {"reason": refused.details.get("reason", "io_error"), "message": refused.message,
                          "since": self._clock().isoformat(timespec="seconds"), "refused": 0}
        self.fault["refused"] += 1

    def _went_unreachable(self) -> None:
        if self.unreachable_since is None:
            self.unreachable_since = self._clock().isoformat(timespec="seconds")
            log.warning("the writer process does not answer on 127.0.0.1:%d", self._port)

    def state(self) -> dict:
        """What /api/health shows of the writer, seen from here."""
        return {"queue": self._in_flight, "busy_seconds": 0.0, "stuck": False,
                "fault": dict(self.fault) if self.fault else None,
                "last_commit_at": self.last_commit_at, "relay": {"port": self._port, "forwarded": self.forwarded,
                                                                 "unreachable_since": self.unreachable_since}}

    def close(self) -> None:
        for link in self._idle:
            link.close()
        self._idle.clear()


def _still_open(sock) -> bool:
    """Whether a kept-alive socket is still open: a peer that closed it reads as end of file at once."""
    timeout = sock.gettimeout()
    sock.settimeout(0.0)  # gevent's socket would wait for a byte rather than say there is none
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.settimeout(timeout)
