"""The message queue between a hall's processes: python-socketio's RedisManager, carrying the record's events too.

Rooms and broadcasts work across processes as python-socketio makes them (each process emits to its own screens
what any process emitted: presence, health, a revoked device's disconnect). The numbered events take a lane of
their own on the same channel: the writer publishes each committed batch's rows once, and every other process
hands them to its own delivery, which sends them to its screens through the fast fan-out in seq order and fills
any gap from the file (a Redis restart loses messages; the file loses none).
"""
import logging

import socketio

log = logging.getLogger(__name__)

# An event name no screen listens for and no handler registers: the committed rows, between processes only.
RECORD_EVENTS = "hall:record-events"


class HallQueue(socketio.RedisManager):
    """RedisManager, plus the record's committed events for `on_rows(rows)` in every process but the writer."""

    def __init__(self, url: str, channel: str, on_rows=None):
        super().__init__(url, channel=channel)
        self._on_rows = on_rows or (lambda rows: None)
        self.published = 0
        self.received = 0

    def publish_rows(self, rows: list[dict]) -> None:
        """Tell the other processes of a committed batch (the writer's own screens have it already)."""
        wire = [{**row, "audience": sorted(row["audience"])} for row in rows]
        self.emit(RECORD_EVENTS, wire, namespace="/")
        self.published += len(rows)

    def _handle_emit(self, message):
        if message.get("event") != RECORD_EVENTS:
            return super()._handle_emit(message)
        if message.get("host_id") == self.host_id:
            return None  # emit() hands every message to its own process first: the writer delivered these
        rows = message["data"][0] if message["data"] else []
        self.received += len(rows)
        self._on_rows([{**row, "audience": frozenset(row["audience"])} for row in rows])
        return None
