"""One worker per printer: sends its queued jobs in order, retries with backoff,
and reports the printer's state. A job is marked printed only after every
byte was handed over; until then it stays queued, across hub restarts too.

While a printer is down the worker asks after it every STATUS_POLL_SECONDS and
sends the waiting job as soon as it answers ready: a printer switched back on
prints within about two seconds, not when a 10 or 30 s backoff runs out.
"""
import logging
from datetime import datetime
from pathlib import Path

import gevent
from gevent.event import Event

from printers.escpos_render import render_escpos
from printers.png_render import png_bytes
from printers.profile import PrinterProfile
from printers.transports import REFUSED, UNAVAILABLE, UNREACHABLE, PrinterError, make_transport, probe, send_job

from .errors import HallError
from .rules import printing

log = logging.getLogger(__name__)

IDLE_SECONDS = 5.0
# How often a printer that is down is asked whether it is back (DLE EOT, or opening its device).
STATUS_POLL_SECONDS = 1.5
# A status the printer reports that means "do not send now".
NOT_READY = ("paper_out", "offline")
# Failures that say the printer was not there at all (as opposed to taking part of a job and losing it).
NOT_THERE = (REFUSED, UNREACHABLE, UNAVAILABLE)


def build_transport(name: str, config: dict, data_dir: Path):
    settings = dict(config)
    if settings.get("type", "virtual") == "virtual":
        settings.setdefault("directory", str(data_dir / "prints" / name))
    return make_transport(settings)


class PrintWorker:
    def __init__(self, hall, name: str, config: dict):
        self.hall = hall
        self.name = name
        self.profile = PrinterProfile.from_config(config)
        self.transport = build_transport(name, config, hall.config.data_dir)
        self.wake = Event()
        self._greenlet = None
        # Whether the last contact found the printer absent or not ready. Only a printer seen down and then
        # answering ready cuts a backoff short: one that answers its status but keeps losing jobs (a jam,
        # a bad cable) waits out the backoff, so it is not hammered every poll. True at start: a job left
        # failing by the last run is sent as soon as the printer answers.
        self._down = True
        self._status: tuple[str, str] | None = None
        self._stopping = False

    def start(self) -> None:
        self._greenlet = gevent.spawn(self._run)

    def stop(self, timeout: float) -> None:
        """Stop between jobs: one being sent is let finish (up to `timeout`), so it is not printed twice;
        the rest stay queued in the file for the next start."""
        if self._greenlet is None:
            return
        self._stopping = True
        self.wake.set()
        self._greenlet.join(timeout)
        self._greenlet.kill()

    def _run(self) -> None:
        while not self._stopping:
            try:
                self._step()
            except Exception as failed:
                if isinstance(failed, HallError) and failed.code == "storage_unavailable":
                    # The hub's disk takes no writes: the job stays queued and waits, without a traceback a second.
                    gevent.sleep(IDLE_SECONDS)
                    continue
                log.exception("printer %s worker step failed", self.name)
                gevent.sleep(1)

    def _step(self) -> None:
        self.wake.clear()
        job = printing.head_of_queue(self.hall.store.read_db, self.name)
        if job is None:
            self.wake.wait(IDLE_SECONDS)
            return
        wait = (datetime.fromisoformat(job["next_try_at"]) - self.hall.clock()).total_seconds()
        if wait > 0:
            # A newly queued job must not overtake the failing one, so only time, or the printer
            # coming back, ends this wait.
            gevent.sleep(min(wait, STATUS_POLL_SECONDS))
            if wait > STATUS_POLL_SECONDS:
                state = self._back()
                if state is not None:
                    self._print(job, state)
            return
        self._print(job)

    def _back(self) -> str | None:
        """The printer's state if it was down and now answers ready, else None (and its state recorded)."""
        try:
            state = self._ready()
        except PrinterError as failure:
            self._down = True
            self._set_status("offline", failure.reason)
            return None
        if state in NOT_READY:
            self._down = True
            self._set_status(state)
            return None
        return state if self._down else None

    def _print(self, job: dict, state: str | None = None) -> None:
        try:
            if state is None:
                state = self._ready()
        except PrinterError as failure:
            self._down = True
            self._set_status("offline", failure.reason)
            self.hall.write(printing.mark_failed, job["job_id"], reason=failure.reason, message=str(failure))
            return
        if state in NOT_READY:
            self._down = True
            self._set_status(state)
            self.hall.write(printing.mark_failed, job["job_id"], reason=state,
                            message=f"the printer reports {state.replace('_', ' ')}")
            return
        self._down = False
        try:
            layout = printing.layout_of(job, self.profile.columns)
            data = _in_thread(render_escpos, layout, self.profile)
        except Exception as broken:
            self._unprintable(job, broken, counted=False)
            return
        self.hall.write(printing.mark_sending, job["job_id"])
        try:
            if self.transport.keeps_pictures:
                # Files and a picture: real disk work, kept off the event loop.
                delivery = _in_thread(send_job, self.transport, job["job_id"], data, lambda: png_bytes(layout))
            else:
                delivery = send_job(self.transport, job["job_id"], data)
        except PrinterError as failure:
            self._down = failure.reason in NOT_THERE
            self._set_status("offline", failure.reason)
            self.hall.write(printing.mark_failed, job["job_id"], reason=failure.reason, message=str(failure),
                            counted=True)
            return
        except Exception as broken:
            self._unprintable(job, broken, counted=True)
            return
        self.hall.write(printing.mark_printed, job["job_id"], confirmed=delivery.confirmed)
        self._set_status(state if state in ("paper_near_end",) else "online")

    def _unprintable(self, job: dict, broken: Exception, *, counted: bool) -> None:
        # A job we cannot even lay out (a missing font, a bad document) must show up on the staff
        # screen, not loop silently in the log.
        log.exception("printer %s could not render %s", self.name, job["job_id"])
        self.hall.write(printing.mark_failed, job["job_id"], reason="render_failed", message=str(broken),
                        counted=counted)

    def _ready(self) -> str:
        """The printer's own word on its state (DLE EOT), or "unknown" from one that can only be opened;
        raises PrinterError when it cannot be reached."""
        return probe(self.transport)

    def _set_status(self, state: str, detail: str = "") -> None:
        # Asked every poll while the printer is down: only a change is worth a write.
        if self._status != (state, detail):
            self.hall.write(printing.set_printer_status, self.name, state, detail=detail)
            self._status = (state, detail)

    def preview(self, job: dict) -> bytes:
        return png_bytes(printing.layout_of(job, self.profile.columns))


def _in_thread(fn, *args):
    return gevent.get_hub().threadpool.apply(fn, args)
