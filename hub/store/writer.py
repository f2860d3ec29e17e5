"""The hub's single writer: every change runs in one real OS thread, in batches.

Under gevent a blocking fsync in the event loop would stall every client, so
transactions run in a one-thread pool while the loop keeps serving. Commands
that arrive while a commit is in progress are committed together in the next
transaction (group commit), each in its own savepoint, and each caller is
answered only after the commit that holds its change.

It also keeps what /api/health tells of it: when it last committed, how
many commands wait, how long the batch in hand has taken (a stuck writer
shows), and whether the file can be written at all.
"""
import collections
import logging
import os
import time

from gevent.threadpool import ThreadPool

from ..errors import HallError

log = logging.getLogger(__name__)

MAX_BATCH = 256
# The rehearsal's slow disk (python -m rehearsal, never a real hall): when set at start, this names a file;
# while the file exists the writer sleeps the milliseconds written in it before each commit, as a dying
# disk's fsync would. Read once per batch, so the rehearsal can start and end the fault on its schedule.
SLOW_DISK_FILE = os.environ.get("HALL_SLOW_DISK_FILE")
# A batch still in hand after this long means the disk (or a lock on the file) holds the writer: every command
# waits behind it, so /api/health calls the hub failing.
STUCK_SECONDS = 10.0


class _Call:
    __slots__ = ("fn", "args", "kwargs", "outcome", "commit")

    def __init__(self, fn, args, kwargs):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.outcome = None
        self.commit = None


class _Commit:
    """The event rows of one committed batch, in seq order, handed on once; or the storage refusal that
    stopped the batch, with when it came and how many commands it refused."""
    __slots__ = ("rows", "announced", "refusal", "at", "size", "seconds")

    def __init__(self, rows, refusal=None, at=None, size=0, seconds=0.0):
        self.rows, self.announced = rows, False
        self.refusal, self.at, self.size, self.seconds = refusal, at, size, seconds


class _Drain:
    """One scheduled run of the writer thread: a caller that joins it before it starts is in its batch."""
    __slots__ = ("future", "started")

    def __init__(self):
        self.future, self.started = None, False


_pause = time.sleep


def _slow_disk(path: str) -> None:
    try:
        with open(path) as control:
            delay_ms = float(control.read() or 0)
    except (OSError, ValueError):
        return
    _pause(min(delay_ms, 5000) / 1000)


class Writer:
    def __init__(self, store, clock, on_commit=None, on_fault=None, stuck_after: float = STUCK_SECONDS,
                 on_batch=None):
        """`on_commit(rows)` gets each committed batch's event rows, in seq order, before its callers resume.

        `on_batch(size, seconds)` hears each batch's number of commands and how long running and committing
        it took, in the event loop (the hub's metrics; never from the writer thread).

        `on_fault(ended, fault)` hears when the file stops taking writes (`ended` None) and when it takes
        them again (`fault` None), in the event loop; a fault is {"reason", "message", "since", "refused"}.
        """
        self._store = store
        self._clock = clock
        self._on_commit = on_commit or (lambda rows: None)
        self._on_fault = on_fault or (lambda ended, fault: None)
        self._on_batch = on_batch or (lambda size, seconds: None)
        self._pending = collections.deque()
        self._next: _Drain | None = None
        self._pool = ThreadPool(1)
        self.stuck_after = stuck_after
        self.fault: dict | None = None
        self.last_commit_at: str | None = None
        self._in_hand = 0  # commands in the batch the thread is running
        self._busy_since: float | None = None  # time.monotonic() when that batch started

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
            self._note(commit)
            self._on_batch(commit.size, commit.seconds)
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
        now = self._clock()
        started = time.monotonic()
        self._in_hand, self._busy_since = len(batch), started
        refusal = None
        try:
            if SLOW_DISK_FILE:
                _slow_disk(SLOW_DISK_FILE)
            outcomes = self._store.run_batch([(c.fn, c.args, c.kwargs) for c in batch], now=now)
            self.last_commit_at = now.isoformat(timespec="milliseconds")
        except HallError as refused:  # storage_unavailable: the file takes no writes; nothing of the batch stands
            log.warning("write batch of %d refused: %s", len(batch), refused.message)
            outcomes, refusal = [refused] * len(batch), refused
        except Exception as failure:  # the file itself: every caller must hear it
            log.exception("write batch of %d failed", len(batch))
            outcomes = [failure] * len(batch)
        finally:
            self._in_hand, self._busy_since = 0, None
        commit = _Commit([row for outcome in outcomes if not isinstance(outcome, BaseException)
                          for row in outcome[1]], refusal, now, len(batch), time.monotonic() - started)
        for call, outcome in zip(batch, outcomes):
            call.outcome, call.commit = outcome, commit

    def _note(self, commit: _Commit) -> None:
        """Follow whether the file takes writes: a refused batch starts (or extends) a fault, and only a commit
        that wrote events ends it (a batch of refusals commits nothing, so it proves nothing)."""
        ended = self.fault
        if commit.refusal is not None:
            if ended is None:
                self.fault = {"reason": commit.refusal.details["reason"], "message": commit.refusal.message,
                              "since": commit.at.isoformat(timespec="seconds"), "refused": 0}
            self.fault["refused"] += commit.size
            if ended is None:
                self._on_fault(None, self.fault)
        elif commit.rows and ended is not None:
            self.fault = None
            self._on_fault(ended, None)

    def state(self) -> dict:
        """What /api/health shows of the writer."""
        started = self._busy_since
        busy = time.monotonic() - started if started is not None else 0.0
        return {"queue": len(self._pending) + self._in_hand, "busy_seconds": round(busy, 1),
                "stuck": busy >= self.stuck_after, "last_commit_at": self.last_commit_at,
                "fault": dict(self.fault) if self.fault else None}

    def close(self):
        self._pool.kill()
