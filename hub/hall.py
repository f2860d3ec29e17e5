"""The running hall: the store, its writer, the broadcaster and who is connected."""
import logging
import sqlite3
import time
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import gevent
from gevent.event import Event as Signal
from gevent.queue import Queue

from . import backup
from .errors import HallError
from .events import VISITOR
from .health import Health
from .rules import alerts, cashiers, catalog, demos, devices, hall_plan, inventory, records, tickets, visitors
from .wire import fanout
from .wire.doorman import Doorman
from .wire.throttle import Throttle, TokenBuckets
from .wire.watchers import Coalescer
from .wire.broadcast import Broadcaster
from .wire.metrics import Metrics
from .print_worker import PrintWorker
from .scale import Place
from .scale.presence import Presence
from .scale.relay import RelayServer, RelayWriter
from .store import Store
from .store.writer import Writer

log = logging.getLogger(__name__)

# How quickly a token revoked from the command line drops its connections.
LOG_POLL_SECONDS = 0.25
SWEEP_SECONDS = 1.0
# How often the hub looks for terminals gone silent (hall.toml [terminals] says how long is silent).
WATCH_SECONDS = 10
# Most delivery lists sent in one round (one send per screen); bounded so a burst cannot hold back the first.
DELIVERY_ROUND = 64
# Phones' pushes sent between two switches of the flusher (about 10 ms of the hub's time).
PUSH_CHUNK = 200
# The news a phone hears of its own orders and tickets (push `mine`).
MINE = frozenset({"hold.consumed", "hold.expired", "hold.released", "ticket.cancelled", "checkin.recorded"})
# How long a clean stop waits for commands, writes and print jobs in flight before it closes the file anyway.
STOP_SECONDS = 10


class Connections:
    """Which device (and which signed-in person) each socket belongs to, and when each device was last heard."""

    def __init__(self, clock):
        self._clock = clock
        self._by_sid: dict[str, dict] = {}
        # name -> its sids: with thousands of phones connected, a scan of every socket per connect adds up.
        self._by_name: dict[str, set[str]] = {}
        self.last_seen: dict[str, str] = {}
        self._screens: set[str] = set()  # the names of the hall's own devices (not phones) ever connected here

    def add(self, sid: str, device: dict) -> None:
        self._by_sid[sid] = dict(device)
        if device["role"] != VISITOR:
            self._screens.add(device["name"])
        self._by_name.setdefault(device["name"], set()).add(sid)
        self.seen(sid)

    def remove(self, sid: str) -> None:
        self.seen(sid)
        device = self._by_sid.pop(sid, None)
        if device is not None:
            sids = self._by_name.get(device["name"], set())
            sids.discard(sid)
            if not sids:
                self._by_name.pop(device["name"], None)

    def get(self, sid: str) -> dict | None:
        return self._by_sid.get(sid)

    def seen(self, sid: str) -> None:
        device = self._by_sid.get(sid)
        if device:
            self.last_seen[device["name"]] = self._clock().isoformat(timespec="seconds")

    def sids_of(self, name: str) -> list[str]:
        return list(self._by_name.get(name, ()))

    def sids(self) -> list[str]:
        return list(self._by_sid)

    def online(self) -> set[str]:
        return {device["name"] for device in self._by_sid.values()}

    def screens(self) -> dict:
        """The hall's own devices as this process knows them: which are online here, and when each was heard."""
        online = {device["name"] for device in self._by_sid.values() if device["role"] != VISITOR}
        return {"online": sorted(online),
                "last_seen": {name: self.last_seen[name] for name in self._screens if name in self.last_seen}}

    def devices(self) -> list[dict]:
        """The device behind each open socket (a device with two tabs open counts twice)."""
        return list(self._by_sid.values())

    def __len__(self) -> int:
        return len(self._by_sid)


