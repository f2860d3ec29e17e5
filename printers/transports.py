"""Ways to reach a printer; each knows only open, write, read and close, never a layout.

The spool prints a job with `send_job(transport, job_id, data, picture)`; `picture` (PNG bytes,
or a callable making them) is only used by transports that keep pictures (the virtual printer),
so the costly PNG render can be skipped for real printers.
"""
from __future__ import annotations

import inspect
import os
import re
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Union

from .profile import PROFILE_KEYS

# Stable reason codes carried by PrinterError.
REFUSED = "refused"  # nothing listens: printer off or wrong address
TIMEOUT = "timeout"  # no answer, or the printer stopped taking bytes
DROPPED = "dropped"  # the connection was lost before the printer had the whole job
UNREACHABLE = "unreachable"  # no route to the address, or the name does not resolve
UNAVAILABLE = "unavailable"  # a local device (USB, serial, file) cannot be opened

DLE_EOT = b"\x10\x04"
STATUS_PRINTER = 1  # DLE EOT 1: printer status (bit 3 = offline)
STATUS_PAPER = 4  # DLE EOT 4: roll paper sensor (bits 2,3 = near end; bits 5,6 = out)
STATUSES = ("online", "paper_near_end", "paper_out", "offline", "unknown")

Picture = Union[bytes, Callable[[], bytes], None]


class PrinterError(Exception):
    """A printer could not be reached or lost the job; `reason` is a stable code."""

    def __init__(self, reason: str, message: str, *, sent: int = 0):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.sent = sent


class Transport:
    """The interface every transport implements."""

    readable = False  # read() can return the printer's replies (DLE EOT)
    keeps_pictures = False  # write_picture() stores the job's PNG

    def open(self, job_id: str) -> None:
        """Start job `job_id`: connect or open the device."""
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        """Send bytes of the open job; raises PrinterError."""
        raise NotImplementedError

    def read(self, size: int = 1) -> bytes:
        """Read up to `size` reply bytes; raises PrinterError(timeout) when none come."""
        raise PrinterError(UNAVAILABLE, f"{type(self).__name__} cannot read replies")

    def write_picture(self, png: bytes) -> None:
        """Keep the job's picture (only transports with keeps_pictures do anything)."""

    def close(self) -> None:
        """Finish the job; never raises."""


@dataclass(frozen=True)
class Delivery:
    """A job handed to the printer; `confirmed` when it answered after the last byte."""

    job_id: str
    sent: int
    confirmed: bool


def send_job(transport: Transport, job_id: str, data: bytes, picture: Picture = None, *, confirm: bool = True) -> Delivery:
    """Print one job: open, write the bytes (and picture), confirm by a status query, close."""
    transport.open(job_id)
    try:
        transport.write(data)
        if transport.keeps_pictures and picture is not None:
            transport.write_picture(picture() if callable(picture) else picture)
        confirmed = False
        if confirm and transport.readable:
            # TCP takes bytes into a local buffer long before the printer has them. The printer
            # answers DLE EOT in stream order, so a reply proves it received the whole job.
            confirmed = _query(transport, STATUS_PRINTER) is not None
    finally:
        transport.close()
    return Delivery(job_id, len(data), confirmed)


def _query(transport: Transport, n: int) -> int | None:
    """One DLE EOT n reply byte, or None when the printer does not answer in time."""
    transport.write(DLE_EOT + bytes((n,)))
    try:
        reply = transport.read(1)
    except PrinterError as err:
        if err.reason == TIMEOUT:
            return None
        raise
    return reply[-1] if reply else None


def parse_status(printer: int | None, paper: int | None) -> str:
    """online / paper_near_end / paper_out / offline / unknown from DLE EOT 1 and 4 replies."""

    def valid(byte: int | None) -> bool:
        # Real-time status bytes always have bits 1 and 4 set and bits 0 and 7 clear.
        return byte is not None and byte & 0x93 == 0x12

    if not valid(printer):
        return "unknown"
    if valid(paper) and paper & 0x60:
        return "paper_out"
    if printer & 0x08:
        return "offline"
    if valid(paper) and paper & 0x0C:
        return "paper_near_end"
    return "online"


def status(transport: Transport) -> str:
    """Ask the printer (DLE EOT 1 and 4) how it is; raises PrinterError if it cannot be reached."""
    fixed = getattr(transport, "fixed_status", None)
    if fixed:
        return fixed
    if not transport.readable:
        return "unknown"
    transport.open("status")
    try:
        printer = _query(transport, STATUS_PRINTER)
        paper = _query(transport, STATUS_PAPER) if printer is not None else None
    finally:
        transport.close()
    return parse_status(printer, paper)


