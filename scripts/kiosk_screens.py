"""Pictures of the visitor kiosk at its real size (1080x1920 portrait) for docs/screens/ and the README.

    python scripts/kiosk_screens.py [--out docs/screens] [--only attract browse ...]

Starts a real hub on a free loopback port with the demo hall (config/catalog.csv with its pictures,
config/hall-plan.json, and the demos of config/demos.csv, their sessions moved to start from now so the
program has sessions to book), drives the kiosk in Debian's chromium as a visitor would, and saves one PNG
per screen. The hub and its data folder are gone when it ends, whatever happens.
"""
import argparse
import csv
import io
import json
import shutil
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hubproc import HubProcess  # noqa: E402  (a real hub in a child process, stopped by its pid)

CONFIG = ROOT / "config"
SEOUL = ZoneInfo("Asia/Seoul")
VIEWPORT = {"width": 1080, "height": 1920}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
STEP_MS = 15_000
A11Y = ("a11y-attract", "a11y-low", "a11y-voice", "a11y-large", "a11y-simple", "a11y-call")
SCREENS = ("attract", "browse", "product", "firms", "order", "demos", "ticket", "plan") + A11Y
# The voice guide's lines show as captions; the picture needs no voice (a headless browser may have none).
QUIET_SPEECH = ("Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: { speak() {},"
                " cancel() {}, getVoices() { return []; } } });")


