"""A bare python-socketio server: the broadcast baseline for the hub's stock push.

  python -m bench.bare --mode gevent|threading --port P

No Flask, no database, no authentication: a client that connects with
{"role": "listener"} joins the "listeners" room; a `fire` event from any
client is broadcast to that room as `event`, unchanged, and acknowledged.
That is the hub's path from a staff command to every screen, minus the rest.

gevent mode is served as Flask-SocketIO serves the hub: `gevent.pywsgi.WSGIServer`,
with gevent-websocket's handler when it is installed and simple-websocket
otherwise (`websocket_backend`). threading mode has no production
server in this project, so for this comparison only it runs under Werkzeug's
threaded development server (simple-websocket takes the socket from it).
"""
import argparse
import sys
from pathlib import Path


class BareServer:
    """Runs `python -m bench.bare` on a free port for the length of a `with` block."""

    def __init__(self, mode: str, folder: Path):
        from .hubproc import free_port
        self.mode = mode
        self.folder = Path(folder)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.child = None

    def __enter__(self) -> "BareServer":
        from .hubproc import Child, wait_http
        argv = [sys.executable, "-m", "bench.bare", "--mode", self.mode, "--port", str(self.port)]
        self.child = Child(argv, self.folder / f"bare-{self.mode}.log")
        wait_http(self.url + "/health", self.child)
        return self

    def __exit__(self, *exc) -> None:
        if self.child:
            self.child.stop()


def websocket_backend() -> str:
    """What serves websockets under gevent here, chosen as Flask-SocketIO chooses for the hub."""
    try:
        import geventwebsocket  # noqa: F401
    except ImportError:
        return "simple-websocket"
    return "gevent-websocket"


def build(mode: str):
    import socketio

    sio = socketio.Server(async_mode=mode, ping_interval=10, ping_timeout=10)

    @sio.on("connect")
    def connect(sid, environ, auth):
        if isinstance(auth, dict) and auth.get("role") == "listener":
            sio.enter_room(sid, "listeners")

    @sio.on("fire")
    def fire(sid, payload):
        sio.emit("event", payload, to="listeners")
        return {"ok": True}

    def health(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return socketio.WSGIApp(sio, health)


def serve(mode: str, port: int) -> None:
    if mode == "gevent":
        from gevent import monkey
        monkey.patch_all()
        import socket

        from gevent import pywsgi

        class Server(pywsgi.WSGIServer):
            def do_handle(self, client, address):
                # As hub/wire/server.py does: without it Nagle's algorithm holds a small frame
                # while an earlier one waits for the client's delayed ACK (about 40 ms).
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return super().do_handle(client, address)

        options = {}
        if websocket_backend() == "gevent-websocket":
            from geventwebsocket.handler import WebSocketHandler
            options["handler_class"] = WebSocketHandler
        Server(("127.0.0.1", port), build(mode), log=None, **options).serve_forever()
    else:
        import logging

        from werkzeug.serving import run_simple
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        run_simple("127.0.0.1", port, build(mode), threaded=True, use_reloader=False)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare")
    parser.add_argument("--mode", choices=("gevent", "threading"), required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    serve(args.mode, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
