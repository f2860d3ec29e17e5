"""python -m bench.pos_page [--scans 50] [--sales 30] [--restocks-per-s 50] [--json PATH]: the cashier's till in a
real browser, with the full demo catalog (config/catalog.csv, 2,200 products).

Measured in the page with performance.now(), first with the hub idle (the same-run baseline), then with the hub
under load: a background asyncio POS client selling back to back and a staff client restocking at 50 a second
(both in a child process, both bounded by time), while the till hears every sale and stock change they cause.

- scan: the Enter of a scanned barcode (typed by the browser's keyboard with focus in no field; the Enter
  keydown's event time) to the new cart line in the DOM, and to the frame after it (rAF, then a task);
- pay: the click on "결제 완료" (its event time) to the checkout ack arriving in the page, and to the frame
  after the "sale complete" dialog shows. The sale is written to IndexedDB (strict durability) before it is
  sent, so "pay -> ack" is split into "stored, sent" (the click to the command leaving the page, mostly that
  write) and "sent -> ack" (the Socket.IO round trip and the hub's durable commit).

Nothing is written to BENCHMARKS.md; the figures are printed (and saved with --json PATH).
"""
import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

from .clients import _stdin_lines
from .hubproc import ROOT, SEOUL, Child, Hub, remove, scratch_dir, staff_client
from .stats import percentile
from .hubproc import wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
TILL = "pos-1"              # prints on counter-1 in config/hall.toml
LOAD_PRODUCTS = 40          # the load sells from the first 40 products, restocked first...
LOAD_RESTOCK = 100_000      # ...by this much, so no sale runs short
WAIT_MS = 15000

# Runs before the page's own scripts, so its keydown listener hears Enter first.
INIT_JS = """
window.__bench = { enterAt: 0, clickAt: 0, ackAt: 0, result: null };
window.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__bench.enterAt = e.timeStamp; }, true);
document.addEventListener('click', (e) => {
  if (e.target.closest && e.target.closest('#pay-complete')) window.__bench.clickAt = e.timeStamp;
}, true);
"""

# Watch for the line of `sku`; record when it is in the DOM and the frame after.
ARM_SCAN_JS = """(sku) => {
  const bench = window.__bench;
  bench.result = null;
  const list = document.getElementById('cart-lines');
  const seen = () => list.querySelector(`li[data-sku="${CSS.escape(sku)}"]`);
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    const dom = performance.now();
    requestAnimationFrame(() => setTimeout(() => {
      bench.result = { dom: dom - bench.enterAt, frame: performance.now() - bench.enterAt };
    }, 0));
  });
  observer.observe(list, { childList: true });
}"""

# Time the checkout ack as it arrives in the page (the till's own link.command), and the done dialog's frame.
ARM_PAY_JS = """() => {
  const bench = window.__bench;
  const link = window.__pos.link;
  bench.result = null;
  bench.ackAt = 0;
  bench.sentAt = 0;
  if (!link.__benchWrapped) {
    const command = link.command.bind(link);
    link.command = (name, payload, options) => {
      if (name === 'checkout') bench.sentAt = performance.now();
      return command(name, payload, options).then((answer) => {
        if (name === 'checkout') bench.ackAt = performance.now();
        return answer;
      });
    };
    link.__benchWrapped = true;
  }
  const dialog = document.getElementById('done-dlg');
  const observer = new MutationObserver(() => {
    if (!dialog.open) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => {
      bench.result = { ack: bench.ackAt ? bench.ackAt - bench.clickAt : null,
                       stored: bench.sentAt ? bench.sentAt - bench.clickAt : null,
                       round_trip: bench.ackAt ? bench.ackAt - bench.sentAt : null,
                       screen: performance.now() - bench.clickAt,
                       saved_offline: !bench.ackAt };
    }, 0));
  });
  observer.observe(dialog, { attributes: true, attributeFilter: ['open'] });
}"""


# ---------------------------------------------------------------- the load (a child process)

