"""The hall's web server: gevent's WSGI server with websockets, and no Nagle delay.

Flask-SocketIO would build the same server, but an acknowledgement is a small
frame sent right after another; with Nagle's algorithm on, the kernel holds it
until the client's delayed ACK (about 40 ms on Linux), which capped a till at
about 22 sales a second (BENCHMARKS.md).

It also holds strangers off: a request whose headers do not arrive within
`header_seconds` (a slow-loris) is dropped, and one address may hold at most
`per_address` connections at once. Visitors' phones are counted apart, against
`visitor_per_address`: many phones behind one address (the hall's guest Wi-Fi,
a carrier's NAT) must never take the places of the hall's own screens. A
connection is a phone's when its first request is for the visitor page or its
reads, or a Socket.IO connection tagged `visitor=1` (the hub then admits only a
visitor's token on it, hub/wire/sockets.py).
"""
import socket
from collections import Counter

import gevent
from gevent import pywsgi
from geventwebsocket.handler import WebSocketHandler

BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\n"
        b"Content-Length: 42\r\n\r\ntoo many connections from this address\r\n\r\n")


def is_visitors(requestline: str) -> bool:
    """Whether a connection's first request line ("GET /path HTTP/1.1") is a visitor's phone's."""
    parts = requestline.split(" ")
    path = parts[1] if len(parts) > 1 else ""
    if path.startswith("/socket.io/"):
        return "visitor=1" in path.partition("?")[2].split("&")
    return path == "/visit" or path.startswith(("/visit/", "/visit?", "/api/visit/"))


class PromptHandler(WebSocketHandler):
    header_seconds = 10
    per_address = 400
    visitor_per_address = 2000
    open_by_address: Counter = Counter()  # (pool, address) -> connections open

    def __init__(self, sock, address, server, rfile=None):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a unix socket in a test harness): nothing to tune
        self._reading = None
        self._counted = None  # (pool, address) this connection is counted in
        self._sorted = False  # whether its first request line has said whose it is
        super().__init__(sock, address, server, rfile)

    def handle(self):
        address = self.client_address[0] if isinstance(self.client_address, tuple) else str(self.client_address)
        # Until its first request line says whose it is, a connection counts as a screen's: a stranger holding
        # silent sockets is held to the screens' number, as before phones had a pool of their own.
        if not self._count(("screen", address)):
            self.socket.close()
            return
        try:
            super().handle()
        finally:
            self._uncount()

    def _count(self, key) -> bool:
        limit = self.visitor_per_address if key[0] == "visitor" else self.per_address
        if self.open_by_address[key] >= limit:
            try:
                self.socket.sendall(BUSY)
            except OSError:
                pass
            return False
        self.open_by_address[key] += 1
        self._counted = key
        return True

    def _uncount(self) -> None:
        key, self._counted = self._counted, None
        if key is not None:
            self.open_by_address[key] -= 1
            if not self.open_by_address[key]:
                del self.open_by_address[key]

    def _admitted(self, requestline: str) -> bool:
        """On a connection's first request, a phone's moves to the phones' pool (503 past its limit)."""
        if self._sorted:
            return True
        self._sorted = True
        if not is_visitors(requestline):
            return True
        address = self._counted[1]
        self._uncount()
        return self._count(("visitor", address))

    # The request line and the headers must arrive within header_seconds of the server starting to wait for
    # them; a socket.timeout makes gevent close the connection as it does for a client that went away.
    def read_requestline(self):
        self._reading = gevent.Timeout(self.header_seconds, socket.timeout("request headers too slow"))
        self._reading.start()
        try:
            line = super().read_requestline()
        except BaseException:
            self._reading.cancel()
            raise
        if line and not self._admitted(line if isinstance(line, str) else line.decode("latin-1")):
            self._reading.cancel()
            return ""  # gevent closes a connection whose request line is empty
        return line

    def read_request(self, raw_requestline):
        try:
            return super().read_request(raw_requestline)
        finally:
            self._reading.cancel()

    def handle_one_request(self):
        try:
            return super().handle_one_request()
        finally:
            if self._reading is not None:
                self._reading.cancel()


def serve(app, host: str, port: int, *, header_seconds: int = 10, per_address: int = 400,
          visitor_per_address: int = 2000) -> None:
    """Serve the hall until the process is stopped."""
    build(app, host, port, header_seconds=header_seconds, per_address=per_address,
          visitor_per_address=visitor_per_address).serve_forever()


def build(app, host: str, port: int, *, header_seconds: int = 10, per_address: int = 400,
          visitor_per_address: int = 2000, **ssl) -> pywsgi.WSGIServer:
    """The hall's server, not yet started; `ssl` (certfile=, keyfile=) makes it HTTPS."""
    handler = type("HallHandler", (PromptHandler,), {"header_seconds": header_seconds,
                                                     "per_address": per_address,
                                                     "visitor_per_address": visitor_per_address,
                                                     "open_by_address": Counter()})
    return pywsgi.WSGIServer((host, port), app, handler_class=handler, log=None, **ssl)
