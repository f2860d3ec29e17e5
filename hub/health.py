"""What the hall depends on, told plainly: the writer, the disk, each printer's queue and the event log, summed
up as `ok`, `degraded` or `failing` with the reasons. /api/health answers with it and staff screens hear it
(the `health` push) whenever it changes.

When the data folder stops taking writes (a full disk, a read-only one, an I/O error) staff must hear it, yet
an alert cannot be written then: it is kept in memory, shown to staff from there, and written once the disk
takes writes again. A disk that runs low (hall.toml `[storage] warn_free_mb`) raises its alert before that.
"""
import logging
import os
import shutil
import sqlite3
from datetime import datetime

import gevent
from gevent.event import Event as Wake

from .errors import HallError
from .rules import alerts, printing
from .store.database import STORAGE_MESSAGES

log = logging.getLogger(__name__)

# How often the disk is looked at, an alert kept in memory is tried again, and staff hear a change.
WATCH_SECONDS = 2.0
SEVERITY = {"ok": 0, "degraded": 1, "failing": 2}
# A writer fault's reason, as the reason code health gives it.
FAULT_CODES = {"full": "storage_full", "read_only": "storage_read_only", "io_error": "storage_io_error"}
PRINTER_DOWN = ("offline", "paper_out")
# STORAGE_MESSAGES, told once it is over.
STORAGE_WAS = {"full": "the hub's disk was full", "read_only": "the hub's data folder was read-only",
               "io_error": "the hub's disk reported I/O errors"}
MB = 1_000_000


def _reason(code: str, status: str, message: str, **details) -> dict:
    return {"code": code, "status": status, "message": message, **details}


