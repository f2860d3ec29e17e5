"""The message queue between a hall's processes: python-socketio's RedisManager, carrying the record's events too.

Rooms and broadcasts work across processes as python-socketio makes them (each process emits to its own screens
what any process emitted: presence, health, a revoked device's disconnect). The numbered events take a lane of
their own on the same channel: the writer publishes each committed batch's rows once, and every other process
hands them to its own delivery, which sends them to its screens through the fast fan-out in seq order and fills
any gap from the file (a Redis restart loses messages; the file loses none).
"""
import hashlib
import hmac
import json
import logging
from pathlib import Path

import redis
import socketio

log = logging.getLogger(__name__)

# Connections to Redis one process may hold at once; past it a publish waits its turn (up to POOL_WAIT_SECONDS).
POOL_SIZE = 32
POOL_WAIT_SECONDS = 5
# Event names no screen listens for and no handler registers, between processes only: the committed rows, and
# which screens each process holds (a device that moved to another process is not silent, hub/scale/presence.py).
RECORD_EVENTS = "hall:record-events"
PRESENCE = "hall:presence"


def default_channel(data_dir: Path) -> str:
    """One channel per data folder: every process of a hall shares the folder, and no two halls do."""
    return "expo-sales-hall:" + hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:16]


class HallQueue(socketio.RedisManager):
    """RedisManager, plus the record's committed events for `on_rows(rows)` in every process but the writer."""

    def __init__(self, url: str, channel: str, key: str | None):
        super().__init__(url, channel=channel)
        # Whatever reaches Redis could be published by anyone who reaches it: the hall's own messages are
        # signed with the key the supervisor gave its processes, and one that is not is dropped (the events it
        # claimed to carry are read from the file instead).
        self._key = (key or "").encode()
        self.on_rows = lambda rows: None
        self.on_presence = lambda report: None
        self.published = 0
        self.received = 0
        self.refused = 0

    def publish_rows(self, rows: list[dict]) -> None:
        """Tell the other processes of a committed batch (the writer's own screens have it already)."""
        wire = [{**row, "audience": sorted(row["audience"])} for row in rows]
        self.emit(RECORD_EVENTS, self._signed(wire), namespace="/")
        self.published += len(rows)

    def _redis_connect(self):
        # python-socketio's client takes redis-py's default pool, which fails past 100 connections ("Too many
        # connections"): 200 screens leaving one process at once each publish their presence from a greenlet
        # of their own, and the failure cost the process its subscription for a second. A blocking pool makes
        # them take turns instead.
        pool = redis.BlockingConnectionPool.from_url(self.redis_url, max_connections=POOL_SIZE,
                                                     timeout=POOL_WAIT_SECONDS, **self.redis_options)
        self.redis = redis.Redis(connection_pool=pool)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

    def counts(self) -> dict:
        """What /api/health shows: rows published (the writer), rows received and messages refused (the rest)."""
        return {"published": self.published, "received": self.received, "refused": self.refused}

    def publish_presence(self, report: dict) -> None:
        """Tell the other processes which screens this one holds and when each was last heard."""
        self.emit(PRESENCE, self._signed(report), namespace="/")

    def _mac(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def _signed(self, body) -> dict:
        # The body goes as the JSON text that was signed: the receiver checks those very bytes, and the
        # manager's own encoding (and its search for binary parts) sees one string instead of every row.
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return {"body": text, "mac": self._mac(text)}

    def _opened(self, sealed):
        """The body of a message this hall's processes signed, or None."""
        if not isinstance(sealed, dict) or not all(isinstance(sealed.get(part), str) for part in ("body", "mac")):
            return None
        if not hmac.compare_digest(sealed["mac"], self._mac(sealed["body"])):
            return None
        return json.loads(sealed["body"])

    def _handle_emit(self, message):
        event = message.get("event")
        if event not in (RECORD_EVENTS, PRESENCE):
            return super()._handle_emit(message)
        if message.get("host_id") == self.host_id:
            return None  # emit() hands every message to its own process first: it knows its own already
        data = self._opened(message["data"][0] if message.get("data") else None)
        if data is None:
            self.refused += 1
            log.warning("a message on %s not signed by this hall's processes was dropped", self.channel)
            return None
        if event == PRESENCE:
            self.on_presence(data)
            return None
        self.received += len(data)
        self.on_rows([{**row, "audience": frozenset(row["audience"])} for row in data])
        return None
