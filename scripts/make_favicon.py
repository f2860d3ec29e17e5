"""Draw the screens' icon, a market stall, as common/favicon.svg and common/favicon.ico.

One list of shapes makes both files, so the tab icon (SVG, linked by each page) and the one a browser asks
for at /favicon.ico by itself look the same.  Run: python scripts/make_favicon.py
"""
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw

COMMON = Path(__file__).resolve().parent.parent / "common"
SIZE = 64
BLUE, WHITE, GOLD = "#1d4ed8", "#ffffff", "#fbbf24"
# (kind, geometry on a 64-unit square, colour): a blue tile, a striped awning with a scalloped edge, two posts,
# a counter, and a coin on it.
SHAPES = [
    ("rect", (0, 0, 64, 64, 14), BLUE),
    ("rect", (9, 12, 46, 11, 3), WHITE),
    *[("circle", (14.75 + 11.5 * i, 23, 5.75), WHITE) for i in range(4)],
    ("rect", (13, 27, 5, 17, 1), WHITE),
    ("rect", (46, 27, 5, 17, 1), WHITE),
    ("rect", (9, 43, 46, 9, 3), WHITE),
    ("circle", (32, 35, 6), GOLD),
]


def svg() -> str:
    parts = []
    for kind, geometry, colour in SHAPES:
        if kind == "rect":
            x, y, w, h, r = geometry
            parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}" fill="{colour}"/>')
        else:
            cx, cy, r = geometry
            parts.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{r:g}" fill="{colour}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
            '<title>Expo Sales Hall</title>' + "".join(parts) + "</svg>\n")


def picture(pixels: int) -> Image.Image:
    # Drawn four times larger and scaled down: Pillow's shapes have no anti-aliasing of their own.
    scale = pixels * 4 / SIZE
    big = Image.new("RGBA", (pixels * 4, pixels * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    for kind, geometry, colour in SHAPES:
        if kind == "rect":
            x, y, w, h, r = (v * scale for v in geometry)
            draw.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=r, fill=colour)
        else:
            cx, cy, r = (v * scale for v in geometry)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    return big.resize((pixels, pixels), Image.LANCZOS)


def ico() -> bytes:
    out = BytesIO()
    picture(64).save(out, format="ICO", sizes=[(16, 16), (32, 32), (48, 48), (64, 64)])
    return out.getvalue()


if __name__ == "__main__":
    (COMMON / "favicon.svg").write_text(svg(), encoding="utf-8")
    (COMMON / "favicon.ico").write_bytes(ico())
    print(f"wrote {COMMON / 'favicon.svg'} and {COMMON / 'favicon.ico'}")
