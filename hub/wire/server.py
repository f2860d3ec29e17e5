"""The hall's web server: gevent's WSGI server with websockets, and no Nagle delay.

Flask-SocketIO would build the same server, but an acknowledgement is a small
frame sent right after another; with Nagle's algorithm on, the kernel holds it
until the client's delayed ACK (about 40 ms on Linux), which capped a till at
about 22 sales a second (BENCHMARKS.md).

It also holds strangers off: a request whose headers do not arrive within
`header_seconds` (a slow-loris) is dropped, and one address may hold at most
`per_address` connections at once.
"""
import socket
from collections import Counter

import gevent
from gevent import pywsgi
from geventwebsocket.handler import WebSocketHandler

BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\n"
        b"Content-Length: 42\r\n\r\ntoo many connections from this address\r\n\r\n")


class PromptHandler(WebSocketHandler):
    header_seconds = 10
    per_address = 400
    open_by_address: Counter = Counter()

    def __init__(self, sock, address, server, rfile=None):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a unix socket in a test harness): nothing to tune
        self._reading = None
        super().__init__(sock, address, server, rfile)

    def handle(self):
        address = self.client_address[0] if isinstance(self.client_address, tuple) else str(self.client_address)
        if self.open_by_address[address] >= self.per_address:
            try:
                self.socket.sendall(BUSY)
            finally:
                self.socket.close()
            return
        self.open_by_address[address] += 1
        try:
            super().handle()
        finally:
            self.open_by_address[address] -= 1
            if not self.open_by_address[address]:
                del self.open_by_address[address]

    # The request line and the headers must arrive within header_seconds of the server starting to wait for
    # them; a socket.timeout makes gevent close the connection as it does for a client that went away.
    def read_requestline(self):
        self._reading = gevent.Timeout(self.header_seconds, socket.timeout("request headers too slow"))
        self._reading.start()
        try:
            return super().read_requestline()
        except BaseException:
            self._reading.cancel()
            raise

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


def serve(app, host: str, port: int, *, header_seconds: int = 10, per_address: int = 400) -> None:
    """Serve the hall until the process is stopped."""
    build(app, host, port, header_seconds=header_seconds, per_address=per_address).serve_forever()


def build(app, host: str, port: int, *, header_seconds: int = 10, per_address: int = 400,
          **ssl) -> pywsgi.WSGIServer:
    """The hall's server, not yet started; `ssl` (certfile=, keyfile=) makes it HTTPS."""
    handler = type("HallHandler", (PromptHandler,), {"header_seconds": header_seconds,
                                                     "per_address": per_address, "open_by_address": Counter()})
    return pywsgi.WSGIServer((host, port), app, handler_class=handler, log=None, **ssl)