def probe(transport: Transport) -> str:
    """Is the printer there, without printing anything: its own status when it can answer (DLE EOT),
    "unknown" when it can only be opened (a device file); raises PrinterError when it cannot be reached.

    What a print worker asks every second or two while a printer is failing, so the queue resumes as
    soon as the printer is back instead of when its retry backoff happens to run out."""
    if getattr(transport, "fixed_status", None) or transport.readable:
        return status(transport)
    transport.open("probe")
    transport.close()
    return "unknown"


class NetworkTransport(Transport):
    """Raw TCP to the printer's port 9100."""

    readable = True
    chunk = 4096

    def __init__(self, host: str, port: int = 9100, connect_timeout: float = 3.0,
                 send_timeout: float = 10.0, read_timeout: float = 2.0):
        self.host, self.port = host, int(port)
        self.connect_timeout, self.send_timeout, self.read_timeout = connect_timeout, send_timeout, read_timeout
        self._sock: socket.socket | None = None
        self.sent = 0

    def __repr__(self) -> str:
        return f"NetworkTransport({self.host}:{self.port})"

    def open(self, job_id: str = "") -> None:
        """Connect; refused, timeout or unreachable on failure."""
        self.close()
        self.sent = 0
        where = f"{self.host}:{self.port}"
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except ConnectionRefusedError as err:
            raise PrinterError(REFUSED, f"{where} refused the connection ({err})") from err
        except socket.timeout as err:
            raise PrinterError(TIMEOUT, f"{where} did not answer in {self.connect_timeout}s") from err
        except OSError as err:
            raise PrinterError(UNREACHABLE, f"{where}: {err}") from err
        # The send timeout bounds a stall (no byte taken for that long), not the whole job:
        # a printer busy with a long image stops reading for a while and then carries on.
        self._sock.settimeout(self.send_timeout)

    def write(self, data: bytes) -> None:
        """Send all bytes; timeout or dropped, with the count sent, on failure."""
        if self._sock is None:
            raise PrinterError(DROPPED, "write before open")
        view = memoryview(data)
        done = 0
        while done < len(view):
            try:
                done += self._sock.send(view[done:done + self.chunk])
            except socket.timeout as err:
                self.sent += done
                raise PrinterError(TIMEOUT, f"printer took no data for {self.send_timeout}s", sent=self.sent) from err
            except OSError as err:
                self.sent += done
                raise PrinterError(DROPPED, f"connection lost after {self.sent} bytes ({err})", sent=self.sent) from err
        self.sent += done

    def read(self, size: int = 1) -> bytes:
        """Reply bytes; timeout if none come, dropped if the printer closed the connection."""
        if self._sock is None:
            raise PrinterError(DROPPED, "read before open")
        self._sock.settimeout(self.read_timeout)
        try:
            reply = self._sock.recv(size)
        except socket.timeout as err:
            raise PrinterError(TIMEOUT, f"no reply in {self.read_timeout}s", sent=self.sent) from err
        except OSError as err:
            raise PrinterError(DROPPED, f"connection lost ({err})", sent=self.sent) from err
        finally:
            if self._sock is not None:
                self._sock.settimeout(self.send_timeout)
        if not reply:
            raise PrinterError(DROPPED, "printer closed the connection", sent=self.sent)
        return reply

    def close(self) -> None:
        """Close the socket; errors here change nothing about bytes already sent."""
        sock, self._sock = self._sock, None
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


class _EscposDevice(Transport):
    """A python-escpos printer class used only as a byte pipe (it needs hardware and drivers)."""

    readable = True
    escpos_class = ""
    needs = ""

    def __init__(self, **options: Any):
        self.options = options
        self._printer = None

    def _make(self):
        import escpos.printer

        cls = getattr(escpos.printer, self.escpos_class)
        if not cls.is_usable():
            raise PrinterError(UNAVAILABLE, f"{self.escpos_class} printers need {self.needs} (pip install {self.needs})")
        return cls(**self.options)

    def open(self, job_id: str = "") -> None:
        """Open the device; unavailable if it is missing or its driver is not installed."""
        self.close()
        printer = self._make()
        try:
            printer.open()
        except Exception as err:  # python-escpos raises DeviceNotFoundError, USBNotFoundError, RuntimeError
            raise PrinterError(UNAVAILABLE, f"{self.escpos_class} {self.options}: {err}") from err
        self._printer = printer

    def write(self, data: bytes) -> None:
        """Send bytes; dropped if the device goes away."""
        if self._printer is None:
            raise PrinterError(DROPPED, "write before open")
        try:
            self._printer._raw(data)
        except Exception as err:
            raise PrinterError(DROPPED, f"{self.escpos_class} write failed: {err}") from err

    def read(self, size: int = 1) -> bytes:
        """Reply bytes from the device."""
        if self._printer is None:
            raise PrinterError(DROPPED, "read before open")
        try:
            reply = self._printer._read()
        except Exception as err:
            raise PrinterError(TIMEOUT, f"{self.escpos_class} read failed: {err}") from err
        if not reply:
            raise PrinterError(TIMEOUT, "no reply")
        return bytes(reply[:size])

    def close(self) -> None:
        """Release the device."""
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:
                pass


