"""Exact ESC/POS bytes from the renderer (python-escpos' Dummy underneath)."""
import logging
import re

import pytest

from printers import documents
from printers.escpos_render import render_escpos
from printers.layout import QR, Columns, Cut, Feed, Layout, Rule, Text
from printers.profile import PrinterProfile
from printers.samples import HALL, HOLD, SALE, TICKET

INIT = b"\x1b@"
CODEPAGE = b"\x1bt\x00"  # python-escpos selects PC437 before its first single-byte text
KO_ON, KO_OFF = b"\x1c&", b"\x1c."
CUT = b"\x1bd\x06\x1dV\x00"  # feed 6 lines, full cut
PART_CUT = b"\x1bd\x06\x1dV\x01"


def ko(text: str) -> bytes:
    return KO_ON + text.encode("cp949") + KO_OFF


def korean_segments(data: bytes) -> list[str]:
    """The text sent in Korean double-byte mode, decoded back from the bytes."""
    return [m.decode("cp949") for m in re.findall(rb"\x1c&(.*?)\x1c\.", data, flags=re.S)]


def test_ascii_job_exact_bytes():
    assert render_escpos(Layout([Text("Hello")])) == INIT + CODEPAGE + b"Hello\n" + CUT


def test_korean_is_sent_as_cp949_in_double_byte_mode():
    data = render_escpos(Layout([Text("합계 12,000원")]))
    assert data == INIT + ko("합계") + CODEPAGE + b" 12,000" + ko("원") + b"\n" + CUT


def test_ascii_text_is_not_wrapped_in_korean_mode():
    data = render_escpos(Layout([Text("Pay at a cashier before 14:50"), Rule()]))
    assert KO_ON not in data and KO_OFF not in data
    assert data == INIT + CODEPAGE + b"Pay at a cashier before 14:50\n" + b"-" * 48 + b"\n" + CUT


def test_init_first_and_cut_last():
    data = render_escpos(documents.receipt(HALL, SALE))
    assert data.startswith(INIT)
    assert data.endswith(CUT)
    assert data.count(b"\x1dV") == 1


def test_a_layout_ending_with_its_own_cut_is_cut_once():
    data = render_escpos(Layout([Text("A"), Cut(partial=True)]))
    assert data == INIT + CODEPAGE + b"A\n" + PART_CUT


def test_cut_in_the_middle_and_at_the_end():
    data = render_escpos(Layout([Text("A"), Cut(), Text("B")]))
    assert data == INIT + CODEPAGE + b"A\n" + CUT + b"B\n" + CUT


def test_partial_cut_profile():
    data = render_escpos(Layout([Text("A")]), PrinterProfile(cut="partial"))
    assert data.endswith(PART_CUT)


def test_native_qr_command_carries_the_payload():
    data = render_escpos(Layout([QR("HOLD:K7-482", size=6)]))
    payload = b"HOLD:K7-482"
    qr = (
        b"\x1ba\x01"  # centre
        + b"\x1d(k\x04\x001A2\x00"  # model 2
        + b"\x1d(k\x03\x001C\x06"  # module size 6 dots
        + b"\x1d(k\x03\x001E1"  # error correction M
        + b"\x1d(k" + bytes((len(payload) + 3, 0)) + b"1P0" + payload  # store the data
        + b"\x1d(k\x03\x001Q0"  # print
        + b"\x1ba\x00"  # back to left
    )
    assert data == INIT + qr + CUT


def test_image_qr_when_the_printer_has_no_native_qr():
    data = render_escpos(Layout([QR("RCPT:1")]), PrinterProfile(native_qr=False))
    assert b"\x1d(k" not in data
    assert b"\x1dv0" in data


def test_raster_korean_prints_images_and_no_double_byte_mode():
    data = render_escpos(documents.receipt(HALL, SALE), PrinterProfile(korean="raster"))
    assert b"\x1dv0" in data
    assert KO_ON not in data and KO_OFF not in data
    # Lines without Hangul stay plain text.
    assert b"-" * 48 + b"\n" in data
    assert data.startswith(INIT) and data.endswith(CUT)


