"""Transports against a fake network printer on loopback, and the virtual printer's files."""
import pytest

from printers import documents, transports
from printers.escpos_render import render_escpos
from printers.png_render import png_bytes
from printers.samples import HALL, SALE
from printers.transports import (
    FileTransport, NetworkTransport, PrinterError, SerialTransport, UsbTransport, VirtualTransport,
    make_transport, parse_status, send_job, status,
)
from tests.fake_printer import FakePrinter

DLE_EOT_1 = b"\x10\x04\x01"


@pytest.fixture
def receipt_bytes():
    return render_escpos(documents.receipt(HALL, SALE))


def network(printer: FakePrinter, **options) -> NetworkTransport:
    return NetworkTransport(printer.host, printer.port, **options)


def test_bytes_arrive_exactly(receipt_bytes):
    with FakePrinter() as printer:
        delivery = send_job(network(printer), "job-1", receipt_bytes, confirm=False)
        assert printer.wait_jobs(1) == [receipt_bytes]
    assert delivery == transports.Delivery("job-1", len(receipt_bytes), confirmed=False)


def test_confirmed_job_ends_with_one_status_query(receipt_bytes):
    with FakePrinter() as printer:
        delivery = send_job(network(printer), "job-1", receipt_bytes)
        assert printer.wait_jobs(1) == [receipt_bytes + DLE_EOT_1]
    assert delivery.confirmed


def test_slow_printer_still_gets_every_byte(receipt_bytes):
    with FakePrinter(read_delay=0.01, chunk=1024) as printer:
        send_job(network(printer), "job-1", receipt_bytes, confirm=False)
        assert printer.wait_jobs(1, timeout=10) == [receipt_bytes]


def test_two_jobs_are_two_connections(receipt_bytes):
    with FakePrinter() as printer:
        send_job(network(printer), "a", b"first", confirm=False)
        send_job(network(printer), "b", receipt_bytes, confirm=False)
        assert printer.wait_jobs(2) == [b"first", receipt_bytes]


def test_refused():
    printer = FakePrinter().start()
    printer.refuse()
    try:
        with pytest.raises(PrinterError) as err:
            send_job(network(printer), "job-1", b"abc")
    finally:
        printer.stop()
    assert err.value.reason == "refused"


def test_drop_mid_job_is_reported_as_dropped(receipt_bytes):
    half = len(receipt_bytes) // 2
    with FakePrinter(drop_after=half) as printer:
        with pytest.raises(PrinterError) as err:
            send_job(network(printer), "job-1", receipt_bytes)
        assert printer.wait_jobs(1) == [receipt_bytes[:half]]
    assert err.value.reason == "dropped"


def test_drop_of_a_small_job_is_caught_by_the_confirmation():
    # The whole job fits in the socket buffer, so only the status query can notice.
    with FakePrinter(drop_after=10) as printer:
        with pytest.raises(PrinterError) as err:
            send_job(network(printer), "job-1", b"x" * 100)
    assert err.value.reason == "dropped"


def test_stalled_printer_times_out():
    # The printer stops taking bytes; more than the loopback buffers can hold is pending.
    with FakePrinter(read_delay=2.0) as printer:
        with pytest.raises(PrinterError) as err:
            send_job(network(printer, send_timeout=0.3), "job-1", b"\0" * (12 << 20))
    assert err.value.reason == "timeout"
    assert 0 < err.value.sent < 12 << 20


def test_silent_printer_is_unconfirmed_not_failed():
    with FakePrinter(status="silent") as printer:
        delivery = send_job(network(printer, read_timeout=0.2), "job-1", b"abc")
    assert delivery.sent == 3 and not delivery.confirmed


@pytest.mark.parametrize("state", ["online", "paper_near_end", "paper_out", "offline"])
def test_status_is_read_from_dle_eot(state):
    with FakePrinter(status=state) as printer:
        assert status(network(printer)) == state
        assert printer.wait_jobs(1) == [b"\x10\x04\x01\x10\x04\x04"]


def test_status_of_a_printer_that_does_not_answer_is_unknown():
    with FakePrinter(status="silent") as printer:
        assert status(network(printer, read_timeout=0.2)) == "unknown"


def test_status_of_a_refused_printer_raises():
    printer = FakePrinter().start()
    printer.refuse()
    try:
        with pytest.raises(PrinterError) as err:
            status(network(printer))
    finally:
        printer.stop()
    assert err.value.reason == "refused"


