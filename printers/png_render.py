"""Renders a Layout to a picture of the printed paper strip (PNG)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageOps

from . import raster
from .compose import Line, compose
from .layout import QR, Cut, Layout

MARGIN = 16  # unprinted paper left and right of the 576 / 384 printable dots
TOP = 24  # paper above the first line
FEED = 48  # paper fed past the last line before the cutter
TEETH = 8  # depth of the torn edge
GAP = 28  # table between two pieces when a layout cuts in the middle
# Greyscale: thermal paper has no colour, and one byte a pixel encodes three times faster.
TABLE = 196
PAPER = 252
INK = 20


def strip_width(columns: int, margin: int = MARGIN) -> int:
    """Width in pixels of the picture of a paper `columns` cells wide."""
    return raster.paper_dots(columns) + 2 * margin


def _pieces(layout: Layout) -> list[list[Image.Image]]:
    """The printed dots of each piece of paper (split at cuts), as greyscale bands."""
    pieces: list[list[Image.Image]] = [[]]
    for item in compose(layout):
        if isinstance(item, Line):
            pieces[-1].append(raster.line_image(item, layout.paper))
        elif isinstance(item, QR):
            # A little paper above and below, as the printer feeds around a symbol.
            qr = raster.qr_image(item.payload, item.size)
            band = Image.new("L", (qr.width, qr.height + 12), raster.PAPER)
            band.paste(qr, (0, 6))
            pieces[-1].append(raster.centered(band, layout.paper))
        elif isinstance(item, Cut):
            pieces.append([])
    if not pieces[-1] and len(pieces) > 1:
        pieces.pop()  # the layout ended with its own cut
    return pieces


def _torn_bottom(draw: ImageDraw.ImageDraw, top: int, bottom: int, width: int) -> None:
    """Paper from `top` down to a zigzag edge ending at `bottom`."""
    edge = bottom - TEETH
    draw.rectangle((0, top, width - 1, edge), fill=PAPER)
    points = [(0, edge)]
    for i, x in enumerate(range(0, width + TEETH, TEETH)):
        points.append((min(x, width - 1), bottom - 1 if i % 2 else edge))
    points.append((width - 1, edge))
    draw.polygon(points, fill=PAPER)


def render_png(layout: Layout, *, margin: int = MARGIN, binary: bool = True) -> Image.Image:
    """The paper as it comes out of the printer, torn off below the last line."""
    dots = raster.paper_dots(layout.paper)
    width = dots + 2 * margin
    pieces = _pieces(layout)
    heights = [TOP + sum(b.height for b in bands) + FEED + TEETH for bands in pieces]
    canvas = Image.new("L", (width, sum(heights) + GAP * (len(pieces) - 1)), TABLE)
    draw = ImageDraw.Draw(canvas)
    y = 0
    for bands, height in zip(pieces, heights):
        _torn_bottom(draw, y, y + height, width)
        ink = Image.new("L", (dots, height - TOP - FEED - TEETH), raster.PAPER)
        top = 0
        for band in bands:
            ink.paste(band, (0, top))
            top += band.height
        if binary:
            # Thermal heads print whole dots; a black-and-white image looks like the real paper.
            ink = raster.binarize(ink)
        mask = ImageOps.invert(ink)
        canvas.paste(INK, (margin, y + TOP, margin + dots, y + TOP + ink.height), mask)
        y += height + GAP
    return canvas


def png_bytes(layout: Layout, **options) -> bytes:
    """The picture of `layout` as PNG file bytes."""
    out = io.BytesIO()
    render_png(layout, **options).save(out, format="PNG", optimize=False)
    return out.getvalue()
