"""Renders a Layout to ESC/POS bytes through python-escpos' Dummy printer."""
from __future__ import annotations

import logging
import re
from functools import lru_cache

from escpos.capabilities import Profile, get_profile
from escpos.constants import FS, QR_ECLEVEL_M
from escpos.printer import Dummy

from . import raster
from .compose import Line, compose, unprintable
from .layout import QR, Cut, Layout
from .profile import PrinterProfile

log = logging.getLogger(__name__)

# Korean double-byte ("Kanji") mode. python-escpos' text() has no Korean code page and
# prints '?', so Hangul goes out raw as CP949 (KS C 5601) between these two commands.
KOREAN_ON = FS + b"&"
KOREAN_OFF = FS + b"."
# ESC - underlines single-byte characters only; FS - does the same for double-byte ones.
KOREAN_UNDERLINE = FS + b"-"

PLAIN = Line("")
_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


@lru_cache(maxsize=None)
def _capabilities(profile: PrinterProfile) -> Profile:
    """python-escpos capabilities of `profile.model`, with the media width our paper really has."""
    try:
        base = get_profile(profile.model)
    except KeyError:
        raise ValueError(f"unknown python-escpos printer model {profile.model!r}") from None
    caps = Profile(columns=profile.columns, features=dict(base.features))
    # image() checks (and prints a warning about) the media width in pixels; ours is known.
    media = dict(base.profile_data.get("media", {}))
    media["width"] = {"mm": media.get("width", {}).get("mm", "Unknown"), "pixels": raster.paper_dots(profile.columns)}
    caps.profile_data = {**base.profile_data, "media": media}
    return caps


class _Pen:
    """The text style the printer is in now, so each change is sent once."""

    def __init__(self, printer: Dummy):
        self.printer = printer
        self.size, self.bold, self.underline = (1, 1), False, False

    def use(self, line: Line) -> None:
        p = self.printer
        if (line.width, line.height) != self.size:
            # GS ! (custom size) scales double-byte characters too; ESC ! would leave Hangul small.
            p.set(custom_size=True, width=line.width, height=line.height)
            self.size = (line.width, line.height)
        if line.bold != self.bold:
            p.set(bold=line.bold)
            self.bold = line.bold
        if line.underline != self.underline:
            p.set(underline=int(line.underline))
            p._raw(KOREAN_UNDERLINE + bytes((int(line.underline),)))
            self.underline = line.underline


def _print_line(printer: Dummy, line: Line) -> None:
    for run in _RUNS.findall(line.text):
        if run.isascii():
            printer.text(run)
        else:
            printer._raw(KOREAN_ON + run.encode("cp949") + KOREAN_OFF)
    printer.text("\n")


def _print_image(printer: Dummy, img) -> None:
    # Threshold here: python-escpos would otherwise dither the grey anti-aliasing into speckles.
    printer.image(raster.binarize(img))


def render_escpos(layout: Layout, profile: PrinterProfile | None = None) -> bytes:
    """ESC/POS bytes for `layout`: ESC @ first, a cut last."""
    profile = profile or PrinterProfile(columns=layout.paper)
    if profile.columns != layout.paper:
        raise ValueError(f"layout is for {layout.paper} columns but the printer prints {profile.columns} columns")
    missing = unprintable(layout)
    if missing:
        log.warning("CP949 cannot print %s; they print as '?'", " ".join(repr(ch) for ch in missing))

    printer = Dummy(profile=_capabilities(profile))
    printer.hw("INIT")
    pen = _Pen(printer)
    items = compose(layout)
    pending: list[Line] = []  # raster mode: consecutive Korean lines go out as one image
    for item in items:
        if isinstance(item, Line) and profile.korean == "raster" and not item.text.isascii():
            pending.append(item)
            continue
        if pending:
            _print_image(printer, raster.lines_image(pending, layout.paper))
            pending = []
        if isinstance(item, Line):
            pen.use(item)
            _print_line(printer, item)
        elif isinstance(item, QR):
            _print_qr(printer, item, profile)
        elif isinstance(item, Cut):
            pen.use(PLAIN)  # the feed before the cut would otherwise be double height too
            printer.cut(mode="PART" if item.partial or profile.cut == "partial" else "FULL")
    if pending:
        _print_image(printer, raster.lines_image(pending, layout.paper))
    if not items or not isinstance(items[-1], Cut):
        pen.use(PLAIN)
        printer.cut(mode="PART" if profile.cut == "partial" else "FULL")
    return printer.output


def _print_qr(printer: Dummy, qr: QR, profile: PrinterProfile) -> None:
    if profile.native_qr:
        # ESC a centres the native symbol; python-escpos' own center= is for images only.
        printer.set(align="center")
        printer.qr(qr.payload, ec=QR_ECLEVEL_M, size=qr.size, native=True)
        printer.set(align="left")
    else:
        # The same bitmap the PNG renderer draws, so paper and picture match dot for dot.
        _print_image(printer, raster.centered(raster.qr_image(qr.payload, qr.size), profile.columns))
