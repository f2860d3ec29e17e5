"""The relay: a serving process's writes, done by the writer process that owns the file.

A serving process runs every handler itself (it reads the file, checks the device and its payload) and only
`hall.write(fn, *args, **kwargs)` crosses to the writer: the rule function by reference, its arguments as
they are, over HTTP on loopback, into the writer's own group-committing Writer. The answer is what the
writer's `submit` gave: (result, event rows), or the HallError the rule raised.

Both ends are the hall's own processes, started by one supervisor: the link is on 127.0.0.1 only, every request
carries the key the supervisor gave its children, and nothing is unpickled before the key is checked. Even
then, only the hall's rule functions, its error, and plain values (dates, sets) may be named in a pickle.
Objects that live on both sides (the ticket-signing key, the visitors' session secret) cross by name and are
taken from the writer's own copy.
"""
import hmac
import http.client
import io
import logging
import pickle
import socket
import time
from zoneinfo import ZoneInfo

import gevent
from gevent import pywsgi

from ..errors import HallError

log = logging.getLogger(__name__)

KEY_HEADER = "X-Hall-Relay-Key"
PATH = "/write"
# A writer being restarted by the supervisor takes a second or two to open the file again; a write that could
# not even reach it is tried for this long before the screen hears `writer_unreachable`.
CONNECT_PATIENCE_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 1.0
# A write the writer took but did not answer in this long (a frozen process, a disk that hangs): the screen hears
# `writer_unreachable` before its own wait for the ack (8 s, common/hall.js) runs out, and sends it again under
# its own id.
ANSWER_TIMEOUT_SECONDS = 7.0
IDLE_LINKS_KEPT = 64

# What a forwarded pickle may name besides the hall's rules: the plain values their arguments and results hold.
PLAIN = {("builtins", "frozenset"), ("builtins", "set"), ("builtins", "bytearray"),
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
    """Unpickles only what _allowed names, with shared objects taken from this side's own copies."""

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


def _refusal(error: HallError) -> tuple:
    return ("refused", error.code, error.message, error.details)


def unreachable(why: str) -> HallError:
    return HallError("writer_unreachable", f"the hall's writer process did not answer ({why}); send it again: "
                     "a command sent again under its own id is not done twice")


class RelayServer:
    """The writer's end: a WSGI app on 127.0.0.1 that runs forwarded writes through the hall's Writer."""

    def __init__(self, hall, port: int, key: str, shared: dict[str, object]):
        self._hall = hall
        self._key = key.encode()
        self._shared = shared
        self._server = pywsgi.WSGIServer(("127.0.0.1", port), self._app, log=None)
        self.answered = 0

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        self._server.stop(timeout=1)

    def _app(self, environ, start_response):
        given = environ.get("HTTP_" + KEY_HEADER.upper().replace("-", "_"), "").encode()
        if environ["REQUEST_METHOD"] != "POST" or environ["PATH_INFO"] != PATH:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        if not hmac.compare_digest(given, self._key):
            start_response("403 Forbidden", [("Content-Length", "0")])
            return [b""]
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        answer = dumps(self._run(body), self._shared)
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(len(answer)))])
        return [answer]

    def _run(self, body: bytes) -> tuple:
        hall = self._hall
        try:
            fn, args, kwargs = loads(body, self._shared)
        except Exception as unreadable:  # the key was right, so this is our own bug, never a stranger's
            log.exception("a forwarded write could not be read")
            return _refusal(HallError("internal", f"the writer could not read a forwarded write: {unreadable}"))
        if hall.stopping:
            return _refusal(HallError("restarting", "the hub is restarting; nothing was changed, send it again"))
        hall.in_flight += 1
        try:
            result, rows = hall.writer.submit(fn, *args, **kwargs)
        except HallError as refused:
            return _refusal(refused)
        except Exception:
            log.exception("forwarded write %s failed", getattr(fn, "__qualname__", fn))
            return _refusal(HallError("internal", "the hub could not do this; nothing was changed"))
        finally:
            hall.in_flight -= 1
        self.answered += 1
        return ("done", result, rows)


class RelayWriter:
    """The serving process's Writer: the same `submit`, done by the writer process over the relay."""

    def __init__(self, port: int, key: str, shared: dict[str, object], clock):
        self._port = port
        self._headers = {KEY_HEADER: key, "Content-Type": "application/octet-stream"}
        self._shared = shared
        self._clock = clock
        self._idle: list[http.client.HTTPConnection] = []
        self._in_flight = 0
        self.last_commit_at: str | None = None
        self.unreachable_since: str | None = None
        self.forwarded = 0

    def submit(self, fn, *args, **kwargs):
        """Run fn on the writer; returns (result, event rows) or raises its HallError, or `writer_unreachable`."""
        body = dumps((fn, args, kwargs), self._shared)
        self._in_flight += 1
        try:
            answer = self._exchange(body)
        finally:
            self._in_flight -= 1
        outcome = loads(answer, self._shared)
        if outcome[0] == "refused":
            _, code, message, details = outcome
            raise HallError(code, message, **details)
        self.forwarded += 1
        self.last_commit_at = self._clock().isoformat(timespec="milliseconds")
        return outcome[1], outcome[2]

    def _exchange(self, body: bytes) -> bytes:
        link = self._connected_link(time.monotonic() + CONNECT_PATIENCE_SECONDS)
        try:
            link.request("POST", PATH, body=body, headers=self._headers)
            response = link.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as lost:
            # Sent, and then the link broke: the writer may have done it. The screen sends it again under
            # its own id, which the writer answers with what it did.
            link.close()
            self._went_unreachable()
            raise unreachable(f"link lost: {lost.__class__.__name__}") from None
        if response.status != 200:
            link.close()
            raise HallError("internal", f"the writer refused the relay ({response.status})")
        self.unreachable_since = None
        if len(self._idle) < IDLE_LINKS_KEPT:
            self._idle.append(link)
        else:
            link.close()
        return answer

    def _connected_link(self, deadline: float) -> http.client.HTTPConnection:
        """A link to the writer; nothing has been sent yet, so a writer that is down is simply waited for."""
        while True:
            link = self._link()
            if link.sock is not None:
                return link
            try:
                link.connect()
                return link
            except OSError as refused:
                link.close()
                if time.monotonic() >= deadline:
                    self._went_unreachable()
                    raise unreachable(f"no connection: {refused.strerror or refused}") from None
                gevent.sleep(0.1)

    def _link(self) -> http.client.HTTPConnection:
        """An idle link the writer has not closed meanwhile (it restarted, say), else a new one."""
        while self._idle:
            link = self._idle.pop()
            if link.sock is not None and _still_open(link.sock):
                return link
            link.close()
        return http.client.HTTPConnection("127.0.0.1", self._port, timeout=ANSWER_TIMEOUT_SECONDS)

    def _went_unreachable(self) -> None:
        if self.unreachable_since is None:
            self.unreachable_since = self._clock().isoformat(timespec="seconds")
            log.warning("the writer process does not answer on 127.0.0.1:%d", self._port)

    def state(self) -> dict:
        """What /api/health shows of the writer, seen from here."""
        return {"queue": self._in_flight, "busy_seconds": 0.0, "stuck": False, "fault": None,
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
