"""Printer cells and CP949 (KS C 5601) for mixed Hangul/ASCII text on a thermal printer."""
from __future__ import annotations

import unicodedata
from typing import NamedTuple

# Look-alikes tried before giving up on a character; each right side is CP949-encodable.
SUBSTITUTES = {
    "\u20a9": "\uffe6",  # ₩ is not in KS X 1001; the full-width ￦ is.
    "\u00a5": "\uffe5",  # ¥ -> ￥
    "\u2013": "-",  # en dash
    "\u2212": "-",  # minus sign
    "\u2010": "-",
    "\u2011": "-",
    "\u2014": "\u2015",  # em dash -> horizontal bar
    "\u2022": "\u00b7",  # bullets -> middle dot
    "\u2219": "\u00b7",
    "\u2023": "\u00b7",
    "\u00a9": "(C)",
    "\u2713": "\u221a",  # check marks -> square root sign, the usual Korean stand-in
    "\u2714": "\u221a",
    "\u2764": "\u2665",
}


class Printable(NamedTuple):
    """Text reduced to what a CP949 printer can print, and what had to become '?'."""

    text: str
    replaced: tuple[str, ...]


def cell_width(ch: str) -> int:
    """Printer cells one character takes: 2 for Hangul/CJK full-width, 1 for ASCII, 0 for marks."""
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf", "Cc"):
        return 0
    # Ambiguous characters (·, ※, →, Greek, box drawing) are double-byte in CP949,
    # so a Korean printer prints them full width like Hangul.
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_width(text: str) -> int:
    """Printer cells a whole string takes."""
    if text.isascii():
        return len(text)
    return sum(cell_width(ch) for ch in text)


def _encodable(text: str) -> bool:
    try:
        text.encode("cp949")
    except UnicodeEncodeError:
        return False
    return True


def _printable_char(ch: str) -> str | None:
    """A CP949-printable stand-in for one character, or None when there is none."""
    if ch in SUBSTITUTES:
        return SUBSTITUTES[ch]
    if unicodedata.category(ch) == "Zs":
        return " "
    compat = unicodedata.normalize("NFKC", ch)
    if compat != ch and _encodable(compat):
        return compat
    # Accented Latin (é, ñ) is not in CP949; the bare letter reads better than '?'.
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if stripped and stripped != ch and _encodable(stripped):
        return stripped
    return None


def to_printable(text: str) -> Printable:
    """Map text to CP949-printable characters; '?' only as a last resort, reported in `replaced`."""
    # NFC first: decomposed Hangul (as macOS and some keyboards send it) composes to syllables.
    text = unicodedata.normalize("NFC", text)
    if text.isascii() and text.replace("\n", "").isprintable():
        return Printable(text, ())
    out: list[str] = []
    replaced: list[str] = []
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif ch == "\n":
            out.append(ch)  # a line break for wrap(); renderers never send it inside a line
        elif unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
            # Control bytes in a product name would reach the printer as commands; invisible
            # format marks (ZWJ, variation selectors) and stray combining marks print nothing.
            continue
        elif ch.isascii() or _encodable(ch):
            out.append(ch)
        else:
            stand_in = _printable_char(ch)
            if stand_in is None:
                out.append("?")
                replaced.append(ch)
            else:
                out.append(stand_in)
    return Printable("".join(out), tuple(replaced))


def encode_cp949(text: str) -> tuple[bytes, tuple[str, ...]]:
    """CP949 bytes of text, with the characters that had to print as '?'."""
    printable = to_printable(text)
    return printable.text.encode("cp949"), printable.replaced


def truncate(text: str, cells: int) -> str:
    """The longest prefix that fits in `cells` without splitting a character."""
    if cells <= 0:
        return ""
    if text.isascii():
        return text[:cells]
    used = 0
    for i, ch in enumerate(text):
        used += cell_width(ch)
        if used > cells:
            return text[:i]
    return text


def pad(text: str, cells: int, align: str = "left") -> str:
    """Text truncated and padded with spaces to exactly `cells` cells."""
    text = truncate(text, cells)
    fill = cells - text_width(text)
    if align == "right":
        return " " * fill + text
    if align == "center":
        return " " * (fill // 2) + text + " " * (fill - fill // 2)
    return text + " " * fill


def wrap(text: str, cells: int) -> list[str]:
    """Lines of at most `cells` cells, broken at spaces where possible, never inside a character."""
    if cells < 2:
        # A full-width character needs two cells; a narrower budget could never hold it.
        raise ValueError(f"cannot wrap to {cells} cells: need at least 2")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if text_width(paragraph) <= cells:
            lines.append(paragraph)  # fits: spacing inside it is kept as written
            continue
        # Leading spaces are kept on the first line: they indent sub-lines such as "  받은금액".
        prefix = " " * min(len(paragraph) - len(paragraph.lstrip(" ")), cells - 2)
        room = cells - len(prefix)
        line = ""
        for word in paragraph.split():
            if line and text_width(line) + 1 + text_width(word) <= room:
                line += " " + word
                continue
            if line:
                lines.append(prefix + line)
                prefix, room = "", cells
            # A word longer than a line is cut between characters, never inside one.
            while text_width(word) > room:
                piece = truncate(word, room)
                lines.append(prefix + piece)
                prefix, room = "", cells
                word = word[len(piece):]
            line = word
        lines.append(prefix + line)
    return lines