class Health:
    def __init__(self, hall):
        self.hall = hall
        self.unwritten: list[dict] = []  # alerts raised while nothing could be written, oldest first
        self._disk_low_told = False
        self._told = None  # what staff screens last heard, to push only changes
        self._wake = Wake()

    def start(self) -> None:
        gevent.spawn(self._watch)

    # --- the writer's word ------------------------------------------------

    def storage_changed(self, ended: dict | None, fault: dict | None) -> None:
        """The writer's hook: the file stopped taking writes (`fault`) or takes them again (`ended`)."""
        if fault is not None and not any(a["kind"] == "storage" for a in self.unwritten):
            since = fault["since"]
            self.unwritten.append({
                "alert_id": None, "kind": "storage", "subject": "data",
                "message": f"{STORAGE_MESSAGES[fault['reason']]} since {since[11:19]}: nothing can be recorded; "
                           "the screens keep what they send and send it again",
                "data": {"reason": fault["reason"], "since": since, "path": str(self.hall.config.data_dir)},
                "raised_at": since, "acked_at": None, "acked_by": None, "unwritten": True})
        elif fault is None and ended is not None:
            for alert in self.unwritten:
                if alert["kind"] == "storage":
                    alert["data"]["until"] = self.hall.clock().isoformat(timespec="seconds")
        self._wake.set()

    # --- what /api/health and the staff screens are told ------------------

    def report(self) -> dict:
        return self._report(self._writers_word())

    def _writers_word(self) -> dict | None:
        """On a serving process, what only the writer process knows (its disk's refusals and the alerts it keeps
        in memory, its printers' workers, a stuck batch), asked over the relay; None on the writer itself, or
        when the writer does not answer."""
        return None if self.hall.place.writer else self.hall.writer.writers_health()

    def _report(self, word: dict | None) -> dict:
        hall = self.hall
        now = hall.clock()
        writer = hall.writer.state()
        reasons = []
        fault = writer["fault"]
        if fault:
            reasons.append(_reason(FAULT_CODES[fault["reason"]], "degraded",
                                   f"{STORAGE_MESSAGES[fault['reason']]} since {fault['since'][11:19]}: "
                                   "changes are refused and the screens keep them to send again"))
        if writer["stuck"]:
            reasons.append(_reason("writer_stuck", "failing",
                                   f"one write has taken {writer['busy_seconds']:.0f} s; "
                                   f"{writer['queue']} commands wait behind it"))
        relay = writer.get("relay")
        if relay and relay["unreachable_since"]:
            reasons.append(_reason("writer_unreachable", "failing",
                                   f"the writer process has not answered since {relay['unreachable_since'][11:19]}:"
                                   " changes are refused and the screens keep them to send again"))
        disk = self.disk(fault)
        if disk["state"] == "low":
            reasons.append(_reason("disk_low", "degraded",
                                   f"{disk['free_bytes'] // MB} MB free for the hub's data "
                                   f"(warned below {disk['warn_below_bytes'] // MB} MB)"))
        try:
            seq, (printers, last) = hall.snapshot(lambda db: (
                printing.printer_states(db, hall.printers),
                db.execute("SELECT seq, at FROM events ORDER BY seq DESC LIMIT 1").fetchone()))
        except sqlite3.Error as broken:
            seq, printers, last = None, [], None
            reasons.append(_reason("store_unreadable", "failing", f"the hub cannot read its file: {broken}"))
        for printer in printers:
            if printer["status"] in PRINTER_DOWN:
                reasons.append(_reason("printer_down", "degraded",
                                       f"printer {printer['printer']}: {printer['status'].replace('_', ' ')}"
                                       f" ({printer['queued']} jobs wait)", printer=printer["printer"]))
        backup = hall.last_backup
        if backup and not backup["ok"]:
            # A pulled or full USB stick: the hall sells on, but nothing copies its record until it is back.
            reasons.append(_reason("backup_failing", "degraded",
                                   f"the last copy of the record failed at {backup['at'][11:19]}: {backup['error']}"))
        last_event = None
        if last:
            last_event = {"seq": last[0], "at": last[1],
                          "seconds_ago": round((now - datetime.fromisoformat(last[1])).total_seconds(), 1)}
        if word:  # the writer's own word, so a staff screen on any process hears the same hall
            known = {(r["code"], r.get("printer")) for r in reasons}
            reasons += [r for r in word["reasons"] if (r["code"], r.get("printer")) not in known]
        status = max((r["status"] for r in reasons), key=SEVERITY.get, default="ok")
        return {"status": status, "reasons": reasons, "seq": seq, "connections": len(hall.connections),
                "started_at": hall.started_at.isoformat(timespec="seconds"), "delivered": hall.fanout.delivered,
                "tokenless": {"waiting": hall.doorman.waiting, "closed": hall.doorman.closed},
                "phones": {"watching": len(hall.watchers), "pushed": hall.watchers.pushed},
                "writer": writer, "disk": disk, "printers": printers, "last_event": last_event, "backup": backup,
                "process": hall.place.describe(os.getpid()), "delivered_seq": hall.broadcaster.last_seq,
                **({"queue": hall.queue.counts()} if hall.queue is not None else {})}

    def disk(self, fault: dict | None = None) -> dict:
        path = self.hall.config.data_dir
        warn = self.hall.config.warn_free_bytes
        try:
            usage = shutil.disk_usage(path)
        except OSError:
            usage = None
        if fault:
            state = fault["reason"]
        else:
            state = "low" if usage is not None and usage.free < warn else "ok"
        return {"path": str(path), "free_bytes": usage.free if usage else None,
                "total_bytes": usage.total if usage else None, "warn_below_bytes": warn, "state": state}

    def for_staff(self) -> dict:
        """The `health` push: the report, and the alerts not yet written (the writer asked once for both)."""
        word = self._writers_word()
        return {**self._report(word), "unwritten": self._unwritten(word)}

    def unwritten_now(self) -> list[dict]:
        """The alerts kept in memory while the disk takes no writes: the writer process's, wherever asked."""
        return self._unwritten(self._writers_word())

    def _unwritten(self, word: dict | None) -> list[dict]:
        if self.hall.place.writer:
            return [dict(alert) for alert in self.unwritten]
        return word["unwritten"] if word else []

    def tell(self, sid: str | None = None) -> None:
        """Push the hub's health to one staff socket, or to every staff screen of this process when it changed.

        Each process of a hall of several tells its own staff screens (not through Redis): a serving process's
        word holds the writer's reasons and its own, and says so when the writer cannot be reached."""
        told = self.for_staff()
        signature = (told["status"], tuple((r["code"], r.get("printer")) for r in told["reasons"]),
                     len(told["unwritten"]))
        if sid is None and signature == self._told:
            return
        if sid is None:
            self._told = signature
        self.hall.socketio.server.emit("health", told, to=sid or "role:staff", namespace="/", ignore_queue=True)

    # --- the watch --------------------------------------------------------

    def _watch(self) -> None:
        while True:
            self._wake.wait(WATCH_SECONDS)
            self._wake.clear()
            try:
                if self.hall.place.writer:  # the alerts are written by the process that writes
                    self._write_unwritten()
                    self._warn_low_disk()
                self.tell()
            except Exception:
                log.exception("watching the hub's health failed")

    def _write_unwritten(self) -> None:
        """Alerts kept in memory are written as soon as the disk takes them (the first write ends the fault)."""
        while self.unwritten:
            alert = self.unwritten[0]
            data, message = dict(alert["data"]), alert["message"]
            if alert["kind"] == "storage":
                # Written only once the disk takes writes again: the trouble is over by then.
                data.setdefault("until", self.hall.clock().isoformat(timespec="seconds"))
                message = (f"{STORAGE_WAS[data['reason']]} from {data['since'][11:19]} to "
                           f"{data['until'][11:19]}: nothing could be recorded meanwhile; the screens kept what "
                           "they sent and sent it again")
            try:
                self.hall.write(alerts.raise_alert, alert["kind"], alert["subject"], message, data)
            except HallError as refused:
                if refused.code == "storage_unavailable":
                    return  # still no room: try again at the next look
                raise
            self.unwritten.pop(0)

    def _warn_low_disk(self) -> None:
        """One `disk_low` alert each time free space falls under hall.toml's threshold."""
        disk = self.disk(self.hall.writer.fault)
        if disk["free_bytes"] is None:
            return
        if disk["free_bytes"] >= disk["warn_below_bytes"]:
            self._disk_low_told = False
        elif disk["state"] == "low" and not self._disk_low_told:
            free_mb, warn_mb = disk["free_bytes"] // MB, disk["warn_below_bytes"] // MB
            try:
                self.hall.write(alerts.raise_alert, "disk_low", "data",
                                f"only {free_mb} MB free for the hub's data in {disk['path']} (warned below "
                                f"{warn_mb} MB): free some space before sales stop",
                                {"free_mb": free_mb, "warn_mb": warn_mb, "path": disk["path"]})
            except HallError as refused:
                if refused.code != "storage_unavailable":
                    raise
                return
            self._disk_low_told = True
