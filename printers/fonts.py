"""Finds the Korean TrueType font (Debian's fonts-nanum) at run time."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# The coding variant first: its ASCII is exactly half as wide as its Hangul, which is the
# printer's own cell grid, so whole runs can be drawn in one call and still line up.
REGULAR = ("NanumGothicCoding.ttf", "NanumGothic.ttf")
BOLD = ("NanumGothicCodingBold.ttf", "NanumGothicBold.ttf")
SEARCH_DIRS = (
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
)
ENV_REGULAR = "EXPO_KOREAN_FONT"
ENV_BOLD = "EXPO_KOREAN_FONT_BOLD"


class FontMissingError(RuntimeError):
    """No Korean font is installed where we look."""


def _find(names: tuple[str, ...], dirs: tuple[str, ...]) -> Path | None:
    for name in names:
        for d in dirs:
            base = Path(d).expanduser()
            direct = base / name
            if direct.is_file():
                return direct
            if base.is_dir():
                hit = next(base.rglob(name), None)
                if hit is not None:
                    return hit
    return None


@lru_cache(maxsize=None)
def font_path(bold: bool = False, dirs: tuple[str, ...] = SEARCH_DIRS) -> Path:
    """Path of the Korean font (bold falls back to regular); raises FontMissingError with the fix."""
    override = os.environ.get(ENV_BOLD if bold else ENV_REGULAR)
    if override:
        if not Path(override).is_file():
            raise FontMissingError(f"{ENV_BOLD if bold else ENV_REGULAR}={override} is not a file")
        return Path(override)
    found = _find(BOLD, dirs) if bold else None
    found = found or _find(REGULAR, dirs)
    if found is None:
        raise FontMissingError(
            f"no Korean font found (looked for {', '.join(REGULAR)} under {', '.join(dirs)}): "
            f"install Debian's fonts-nanum (apt-get install fonts-nanum) or set {ENV_REGULAR}=/path/to/font.ttf"
        )
    return found


@lru_cache(maxsize=None)
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The Korean font at `size` pixels, loaded once."""
    return ImageFont.truetype(str(font_path(bold)), size)


def is_coding_font(font: ImageFont.FreeTypeFont) -> bool:
    """True when the font's advances match the printer grid (ASCII one cell, Hangul two)."""
    size = font.size
    return font.getlength("0") * 2 == size and font.getlength("가") == size