def demo_program(now: datetime) -> str:
    """config/demos.csv's demos, each with sessions every 90 minutes from soon after `now`, then tomorrow,
    written as the show's day (today is day 1) and time, as demos.csv writes them."""
    with open(CONFIG / "demos.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    demos = list({row["demo_id"]: row for row in rows}.values())
    start = now.replace(second=0, microsecond=0) + timedelta(minutes=15)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for i, demo in enumerate(demos):
        first = start + timedelta(minutes=10 * (i % 6))
        times = [first + timedelta(minutes=90 * k) for k in range(4)]
        times += [(first + timedelta(days=1)).replace(hour=10 + k * 2, minute=10 * (i % 6)) for k in range(3)]
        for when in times:
            writer.writerow({**demo, "day": (when.date() - now.date()).days + 1, "time": f"{when:%H:%M}"})
    return out.getvalue()


def hall_toml(folder: Path, first_day) -> Path:
    """The demo hall's settings, with this run's demo program (its day 1 today) and the kiosk's slip printer."""
    import tomllib
    with open(CONFIG / "hall.toml", "rb") as handle:
        hall = tomllib.load(handle)["hall"]
    text = "[hall]\n" + "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in hall.items())
    text += (f'\n[catalog]\nfile = "{(CONFIG / "catalog.csv").as_posix()}"\n'
             f'\n[hall_plan]\nfile = "{(CONFIG / "hall-plan.json").as_posix()}"\n'
             f'\n[show]\nfirst_day = "{first_day.isoformat()}"\n'
             '\n[demos]\nfile = "demos.csv"\n'
             '\n[printers.kiosk-1]\ntype = "virtual"\ncolumns = 48\n\n[stations]\nkiosk-1 = "kiosk-1"\n')
    path = folder / "hall.toml"
    path.write_text(text, encoding="utf-8")
    return path


def save_screen(page, path: Path) -> None:
    """Wait for the pictures on screen, then save the screen (not the page below it) as PNG."""
    # Asked in turn, not with wait_for_function: its eval is what the hub's script policy forbids.
    for _ in range(STEP_MS // 100):
        if page.evaluate("() => [...document.images].every((img) => img.complete)"):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # the frame after the last change
    from PIL import Image
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    # 256 colours hold a flat screen's text and colours; the files are a third of the size for the repository.
    shot.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def shoot(page, out: Path, name: str, saved: list) -> None:
    path = out / f"kiosk-{name}.png"
    save_screen(page, path)
    saved.append(path)


def accessibility_modes(page, hub, out: Path, saved: list, want) -> None:
    """docs/accessibility.md's pictures: the notice, low screen, the voice guide's caption, 200 % text, the
    simple screen, and a call to staff that staff have acknowledged."""
    from playwright.sync_api import expect
    page.add_init_script(QUIET_SPEECH)
    page.goto(hub.url + "/kiosk/")
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    if want("a11y-attract"):
        shoot(page, out, "a11y-attract", saved)
    page.locator("#attract-start").click()
    for sku in ("P00001", "P00003"):
        page.locator(f'#products .card[data-sku="{sku}"] .btn-add').click()
    page.locator("#access-low").click()
    if want("a11y-low"):
        shoot(page, out, "a11y-low", saved)
    page.locator("#access-low").click()
    page.locator("#access-voice").click()
    page.locator('#products .card[data-sku="P00001"] .btn-add').focus()
    expect(page.locator("#caption-text")).not_to_be_empty(timeout=STEP_MS)
    if want("a11y-voice"):
        shoot(page, out, "a11y-voice", saved)
    page.locator("#access-voice").click()
    page.locator("#access-text").click()
    page.locator("#access-text").click()
    if want("a11y-large"):
        shoot(page, out, "a11y-large", saved)
    page.locator("#access-text").click()
    page.locator("#access-simple").click()
    if want("a11y-simple"):
        shoot(page, out, "a11y-simple", saved)
    page.locator("#access-simple").click()
    staff = hub.client("staff", "staff-1")
    try:
        page.locator("#access-call").click()
        raised = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "help", timeout=10)
        staff.call("alert_ack", {"alert_id": raised["data"]["alert_id"]})
        expect(page.locator("#help-status")).to_have_attribute("data-state", "acked", timeout=STEP_MS)
    finally:
        staff.close()
    if want("a11y-call"):
        shoot(page, out, "a11y-call", saved)


def run(out: Path, only: set[str]) -> list[Path]:
    from playwright.sync_api import expect, sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="kiosk-screens-"))
    hub = None
    saved: list[Path] = []
    try:
        now = datetime.now(SEOUL)
        (folder / "demos.csv").write_text(demo_program(now), encoding="utf-8")
        hub = HubProcess(folder / "data", hall_toml(folder, now.date())).start()
        token = hub.token("kiosk", "kiosk-1")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=VIEWPORT, locale="ko-KR", timezone_id="Asia/Seoul",
                                          reduced_motion="reduce")
            context.add_init_script(f"localStorage.setItem('hall.token.kiosk', {json.dumps(token)});"
                                    "localStorage.setItem('hall.token.kiosk.name', 'kiosk-1');")
            page = context.new_page()
            # --only a11y: every accessibility mode's picture.
            want = lambda name: not only or name in only or (name in A11Y and "a11y" in only)  # noqa: E731

            page.goto(hub.url + "/kiosk/")
            expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
            expect(page.locator("#attract-demos")).to_be_visible(timeout=STEP_MS)
            if want("attract"):
                shoot(page, out, "attract", saved)

            page.locator("#attract-start").click()
            expect(page.locator('#products .card[data-sku="P00001"]')).to_be_visible(timeout=STEP_MS)
            for sku in ("P00001", "P00003"):
                page.locator(f'#products .card[data-sku="{sku}"] .btn-add').click()
            if want("browse"):
                shoot(page, out, "browse", saved)

            page.locator("#lang-btn").click()
            page.locator("#search").fill("camera")
            expect(page.locator("#result-count")).to_contain_text("camera", timeout=STEP_MS)
            page.locator("#search-keyboard .key-close").click()
            if want("product"):
                shoot(page, out, "product", saved)
            page.locator("#search-clear").click()
            page.locator("#lang-btn").click()

            page.locator("#tab-firms").click()
            expect(page.locator("#firms .firm-row").first).to_be_visible(timeout=STEP_MS)
            if want("firms"):
                shoot(page, out, "firms", saved)
            page.locator("#tab-products").click()

            page.locator("#order-btn").click()
            expect(page.locator("#order-print")).to_have_attribute("data-state", "printed", timeout=STEP_MS)
            if want("order"):
                shoot(page, out, "order", saved)
            page.locator("#order-done").click()

            page.locator("#attract-demos").click()
            expect(page.locator("#demo-next .next-slot").first).to_be_visible(timeout=STEP_MS)
            if want("demos"):
                shoot(page, out, "demos", saved)

            page.locator("#demo-next .next-slot").first.click()
            page.locator("#demo-plus").click()
            page.locator("#demo-book").click()
            expect(page.locator("#demo-print")).to_have_attribute("data-state", "printed", timeout=STEP_MS)
            if want("ticket"):
                shoot(page, out, "ticket", saved)

            page.locator("#demo-where").click()
            expect(page.locator("#plan-map .plan-mark")).to_have_count(1, timeout=STEP_MS)
            if want("plan"):
                shoot(page, out, "plan", saved)
            accessibility_modes(page, hub, out, saved, want)
            browser.close()
    finally:
        if hub:
            hub.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--only", nargs="*", choices=SCREENS + ("a11y",), default=[],
                        help="these screens only (a11y: every accessibility mode)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in run(args.out, set(args.only)):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