class Hall:
    def __init__(self, config, socketio, clock=None, *, place: Place | None = None, queue=None, relay_key=None):
        """`place`: this process's place in a hall of several (hub/scale); `queue` the message queue between
        them (hub/scale/queue.py), `relay_key` what their writes to the writer carry."""
        self.config = config
        self.socketio = socketio
        self.clock = clock or (lambda: datetime.now(config.timezone))
        self.place = place or Place()
        self.queue = queue
        self.store = Store(config.db_path, follow=partial(alerts.follow,
                                                    default_threshold=config.low_stock_threshold),
                           owner=self.place.writer)
        self.connections = Connections(self.clock)
        fanout.install(socketio.server)
        self.doorman = Doorman(socketio.server, seconds=config.trust["unauthenticated_seconds"])
        self.pairing_throttle = Throttle(config.trust["pairing_tries_per_minute"])
        self.fanout = fanout.Fanout(socketio.server)
        self.broadcaster = Broadcaster(self.store, self.fanout.emit, on_event=self._react)
        self._deliveries = Queue()
        self._handed_on = 0  # the newest seq this hub committed and queued for delivery
        self.health = Health(self)
        self.metrics = Metrics(self)
        # Built now so a printer misconfigured in hall.toml stops the hub at start, not at the first sale.
        self.printers = {name: PrintWorker(self, name, settings) for name, settings in config.printers.items()}
        self.ticket_key = tickets.load_or_create_key(config.data_dir / "ticket-signing-key.pem")
        self.ticket_public_key = self.ticket_key.public_key()
        # Visitors' phones (rules/visitors.py, wire/watchers.py): their session key, limits, pace and what each
        # phone watches; the public reads' versions, kept from the events delivered.
        self.visitor_secret = visitors.load_or_create_secret(config.data_dir / "visitor-session-key")
        # Only the writer process writes the file; a serving process's writes are done there (hub/scale/relay.py).
        # The secrets cross that link by name: each side has them from the same files.
        shared = {"ticket_key": self.ticket_key, "ticket_public_key": self.ticket_public_key,
                  "visitor_secret": self.visitor_secret}
        self.relay = None
        if self.place.writer:
            self.writer = Writer(self.store, self.clock, on_commit=self._hand_on,
                                 on_fault=self.health.storage_changed, on_batch=self.metrics.batch)
            if self.place.several:
                self.relay = RelayServer(self, self.place.relay_port, relay_key, shared)
        else:
            self.writer = RelayWriter(self.place.relay_port, relay_key, shared, self.clock)
        # Which devices every process of the hall holds (one process: its own connections).
        self.presence = Presence(self.place.index, self.connections.screens, queue)
        if queue is not None:
            queue.on_rows = self._take_rows
        self.visitor_limits = visitors.VisitorLimits.from_settings(config.visitor)
        self.session_throttle = Throttle(config.visitor["sessions_per_address_per_minute"])
        self.visitor_pace = TokenBuckets(config.visitor["commands_per_minute"])
        self.watchers = Coalescer(config.visitor["push_interval_ms"] / 1000)
        self._watchers_due = Signal()
        self.public_versions = {"catalog": 0, "program": 0}  # read at start(), after the first loads
        self.public_cache: dict[str, tuple[int, bytes]] = {}
        # Read and checked now, so a mistake in the layout stops the hub at start with every problem named.
        self.hall_plan = self._read_hall_plan()
        self.started_at = self.clock()
        # Sent with every sync: a device that knew another record offers its kept work again (rules/records.py).
        if self.place.writer:
            self.record, _ = self.store.run(records.identity, now=self.clock())
        else:
            self.record = records.known(self.store.read_db)
        # Set by stop(): commands from then on are refused with `restarting`, nothing new is written.
        self.stopping = False
        self.in_flight = 0
        # Set at a shift close: a copy of the record is made at once rather than at the next tick.
        self.backup_due = Signal()
        self.last_backup: dict | None = None

    def printer_for(self, device_name: str) -> str | None:
        """The printer assigned to a station in hall.toml, if any."""
        printer = self.config.stations.get(device_name)
        return printer if printer in self.printers else None

    def write(self, fn, *args, **kwargs):
        """Commit one domain change and queue its events for delivery; returns (result, event rows).

        The caller is answered as soon as the change is durable: pushing the events to
        hundreds of screens happens in the delivery greenlet, in seq order, not in the ack's path.
        """
        return self.writer.submit(fn, *args, **kwargs)

    def _hand_on(self, rows: list[dict]) -> None:
        self._handed_on = max(self._handed_on, rows[-1]["seq"])
        self._deliveries.put(rows)

    def _take_rows(self, rows: list[dict]) -> None:
        """Rows the writer process committed, from the message queue: delivered here as this hub's own are."""
        if rows:
            self._hand_on(rows)

    def _deliver(self) -> None:
        # One greenlet delivers everything, so events go out in seq order whoever committed them.
        while True:
            rounds = [self._deliveries.get()]
            # Everything committed meanwhile (a group commit wakes many callers at once)
            # goes out in the same round: one send per screen instead of one per event.
            while len(rounds) < DELIVERY_ROUND and not self._deliveries.empty():
                rounds.append(self._deliveries.get_nowait())
            if self.queue is not None and self.place.writer:
                self._publish([row for rows in rounds if rows is not None for row in rows])
            with self.fanout.corked():
                for rows in rounds:
                    try:
                        if rows is None:
                            self.broadcaster.catch_up()
                        else:
                            self.broadcaster.publish(rows)
                    except Exception:
                        log.exception("delivering events failed")
            if self.watchers.next_due() is not None:
                self._watchers_due.set()  # the phones' first news after a quiet interval goes at once

    def _publish(self, rows: list[dict]) -> None:
        """The writer tells the other processes first (they work on it while it delivers to its own screens).
        A Redis that is down loses the message, never the events: the others read them from the file."""
        if rows:
            try:
                self.queue.publish_rows(rows)
            except Exception:
                log.exception("publishing events to the other processes failed")

    def _flush_watchers(self) -> None:
        # One greenlet for every phone: it sleeps until the earliest merged push is due, or a delivery round
        # brought news. A best seller may be on thousands of phones: their pushes go a chunk at a time, with
        # a switch between, so the tills' acks are not held behind all of them.
        while True:
            due = self.watchers.next_due()
            self._watchers_due.wait(None if due is None else max(0.0, due - time.monotonic()))
            self._watchers_due.clear()
            try:
                ready = self.watchers.ready(time.monotonic())
                for start in range(0, len(ready), PUSH_CHUNK):
                    chunk = ready[start:start + PUSH_CHUNK]
                    if start:
                        gevent.sleep(0)
                        self.watchers.sent((sid for sid, _ in chunk), time.monotonic())
                    self.fanout.emit_each("changes", chunk)
            except Exception:
                log.exception("pushing watched changes failed")

    def snapshot(self, read):
        """(head seq, read(db)) from one consistent view of the file."""
        db = self.store.read_db
        db.execute("BEGIN")
        try:
            return self.store.head(), read(db)
        finally:
            db.execute("COMMIT")

    def snapshot_aside(self, read):
        """snapshot, in a thread of gevent's pool on a connection of its own: for reads that take a good part of
        a second on a peak day's books (the day report), which would otherwise stall every screen's acks."""
        return gevent.get_hub().threadpool.apply(self.store.read_aside, (read,))

    def load_catalog_if_empty(self) -> dict | None:
        if self.store.read_db.execute("SELECT count(*) FROM products").fetchone()[0]:
            return None
        path = Path(self.config.catalog_path)
        products = catalog.parse_catalog(path.read_text(encoding="utf-8"), image_files=self.image_files())
        result, _ = self.store.run(catalog.load_catalog, products, source=path.name, now=self.clock())
        return result

    def _read_hall_plan(self) -> dict | None:
        """The hall plan as screens draw it, or None when the hall has no layout file."""
        path = self.config.hall_plan_path
        if path is None or not Path(path).exists():
            return None
        return hall_plan.drawing(hall_plan.parse_plan(Path(path).read_text(encoding="utf-8")))

    @property
    def images_dir(self) -> Path:
        """The products' pictures live beside the catalog, in images/."""
        return Path(self.config.catalog_path).parent / "images"

    def image_files(self) -> frozenset:
        """What the images folder holds, as a catalog's `image` cells name it."""
        folder = self.images_dir
        if not folder.is_dir():
            return frozenset()
        return frozenset(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())

    def load_demos_if_empty(self) -> dict | None:
        """Lay the demo program out from the show's first day, once; then say at start if it is all over."""
        path = Path(self.config.demos_path)
        first_day, _ = self.store.run(demos.show_first_day, configured=self.config.first_day, now=self.clock())
        result = None
        if path.exists() and not self.store.read_db.execute("SELECT count(*) FROM demo_slots").fetchone()[0]:
            rows = demos.parse_program(path.read_text(encoding="utf-8"), self.config.timezone, first_day)
            result, _ = self.store.run(demos.load_program, rows, source=path.name, now=self.clock(),
                                       first_day=first_day)
        self._say_if_program_is_over(first_day)
        return result

    def _say_if_program_is_over(self, first_day) -> None:
        span = demos.program_span(self.store.read_db, now=self.clock())
        laid_out = span["first_day"]
        if laid_out and laid_out != first_day.isoformat():
            log.warning("the demo program was laid out from day 1 = %s, not %s: it is loaded once and stays as "
                        "it is (tickets may be booked); start with a fresh --data folder to lay it out again",
                        laid_out, first_day.isoformat())
        if span["over"]:
            log.warning("the demo program is over: all %d sessions ended by %s (day 1 = %s), so nothing can be "
                        "booked. For a new show, set [show] first_day in hall.toml (or leave it out for today) "
                        "and start with a fresh --data folder", span["sessions"], span["ends_at"][:16],
                        laid_out or "unknown")

    def load_cashiers(self) -> None:
        """Cashiers from hall.toml join the hall; ones staff already changed are left as they are."""
        if self.config.cashiers:
            self.store.run(cashiers.load_from_config, self.config.cashiers, now=self.clock())

    def start(self) -> None:
        self.broadcaster.last_seq = self.store.head()
        # From here on the delivered events keep them (_react); what was loaded before start is read once.
        self.public_versions = {"catalog": visitors.version(self.store.read_db, visitors.CATALOG_EVENTS),
                                "program": visitors.version(self.store.read_db, visitors.PROGRAM_EVENTS)}
        gevent.spawn(self._deliver)
        gevent.spawn(self._follow_log)
        gevent.spawn(self.doorman.watch)
        gevent.spawn(self._flush_watchers)
        if self.queue is not None:
            # Listen from the start, not from the first screen's connect (python-socketio's own moment): the
            # writer's events must reach this process's delivery even before any screen of its own arrives.
            server = self.socketio.server
            if not server.manager_initialized:
                server.manager_initialized = True
                server.manager.initialize()
            gevent.spawn(self.presence.tell_forever)
        self.health.start()
        if not self.place.writer:
            return  # the timers that write, the printers and the copies are the writer process's alone
        if self.relay is not None:
            self.relay.start()
        gevent.spawn(self._sweep_holds)
        gevent.spawn(self._watch_terminals)
        for worker in self.printers.values():
            worker.start()
        if self.config.backup and self.config.backup["folder"]:
            gevent.spawn(self._back_up)

    def _back_up(self) -> None:
        """A copy every [backup] every_minutes, and one at each shift close, to [backup] folder."""
        settings = self.config.backup
        while not self.stopping:
            self.backup_due.wait(settings["every_seconds"])
            self.backup_due.clear()
            if not self.stopping:
                self.back_up_now()

    def back_up_now(self) -> dict:
        """Make one copy in a real thread (a copy of a big file must not stall the screens); says how it went."""
        settings = self.config.backup
        try:
            made = gevent.get_hub().threadpool.apply(backup.make, (self.config.data_dir, settings["folder"]),
                                                     {"now": self.clock(), "keep": settings["keep"]})
            self.last_backup = {"ok": True, "copy": made.name, "at": self.clock().isoformat(timespec="seconds")}
            log.info("backed up to %s", made)
        except (OSError, sqlite3.Error, backup.BackupError) as failed:
            # A USB stick pulled or full: the hall goes on; the next tick tries again.
            self.last_backup = {"ok": False, "error": str(failed), "at": self.clock().isoformat(timespec="seconds")}
            log.warning("backup to %s failed: %s", settings["folder"], failed)
        return self.last_backup

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """The clean stop: refuse new commands, finish the writes and print jobs in flight, tell every screen
        the hub is restarting, then close the file. Queued print jobs stay queued in the file for the next
        start; a job cut off while sending would be sent again whole, so each is let finish."""
        self.stopping = True
        self.backup_due.set()  # the timer ends; a copy being made finishes on its own connection
        deadline = time.monotonic() + timeout
        # Its own screens only: in a hall of several processes the others go on serving theirs.
        self.socketio.server.emit("restarting", {"at": self.clock().isoformat(timespec="seconds")}, namespace="/",
                                  ignore_queue=True)
        while (self.in_flight or self.writer.state()["queue"]) and time.monotonic() < deadline:
            gevent.sleep(0.02)
        for worker in self.printers.values():
            worker.stop(max(0.0, deadline - time.monotonic()))
        while not self._deliveries.empty() and time.monotonic() < deadline:
            gevent.sleep(0.02)  # acks and events of the last writes go out before the sockets close
        for sid in list(self.connections.sids()):
            self.socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
        if self.relay is not None:
            self.relay.stop()
        self.writer.close()
        self.store.close()
        log.info("stopped cleanly at seq %d", self._handed_on)

    def _react(self, row: dict) -> None:
        self.watchers.feed(row, time.monotonic())
        if row["type"] in MINE:
            self._tell_owner(row)
        for name, types in (("catalog", visitors.CATALOG_EVENTS), ("program", visitors.PROGRAM_EVENTS)):
            if row["type"] in types:
                self.public_versions[name] = row["seq"]
        if row["type"] == "visitor.revoked":
            for sid in self.connections.sids_of(row["data"]["visitor"]):
                self.socketio.server.disconnect(sid, namespace="/")
        elif row["type"] == "shift.closed" and self.config.backup and self.config.backup["at_shift_close"]:
            self.backup_due.set()
        elif row["type"] == "print.queued" and row["data"]["printer"] in self.printers:
            self.printers[row["data"]["printer"]].wake.set()
        elif row["type"] == "device.revoked":
            for sid in self.connections.sids_of(row["data"]["name"]):
                self.socketio.server.disconnect(sid, namespace="/")

    def _tell_owner(self, row: dict) -> None:
        """A phone hears the news of its own orders and tickets, in its own room, whatever it watches."""
        owner = visitors.owner_of(self.store.read_db, row)
        if owner is not None and self.connections.sids_of(owner):
            self.fanout.emit("mine", {"seq": row["seq"], "type": row["type"], "data": row["data"]},
                             to=[f"visitor:{owner}"])

    def _watch_terminals(self) -> None:
        silent_after = self.config.silent_terminal_seconds
        every = min(WATCH_SECONDS, max(0.25, silent_after / 4))
        # One alert per silence: a device's silence is known by when it was last heard, so an alert staff
        # acknowledged stays acknowledged until the device comes back and goes quiet again.
        reported: dict[str, str] = {}
        while True:
            gevent.sleep(every)
            try:
                now = self.clock()
                online, last_seen = self.presence.everywhere()
                watched = {row[0] for row in self.store.read_db.execute(
                    "SELECT name FROM devices WHERE role IN ('pos', 'kiosk', 'scanner') AND revoked_at IS NULL")}
                for name, seen in last_seen.items():
                    silent = (now - datetime.fromisoformat(seen)).total_seconds()
                    if (name in watched and name not in online and silent >= silent_after
                            and reported.get(name) != seen):
                        self.write(alerts.raise_alert, "terminal_silent", name,
                                   f"{name} has not been heard since {seen[11:16]}",
                                   {"device": name, "last_seen": seen})
                        reported[name] = seen
            except Exception as failed:
                _log_failure("watching terminals failed", failed)

    def _follow_log(self) -> None:
        while True:
            gevent.sleep(LOG_POLL_SECONDS)
            try:
                # Only what another process wrote: this hub's own commits are on their way
                # already, and reading them back from the log under load was wasted work.
                if self.store.head() > max(self.broadcaster.last_seq, self._handed_on):
                    self._deliveries.put(None)
            except Exception:
                log.exception("following the event log failed")

    def _sweep_holds(self) -> None:
        while True:
            gevent.sleep(SWEEP_SECONDS)
            try:
                stamp = self.clock().isoformat(timespec="milliseconds")
                due = self.store.read_db.execute(
                    "SELECT 1 FROM holds WHERE status = 'active' AND expires_at <= ? LIMIT 1", [stamp]
                ).fetchone()
                if due:
                    self.write(inventory.expire_holds)
                release = self.config.demos["release_minutes"]
                cutoff = (self.clock() - timedelta(minutes=release)).isoformat(timespec="minutes")
                if self.store.read_db.execute("SELECT 1 FROM demo_slots WHERE released_at IS NULL"
                                              " AND starts_at <= ? LIMIT 1", [cutoff]).fetchone():
                    self.write(demos.release_no_shows, release_minutes=release)
            except Exception as failed:
                _log_failure("releasing expired holds failed", failed)

    def pair(self, code, *, address: str):
        """Redeem a pairing code; an address that sends too many wrong ones waits, and staff are told once."""
        wait = self.pairing_throttle.wait(address)
        if wait:
            raise HallError("slow_down", "too many wrong pairing codes from this address; wait a minute",
                            retry_after=round(wait))
        try:
            result, _ = self.write(devices.redeem_pairing, code)
        except HallError as refused:
            if refused.code in ("invalid", "unknown_code", "code_used", "code_expired") and \
                    self.pairing_throttle.failed(address):
                self.write(alerts.raise_alert, "pairing_guesses", address,
                           f"wrong pairing codes from {address}: it must wait", {"address": address})
            raise
        return result


def _log_failure(what: str, failed: Exception) -> None:
    """A disk that takes no writes is said in a line (health and staff already know), anything else in full."""
    if isinstance(failed, HallError) and failed.code == "storage_unavailable":
        log.warning("%s: %s", what, failed.message)
    else:
        log.exception(what)
