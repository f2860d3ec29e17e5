"""The one SQLite file: connection settings, transactions, and the event log.

Every change goes through `Store.run` (or `run_batch`): one IMMEDIATE
transaction in which the domain function changes the tables and its events are
appended to the log. The log's `seq` is the rowid of an INTEGER PRIMARY KEY
written by one writer at a time, so it is monotonic and, because a rolled-back
insert gives its number back, gap-free.
"""
import errno
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from ..errors import HallError
from ..events import Event
from .schema import migrations


class Store:
    """The hall's SQLite file: one connection for writes, one for reads.

    Writes must come from one thread at a time: the hub funnels them through
    its single writer thread, the command line is single-threaded.
    """

    def __init__(self, path: Path | str, follow=None, *, owner: bool = True):
        """`follow(db, events, now=...)` returns the events a change's own events call for
        (the hub's stock alerts); they are written in the same savepoint.

        `owner` False: a serving process of a hall run as several (docs/scaling.md) only reads the file; the
        writer process, started first, brought its schema up to date, and one that has not yet is refused."""
        self.path = Path(path)
        self._follow = follow
        with refused_on_storage_faults():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = _connect(self.path)
            if owner:
                migrations.apply(self.db)
            elif migrations.pending(self.db):
                raise HallError("storage_unavailable", f"{self.path} is not yet brought up to date by the "
                                "writer process: start the writer first", reason="not_ready")
            # Reads get their own connection: on the writer's they would see a
            # batch's uncommitted rows, which may yet roll back.
            self.read_db = _connect(self.path)

    def close(self):
        self.db.close()
        self.read_db.close()

    def read_aside(self, read):
        """(head seq, read(db)) from one consistent view on a connection of its own, so a long read (a day's
        report) can run in another thread while the hub's loop goes on with the shared reader."""
        db = _connect(self.path)
        try:
            db.execute("BEGIN")
            head = db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
            return head, read(db)
        finally:
            db.conn.close()

    # --- transactions ---------------------------------------------------

    @contextmanager
    def _immediate(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            # SQLite rolls back by itself on a full disk or an I/O error; whatever is left goes here, and a
            # rollback that fails too must not hide the first error.
            if self.db.conn.in_transaction:
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    def run(self, fn, *args, now, **kwargs):
        """Run one domain function in its own transaction; returns (result, event rows).

        Raises the HallError the function raised, or `storage_unavailable` when the file cannot be written.
        """
        outcome = self.run_batch([(fn, args, kwargs)], now=now)[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def run_batch(self, calls, *, now):
        """Run several domain functions in one transaction, one savepoint each.

        A call that raises HallError is rolled back alone and its error is
        returned in its place; the rest commit together with a single fsync,
        which is what lets durable checkouts keep up with a busy hall.

        When the file cannot be written (a full disk, a read-only one, an I/O
        error) the whole batch is rolled back and `storage_unavailable` is
        raised: nothing of it is kept, so every caller may send it again.
        """
        outcomes = []
        with refused_on_storage_faults(), self._immediate():
            for fn, args, kwargs in calls:
                self.db.execute("SAVEPOINT command")
                try:
                    result, events = fn(self.db, *args, now=now, **kwargs)
                    if self._follow and events:
                        events = [*events, *self._follow(self.db, events, now=now)]
                    rows = self._append(events, now)
                except HallError as refused:
                    self.db.execute("ROLLBACK TO command")
                    outcome = refused
                except Exception as broken:
                    if storage_fault(broken):
                        raise  # SQLite may have ended the transaction already: none of the batch stands
                    # A bug in one command must not take the batch down with it.
                    self.db.execute("ROLLBACK TO command")
                    outcome = broken
                else:
                    outcome = (result, rows)
                self.db.execute("RELEASE command")
                outcomes.append(outcome)
        return outcomes

    def _append(self, events: list[Event], now) -> list[dict]:
        at = now.isoformat(timespec="milliseconds")
        rows = []
        for event in events:
            audience = "," + ",".join(sorted(event.audience)) + ","
            cursor = self.db.execute(
                "INSERT INTO events (type, data, audience, at) VALUES (?, ?, ?, ?)",
                [event.type, json.dumps(event.data, ensure_ascii=False), audience, at],
            )
            rows.append({"seq": cursor.lastrowid, "type": event.type, "data": event.data,
                         "audience": event.audience, "at": at})
        return rows

    # --- reads ----------------------------------------------------------

    def head(self) -> int:
        return self.read_db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]

    def events_since(self, since: int, role: str | None = None, limit: int | None = None) -> list[dict]:
        """Events after `since`, in order; only those `role` may hear when given."""
        sql = "SELECT seq, type, data, audience, at FROM events WHERE seq > ?"
        params: list = [since]
        if role is not None:
            sql += " AND instr(audience, ?) > 0"
            params.append(f",{role},")
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            {"seq": seq, "type": type_, "data": json.loads(data),
             "audience": frozenset(audience.strip(",").split(",")), "at": at}
            for seq, type_, data, audience, at in self.read_db.execute(sql, params).fetchall()
        ]


# SQLite's primary result codes for a file that cannot take a write, by the hall's name for each.
STORAGE_FAULTS = {sqlite3.SQLITE_FULL: "full", sqlite3.SQLITE_READONLY: "read_only", sqlite3.SQLITE_IOERR: "io_error",
                  sqlite3.SQLITE_CANTOPEN: "io_error"}
# The same told by the operating system (the folder, the ticket key beside the file).
STORAGE_ERRNOS = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "read_only", errno.EIO: "io_error"}
STORAGE_MESSAGES = {
    "full": "the hub's disk is full",
    "read_only": "the hub's data folder is read-only",
    "io_error": "the hub's disk reports an I/O error",
}


def storage_fault(error: BaseException) -> str | None:
    """`full`, `read_only` or `io_error` when `error` is the disk refusing a write, else None."""
    if isinstance(error, OSError):
        return STORAGE_ERRNOS.get(error.errno)
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.Error) or code is None:
        return None
    return STORAGE_FAULTS.get(code & 0xFF)  # extended codes keep the primary one in their low byte


def storage_refusal(reason: str, detail: str = "") -> HallError:
    """The refusal every caller hears while the file cannot be written: nothing was recorded, send it again."""
    return HallError("storage_unavailable",
                     f"{STORAGE_MESSAGES[reason]}: nothing was recorded",
                     reason=reason, **({"detail": detail} if detail else {}))


@contextmanager
def refused_on_storage_faults():
    """Within: the disk refusing a write comes out as `storage_unavailable`; anything else as it was."""
    try:
        yield
    except (sqlite3.Error, OSError) as failed:
        reason = storage_fault(failed)
        if reason is None:
            raise
        raise storage_refusal(reason, str(failed)) from failed


def _connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged sale must survive a power cut, not only a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # The CLI (token, pair) writes to the same file while the hub runs.
    conn.execute("PRAGMA busy_timeout=5000")
    return sqlite_utils.Database(conn)
