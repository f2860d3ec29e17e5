"""Pictures of the paper: width, QR codes that decode, the font check."""
import io

import pytest
import zxingcpp
from PIL import Image

from printers import documents, fonts
from printers.layout import QR, Cut, Layout, Text
from printers.png_render import MARGIN, PAPER, TABLE, png_bytes, render_png, strip_width
from printers.samples import HALL, HOLD, SALE, TICKET


def qr_payloads(img: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(img) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize(
    "layout, payload",
    [
        (documents.receipt(HALL, SALE), "RCPT:250514-00042"),
        (documents.receipt(HALL, SALE, refund=True), "RCPT:250514-00042"),
        (documents.order_slip(HALL, HOLD), "HOLD:K7-482"),
        (documents.demo_ticket(HALL, TICKET), TICKET["qr_payload"]),
        (documents.order_slip(HALL, HOLD, columns=32), "HOLD:K7-482"),
        (documents.demo_ticket(HALL, TICKET, columns=32), TICKET["qr_payload"]),
    ],
)
def test_qr_in_the_picture_decodes_to_the_exact_payload(layout, payload):
    img = Image.open(io.BytesIO(png_bytes(layout)))
    assert img.format == "PNG"
    assert qr_payloads(img) == [payload]


@pytest.mark.parametrize("columns, printable", [(48, 576), (32, 384)])
def test_picture_width_matches_the_paper(columns, printable):
    img = render_png(documents.receipt(HALL, SALE, columns=columns))
    assert strip_width(columns) == printable + 2 * MARGIN
    assert img.width == printable + 2 * MARGIN


def test_torn_edge_at_the_end_and_paper_above_it():
    img = render_png(Layout([Text("A")]))
    bottom = [img.getpixel((x, img.height - 1)) for x in range(img.width)]
    # The zigzag: table shows between the teeth on the last row, paper above the tear.
    assert TABLE in bottom and PAPER in bottom
    assert img.getpixel((img.width // 2, 2)) == PAPER


def test_a_cut_in_the_middle_makes_two_pieces():
    one = render_png(Layout([Text("A")]))
    two = render_png(Layout([Text("A"), Cut(), Text("B")]))
    assert two.height > 2 * one.height
    middle_row = [two.getpixel((x, one.height + 5)) for x in range(two.width)]
    assert set(middle_row) == {TABLE}


def test_text_is_drawn_in_the_cell_grid():
    img = render_png(Layout([Text("가나 ABC")]))
    ink = lambda x0, x1: any(img.getpixel((x, y)) < 128 for x in range(x0, x1) for y in range(24, 54))
    cell = lambda c: (MARGIN + c * 12, MARGIN + (c + 1) * 12)
    assert ink(*cell(0)) and ink(*cell(2))  # 가 and 나, two cells each
    assert not ink(*cell(4))  # the space
    assert ink(*cell(5)) and ink(*cell(7))  # A and C


def test_double_size_text_is_taller():
    normal = render_png(Layout([Text("영수증")]))
    double = render_png(Layout([Text("영수증", width=2, height=2)]))
    assert double.height - normal.height == 30


def test_qr_only_layout():
    img = render_png(Layout([QR("X" * 100, size=4)], paper=32))
    assert qr_payloads(img) == ["X" * 100]


def test_missing_font_says_how_to_fix_it(monkeypatch, tmp_path):
    fonts.font_path.cache_clear()
    monkeypatch.delenv(fonts.ENV_REGULAR, raising=False)
    try:
        with pytest.raises(fonts.FontMissingError, match="apt-get install fonts-nanum"):
            fonts.font_path(False, (str(tmp_path),))
    finally:
        fonts.font_path.cache_clear()


def test_font_override_must_exist(monkeypatch, tmp_path):
    fonts.font_path.cache_clear()
    monkeypatch.setenv(fonts.ENV_REGULAR, str(tmp_path / "nope.ttf"))
    try:
        with pytest.raises(fonts.FontMissingError, match="not a file"):
            fonts.font_path(False)
    finally:
        fonts.font_path.cache_clear()
