"""Pictures of the visitor's own phone (/visit/, 390x844) for docs/screens/, from a real hub and chromium.

    python scripts/visit_screens.py [--out docs/screens]

Starts a throwaway hub on a free loopback port with the demo hall (config/catalog.csv, config/hall-plan.json
and config/demos.csv's demos moved to start from now, as scripts/kiosk_screens.py lays them out), opens the
phone page as a visitor would (it asks the hub for its own session), and saves one PNG per screen: search by
초성, a product with its live stock, the cart, the order to pay at a cashier, the same order paid at a till,
the demo program, a ticket, the hall plan with the booth marked, and "my orders and tickets". Needs what
`make test` installs (Debian's chromium, the screens' libraries).
"""
import argparse
import shutil
import sys
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kiosk_screens import demo_program, hall_toml, save_screen  # noqa: E402  (the kiosk pictures' demo hall)
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, SEOUL  # noqa: E402
from tests.hubproc import HubProcess  # noqa: E402

PHONE = {"width": 390, "height": 844}
STEP_MS = 15_000
SCREENS = ("search", "product", "cart", "order", "paid", "demos", "ticket", "plan", "mine")


def shoot(page, out: Path, name: str) -> None:
    path = out / f"visit-{name}.png"
    save_screen(page, path)
    print(path)


def take(page, hub: HubProcess, out: Path) -> None:
    from playwright.sync_api import expect

    def go(path: str) -> None:
        page.evaluate("(path) => { location.hash = '#' + path; }", path)

    page.goto(hub.url + "/visit/")
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    page.locator("#search").fill("ㄹㅂ")
    expect(page.locator("#products .card .card-stock").first).not_to_have_text("재고 확인 중…", timeout=STEP_MS)
    shoot(page, out, "search")

    page.locator("#products .card .card-open").first.click()
    expect(page.locator("#product-stock")).not_to_have_text("재고 확인 중…", timeout=STEP_MS)
    page.locator("#qty-plus").click()
    shoot(page, out, "product")
    page.locator("#product-add").click()
    sku = page.locator("#product-view").get_attribute("data-sku")

    go("/cart")
    expect(page.locator("#cart-lines .cart-line")).to_have_count(1, timeout=STEP_MS)
    shoot(page, out, "cart")
    page.locator("#order-btn").click()
    expect(page.locator("#order-view")).to_have_attribute("data-status", "waiting", timeout=STEP_MS)
    shoot(page, out, "order")

    code = page.locator("#order-code").text_content()
    till = hub.client("pos", "pos-1")
    try:
        hold = till.call("hold_lookup", {"code": code})["hold"]
        payment = [{"method": "cash", "amount": hold["total"]}]
        answer = till.call("checkout", {"sale_id": str(uuid.uuid4()), "hold_code": code, "payments": payment,
                                        "lines": [{"sku": line["sku"], "qty": line["qty"]} for line in hold["lines"]]})
        assert answer["ok"], answer
    finally:
        till.close()
    expect(page.locator("#order-view")).to_have_attribute("data-status", "paid", timeout=STEP_MS)
    shoot(page, out, "paid")

    go("/demos")
    expect(page.locator("#demo-list .slot-left").first).not_to_have_text("자리 확인 중…", timeout=STEP_MS)
    shoot(page, out, "demos")
    page.locator("#demo-list .slot-open").first.click()
    page.locator("#party-plus").click()
    page.locator("#book-btn").click()
    expect(page.locator("#ticket-view")).to_have_attribute("data-status", "booked", timeout=STEP_MS)
    shoot(page, out, "ticket")

    go(f"/product/{sku}")
    page.locator("#product-booth").click()
    expect(page.locator("#plan-map svg")).to_be_visible(timeout=STEP_MS)
    shoot(page, out, "plan")

    go("/mine")
    expect(page.locator("#mine-orders .mine-item")).to_have_count(1, timeout=STEP_MS)
    shoot(page, out, "mine")


def run(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="visit-screens-"))
    hub = None
    try:
        now = datetime.now(SEOUL)
        (folder / "demos.csv").write_text(demo_program(now), encoding="utf-8")
        hub = HubProcess(folder / "data", hall_toml(folder, now.date())).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport=PHONE, locale="ko-KR", timezone_id="Asia/Seoul",
                                          is_mobile=True, has_touch=True, reduced_motion="reduce")
            try:
                take(context.new_page(), hub, out)
            finally:
                browser.close()
    finally:
        if hub:
            hub.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    run(args.out)


if __name__ == "__main__":
    main()
