"""The hall's web server: gevent's WSGI server with websockets, and no Nagle delay.

Flask-SocketIO would build the same server, but an acknowledgement is a small
frame sent right after another; with Nagle's algorithm on, the kernel holds it
until the client's delayed ACK (about 40 ms on Linux), which capped a till at
about 22 sales a second (BENCHMARKS.md).
"""
import socket

from gevent import pywsgi
from geventwebsocket.handler import WebSocketHandler


class PromptHandler(WebSocketHandler):
    def __init__(self, sock, address, server, rfile=None):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass  # not TCP (a unix socket in a test harness): nothing to tune
        super().__init__(sock, address, server, rfile)


def serve(app, host: str, port: int) -> None:
    """Serve the hall until the process is stopped."""
    pywsgi.WSGIServer((host, port), app, handler_class=PromptHandler, log=None).serve_forever()
