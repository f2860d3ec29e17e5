"""Delivers committed events to the screens allowed to hear them, in seq order, once.

Events reach here from the writer, one committed batch at a time (batches
may arrive out of order), and from other processes (the command line revoking
a token) through a poll of the log's head; any gap is filled from the log
before anything newer is sent.
"""
import logging

from ..events import public_form

log = logging.getLogger(__name__)


class Broadcaster:
    def __init__(self, store, emit, on_event=None):
        self._store = store
        self._emit = emit
        self._on_event = on_event or (lambda row: None)
        self.last_seq = store.head()

    def publish(self, rows: list[dict]) -> None:
        for row in rows:
            if row["seq"] <= self.last_seq:
                continue
            if row["seq"] > self.last_seq + 1:
                self.catch_up(until=row["seq"] - 1)
            self._deliver(row)

    def catch_up(self, until: int | None = None) -> None:
        """Send what the log holds beyond the last event sent."""
        while True:
            rows = self._store.events_since(self.last_seq, limit=500)
            rows = [r for r in rows if until is None or r["seq"] <= until]
            if not rows:
                return
            for row in rows:
                self._deliver(row)

    def _deliver(self, row: dict) -> None:
        self.last_seq = row["seq"]
        rooms = [f"role:{role}" for role in sorted(row["audience"])]
        self._emit("event", public_form(row), to=rooms)
        try:
            self._on_event(row)
        except Exception:
            log.exception("reaction to event %s failed", row["seq"])
