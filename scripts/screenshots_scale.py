"""Pictures of a staff screen at 1920x1080 on a serving process of a hall of two while the writer process is
down (the `writer_unreachable` banner), in Korean and English, for docs/screens/.

Runs a real cluster (tests/clusterproc.py: its own redis-server, run_hall.py --processes 2, config/hall.toml, a
temporary data folder), kills the writer with its restart held off, and drives Debian's chromium.

  .venv/bin/python scripts/screenshots_scale.py [--out docs/screens]
"""
import argparse
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.clusterproc import ClusterProcess  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.test_staff_page import open_staff  # noqa: E402

DESK = {"width": 1920, "height": 1080}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    out = Path(parser.parse_args(argv).out)
    cluster = ClusterProcess(Path(tempfile.mkdtemp()) / "data", ROOT / "config" / "hall.toml").start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            on_1 = SimpleNamespace(url=cluster.url(1), pairing_code=cluster.pairing_code,
                                   add_staff=cluster.add_staff)
            pages = {lang: open_staff(on_1, browser.new_context(viewport=DESK, locale="ko-KR",
                                                                 timezone_id="Asia/Seoul"),
                                      device=f"staff-{lang}", lang=lang) for lang in ("ko", "en")}
            with cluster.hold_restarts():
                cluster.kill(0)
                for lang, page in pages.items():
                    expect(page.locator("#health-banner")).to_be_visible(timeout=30_000)
                    path = out / f"staff-writer-unreachable-{lang}-1920x1080.png"
                    page.screenshot(path=str(path))
                    print(path)
            browser.close()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
