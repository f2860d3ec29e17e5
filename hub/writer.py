"""The hub's single writer: every change runs in one real OS thread, in batches.

Under gevent a blocking fsync in the event loop would stall every client, so
transactions run in a one-thread pool while the loop keeps serving. Commands
that arrive while a commit is in progress are committed together in the next
transaction (group commit), each in its own savepoint, and each caller is
answered only after the commit that holds its change.
"""
import collections
import logging

from gevent.threadpool import ThreadPool

log = logging.getLogger(__name__)

MAX_BATCH = 256


class _Call:
    __slots__ = ("fn", "args", "kwargs", "outcome")

    def __init__(self, fn, args, kwargs):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.outcome = None


class Writer:
    def __init__(self, store, clock):
        self._store = store
        self._clock = clock
        self._pending = collections.deque()
        self._pool = ThreadPool(1)

    def submit(self, fn, *args, **kwargs):
        """Run fn(db, *args, now=..., **kwargs) in a write transaction; returns (result, event rows).

        Raises the HallError the function raised; nothing it did is kept then.
        """
        call = _Call(fn, args, kwargs)
        self._pending.append(call)
        # Each submit queues one drain; the first drain to run takes every
        # waiting call, so later drains often find nothing left to do.
        self._pool.spawn(self._drain).get()
        if isinstance(call.outcome, BaseException):
            raise call.outcome
        return call.outcome

    def _drain(self):
        batch = []
        while self._pending and len(batch) < MAX_BATCH:
            batch.append(self._pending.popleft())
        if not batch:
            return
        try:
            outcomes = self._store.run_batch([(c.fn, c.args, c.kwargs) for c in batch], now=self._clock())
        except Exception as failure:  # the disk or the file itself: every caller must hear it
            log.exception("write batch of %d failed", len(batch))
            outcomes = [failure] * len(batch)
        for call, outcome in zip(batch, outcomes):
            call.outcome = outcome

    def close(self):
        self._pool.kill()
