"""The durable print spool: jobs are rows in the hall's file, written in the same
transaction as the sale or order that caused them, so no receipt is lost to a
crash or a dead printer and none is queued twice by a retried sale.

A job keeps the document's data, not its bytes: it is rendered when it is sent,
for the printer it is sent to. Functions here take an open SQLite connection
inside the caller's transaction and return (result, job events). The spool
knows nothing of the hub: the hub turns JobEvent into its own events and
SpoolError into its own refusals (hub/rules/printing.py).
"""
import json
from dataclasses import dataclass
from datetime import timedelta

from . import documents
from .layout import Layout

KINDS = ("receipt", "order_slip", "demo_ticket", "shift_report", "day_report")
# Waits between tries of a failing job: quick at first (a cable knocked out),
# then every half minute so a printer left off does not flood the log.
BACKOFF_SECONDS = (1, 2, 5, 10, 30)


class SpoolError(Exception):
    """A refused spool request: `code` is stable snake_case (unknown_job, unknown_receipt)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class JobEvent:
    """Something that happened to a job or a printer, for the caller's event log."""
    type: str
    data: dict


def backoff(attempts: int) -> int:
    return BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]


def _stamp(now) -> str:
    return now.isoformat(timespec="milliseconds")


def enqueue(db, *, printer: str, kind: str, ref: str, document: dict, now,
            reprint_of: str | None = None) -> JobEvent:
    """Queue a job for `printer`; returns the print.queued event to go with the change that caused it."""
    if kind not in KINDS:
        raise ValueError(f"unknown print job kind {kind!r}")
    cursor = db.execute(
        "INSERT INTO print_jobs (printer, kind, ref, document, reprint_of, state, attempts, created_at,"
        " next_try_at) VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?)",
        [printer, kind, ref, json.dumps(document, ensure_ascii=False), reprint_of, _stamp(now), _stamp(now)],
    )
    job_id = job_name(cursor.lastrowid)
    return JobEvent("print.queued", {"job_id": job_id, "printer": printer, "kind": kind, "ref": ref,
                                  "reprint": reprint_of is not None})


def job_name(number: int) -> str:
    return f"job-{number:07d}"


def _number(job_id: str) -> int:
    if not isinstance(job_id, str) or not job_id.startswith("job-") or not job_id[4:].isdigit():
        raise SpoolError("unknown_job", f"no print job {job_id!r}")
    return int(job_id[4:])


JOB_FIELDS = ("job_no", "printer", "kind", "ref", "document", "reprint_of", "state", "attempts",
              "last_error", "created_at", "next_try_at", "printed_at", "confirmed")


def _job(row) -> dict:
    job = dict(zip(JOB_FIELDS, row))
    job["job_id"] = job_name(job.pop("job_no"))
    job["document"] = json.loads(job["document"])
    return job


def get_job(db, job_id: str) -> dict:
    row = db.execute(f"SELECT {', '.join(JOB_FIELDS)} FROM print_jobs WHERE job_no = ?", [_number(job_id)]).fetchone()
    if row is None:
        raise SpoolError("unknown_job", f"no print job {job_id}")
    return _job(row)


def head_of_queue(db, printer: str) -> dict | None:
    """The oldest unprinted job of a printer. Jobs go out strictly in order, so
    a failing job holds the ones behind it rather than being overtaken."""
    row = db.execute(
        f"SELECT {', '.join(JOB_FIELDS)} FROM print_jobs WHERE printer = ? AND state = 'queued'"
        " ORDER BY job_no LIMIT 1", [printer]).fetchone()
    return None if row is None else _job(row)


def queue(db, printer: str | None = None, limit: int = 200) -> list[dict]:
    """Recent jobs, newest first, for the staff screen."""
    sql = f"SELECT {', '.join(JOB_FIELDS)} FROM print_jobs"
    params: list = []
    if printer:
        sql += " WHERE printer = ?"
        params.append(printer)
    sql += " ORDER BY job_no DESC LIMIT ?"
    params.append(limit)
    jobs = [_job(row) for row in db.execute(sql, params).fetchall()]
    for job in jobs:
        del job["document"]
    return jobs


def mark_sending(db, job_id: str, *, now):
    """Count a try before its first byte leaves, in its own commit: a hub killed after the printer took the job
    but before `mark_printed` sends it again on restart, and the record then shows two tries for the two copies
    rather than one try and an unexplained second receipt."""
    db.execute("UPDATE print_jobs SET attempts = attempts + 1 WHERE job_no = ? AND state = 'queued'",
               [_number(job_id)])
    return {"job_id": job_id}, []


