"""The one SQLite file: connection settings, transactions, and the event log.

Every change goes through `Store.run` (or `run_batch`): one IMMEDIATE
transaction in which the domain function changes the tables and its events are
appended to the log. The log's `seq` is the rowid of an INTEGER PRIMARY KEY
written by one writer at a time, so it is monotonic and, because a rolled-back
insert gives its number back, gap-free.
"""
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

    def __init__(self, path: Path | str, follow=None):
        """`follow(db, events, now=...)` returns the events a change's own events call for
        (the hub's stock alerts); they are written in the same savepoint."""
        self.path = Path(path)
        self._follow = follow
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = _connect(self.path)
        migrations.apply(self.db)
        # Reads get their own connection: on the writer's they would see a
        # batch's uncommitted rows, which may yet roll back.
        self.read_db = _connect(self.path)

    def close(self):
        self.db.close()
        self.read_db.close()

    # --- transactions ---------------------------------------------------

    @contextmanager
    def _immediate(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def run(self, fn, *args, now, **kwargs):
        """Run one domain function in its own transaction; returns (result, event rows)."""
        outcome = self.run_batch([(fn, args, kwargs)], now=now)[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def run_batch(self, calls, *, now):
        """Run several domain functions in one transaction, one savepoint each.

        A call that raises HallError is rolled back alone and its error is
        returned in its place; the rest commit together with a single fsync,
        which is what lets durable checkouts keep up with a busy hall.
        """
        outcomes = []
        with self._immediate():
            for fn, args, kwargs in calls:
                self.db.execute("SAVEPOINT command")
                try:
                    result, events = fn(self.db, *args, now=now, **kwargs)
                    if self._follow and events:
                        events = [*events, *self._follow(self.db, events, now=now)]
                    rows = self._append(events, now)
                except HallError as refused:
                    self.db.execute("ROLLBACK TO command")
                    outcomes.append(refused)
                except Exception as broken:
                    # A bug in one command must not take the batch down with it.
                    self.db.execute("ROLLBACK TO command")
                    outcomes.append(broken)
                else:
                    outcomes.append((result, rows))
                finally:
                    self.db.execute("RELEASE command")
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


def _connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged sale must survive a power cut, not only a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # The CLI (token, pair) writes to the same file while the hub runs.
    conn.execute("PRAGMA busy_timeout=5000")
    return sqlite_utils.Database(conn)