@pytest.mark.parametrize(
    "printer, paper, expected",
    [
        (0x16, 0x12, "online"),
        (0x16, 0x1E, "paper_near_end"),
        (0x1E, 0x72, "paper_out"),
        (0x16, 0x72, "paper_out"),
        (0x1E, 0x12, "offline"),
        (0x16, None, "online"),
        (None, None, "unknown"),
        (0xFF, 0x12, "unknown"),  # not a status byte
        (0x00, 0x12, "unknown"),
    ],
)
def test_parse_status(printer, paper, expected):
    assert parse_status(printer, paper) == expected


def test_virtual_writes_bin_and_png(tmp_path, receipt_bytes):
    layout = documents.receipt(HALL, SALE)
    virtual = VirtualTransport(tmp_path)
    delivery = send_job(virtual, "sale-42", receipt_bytes, picture=lambda: png_bytes(layout))
    bin_path, png_path = virtual.paths("sale-42")
    assert bin_path.read_bytes() == receipt_bytes
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert delivery == transports.Delivery("sale-42", len(receipt_bytes), confirmed=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sale-42.bin", "sale-42.png"]
    assert status(virtual) == "online"


def test_picture_is_not_rendered_for_a_real_printer(receipt_bytes):
    def picture():
        raise AssertionError("a network printer has no use for the picture")

    with FakePrinter() as printer:
        send_job(network(printer), "job-1", receipt_bytes, picture=picture)


@pytest.mark.parametrize("job_id", ["../escape", "a/b", "", ".hidden", "x" * 200, "a..b"])
def test_virtual_refuses_unsafe_job_ids(tmp_path, job_id):
    with pytest.raises(ValueError):
        VirtualTransport(tmp_path).open(job_id)


def test_file_transport_appends(tmp_path):
    device = tmp_path / "lp0"
    send_job(FileTransport(str(device)), "a", b"one")
    send_job(FileTransport(str(device)), "b", b"two")
    assert device.read_bytes() == b"onetwo"
    assert status(FileTransport(str(device))) == "unknown"


def test_file_transport_missing_device(tmp_path):
    with pytest.raises(PrinterError) as err:
        FileTransport(str(tmp_path / "no" / "lp0")).open("a")
    assert err.value.reason == "unavailable"


@pytest.mark.parametrize("cls, options", [(UsbTransport, {"idVendor": 0x04B8, "idProduct": 0x0E15}),
                                          (SerialTransport, {"devfile": "/dev/ttyNOPE"})])
def test_hardware_transports_report_unavailable_without_hardware(cls, options):
    with pytest.raises(PrinterError) as err:
        cls(**options).open("a")
    assert err.value.reason == "unavailable"


@pytest.mark.parametrize(
    "config, cls",
    [
        ({}, VirtualTransport),
        ({"type": "virtual", "directory": "var/x"}, VirtualTransport),
        ({"type": "network", "host": "127.0.0.1", "port": 9100, "columns": 32, "korean": "raster"}, NetworkTransport),
        ({"type": "file", "devfile": "/dev/usb/lp0"}, FileTransport),
        ({"type": "usb", "idVendor": 1208, "idProduct": 3605}, UsbTransport),
        ({"type": "serial", "devfile": "/dev/ttyS0", "baudrate": 19200}, SerialTransport),
    ],
)
def test_make_transport(config, cls):
    assert type(make_transport(config)) is cls


@pytest.mark.parametrize(
    "config",
    [
        {"type": "bluetooth"},
        {"type": "network"},  # no host
        {"type": "network", "host": "127.0.0.1", "hostname": "typo"},
        {"type": "file", "path": "/dev/usb/lp0"},
        {"type": "usb", "vendor": 1208},
        {"type": "serial", "device": "/dev/ttyS0"},
    ],
)
def test_make_transport_rejects_bad_config(config):
    with pytest.raises(ValueError):
        make_transport(config)


def test_drop_during_a_long_job_fails_the_write():
    # More than the socket buffers hold, so the reset reaches the sender mid-send.
    with FakePrinter(drop_after=1000) as printer:
        transport = network(printer)
        transport.open("job-1")
        try:
            with pytest.raises(PrinterError) as err:
                transport.write(b"\0" * (12 << 20))
        finally:
            transport.close()
        assert printer.wait_jobs(1) == [b"\0" * 1000]
    assert err.value.reason == "dropped"
    assert err.value.sent < 12 << 20


def test_probe_asks_a_printer_that_can_answer_and_opens_one_that_cannot(tmp_path):
    with FakePrinter(status="paper_out") as printer:
        assert transports.probe(network(printer)) == "paper_out"
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    assert transports.probe(FileTransport(str(device))) == "unknown"
    assert device.read_bytes() == b""  # asking prints nothing
    with pytest.raises(PrinterError) as missing:
        transports.probe(FileTransport(str(tmp_path / "gone" / "lp0")))
    assert missing.value.reason == "unavailable"
    assert transports.probe(VirtualTransport(tmp_path / "virtual")) == "online"
