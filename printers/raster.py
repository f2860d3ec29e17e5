"""Draws printed lines and QR codes as bitmaps on the printer's own dot grid."""
from __future__ import annotations

import qrcode
from PIL import Image, ImageDraw

from .compose import Line
from .fonts import is_coding_font, load_font
from .korean import cell_width

# Font A on an 80 mm / 58 mm printer: 12 x 24 dots a cell, about 30 dots a line (ESC 2).
CELL_W = 12
CELL_H = 24
LINE_PITCH = 30
FONT_SIZE = 24
BASELINE = 24  # leaves room for the descent (5 dots) and the underline below
INK = 0
PAPER = 255


def paper_dots(columns: int) -> int:
    """Printable width in dots of a paper `columns` cells wide (48 -> 576, 32 -> 384)."""
    return columns * CELL_W


def _grid_safe(ch: str) -> bool:
    # Characters whose advance in the coding font is exactly their cell width.
    return (" " <= ch <= "~") or ("\uac00" <= ch <= "\ud7a3")


def _draw_text(draw: ImageDraw.ImageDraw, text: str, bold: bool) -> int:
    """Draw text cell by cell from x=0; returns the number of cells used."""
    font = load_font(FONT_SIZE, bold)
    coding = is_coding_font(font)
    col = 0
    run_start, run = 0, []
    for ch in text + "\0":
        if coding and ch != "\0" and _grid_safe(ch):
            if not run:
                run_start = col
            run.append(ch)
            col += cell_width(ch)
            continue
        if run:
            draw.text((run_start * CELL_W, BASELINE), "".join(run), font=font, fill=INK, anchor="ls")
            run = []
        if ch == "\0":
            break
        cells = cell_width(ch)
        if ch != " " and cells:
            # Centred in its own cells, so a proportional glyph never shifts the columns after it.
            slack = cells * CELL_W - font.getlength(ch)
            draw.text((col * CELL_W + slack / 2, BASELINE), ch, font=font, fill=INK, anchor="ls")
        col += cells
    return col


def line_image(line: Line, columns: int) -> Image.Image:
    """One printed line as a greyscale image `paper_dots(columns)` wide."""
    budget = columns // line.width
    img = Image.new("L", (budget * CELL_W, LINE_PITCH), PAPER)
    if line.text:
        draw = ImageDraw.Draw(img)
        used = _draw_text(draw, line.text, line.bold)
        if line.underline:
            start = (len(line.text) - len(line.text.lstrip(" "))) * CELL_W
            draw.rectangle((start, BASELINE + 2, used * CELL_W - 1, BASELINE + 3), fill=INK)
    if line.width != 1 or line.height != 1:
        # The printer scales font A dot for dot; NEAREST does the same.
        img = img.resize((img.width * line.width, LINE_PITCH * line.height), Image.NEAREST)
    if img.width != paper_dots(columns):
        full = Image.new("L", (paper_dots(columns), img.height), PAPER)
        full.paste(img, (0, 0))
        img = full
    return img


def lines_image(lines: list[Line], columns: int) -> Image.Image:
    """Several printed lines stacked into one image."""
    parts = [line_image(line, columns) for line in lines]
    img = Image.new("L", (paper_dots(columns), sum(p.height for p in parts)), PAPER)
    y = 0
    for part in parts:
        img.paste(part, (0, y))
        y += part.height
    return img


def qr_image(payload: str, module: int, border: int = 2) -> Image.Image:
    """A QR code with `module` dots per module, error correction M, as a greyscale image."""
    code = qrcode.QRCode(box_size=module, border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    # Drawn from the module matrix directly: exact dots, no image-factory round trip.
    img = Image.new("L", (len(matrix) * module, len(matrix) * module), PAPER)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle((x * module, y * module, (x + 1) * module - 1, (y + 1) * module - 1), fill=INK)
    return img


def centered(img: Image.Image, columns: int) -> Image.Image:
    """`img` centred on a strip the printable width of the paper."""
    width = paper_dots(columns)
    if img.width > width:
        raise ValueError(f"image {img.width} dots wide does not fit {width} dots of paper")
    strip = Image.new("L", (width, img.height), PAPER)
    strip.paste(img, ((width - img.width) // 2, 0))
    return strip


def binarize(img: Image.Image, threshold: int = 128) -> Image.Image:
    """Pure black and white, as the print head makes it."""
    return img.point(lambda v: PAPER if v >= threshold else INK)