async def _load(args) -> dict:
    import socketio

    with open(ROOT / "config" / "catalog.csv", encoding="utf-8") as handle:
        import csv
        rows = list(csv.DictReader(handle))
    sold = [{"sku": r["sku"], "price": int(r["price"])} for r in rows[:LOAD_PRODUCTS]]
    restocked = [r["sku"] for r in rows[LOAD_PRODUCTS:]]
    staff = await staff_client(args.url, args.staff_token)
    for product in sold:
        ack = await staff.call("restock", {"sku": product["sku"], "qty": LOAD_RESTOCK}, timeout=10)
        if not ack.get("ok"):
            raise RuntimeError(f"restock refused: {ack}")
    pos = socketio.AsyncClient(reconnection=False)
    heard = {"n": 0}
    pos.on("event", lambda event: heard.__setitem__("n", heard["n"] + 1))
    await pos.connect(args.url, auth={"token": args.pos_token}, transports=["websocket"], wait_timeout=20)
    print("READY", flush=True)
    deadline = time.monotonic() + args.seconds
    stop = asyncio.Event()

    async def until_told():
        # Any line on stdin, or stdin closing, ends the load early: the measurement is over.
        reader = await _stdin_lines()
        await reader.readline()
        stop.set()
    watcher = asyncio.create_task(until_told())

    def going() -> bool:
        return time.monotonic() < deadline and not stop.is_set()
    chooser = random.Random(7)
    counts = {"sales": 0, "sale_errors": 0, "restocks": 0, "restock_errors": 0}

    async def sell():
        while going() and counts["sales"] < args.max_sales:
            picked = chooser.sample(sold, chooser.choice((1, 2)))
            payload = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": p["sku"], "qty": 1} for p in picked],
                       "payments": [{"method": "cash", "amount": sum(p["price"] for p in picked)}]}
            ack = await pos.call("checkout", payload, timeout=20)
            counts["sales" if ack.get("ok") else "sale_errors"] += 1

    async def restock():
        interval = 1 / args.restocks_per_s
        next_at = time.monotonic()
        pending = set()
        while going() and counts["restocks"] < args.max_restocks:
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)

            async def one():
                ack = await staff.call("restock", {"sku": chooser.choice(restocked), "qty": 1}, timeout=20)
                counts["restocks" if ack.get("ok") else "restock_errors"] += 1
            task = asyncio.create_task(one())
            pending.add(task)
            task.add_done_callback(pending.discard)
        if pending:
            await asyncio.wait(pending, timeout=20)

    started = time.monotonic()
    await asyncio.gather(sell(), restock())
    elapsed = time.monotonic() - started
    watcher.cancel()
    await pos.disconnect()
    await staff.disconnect()
    return {**counts, "seconds": round(elapsed, 2), "sales_per_s": round(counts["sales"] / elapsed, 1),
            "restocks_per_s": round(counts["restocks"] / elapsed, 1), "events_heard_by_load_pos": heard["n"]}


