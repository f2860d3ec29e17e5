"""Micro-benchmark of receipt rendering: `python -m printers.bench_render [runs]`."""
from __future__ import annotations

import statistics
import sys
import time
from typing import Callable

from . import documents
from .escpos_render import render_escpos
from .png_render import png_bytes
from .profile import PrinterProfile
from .samples import HALL, SALE


def median_ms(fn: Callable[[], object], runs: int = 30) -> float:
    """Median wall time of `fn` in milliseconds over `runs` calls, after one warm-up call."""
    fn()  # fonts, profiles and code paths are loaded once, as in the running hub
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench(runs: int = 30) -> dict[str, float]:
    """Median milliseconds of each receipt render path."""
    return {
        "layout (documents.receipt)": median_ms(lambda: documents.receipt(HALL, SALE), runs),
        "escpos bytes (native Korean, native QR)": median_ms(
            lambda: render_escpos(documents.receipt(HALL, SALE)), runs),
        "escpos bytes (raster Korean, image QR)": median_ms(
            lambda: render_escpos(documents.receipt(HALL, SALE), PrinterProfile(korean="raster", native_qr=False)),
            runs),
        "png bytes": median_ms(lambda: png_bytes(documents.receipt(HALL, SALE)), runs),
    }


def main(argv: list[str]) -> int:
    """Print the median of each path in ms."""
    runs = int(argv[0]) if argv else 30
    for name, ms in bench(runs).items():
        print(f"{name:45s} {ms:8.2f} ms  (median of {runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
