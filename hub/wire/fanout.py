"""Event fan-out to hundreds of screens: one encoded frame, written straight to each websocket.

python-socketio sends a broadcast by queueing one packet per screen; each
screen's writer greenlet then wakes, frames the packet and sends it with a
blocking `sendall`. Profiled at 200 kiosks that was three quarters of the hub's
time (BENCHMARKS.md), about 86 us per screen per event, most of it not the
send itself.

Here every websocket's bytes go through an `Outbox` that never blocks: it
sends what the kernel takes now and keeps the rest in order for one flusher
greenlet. Because nothing ever waits inside a write, a screen's Engine.IO
writer holds no packet across a switch, so when its queue is empty a new event
can be written to the screen directly, behind everything sent before it,
without a queue, a greenlet switch or a second encoding. A screen whose queue
is not empty, or that is still on long-polling, gets the event through
python-socketio as before, so order is kept either way.
"""
import logging
import socket
from collections import deque
from contextlib import contextmanager

import gevent
import msgspec
from engineio import packet as eio_packet
from socketio import packet as sio_packet

log = logging.getLogger(__name__)

NAMESPACE = "/"
# A screen that stops reading (a kiosk whose Wi-Fi died without a FIN) is cut off
# once this much is waiting for it; it reconnects and catches up with `sync`.
MAX_PENDING_BYTES = 1 << 20


class TextPacket(sio_packet.Packet):
    """Socket.IO packets of JSON text only: the hall never sends binary, so no packet is searched for it
    (python-socketio walks every acknowledgement and event recursively to find out)."""
    uses_binary_events = False


def websocket_frame(text: str) -> bytes:
    """One unmasked, final text frame (RFC 6455 5.2), as a server sends it."""
    return websocket_frame_of(text.encode("utf-8"))


def websocket_frame_of(payload: bytes) -> bytes:
    """websocket_frame for text already encoded as UTF-8."""
    size = len(payload)
    if size < 126:
        header = bytes((0x81, size))
    elif size < 1 << 16:
        header = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return header + payload


class Outbox:
    """Every byte written to one websocket, in order, without ever blocking the writer.

    While corked (a delivery round is in progress) writes are only collected,
    so the round's events leave in one send instead of one each.
    """

    def __init__(self, sock):
        self._sock = sock
        self._waiting: deque[bytes] = deque()
        self._waiting_bytes = 0
        self._flusher = None
        self._corked = False
        self.broken = False

    def write(self, data: bytes) -> None:
        """Send `data` after everything written before it; raises OSError once the link is broken."""
        if self.broken:
            raise OSError("websocket link is broken")
        if self._waiting or self._corked:
            self._keep(data)
        else:
            self._send_now(data)

    def cork(self) -> None:
        self._corked = True

    def uncork(self) -> None:
        self._corked = False
        if self._waiting and self._flusher is None and not self.broken:
            data = b"".join(self._waiting)
            self._waiting.clear()
            self._waiting_bytes = 0
            try:
                self._send_now(data)
            except OSError:
                pass  # the screen's reader sees the broken link and ends its session

    def _send_now(self, data: bytes) -> None:
        try:
            sent = self._sock.send(data, 0, 0.0)  # timeout 0: raise rather than wait
        except BlockingIOError:
            sent = 0
        except OSError:
            self._break()
            raise
        if sent < len(data):
            self._keep(data[sent:])

    def _keep(self, data: bytes) -> None:
        self._waiting.append(data)
        self._waiting_bytes += len(data)
        if self._waiting_bytes > MAX_PENDING_BYTES:
            log.warning("a screen stopped reading (%d bytes waiting): closing its connection", self._waiting_bytes)
            self._break()
            raise OSError("screen too slow")
        if self._flusher is None and not self._corked:
            self._flusher = gevent.spawn(self._flush)

    def _flush(self) -> None:
        try:
            while self._waiting and not self.broken and not self._corked:
                chunk = self._waiting[0]
                self._sock.sendall(chunk)
                self._waiting.popleft()
                self._waiting_bytes -= len(chunk)
        except OSError:
            self._break()
        finally:
            self._flusher = None

    def break_off(self) -> None:
        self._break()

    def _break(self) -> None:
        self.broken = True
        self._waiting.clear()
        self._waiting_bytes = 0
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the reader, which ends the session
        except OSError:
            pass


