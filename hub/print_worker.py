"""One worker per printer: sends its queued jobs in order, retries with backoff,
and reports the printer's state. A job is marked printed only after every
byte was handed over; until then it stays queued, across hub restarts too.
"""
import logging
from datetime import datetime
from pathlib import Path

import gevent
from gevent.event import Event

from printers.escpos_render import render_escpos
from printers.png_render import png_bytes
from printers.profile import PrinterProfile
from printers.transports import PrinterError, make_transport, send_job, status

from .errors import HallError
from .rules import printing

log = logging.getLogger(__name__)

IDLE_SECONDS = 5.0
# A status the printer reports that means "do not send now".
NOT_READY = ("paper_out", "offline")


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

    def start(self) -> None:
        self._greenlet = gevent.spawn(self._run)

    def _run(self) -> None:
        while True:
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
            # A newly queued job must not overtake the failing one, so only time ends this wait.
            gevent.sleep(min(wait, IDLE_SECONDS))
            return
        self._print(job)

    def _print(self, job: dict) -> None:
        try:
            state = self._ready()
            if state in NOT_READY:
                self._set_status(state)
                self.hall.write(printing.mark_failed, job["job_id"], reason=state,
                                message=f"the printer reports {state.replace('_', ' ')}")
                return
            layout = printing.layout_of(job, self.profile.columns)
            data = _in_thread(render_escpos, layout, self.profile)
            if self.transport.keeps_pictures:
                # Files and a picture: real disk work, kept off the event loop.
                delivery = _in_thread(send_job, self.transport, job["job_id"], data, lambda: png_bytes(layout))
            else:
                delivery = send_job(self.transport, job["job_id"], data)
        except PrinterError as failure:
            self._set_status("offline", failure.reason)
            self.hall.write(printing.mark_failed, job["job_id"], reason=failure.reason, message=str(failure))
            return
        except Exception as broken:
            # A job we cannot even render (a missing font, a bad document) must show up on the staff
            # screen, not loop silently in the log.
            log.exception("printer %s could not render %s", self.name, job["job_id"])
            self.hall.write(printing.mark_failed, job["job_id"], reason="render_failed", message=str(broken))
            return
        self.hall.write(printing.mark_printed, job["job_id"], confirmed=delivery.confirmed)
        self._set_status(state if state in ("paper_near_end",) else "online")

    def _ready(self) -> str:
        """The printer's own word on its state, for those that can answer (DLE EOT)."""
        if not self.transport.readable:
            return "online"
        return status(self.transport)

    def _set_status(self, state: str, detail: str = "") -> None:
        self.hall.write(printing.set_printer_status, self.name, state, detail=detail)

    def preview(self, job: dict) -> bytes:
        return png_bytes(printing.layout_of(job, self.profile.columns))


def _in_thread(fn, *args):
    return gevent.get_hub().threadpool.apply(fn, args)