def test_raster_image_is_the_paper_width():
    data = render_escpos(Layout([Text("영수증")]), PrinterProfile(korean="raster"))
    header = data.index(b"\x1dv0")
    # GS v 0 m xL xH yL yH: width in bytes (576 dots / 8), height one line of 30 dots.
    assert data[header + 4:header + 8] == bytes((72, 0, 30, 0))


@pytest.mark.parametrize(
    "block, expected",
    [
        (Text("B", bold=True), b"\x1bE\x01B\n"),
        (Text("U", underline=True), b"\x1b-\x01\x1c-\x01U\n"),
        (Text("W", width=2, height=2), b"\x1d!\x11W\n"),
        (Text("T", height=2), b"\x1d!\x01T\n"),
    ],
)
def test_styles_are_set_and_reset(block, expected):
    data = render_escpos(Layout([block, Text("n")]))
    body = data[len(INIT):-len(CUT)].replace(CODEPAGE, b"")
    resets = {b"\x1bE\x01": b"\x1bE\x00", b"\x1b-\x01\x1c-\x01": b"\x1b-\x00\x1c-\x00",
              b"\x1d!\x11": b"\x1d!\x00", b"\x1d!\x01": b"\x1d!\x00"}
    on = expected[: expected.index(block.text.encode())]
    assert body == expected + resets[on] + b"n\n"


def test_double_size_korean_uses_gs_excl_so_hangul_scales_too():
    data = render_escpos(Layout([Text("영수증", width=2, height=2)]))
    assert data == INIT + b"\x1d!\x11" + ko("영수증") + CODEPAGE + b"\n" + b"\x1d!\x00" + CUT


def test_receipt_korean_decodes_back_from_the_bytes():
    data = render_escpos(documents.receipt(HALL, SALE))
    korean = " ".join(korean_segments(data))
    for word in ["영수증", "사업자등록번호", "대표", "합계", "면세물품가액", "과세물품가액", "공급가액", "부가세",
                 "현금", "받은금액", "거스름돈", "카드", "승인번호", "전통 한과 선물세트", "유기농 신고배", "녹차 티백"]:
        assert word in korean
    assert b"RCPT:250514-00042" in data
    assert b"123-45-67890" in data


@pytest.mark.parametrize("build", [
    lambda c: documents.receipt(HALL, SALE, columns=c),
    lambda c: documents.receipt(HALL, SALE, refund=True, reprint=True, columns=c),
    lambda c: documents.order_slip(HALL, HOLD, columns=c),
    lambda c: documents.demo_ticket(HALL, TICKET, columns=c),
])
@pytest.mark.parametrize("columns", [48, 32])
def test_every_document_renders_on_both_papers(build, columns):
    layout = build(columns)
    for profile in (PrinterProfile(columns=columns), PrinterProfile(columns=columns, korean="raster", native_qr=False)):
        data = render_escpos(layout, profile)
        assert data.startswith(INIT) and data.endswith(CUT)


def test_profile_for_another_paper_is_refused():
    with pytest.raises(ValueError, match="32 columns"):
        render_escpos(Layout([Text("A")], paper=48), PrinterProfile(columns=32))


def test_unknown_printer_model_is_refused():
    with pytest.raises(ValueError, match="model"):
        render_escpos(Layout([Text("A")]), PrinterProfile(model="no-such-printer"))


def test_unprintable_characters_print_as_question_mark_and_are_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="printers.escpos_render"):
        data = render_escpos(Layout([Text("커피☕")]))
    assert data == INIT + ko("커피") + CODEPAGE + b"?\n" + CUT
    assert "☕" in caplog.text


def test_feed_and_columns_bytes():
    data = render_escpos(Layout([Feed(2), Columns(("A", "1,000"), widths=(0, 6))], paper=16))
    assert data == INIT + CODEPAGE + b"\n\n" + b"A          1,000\n" + CUT