def load_main(argv) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pos_page load")
    parser.add_argument("--url", required=True)
    parser.add_argument("--pos-token", required=True)
    parser.add_argument("--staff-token", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--restocks-per-s", type=float, default=50)
    parser.add_argument("--max-sales", type=int, default=20000)
    parser.add_argument("--max-restocks", type=int, default=10000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    result = asyncio.run(_load(args))
    Path(args.out).write_text(json.dumps(result))
    print("DONE", flush=True)
    return 0


class Load:
    """The load in its own process, stopped by pid however the run ends."""

    def __init__(self, hub: Hub, folder: Path, seconds: float, restocks_per_s: float):
        import subprocess
        self.out = folder / "load.json"
        self.child = Child([sys.executable, "-m", "bench.pos_page", "load", "--url", hub.url,
                            "--pos-token", hub.tokens["pos"][0], "--staff-token", hub.tokens["staff"][0],
                            "--seconds", str(seconds), "--restocks-per-s", str(restocks_per_s),
                            "--out", str(self.out)], folder / "load.log", stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE)

    def wait_line(self, word: str, timeout: float) -> None:
        import select
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.child.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                line = self.child.process.stdout.readline().decode().strip()
                if line == word:
                    return
                if not line and not self.child.alive():
                    break
        raise RuntimeError(f"load never said {word}\n{self.child.log_tail()}")

    def result(self, timeout: float) -> dict:
        self.child.process.stdin.write(b"STOP\n")
        self.child.process.stdin.flush()
        self.wait_line("DONE", timeout)
        return json.loads(self.out.read_text())

    def stop(self) -> None:
        self.child.stop(grace=5)


# ---------------------------------------------------------------- the till in a browser

def pairing_code(hub: Hub) -> str:
    from hub.rules import devices
    from hub.store import Store
    store = Store(hub.data_dir / "hall.db")
    try:
        result, _ = store.run(devices.create_pairing, "pos", TILL, now=datetime.now(SEOUL))
    finally:
        store.close()
    return result["code"]


def open_till(page, hub: Hub) -> None:
    page.goto(hub.url + "/pos/")
    page.fill("#pair-code", pairing_code(hub))
    page.click("#pair-form [type=submit]")
    page.wait_for_selector(".cashier[data-cashier-id=c01]", timeout=WAIT_MS)
    page.click(".cashier[data-cashier-id=c01]")
    page.fill("#pin-input", "1234")
    page.keyboard.press("Enter")
    page.wait_for_selector("#shift-screen:not([hidden])", timeout=WAIT_MS)
    page.fill("#float-input", "100000")
    page.keyboard.press("Enter")
    page.wait_for_selector("#sell-screen:not([hidden])", timeout=WAIT_MS)
    wait_until(page, "document.querySelector('#link-pill').dataset.state === 'online'", timeout=WAIT_MS)


def wait_result(page) -> dict:
    wait_until(page, "window.__bench.result !== null", timeout=WAIT_MS, polling=5)
    return page.evaluate("window.__bench.result")


def run_phase(page, products: list[dict], scans: int, sales: int) -> dict:
    """`sales` sales of one or two scanned products each, `scans` scans in all, each paid in exact cash."""
    per_sale = [scans // sales + (1 if index < scans % sales else 0) for index in range(sales)]
    scan_ms, pay_ms = [], []
    items = iter(products)
    for count in per_sale:
        for _ in range(max(1, count)):
            product = next(items)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.evaluate(ARM_SCAN_JS, product["sku"])
            page.keyboard.type(product["barcode"])
            page.keyboard.press("Enter")
            scan_ms.append(wait_result(page))
        page.keyboard.press("F9")
        page.wait_for_selector("#pay-dlg[open]", timeout=WAIT_MS)
        page.click("#pay-dlg [data-add='exact']")
        if page.is_visible("#receipt-prompt"):
            page.click("#pay-dlg .chip[data-kind=none]")
        page.evaluate(ARM_PAY_JS)
        page.click("#pay-complete")
        pay_ms.append(wait_result(page))
        page.click("#done-next")
        page.wait_for_selector("#done-dlg:not([open])", state="attached", timeout=WAIT_MS)
    return {"scan": scan_ms, "pay": pay_ms}


def summary(values: list[float]) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"n": 0}
    return {"n": len(values), "median_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1), "max_ms": round(max(values), 1)}


def figures(phase: dict) -> dict:
    return {"scan_to_line_dom": summary([s["dom"] for s in phase["scan"]]),
            "scan_to_line_frame": summary([s["frame"] for s in phase["scan"]]),
            "pay_to_ack": summary([p["ack"] for p in phase["pay"]]),
            "pay_to_sent": summary([p["stored"] for p in phase["pay"]]),
            "sent_to_ack": summary([p["round_trip"] for p in phase["pay"]]),
            "pay_to_done_frame": summary([p["screen"] for p in phase["pay"]]),
            "sales_saved_offline": sum(1 for p in phase["pay"] if p["saved_offline"])}


def measure(scans: int, sales: int, restocks_per_s: float, load_seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    folder = scratch_dir("pos-page")
    load = None
    try:
        with Hub("pos-page", {"pos": 1, "staff": 1}) as hub:
            import urllib.request
            with urllib.request.urlopen(hub.url + "/api/products", timeout=10) as answer:
                catalog = json.load(answer)["products"]
            # The till scans products the load neither sells nor restocks much, each one new to the cart.
            chooser = random.Random(3)
            candidates = [p for p in catalog[LOAD_PRODUCTS:] if p["available"] >= 5]
            chooser.shuffle(candidates)
            needed = scans + sales
            if len(candidates) < 2 * needed:
                raise RuntimeError("not enough products in stock for the run")
            idle_products, load_products = candidates[:needed], candidates[needed:2 * needed]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR", timezone_id="Asia/Seoul")
                    context.add_init_script(INIT_JS)
                    page = context.new_page()
                    open_till(page, hub)
                    run_phase(page, idle_products[:6], 4, 2)  # warm-up: JIT, caches, first IndexedDB writes
                    idle = run_phase(page, idle_products[6:], scans, sales)
                    load = Load(hub, folder, load_seconds, restocks_per_s)
                    load.wait_line("READY", 60)
                    time.sleep(1.0)
                    loaded = run_phase(page, load_products, scans, sales)
                    till_events = page.evaluate("window.__pos.link.lastSeq")
                finally:
                    browser.close()
            load_result = load.result(timeout=load_seconds + 60)
            health = hub.health()
        return {"catalog_products": len(catalog), "scans": scans, "sales": sales,
                "idle": figures(idle), "under_load": figures(loaded), "load": load_result,
                "hub_seq_at_end": health["seq"], "till_last_seq": till_events,
                "hub_log_problems": hub.log_problems[:10]}
    finally:
        if load is not None:
            load.stop()
        remove(folder)


def print_report(result: dict) -> None:
    def row(label, figure):
        if not figure.get("n"):
            return f"  {label:<30} -"
        return f"  {label:<30} median {figure['median_ms']:>7.1f} ms   p95 {figure['p95_ms']:>7.1f} ms   " \
               f"max {figure['max_ms']:>7.1f} ms   (n={figure['n']})"
    print(f"POS page, {result['catalog_products']} products, {result['scans']} scans and {result['sales']} sales "
          f"per phase")
    for phase, title in (("idle", "hub idle (baseline)"), ("under_load", "hub under load")):
        figures_ = result[phase]
        print(f"{title}:")
        print(row("scan Enter -> line in DOM", figures_["scan_to_line_dom"]))
        print(row("scan Enter -> line on screen", figures_["scan_to_line_frame"]))
        print(row("pay -> ack received", figures_["pay_to_ack"]))
        print(row("  of which: stored, sent", figures_["pay_to_sent"]))
        print(row("  of which: sent -> ack", figures_["sent_to_ack"]))
        print(row("pay -> 'sale complete' shown", figures_["pay_to_done_frame"]))
        if figures_["sales_saved_offline"]:
            print(f"  ({figures_['sales_saved_offline']} sales had no ack in time and were kept on the device)")
    load = result["load"]
    print(f"load: {load['sales']} checkouts ({load['sales_per_s']}/s, {load['sale_errors']} refused) and "
          f"{load['restocks']} restocks ({load['restocks_per_s']}/s, {load['restock_errors']} refused) "
          f"over {load['seconds']} s")
    if result["hub_log_problems"]:
        print("hub log problems:", *result["hub_log_problems"], sep="\n  ")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:
        return load_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench.pos_page", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scans", type=int, default=50)
    parser.add_argument("--sales", type=int, default=30)
    parser.add_argument("--restocks-per-s", type=float, default=50)
    parser.add_argument("--load-seconds", type=float, default=120,
                        help="upper bound of the load; it is stopped when the measurement ends")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium", file=sys.stderr)
        return 2
    result = measure(args.scans, args.sales, args.restocks_per_s, args.load_seconds)
    print_report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
