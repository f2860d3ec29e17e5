"""A connection that shows no device token within a few seconds is closed.

Socket.IO lets a client open an Engine.IO connection and then take its time to
send the namespace connect that carries the token, or send a wrong one and stay.
Such a connection costs the hub memory and a place in every count, so a stranger
could hold a thousand of them. The doorman notes when each Engine.IO connection
opens and closes the ones not admitted (a device authenticated) in time.

It wraps python-socketio's own Engine.IO connect and disconnect handlers rather
than replacing them: the Socket.IO server still sees every connection as before.
"""
import logging
import time

import gevent

log = logging.getLogger(__name__)

SWEEP_SECONDS = 0.5


class Doorman:
    def __init__(self, server, *, seconds: float, clock=time.monotonic):
        self._eio = server.eio
        self._seconds = seconds
        self._clock = clock
        self._waiting: dict[str, float] = {}  # Engine.IO sid -> when it opened
        self.closed = 0  # connections closed for showing no token in time, for /api/health
        connect, disconnect = self._eio.handlers["connect"], self._eio.handlers["disconnect"]

        def opened(eio_sid, environ):
            self._waiting[eio_sid] = self._clock()
            return connect(eio_sid, environ)

        def gone(eio_sid, reason):
            self._waiting.pop(eio_sid, None)
            return disconnect(eio_sid, reason)

        self._eio.on("connect", opened)
        self._eio.on("disconnect", gone)

    def admit(self, eio_sid: str) -> None:
        """The connection showed a device's token: it stays."""
        self._waiting.pop(eio_sid, None)

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def watch(self) -> None:
        """Close the connections left waiting too long, for as long as the hub runs."""
        while True:
            gevent.sleep(SWEEP_SECONDS)
            deadline = self._clock() - self._seconds
            for eio_sid, opened_at in list(self._waiting.items()):
                if opened_at <= deadline:
                    self._waiting.pop(eio_sid, None)
                    self.closed += 1
                    self._close(eio_sid)

    def _close(self, eio_sid: str) -> None:
        connection = self._eio.sockets.get(eio_sid)
        try:
            self._eio.disconnect(eio_sid)
        except Exception:
            log.exception("closing a connection that showed no token failed")
        # A stranger need not answer the close frame: the TCP connection ends here, not when it chooses.
        websocket = getattr(connection, "hall_websocket", None)
        if websocket is not None:
            websocket.hang_up()
