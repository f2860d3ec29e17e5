"""A print layout as plain, frozen data: built once, rendered by separate renderers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

Align = Literal["left", "center", "right"]
ALIGNS = ("left", "center", "right")
# 80 mm paper with font A prints 48 columns, 58 mm paper prints 32.
PAPER_80MM = 48
PAPER_58MM = 32


def _check_align(align: str) -> None:
    if align not in ALIGNS:
        raise ValueError(f"align must be one of {ALIGNS}, not {align!r}")


def _check_scale(name: str, value: int) -> None:
    # GS ! takes multipliers 1..8 for width and height.
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 8:
        raise ValueError(f"{name} must be an integer 1..8, not {value!r}")


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper; width/height are character multipliers 1..8."""

    text: str
    align: Align = "left"
    bold: bool = False
    underline: bool = False
    width: int = 1
    height: int = 1

    def __post_init__(self):
        if not isinstance(self.text, str):
            raise TypeError(f"Text.text must be str, not {type(self.text).__name__}")
        _check_align(self.align)
        _check_scale("width", self.width)
        _check_scale("height", self.height)


@dataclass(frozen=True)
class Columns:
    """One table row; widths in cells (0 = take the rest, None = first cell takes the rest)."""

    cells: tuple[str, ...]
    widths: tuple[int, ...] | None = None
    aligns: tuple[Align, ...] | None = None
    bold: bool = False
    width: int = 1
    height: int = 1
    gap: int = 1

    def __post_init__(self):
        # Lists are accepted for convenience but stored as tuples so the block stays hashable.
        object.__setattr__(self, "cells", tuple(self.cells))
        if not self.cells:
            raise ValueError("Columns needs at least one cell")
        if not all(isinstance(c, str) for c in self.cells):
            raise TypeError("Columns cells must be str")
        if self.widths is not None:
            object.__setattr__(self, "widths", tuple(self.widths))
            if len(self.widths) != len(self.cells):
                raise ValueError(f"{len(self.cells)} cells but {len(self.widths)} widths")
            if any(not isinstance(w, int) or w < 0 for w in self.widths):
                raise ValueError(f"widths must be non-negative integers: {self.widths!r}")
            if list(self.widths).count(0) > 1:
                raise ValueError("at most one column may take the rest (width 0)")
        if self.aligns is not None:
            object.__setattr__(self, "aligns", tuple(self.aligns))
            if len(self.aligns) != len(self.cells):
                raise ValueError(f"{len(self.cells)} cells but {len(self.aligns)} aligns")
            for a in self.aligns:
                _check_align(a)
        if not isinstance(self.gap, int) or self.gap < 0:
            raise ValueError(f"gap must be a non-negative integer, not {self.gap!r}")
        _check_scale("width", self.width)
        _check_scale("height", self.height)


@dataclass(frozen=True)
class Rule:
    """A full-width line of one repeated one-cell character (dashed by default)."""

    char: str = "-"

    def __post_init__(self):
        # The rule must be exactly one printer cell wide so it fills the paper.
        if len(self.char) != 1 or not (" " < self.char < "\x7f"):
            raise ValueError(f"Rule.char must be one printable ASCII character, not {self.char!r}")


@dataclass(frozen=True)
class QR:
    """A centred QR code; size is the module size in printer dots (1..16, as GS ( k takes)."""

    payload: str
    size: int = 6

    def __post_init__(self):
        if not isinstance(self.payload, str) or not self.payload:
            raise ValueError("QR payload must be a non-empty string")
        if not isinstance(self.size, int) or isinstance(self.size, bool) or not 1 <= self.size <= 16:
            raise ValueError(f"QR size must be an integer 1..16, not {self.size!r}")


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1

    def __post_init__(self):
        if not isinstance(self.lines, int) or not 0 <= self.lines <= 255:
            raise ValueError(f"Feed lines must be 0..255, not {self.lines!r}")


@dataclass(frozen=True)
class Cut:
    """Feed past the cutter and cut; renderers add one at the end when the layout has none."""

    partial: bool = False


Block = Union[Text, Columns, Rule, QR, Feed, Cut]
BLOCK_TYPES = (Text, Columns, Rule, QR, Feed, Cut)


@dataclass(frozen=True)
class Layout:
    """A whole print job: blocks top to bottom on paper `paper` columns wide."""

    blocks: tuple[Block, ...]
    paper: int = PAPER_80MM

    def __post_init__(self):
        object.__setattr__(self, "blocks", tuple(self.blocks))
        if not isinstance(self.paper, int) or not 16 <= self.paper <= 96:
            raise ValueError(f"paper must be 16..96 columns, not {self.paper!r}")
        for block in self.blocks:
            if not isinstance(block, BLOCK_TYPES):
                raise TypeError(f"not a layout block: {block!r}")
            if isinstance(block, (Text, Columns)) and self.paper // block.width < 1:
                raise ValueError(f"width {block.width} leaves no room on {self.paper} columns")
            if isinstance(block, Columns) and block.widths is not None:
                budget = self.paper // block.width
                fixed = sum(block.widths) + block.gap * (len(block.cells) - 1)
                if fixed > budget or (0 in block.widths and fixed >= budget):
                    raise ValueError(f"columns {block.widths} with gap {block.gap} do not fit {budget} cells")


def pair(left: str, right: str, *, bold: bool = False, height: int = 1, width: int = 1) -> Columns:
    """A label on the left and a value flush right."""
    return Columns((left, right), bold=bold, height=height, width=width)
