"""Pictures of a rehearsal report's charts for the README, taken by Debian's chromium from the report's folder.

    python scripts/rehearsal_charts.py [var/rehearsal] [docs]

Writes docs/rehearsal-sales.png (sales per minute of the day) and docs/rehearsal-acks.png (till ack latency),
each with the faults shaded.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.kiosk_page import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
CHARTS = {"sales": "rehearsal-sales.png", "acks": "rehearsal-acks.png"}


def main(report: Path, docs: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto((report / "index.html").resolve().as_uri())
            page.wait_for_selector("canvas#acks")
            page.wait_for_timeout(500)
            for canvas, name in CHARTS.items():
                page.locator(f"canvas#{canvas}").locator("..").screenshot(path=str(docs / name))
        finally:
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "var" / "rehearsal"),
         Path(sys.argv[2] if len(sys.argv) > 2 else ROOT / "docs"))
