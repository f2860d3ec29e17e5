"""Pictures of the till at the counter's 1366x768 and the staff screen at 1920x1080, for docs/screens/.

Runs a real hall (run_hall.py with config/hall.toml and the demo catalog) on a free loopback port with its
data in a temporary folder, sells a little from a second till so the best sellers, the sales panel and an
alert have something to show, then drives Debian's chromium with Playwright, as the page tests do.

  .venv/bin/python scripts/screenshots_pos_staff.py [--out docs/screens] [--only till,staff,visitors]
"""
import argparse
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import socketio
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.hubproc import wait_until  # noqa: E402  (the hub's CSP refuses Playwright's own wait_for_function)
from hub.rules import devices, staff  # noqa: E402
from hub.store import Store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TILL = {"width": 1366, "height": 768}
DESK = {"width": 1920, "height": 1080}
STAFF = ("mina", "open sesame 1")
# From config/catalog.csv: what the other till sells (sku, units) and the barcodes the cashier scans.
SOLD = [("P00001", 12), ("P00003", 7), ("P00005", 5), ("P00002", 3), ("P00004", 2)]
SCANNED = ["8805837515060", "8805837515138", "8805837515138"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Hall:
    """run_hall.py on loopback with a throwaway data folder."""

    def __init__(self, data: Path):
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, str(ROOT / "run_hall.py"), "--data", str(data),
                                         "--port", str(self.port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/api/health", timeout=0.5).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("the hub did not start")

    def run(self, fn, *args):
        store = Store(self.data / "hall.db")
        try:
            return store.run(fn, *args, now=datetime.now(ZoneInfo("Asia/Seoul")))[0]
        finally:
            store.close()

    def token(self, role: str, name: str) -> str:
        return self.run(devices.mint_token, role, name)["token"]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def prices(hall: Hall) -> dict:
    return {p["sku"]: p["price"] for p in requests.get(hall.url + "/api/products", timeout=10).json()["products"]}


def sell_from_another_till(hall: Hall) -> None:
    till = socketio.Client()
    till.connect(hall.url, auth={"token": hall.token("pos", "pos-2")}, transports=["websocket"])
    price = prices(hall)
    # The hub takes a till's sales only from a cashier signed in at it (config/hall.toml's demo cashier).
    signed_in = till.call("login", {"cashier_id": "s01", "pin": "9999"})
    assert signed_in.get("sign_in"), signed_in
    sign_in = signed_in["sign_in"]
    for sku, qty in SOLD:
        answer = till.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
                                        "payments": [{"method": "cash", "amount": price[sku] * qty}],
                                        "sign_in": sign_in})
        assert answer["ok"], answer
    # An offline sale past the stock: it stands, and staff see an oversold discrepancy to settle.
    stock = {p["sku"]: p["available"] for p in requests.get(hall.url + "/api/products", timeout=10).json()["products"]}
    qty = stock["P00005"] + 2
    answer = till.call("checkout", {"sale_id": str(uuid.uuid4()),
                                    "lines": [{"sku": "P00005", "qty": qty, "unit_price": price["P00005"]}],
                                    "payments": [{"method": "cash", "amount": price["P00005"] * qty}],
                                    "sign_in": sign_in, "offline_at": datetime.now(ZoneInfo("Asia/Seoul")).isoformat(timespec="seconds")})
    assert answer["ok"], answer
    till.disconnect()


def paired(context, role: str, token: str, name: str) -> None:
    context.add_init_script(f"localStorage.setItem('hall.token.{role}', {token!r});"
                            f"localStorage.setItem('hall.token.{role}.name', {name!r});")


def till_pictures(browser, hall: Hall, out: Path) -> None:
    context = browser.new_context(viewport=TILL, locale="ko-KR", timezone_id="Asia/Seoul")
    paired(context, "pos", hall.token("pos", "pos-1"), "pos-1")
    page = context.new_page()
    page.goto(hall.url + "/pos/")
    page.click(".cashier[data-cashier-id=c01]")
    page.fill("#pin-input", "1234")
    page.keyboard.press("Enter")
    page.fill("#float-input", "100000")
    page.keyboard.press("Enter")
    page.wait_for_selector("#sell-screen:not([hidden])")
    wait_until(page, "document.querySelector('#link-pill').dataset.state === 'online'")
    page.wait_for_selector("#shelf-tiles .tile-sold")
    for code in SCANNED:
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    page.wait_for_timeout(800)  # the added line's flash fades
    page.screenshot(path=out / "pos-sell-1366x768.png")
    page.keyboard.press("F9")
    page.click("#pay-dlg [data-add='exact']")
    page.click("#pay-complete")  # over 100,000 won in cash: the question asks for its answer
    page.wait_for_timeout(300)
    page.screenshot(path=out / "pos-pay-cash-receipt-1366x768.png")
    page.click("#pay-dlg .chip[data-kind=none]")
    page.click("#pay-complete")
    page.click("#done-next")
    # The shift's close: every part of the drawer named, the difference signed.
    page.click("#close-shift-btn")
    wait_until(page, "document.querySelector('#close-expected').textContent.includes('=')")
    page.fill("#close-cash", "230000")
    page.click("#close-submit")
    page.wait_for_selector("#z-report:not([hidden])")
    page.wait_for_timeout(300)
    page.screenshot(path=out / "pos-z-report-1366x768.png")
    context.close()


