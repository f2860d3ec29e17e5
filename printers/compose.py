"""Turns layout blocks into the exact lines the printer prints; every renderer draws these."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .korean import pad, text_width, to_printable, truncate, wrap
from .layout import QR, Columns, Cut, Feed, Layout, Rule, Text


@dataclass(frozen=True)
class Line:
    """One printed line: CP949-printable text, already aligned with leading spaces."""

    text: str
    bold: bool = False
    underline: bool = False
    width: int = 1
    height: int = 1


Item = Union[Line, QR, Cut]


def compose(layout: Layout) -> tuple[Item, ...]:
    """The layout as printed lines, QR codes and cuts, top to bottom."""
    items: list[Item] = []
    for block in layout.blocks:
        if isinstance(block, Text):
            items.extend(_text_lines(block, layout.paper))
        elif isinstance(block, Columns):
            items.extend(_column_lines(block, layout.paper))
        elif isinstance(block, Rule):
            items.append(Line(block.char * layout.paper))
        elif isinstance(block, Feed):
            items.extend(Line("") for _ in range(block.lines))
        else:
            items.append(block)
    return tuple(items)


def unprintable(layout: Layout) -> tuple[str, ...]:
    """Characters of the layout's text that CP949 cannot print and that will print as '?'."""
    found: list[str] = []
    for block in layout.blocks:
        texts = (block.text,) if isinstance(block, Text) else block.cells if isinstance(block, Columns) else ()
        for text in texts:
            found.extend(ch for ch in to_printable(text).replaced if ch not in found)
    return tuple(found)


def _text_lines(block: Text, paper: int) -> list[Line]:
    budget = paper // block.width
    text = to_printable(block.text).text
    return [
        Line(pad(line, budget, block.align).rstrip(), block.bold, block.underline, block.width, block.height)
        for line in wrap(text, budget)
    ]


def _flex_widths(texts: list[str], budget: int, gap: int) -> list[int]:
    """First cell takes the rest; the others keep their natural width while two cells remain for it."""
    natural = [max(text_width(part) for part in t.split("\n")) for t in texts]
    remaining = budget - gap * (len(texts) - 1) - 2
    others = []
    for w in natural[1:]:
        w = min(w, max(remaining, 0))
        others.append(w)
        remaining -= w
    return [budget - gap * (len(texts) - 1) - sum(others)] + others


def _column_lines(block: Columns, paper: int) -> list[Line]:
    budget = paper // block.width
    texts = [to_printable(cell).text for cell in block.cells]
    if block.widths is None:
        widths = _flex_widths(texts, budget, block.gap)
    else:
        fixed = sum(block.widths) + block.gap * (len(texts) - 1)
        widths = [w if w else budget - fixed for w in block.widths]
    aligns = block.aligns or ("left",) + ("right",) * (len(texts) - 1)
    # Each cell wraps inside its own column, so a long Korean product name takes a second
    # line instead of pushing the numbers out of their columns.
    cell_lines = [wrap(t, w) if w >= 2 else [truncate(t, w)] for t, w in zip(texts, widths)]
    rows = max(len(lines) for lines in cell_lines)
    out = []
    for r in range(rows):
        parts = [
            pad(lines[r] if r < len(lines) else "", w, align)
            for lines, w, align in zip(cell_lines, widths, aligns)
        ]
        text = (" " * block.gap).join(parts).rstrip()
        out.append(Line(text, block.bold, False, block.width, block.height))
    return out