class UsbTransport(_EscposDevice):
    """USB through python-escpos' Usb (idVendor, idProduct, ...)."""

    escpos_class, needs = "Usb", "pyusb"


class SerialTransport(_EscposDevice):
    """A serial port through python-escpos' Serial (devfile, baudrate, ...)."""

    escpos_class, needs = "Serial", "pyserial"


class FileTransport(Transport):
    """Appends each job to a device file such as /dev/usb/lp0."""

    def __init__(self, devfile: str):
        self.devfile = devfile
        self._file = None

    def open(self, job_id: str = "") -> None:
        """Open the device for appending."""
        self.close()
        try:
            self._file = open(self.devfile, "ab", buffering=0)
        except OSError as err:
            raise PrinterError(UNAVAILABLE, f"cannot open {self.devfile}: {err}") from err

    def write(self, data: bytes) -> None:
        """Append bytes."""
        if self._file is None:
            raise PrinterError(DROPPED, "write before open")
        try:
            self._file.write(data)
        except OSError as err:
            raise PrinterError(DROPPED, f"write to {self.devfile} failed: {err}") from err

    def close(self) -> None:
        """Close the file."""
        f, self._file = self._file, None
        if f is not None:
            try:
                f.close()
            except OSError:
                pass


_JOB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class VirtualTransport(Transport):
    """The default printer: keeps each job as <directory>/<job_id>.bin and its picture as .png."""

    keeps_pictures = True
    fixed_status = "online"

    def __init__(self, directory: str = "var/printouts"):
        self.directory = Path(directory)
        self._job_id: str | None = None
        self._data = bytearray()
        self._picture: bytes | None = None

    def open(self, job_id: str) -> None:
        """Start collecting job `job_id` (letters, digits, '.', '_', '-')."""
        # The id becomes a file name: refuse anything that could leave the directory.
        if not isinstance(job_id, str) or not _JOB_ID.match(job_id) or ".." in job_id:
            raise ValueError(f"job id {job_id!r} is not a safe file name")
        self._job_id, self._data, self._picture = job_id, bytearray(), None

    def write(self, data: bytes) -> None:
        """Collect bytes."""
        if self._job_id is None:
            raise PrinterError(DROPPED, "write before open")
        self._data += data

    def write_picture(self, png: bytes) -> None:
        """Collect the job's picture."""
        self._picture = png

    def close(self) -> None:
        """Write the job's files, each complete or not at all."""
        job_id, self._job_id = self._job_id, None
        if job_id is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.directory / f"{job_id}.bin", bytes(self._data))
        if self._picture is not None:
            _write_atomic(self.directory / f"{job_id}.png", self._picture)

    def paths(self, job_id: str) -> tuple[Path, Path]:
        """Where job `job_id`'s bytes and picture are kept."""
        return self.directory / f"{job_id}.bin", self.directory / f"{job_id}.png"


def _write_atomic(path: Path, data: bytes) -> None:
    # A reader (the staff screen showing the picture) never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


TRANSPORTS: dict[str, type[Transport]] = {
    "network": NetworkTransport,
    "usb": UsbTransport,
    "serial": SerialTransport,
    "file": FileTransport,
    "virtual": VirtualTransport,
}


def make_transport(config: Mapping[str, Any]) -> Transport:
    """A transport from a printer's config: `type:` picks the class (virtual by default)."""
    kind = config.get("type", "virtual")
    if kind not in TRANSPORTS:
        raise ValueError(f"printer type {kind!r} is not one of {', '.join(TRANSPORTS)}")
    cls = TRANSPORTS[kind]
    options = {k: v for k, v in config.items() if k not in ("type", "name", *PROFILE_KEYS)}
    if issubclass(cls, _EscposDevice):
        # Checked against python-escpos' own class now, so a typo fails at start-up, not at the first print.
        import escpos.printer

        init = getattr(escpos.printer, cls.escpos_class).__init__
        accepted = {name for name, p in inspect.signature(init).parameters.items()
                    if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    else:
        accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
    unknown = sorted(set(options) - accepted)
    if unknown:
        raise ValueError(f"unknown option(s) for a {kind} printer: {', '.join(unknown)} (accepted: {', '.join(sorted(accepted))})")
    try:
        return cls(**options)
    except TypeError as err:
        raise ValueError(f"bad {kind} printer config: {err}") from err
