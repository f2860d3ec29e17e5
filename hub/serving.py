"""The hall's listeners, and its clean stop on SIGTERM.

On 127.0.0.1 the hub serves plain HTTP, as it always has. On the hall's network (`--lan`) it serves HTTPS with
the hall's own certificate and, on a second port, the plain-HTTP door that hands out the hall CA and sends
everything else to HTTPS (hub/net/trust_page.py).
"""
import logging
import signal

import gevent
from gevent import pywsgi
from gevent.event import Event

from .wire.server import build

log = logging.getLogger(__name__)


def run(app, host: str, port: int, *, tls=None, plain=None) -> None:
    """Serve until SIGTERM (or SIGINT), then stop cleanly. `tls` is a TlsFiles; `plain` a (port, WSGI app).

    Raises OSError when a port cannot be listened on; nothing has started then."""
    hall = app.extensions["hall"]
    trust = hall.config.trust
    ssl = {"certfile": str(tls.cert), "keyfile": str(tls.key)} if tls else {}
    servers = [build(app, host, port, header_seconds=trust["request_header_seconds"],
                     per_address=trust["connections_per_address"],
                     visitor_per_address=hall.config.visitor["connections_per_address"], **ssl)]
    if plain:
        servers.append(pywsgi.WSGIServer((host, plain[0]), plain[1], log=None))
    started = []
    try:
        for server in servers:
            server.start()
            started.append(server)
    except OSError:
        for server in started:
            server.stop()
        raise
    stopped = Event()

    def stop(signum):
        log.info("signal %s: stopping cleanly", signal.Signals(signum).name)
        gevent.spawn(_stop, hall, servers, stopped)

    # Kept in a name: a watcher nobody holds is collected, and the signal then goes unheard.
    watchers = [gevent.signal_handler(signum, stop, signum) for signum in (signal.SIGTERM, signal.SIGINT)]
    stopped.wait()
    for watcher in watchers:
        watcher.cancel()


def _stop(hall, servers, stopped) -> None:
    try:
        for server in servers:
            server.close()  # no new connections; the open ones hear the hall say it is restarting
        hall.stop()
        for server in servers:
            server.stop(timeout=1)
    finally:
        stopped.set()