class HallWebSocket:
    """Engine.IO's websocket wrapper for gevent-websocket, with every write going through an Outbox.

    Stands in for engineio.async_drivers.gevent.WebSocketWSGI (see `install`);
    close frames and pongs go through the same Outbox, so nothing interleaves.
    """

    def __init__(self, handler, server):
        self.app = handler

    def __call__(self, environ, start_response):
        if "wsgi.websocket" not in environ:
            raise RuntimeError("the hub must be served by hub.server (gevent-websocket)")
        self._ws = environ["wsgi.websocket"]
        self.environ = environ
        self.outbox = Outbox(self._ws.handler.socket)
        self._ws.raw_write = self.outbox.write
        # The Engine.IO socket this websocket belongs to: the broadcaster writes to it through here.
        self.app.__self__.hall_websocket = self
        return self.app(self)

    def close(self):
        return self._ws.close()

    def hang_up(self) -> None:
        """End the connection at once, without waiting for the client to answer a close frame."""
        self.outbox.break_off()

    def send(self, message):
        return self._ws.send(message)

    def wait(self):
        return self._ws.receive()


def install(server) -> None:
    """Make a python-socketio Server's Engine.IO use HallWebSocket for this server only."""
    eio = server.eio
    eio._async = {**eio._async, "websocket": HallWebSocket}


# A push built for one screen alone (a phone's merged changes) is encoded straight to JSON bytes: python-socketio's
# packet classes took 20 us a push, this 3 (msgspec writes UTF-8 as is, which JSON allows).
_JSON = msgspec.json.Encoder()


class Fanout:
    """Sends one event to every screen in some rooms: encoded once, written directly where it is safe."""

    def __init__(self, server):
        self._server = server
        self._corked: set[Outbox] | None = None
        # Per screen delivery, by path: shown in /api/health, so a python-engineio upgrade that quietly
        # turns off the direct path (it leans on Engine.IO internals) shows there and in the tests.
        self.delivered = {"direct": 0, "queued": 0}

    @contextmanager
    def corked(self):
        """Within: each screen's events are collected, and leave in one send per screen at the end."""
        self._corked = set()
        try:
            yield
        finally:
            corked, self._corked = self._corked, None
            for outbox in corked:
                outbox.uncork()

    def emit(self, event: str, data, to: list[str]) -> None:
        server = self._server
        encoded = TextPacket(sio_packet.EVENT, namespace=NAMESPACE, data=[event, data]).encode()
        message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        frame = None
        sockets = server.eio.sockets
        for _sid, eio_sid in server.manager.get_participants(NAMESPACE, to):
            sock = sockets.get(eio_sid)
            if sock is None or sock.closed:
                continue
            websocket = getattr(sock, "hall_websocket", None)
            if (websocket is None or not sock.upgraded or sock.upgrading or not sock.queue.empty()
                    or websocket.outbox.broken):
                server.eio.send_packet(eio_sid, message)
                self.delivered["queued"] += 1
                continue
            if frame is None:
                frame = websocket_frame(message.encode())
            outbox = websocket.outbox
            if self._corked is not None and outbox not in self._corked:
                outbox.cork()
                self._corked.add(outbox)
            try:
                outbox.write(frame)
                self.delivered["direct"] += 1
            except OSError:
                pass  # the screen's reader sees the broken link and ends its session

    def emit_each(self, event: str, items) -> None:
        """Send each (sid, data) to that one socket: pushes that differ per screen, so no frame is shared, but
        each is built once, without python-socketio's packet classes, and written directly where it is safe."""
        server = self._server
        sockets, manager = server.eio.sockets, server.manager
        head = b'42["' + event.encode() + b'",'
        for sid, data in items:
            eio_sid = manager.eio_sid_from_sid(sid, NAMESPACE)
            sock = sockets.get(eio_sid) if eio_sid is not None else None
            if sock is None or sock.closed:
                continue
            message = head + _JSON.encode(data) + b"]"  # an Engine.IO message (4) of a Socket.IO event (2)
            websocket = getattr(sock, "hall_websocket", None)
            if (websocket is None or not sock.upgraded or sock.upgrading or not sock.queue.empty()
                    or websocket.outbox.broken):
                server.eio.send_packet(eio_sid, eio_packet.Packet(eio_packet.MESSAGE, message[1:].decode()))
                self.delivered["queued"] += 1
                continue
            try:
                websocket.outbox.write(websocket_frame_of(message))
                self.delivered["direct"] += 1
            except OSError:
                pass  # the screen's reader sees the broken link and ends its session
