"""The hub's websocket writes: frames as RFC 6455 says, in order, never blocking, a dead screen cut off."""
import socket
import ssl
from datetime import datetime, timezone

import gevent
import gevent.exceptions
import gevent.socket
import gevent.ssl
import pytest
from geventwebsocket.websocket import Header, WebSocket

from hub.net import certs
from hub.wire import fanout
from tests.greenlets import in_own_hub


def reference_frame(text: str) -> bytes:
    payload = text.encode("utf-8")
    return Header.encode_header(True, WebSocket.OPCODE_TEXT, b"", len(payload), 0) + payload


@pytest.mark.parametrize("size", [0, 1, 125, 126, 127, 65535, 65536, 70000])
def test_a_frame_is_what_gevent_websocket_would_send(size):
    assert fanout.websocket_frame("a" * size) == reference_frame("a" * size)


def test_a_korean_frame_counts_bytes_not_characters():
    text = '42["event",{"name":"교육용 로봇 키트"}]' * 5
    assert fanout.websocket_frame(text) == reference_frame(text)


def over_a_link(check):
    """check(writer_end, reader_end) on a connected pair of gevent sockets with small buffers (so sends
    go partial quickly), in a gevent hub of its own."""
    in_own_hub(lambda: checked_and_closed(check, *small_buffered_pair()))


def small_buffered_pair():
    writer_end, reader_end = gevent.socket.socketpair()
    writer_end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    reader_end.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    return writer_end, reader_end


def checked_and_closed(check, writer_end, reader_end):
    try:
        check(writer_end, reader_end)
    finally:
        writer_end.close()
        reader_end.close()


def over_a_tls_link(check, folder):
    """The same over TLS, as the hub serves on the hall's network (`--lan`): gevent's TLS socket behaves
    otherwise when a send cannot go at once."""
    files = certs.ensure(folder, ["hall.test"], ["127.0.0.1"], now=datetime.now(timezone.utc))

    def run():
        plain_writer, plain_reader = small_buffered_pair()
        server = gevent.ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.load_cert_chain(files.cert, files.key)
        client = gevent.ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        client.load_verify_locations(cafile=str(files.ca_cert))
        writer_end = server.wrap_socket(plain_writer, server_side=True, do_handshake_on_connect=False)
        reader_end = client.wrap_socket(plain_reader, server_hostname="hall.test", do_handshake_on_connect=False)
        gevent.joinall([gevent.spawn(writer_end.do_handshake), gevent.spawn(reader_end.do_handshake)],
                       raise_error=True, timeout=10)
        checked_and_closed(check, writer_end, reader_end)
    in_own_hub(run)


def read_exactly(sock, size: int, timeout: float = 10) -> bytes:
    got = bytearray()
    with gevent.Timeout(timeout):
        while len(got) < size:
            chunk = sock.recv(65536)
            if not chunk:
                break
            got += chunk
    return bytes(got)


def test_writes_never_wait_and_arrive_whole_and_in_order(monkeypatch):
    monkeypatch.setattr(fanout, "MAX_PENDING_BYTES", 8 << 20)
    over_a_link(writes_arrive_whole_and_in_order)


def test_over_tls_too_writes_never_wait_and_arrive_whole_and_in_order(monkeypatch, tmp_path):
    monkeypatch.setattr(fanout, "MAX_PENDING_BYTES", 8 << 20)
    over_a_tls_link(writes_arrive_whole_and_in_order, tmp_path)


def writes_arrive_whole_and_in_order(writer_end, reader_end):
    outbox = fanout.Outbox(writer_end)
    chunks = [bytes([n % 251]) * (1000 + n) for n in range(300)]  # about 450 KB, far past the buffers
    with gevent.Timeout(2):  # each write returns at once although nobody reads yet
        for chunk in chunks:
            outbox.write(chunk)
    expected = b"".join(chunks)
    assert read_exactly(reader_end, len(expected)) == expected
    assert not outbox.broken


def test_corked_writes_wait_for_the_end_of_the_round_then_leave_together():
    over_a_link(corked_writes_leave_together)


def corked_writes_leave_together(writer_end, reader_end):
    outbox = fanout.Outbox(writer_end)
    outbox.cork()
    for text in ("first", "second", "third"):
        outbox.write(fanout.websocket_frame(text))
    reader_end.settimeout(0.2)
    with pytest.raises(socket.timeout):
        reader_end.recv(100)
    outbox.uncork()
    expected = b"".join(fanout.websocket_frame(text) for text in ("first", "second", "third"))
    reader_end.settimeout(None)
    assert read_exactly(reader_end, len(expected)) == expected


def test_a_screen_that_stops_reading_is_cut_off_not_waited_for(monkeypatch):
    monkeypatch.setattr(fanout, "MAX_PENDING_BYTES", 64 * 1024)
    over_a_link(a_screen_that_stops_reading_is_cut_off)


def test_over_tls_too_a_screen_that_stops_reading_is_cut_off_not_waited_for(monkeypatch, tmp_path):
    monkeypatch.setattr(fanout, "MAX_PENDING_BYTES", 64 * 1024)
    over_a_tls_link(a_screen_that_stops_reading_is_cut_off, tmp_path)


def a_screen_that_stops_reading_is_cut_off(writer_end, reader_end):
    outbox = fanout.Outbox(writer_end)
    with gevent.Timeout(5):
        with pytest.raises(OSError):
            for _ in range(10_000):  # bounded: 10 MB at most, the limit is hit long before
                outbox.write(b"x" * 1024)
    assert outbox.broken
    with pytest.raises(OSError):
        outbox.write(b"more")
    # The link was shut down: the screen reads what reached it, then the end.
    with gevent.Timeout(5):
        while reader_end.recv(65536):
            pass


class ReaderWaiting:
    """A TLS socket whose first writes find OpenSSL wanting to read while the screen's reader waits on it, as
    gevent answers then (a post-handshake message in flight)."""

    def __init__(self, clashes: int):
        self.clashes = clashes
        self.sent = []

    def sendall(self, data):
        if self.clashes:
            self.clashes -= 1
            raise gevent.exceptions.ConcurrentObjectUseError("This socket is already used by another greenlet")
        self.sent.append(data)

    def shutdown(self, how):
        self.sent.append("shut down")


@pytest.mark.parametrize("clashes, kept", [(3, True), (fanout.TLS_CLASHES + 1, False)])
def test_a_tls_write_that_meets_the_reader_is_tried_again_then_given_up(monkeypatch, clashes, kept):
    monkeypatch.setattr(fanout, "TLS_CLASH_PAUSE", 0)

    def run():
        sock = ReaderWaiting(clashes)
        outbox = fanout.Outbox(sock)
        outbox._tls = True  # what a gevent TLS socket makes it
        outbox.write(b"frame")
        gevent.sleep(0.1)
        return sock.sent, outbox.broken
    sent, broken = in_own_hub(run)
    assert (sent, broken) == (([b"frame"], False) if kept else (["shut down"], True))
