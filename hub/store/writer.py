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
    __slots__ = ("fn", "args", "kwargs", "outcome", "commit")

    def __init__(self, fn, args, kwargs):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.outcome = None
        self.commit = None


class _Commit:
    """The event rows of one committed batch, in seq order, handed on once."""
    __slots__ = ("rows", "announced")

    def __init__(self, rows):
        self.rows, self.announced = rows, False


class _Drain:
    """One scheduled run of the writer thread: a caller that joins it before it starts is in its batch."""
    __slots__ = ("future", "started")

    def __init__(self):
        self.future, self.started = None, False


class Writer:
    def __init__(self, store, clock, on_commit=None):
        """`on_commit(rows)` gets each committed batch's event rows, in seq order, before its callers resume."""
        self._store = store
        self._clock = clock
        self._on_commit = on_commit or (lambda rows: None)
        self._pending = collections.deque()
        self._next: _Drain | None = None
        self._pool = ThreadPool(1)

    def submit(self, fn, *args, **kwargs):
        """Run fn(db, *args, now=..., **kwargs) in a write transaction; returns (result, event rows).

        Raises the HallError the function raised; nothing it did is kept then.
        """
        call = _Call(fn, args, kwargs)
        self._pending.append(call)
        # Callers join the drain that has not started yet, so a busy hall hands the
        # thread one task per batch rather than one per command. A drain that had
        # already taken its batch, or a full one, leaves the call to the next.
        while call.commit is None:
            drain = self._next
            if drain is None or drain.started:
                drain = _Drain()
                # Shown to other callers only with its future: spawning may switch greenlets.
                drain.future = self._pool.spawn(self._drain, drain)
                self._next = drain
            drain.future.get()
        # The callers of one batch wake in no set order; the first one awake hands on the
        # whole batch's events, so they reach delivery in seq order (not as a gap to fill
        # from the log, which costs a read and a parse of every row).
        commit = call.commit
        if not commit.announced:
            commit.announced = True
            if commit.rows:
                self._on_commit(commit.rows)
        if isinstance(call.outcome, BaseException):
            raise call.outcome
        return call.outcome

    def _drain(self, drain: _Drain):
        drain.started = True  # before taking the batch: a call added after this waits for the next drain
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
        commit = _Commit([row for outcome in outcomes if not isinstance(outcome, BaseException)
                          for row in outcome[1]])
        for call, outcome in zip(batch, outcomes):
            call.outcome, call.commit = outcome, commit

    def close(self):
        self._pool.kill()