def signed_in_staff(browser, hall: Hall, person: tuple[str, str], device: str, panel: str):
    """A desk-sized staff screen paired as `device`, `person` signed in, showing `panel`: (context, page)."""
    hall.run(staff.add, *person)
    context = browser.new_context(viewport=DESK, locale="ko-KR", timezone_id="Asia/Seoul")
    paired(context, "staff", hall.token("staff", device), device)
    page = context.new_page()
    page.goto(f"{hall.url}/staff/#{panel}")
    page.fill("#signin-name", person[0])
    page.fill("#signin-password", person[1])
    page.click("#signin-submit")
    page.wait_for_selector("#app:not([hidden])")
    return context, page


def staff_pictures(browser, hall: Hall, out: Path) -> None:
    context, page = signed_in_staff(browser, hall, STAFF, "staff-1", "stock")
    wait_until(page, "window.staffApp.stock.loaded")
    page.wait_for_timeout(500)
    page.screenshot(path=out / "staff-stock-1920x1080.png")
    for panel in ("sales", "alerts"):
        page.click(f'.sidenav a[data-panel="{panel}"]')
        wait_until(page, f"document.querySelector('#panel-{panel} .panel-status').dataset.state !== 'loading'")
        page.wait_for_timeout(800)
        page.screenshot(path=out / f"staff-{panel}-1920x1080.png")
    # The day close, asked once and sealed.
    page.click('.sidenav a[data-panel="sales"]')
    page.click("#day-close")
    page.click("#day-close-confirm")
    page.wait_for_selector("#day-body [data-field=seal]")
    page.locator("#day-card").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=out / "staff-day-close-1920x1080.png")
    page.click('.sidenav a[data-panel="printers"]')
    page.wait_for_selector('#jobs-table tr[data-state="printed"]')
    page.locator('#jobs-table tr[data-state="printed"] button[data-do=reprint]').first.click()
    wait_until(page, "document.querySelector('#preview-img').naturalWidth > 0")
    page.screenshot(path=out / "staff-reprint-1920x1080.png")
    context.close()


def phone(hall: Hall, sku: str, qty: int) -> socketio.Client:
    """A visitor's phone as /visit/ makes one: an anonymous session, its socket, an order for a cashier."""
    session = requests.post(hall.url + "/api/visit/session", json={}, timeout=10).json()
    client = socketio.Client()
    client.connect(hall.url + "?visitor=1", auth={"token": session["token"]}, transports=["websocket"])
    answer = client.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}]})
    assert answer["ok"], answer
    client.visitor = session["visitor"]
    return client


def visitors_picture(browser, hall: Hall, out: Path) -> None:
    """The Visitors' phones panel: three phones' orders and a kiosk's, one phone's demo booking, and the first
    phone's session revoked (its order released)."""
    context, page = signed_in_staff(browser, hall, ("jun", "open sesame 2"), "staff-2", "visitors")
    wait_until(page, "document.querySelector('#visitors-status').dataset.state === 'note'")
    phones = [phone(hall, sku, qty) for sku, qty in (("P00001", 2), ("P00003", 1), ("P00002", 1))]
    kiosk = socketio.Client()
    kiosk.connect(hall.url, auth={"token": hall.token("kiosk", "kiosk-1")}, transports=["websocket"])
    assert kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "P00004", "qty": 1}]})["ok"]
    program = requests.get(hall.url + "/api/visit/program", timeout=10).json()
    now = datetime.now(ZoneInfo("Asia/Seoul")).isoformat()
    upcoming = [slot for demo in program["demos"] for slot in demo["slots"] if slot["starts_at"] > now]
    if upcoming:
        booked = phones[1].call("book", {"booking_id": str(uuid.uuid4()), "slot_id": upcoming[0]["slot_id"],
                                         "party": 2})
        assert booked["ok"], booked
    page.locator(f'#visitors-table tr[data-visitor="{phones[0].visitor}"] button[data-revoke]').click()
    page.click("#confirm-ok")
    wait_until(page, f"document.querySelector('#visitors-table tr[data-visitor=\"{phones[0].visitor}\"]')"
                     "?.dataset.state === 'revoked'")
    page.wait_for_timeout(6000)  # the revoke's toast goes
    page.screenshot(path=out / "staff-visitors-1920x1080.png")
    for client in [*phones, kiosk]:
        if client.connected:
            client.disconnect()
    context.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--only", default="till,staff,visitors", help="which pictures: till, staff, visitors")
    args = parser.parse_args(argv)
    out, only = Path(args.out), set(args.only.split(","))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        hall = Hall(Path(data))
        try:
            sell_from_another_till(hall)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    if "till" in only:
                        till_pictures(browser, hall, out)
                    if "staff" in only:
                        staff_pictures(browser, hall, out)
                    if "visitors" in only:
                        visitors_picture(browser, hall, out)
                finally:
                    browser.close()
        finally:
            hall.stop()
    print(f"pictures in {out}")


if __name__ == "__main__":
    main()
