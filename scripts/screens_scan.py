"""Pictures of the demo door scanner on a phone (390x844) for docs/screens/, from a real hub and chromium.

  python scripts/screens_scan.py [--out docs/screens]

A throwaway hub on a free loopback port with a small program (a session at booth A-103 starting in ten
minutes, so its tickets are good now), a kiosk client booking tickets, and the scanner page paired as door-1:
pairing, the booth choice, the ready screen, a green and a red answer, a typed ticket code, and the door cut
off from the hub. Needs what `make test` installs (Debian's chromium, the screens' libraries).
"""
import argparse
import sys
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.conftest import (CHROMIUM, CHROMIUM_ARGS, PROGRAM_HEADER, SEOUL, TEST_CATALOG, hall_config,  # noqa: E402
                            program_row, show_toml)
from tests.hubproc import HubProcess  # noqa: E402

PHONE = {"width": 390, "height": 844}
STEP_MS = 15_000
BOOTH = "A-103"
DEMOS = [("COBOT,협동로봇 바리스타 시연,Collaborative Robot Barista,(주)유진로보틱스,A-103,,", 0, 30, 16),
         ("COBOT,협동로봇 바리스타 시연,Collaborative Robot Barista,(주)유진로보틱스,A-103,,", 120, 30, 16),
         ("DRONE-RESCUE,구조 드론 비행 시연,Rescue Drone Flight,(주)하늘드론,A-142,,", 30, 30, 20)]


def start_hub(folder: Path) -> HubProcess:
    now = datetime.now(SEOUL)
    soon = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
    rows = [program_row(demo, soon + timedelta(minutes=later), minutes, places, now.date())
            for demo, later, minutes, places in DEMOS]
    (folder / "demos.csv").write_text("\n".join([PROGRAM_HEADER, *rows]) + "\n", encoding="utf-8")
    (folder / "catalog.csv").write_text(TEST_CATALOG, encoding="utf-8")
    config = hall_config(folder, folder / "catalog.csv", extra=show_toml(now.date()) + '[demos]\nfile = "demos.csv"\n')
    hub = HubProcess(folder / "data", config).start()
    hub.slot_now = f"COBOT-{soon:%m%d%H%M}"
    return hub


def book(kiosk, slot_id: str, party: int) -> dict:
    answer = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": slot_id, "party": party})
    assert answer["ok"], answer
    return answer["ticket"]


def scan(page, text: str) -> None:
    # A handheld scanner types the code and presses Enter, with no box focused.
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def answer_shows(page, reason: str) -> None:
    expect(page.locator("#answer")).to_have_attribute("data-reason", reason, timeout=STEP_MS)
    page.wait_for_timeout(300)  # the countdown bar has started: the picture is what a visitor sees


def close_answer(page) -> None:
    page.locator("#answer").click()
    expect(page.locator("#answer")).to_be_hidden(timeout=STEP_MS)


def shoot(page, out: Path, name: str) -> None:
    path = out / f"scan-{name}.png"
    page.screenshot(path=str(path))
    print(path)


def take(out: Path, hub: HubProcess, browser) -> None:
    kiosk = hub.client("kiosk", "kiosk-1")
    first, second, third = (book(kiosk, hub.slot_now, party) for party in (3, 2, 1))
    context = browser.new_context(viewport=PHONE, locale="ko-KR", timezone_id="Asia/Seoul", has_touch=True)
    try:
        page = context.new_page()
        page.goto(hub.url + "/scan/")
        expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
        shoot(page, out, "1-pair")
        page.locator("#pair-code").fill(hub.pairing_code("scanner", "door-1"))
        page.locator("#pair-submit").click()
        expect(page.locator(".booth-choice")).to_have_count(2, timeout=STEP_MS)
        shoot(page, out, "2-booth")
        page.locator(f'.booth-choice[data-booth="{BOOTH}"]').click()
        expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
        page.wait_for_function("localStorage.getItem('scan.key') !== null", timeout=STEP_MS)
        shoot(page, out, "3-ready")

        scan(page, first["qr"])
        answer_shows(page, "admitted")
        shoot(page, out, "4-admitted")
        close_answer(page)
        scan(page, first["qr"])
        answer_shows(page, "already_used")
        shoot(page, out, "5-already-used")
        close_answer(page)

        page.locator("#manual-code").fill(second["ticket_id"])
        page.locator("#manual-code").scroll_into_view_if_needed()
        shoot(page, out, "6-typed-code")
        page.locator("#manual-submit").click()
        answer_shows(page, "admitted")
        close_answer(page)
        page.locator("#recent-list").scroll_into_view_if_needed()
        shoot(page, out, "7-recent")

        kiosk.close()
        hub.stop()
        expect(page.locator("#link-status")).to_have_attribute("data-state", "offline", timeout=STEP_MS)
        page.evaluate("window.scrollTo(0, 0)")
        scan(page, third["qr"])
        answer_shows(page, "admitted")
        shoot(page, out, "8-offline-admitted")
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        hub = start_hub(Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            take(out, hub, browser)
        finally:
            browser.close()
            hub.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