def mark_printed(db, job_id: str, *, confirmed: bool, now):
    """Record that every byte of the job reached the printer (its try was counted by `mark_sending`)."""
    job = get_job(db, job_id)
    if job["state"] == "printed":
        return {"job_id": job_id, "state": "printed"}, []
    db.execute("UPDATE print_jobs SET state = 'printed', printed_at = ?, confirmed = ?,"
               " attempts = max(attempts, 1), last_error = NULL WHERE job_no = ?",
               [_stamp(now), int(confirmed), _number(job_id)])
    printed = JobEvent("print.printed", {"job_id": job_id, "printer": job["printer"], "kind": job["kind"],
                                      "ref": job["ref"], "confirmed": confirmed, "attempts": max(job["attempts"], 1)})
    return {"job_id": job_id, "state": "printed"}, [printed]


def mark_failed(db, job_id: str, *, reason: str, message: str, now, counted: bool = False):
    """Record a failed try; the job stays queued and is tried again after a backoff. `counted`: the try was
    already counted by `mark_sending` (bytes had started to go)."""
    job = get_job(db, job_id)
    attempts = job["attempts"] if counted else job["attempts"] + 1
    retry_at = _stamp(now + timedelta(seconds=backoff(attempts)))
    db.execute("UPDATE print_jobs SET attempts = ?, last_error = ?, next_try_at = ? WHERE job_no = ?",
               [attempts, f"{reason}: {message}", retry_at, _number(job_id)])
    failed = JobEvent("print.failed", {"job_id": job_id, "printer": job["printer"], "kind": job["kind"],
                                    "ref": job["ref"], "reason": reason, "message": message,
                                    "attempts": attempts, "retry_at": retry_at})
    return {"job_id": job_id, "attempts": attempts, "retry_at": retry_at}, [failed]


def set_printer_status(db, printer: str, status: str, *, detail: str = "", now):
    """Remember a printer's state; an event only when it changes, so staff see changes, not polls."""
    row = db.execute("SELECT status FROM printer_states WHERE printer = ?", [printer]).fetchone()
    if row is not None and row[0] == status:
        return {"printer": printer, "status": status}, []
    db.execute("INSERT INTO printer_states (printer, status, detail, changed_at) VALUES (?, ?, ?, ?)"
               " ON CONFLICT(printer) DO UPDATE SET status = excluded.status, detail = excluded.detail,"
               " changed_at = excluded.changed_at", [printer, status, detail, _stamp(now)])
    changed = JobEvent("printer.status", {"printer": printer, "status": status, "detail": detail})
    return {"printer": printer, "status": status}, [changed]


def reprint(db, request: dict, *, printer: str | None, now):
    """A new job, marked as a reprint, of the latest job for a receipt number or of a given job."""
    if request.get("job_id"):
        original = get_job(db, request["job_id"])
    else:
        row = db.execute(
            f"SELECT {', '.join(JOB_FIELDS)} FROM print_jobs WHERE kind = 'receipt' AND ref = ?"
            " AND reprint_of IS NULL ORDER BY job_no DESC LIMIT 1", [request["receipt_no"]]).fetchone()
        if row is None:
            raise SpoolError("unknown_receipt", f"no receipt {request['receipt_no']} was printed in this hall")
        original = _job(row)
    document = {**original["document"], "reprint": True}
    queued = enqueue(db, printer=printer or original["printer"], kind=original["kind"], ref=original["ref"],
                     document=document, now=now, reprint_of=original["job_id"])
    return {"job_id": queued.data["job_id"], "printer": queued.data["printer"]}, [queued]


def layout_of(job: dict, columns: int) -> Layout:
    """The job's document laid out for a printer with `columns` columns."""
    doc = job["document"]
    if job["kind"] == "receipt":
        return documents.receipt(doc["hall"], doc["sale"], reprint=bool(doc.get("reprint")),
                                 refund=bool(doc.get("refund")), columns=columns)
    if job["kind"] == "order_slip":
        return documents.order_slip(doc["hall"], doc["hold"], columns=columns)
    if job["kind"] == "demo_ticket":
        return documents.demo_ticket(doc["hall"], doc["ticket"], columns=columns)
    if job["kind"] == "day_report":
        return documents.day_report(doc["hall"], doc["report"], columns=columns)
    return documents.shift_report(doc["hall"], doc["report"], columns=columns)
